import { type SelectQueryBuilder, sql } from 'kysely';
import type { Ctx } from '../../context.js';
import type { Database } from '../../db/schema.js';
import { keysetAfter, type OrgScope, whereOrg } from '../../db/scope.js';
import type {
  HelpdeskSettingsTable,
  TicketCategoryTable,
  TicketEventTable,
  TicketTable,
  TicketTaskTable,
} from './helpdesk.tables.js';

type DbCtx = Pick<Ctx, 'db' | 'dialect'>;

// --- settings and categories -----------------------------------------------------------------------

export async function findSettings(ctx: DbCtx, orgId: string): Promise<HelpdeskSettingsTable | undefined> {
  return ctx.db.selectFrom('helpdesk_settings').selectAll().where('org_id', '=', orgId).executeTakeFirst();
}

/** Saves an organisation's settings if they still have `version` (0: never saved). */
export async function saveSettings(
  ctx: DbCtx,
  orgId: string,
  version: number,
  set: { settings: string; updated_at: string },
): Promise<boolean> {
  if (version === 0) {
    const r = await ctx.db
      .insertInto('helpdesk_settings')
      .values({ org_id: orgId, ...set, version: 1 })
      .onConflict((oc) => oc.column('org_id').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
  }
  const r = await ctx.db
    .updateTable('helpdesk_settings')
    .set({ ...set, version: version + 1 })
    .where('org_id', '=', orgId)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function listCategories(ctx: DbCtx, scope: OrgScope): Promise<TicketCategoryTable[]> {
  let q = ctx.db.selectFrom('ticket_category').selectAll();
  q =
    scope === 'all'
      ? q
      : q.where((eb) =>
          eb.or([eb('org_id', 'is', null), ...(scope.length > 0 ? [eb('org_id', 'in', scope)] : [])]),
        );
  return q.orderBy('typology').orderBy('name_fr').execute();
}

export async function findCategory(ctx: DbCtx, id: string): Promise<TicketCategoryTable | undefined> {
  return ctx.db.selectFrom('ticket_category').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertCategory(ctx: DbCtx, row: TicketCategoryTable): Promise<void> {
  await ctx.db.insertInto('ticket_category').values(row).execute();
}

export async function updateCategory(
  ctx: DbCtx,
  id: string,
  version: number,
  set: Partial<Pick<TicketCategoryTable, 'name_fr' | 'name_en' | 'active' | 'updated_at'>>,
): Promise<boolean> {
  const r = await ctx.db
    .updateTable('ticket_category')
    .set({ ...set, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// --- tickets ---------------------------------------------------------------------------------------

/** A new ticket and its first event; one statement on PostgreSQL (a round trip less per creation). */
export async function insertTicket(ctx: DbCtx, row: TicketTable, created: TicketEventTable): Promise<void> {
  if (ctx.dialect.name === 'postgres') {
    await ctx.db
      .with('t', (db) => db.insertInto('ticket').values(row))
      .insertInto('ticket_event')
      .values(created)
      .execute();
    return;
  }
  await ctx.db.insertInto('ticket').values(row).execute();
  await insertEvent(ctx, created);
}

export async function findTicket(ctx: DbCtx, id: string): Promise<TicketTable | undefined> {
  return ctx.db.selectFrom('ticket').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findOpenByExternalKey(
  ctx: DbCtx,
  orgId: string,
  key: string,
): Promise<TicketTable | undefined> {
  return ctx.db
    .selectFrom('ticket')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('external_key', '=', key)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

/** The optimistic update of a ticket: false when someone changed it since `version`. */
export async function updateTicket(
  ctx: DbCtx,
  id: string,
  version: number,
  set: Partial<Omit<TicketTable, 'id' | 'version' | 'org_id'>>,
): Promise<boolean> {
  const r = await ctx.db
    .updateTable('ticket')
    .set({ ...set, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export type TicketFilter = {
  scope: OrgScope;
  /** Only tickets this user asked for (a requester's view). */
  requesterId?: string | undefined;
  orgId?: string | undefined;
  status?: string | undefined;
  open?: boolean | undefined;
  assigneeId?: string | undefined;
  groupId?: string | undefined;
  categoryId?: string | undefined;
  priority?: number | undefined;
  q?: string | undefined;
  after?: [string, string] | undefined;
  limit: number;
};

type Narrowing = {
  status?: string | undefined;
  categoryId?: string | undefined;
  priority?: number | undefined;
  /** Words of the title, or a reference, whole or in part ("T-0123", "123"). */
  q?: string | undefined;
};

/** The filters the lists and the queue share. */
// biome-ignore lint/suspicious/noExplicitAny: one helper for two query shapes over the ticket table
function narrow<Q extends SelectQueryBuilder<Database, 'ticket', any>>(ctx: DbCtx, q: Q, f: Narrowing): Q {
  let out = q;
  if (f.status) out = out.where('status', '=', f.status) as Q;
  if (f.categoryId) out = out.where('category_id', '=', f.categoryId) as Q;
  if (f.priority) out = out.where('priority', '=', f.priority) as Q;
  if (f.q) {
    const needle = f.q;
    out = out.where((eb) =>
      eb.or([
        ctx.dialect.containsInsensitive(sql.ref('title'), needle),
        ctx.dialect.containsInsensitive(sql.ref('reference'), needle),
      ]),
    ) as Q;
  }
  return out;
}

/** Newest first. */
export async function listTickets(ctx: DbCtx, f: TicketFilter): Promise<TicketTable[]> {
  let q = whereOrg(ctx.db.selectFrom('ticket').selectAll(), 'org_id', f.scope);
  if (f.requesterId) q = q.where('requester_id', '=', f.requesterId);
  if (f.orgId) q = q.where('org_id', '=', f.orgId);
  if (f.open !== undefined) q = q.where('is_open', '=', ctx.dialect.bool(f.open));
  if (f.assigneeId) q = q.where('assignee_id', '=', f.assigneeId);
  if (f.groupId) q = q.where('group_id', '=', f.groupId);
  q = narrow(ctx, q, f);
  if (f.after) q = q.where(keysetAfter('created_at', 'id', f.after, 'desc'));
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
}

/**
 * A technician's queue: open tickets assigned to them or to one of their groups, by resolution due
 * time (every ticket has one from its creation). Each side reads its own partial index in due order
 * and stops at the page; the two are merged here.
 */
export async function queue(
  ctx: DbCtx,
  f: {
    userId: string;
    groupIds: string[];
    scope: OrgScope;
    after?: [string, string] | undefined;
    limit: number;
  } & Narrowing,
): Promise<TicketTable[]> {
  const side = (column: 'assignee_id' | 'group_id', ids: string[]) => {
    let q = ctx.db.selectFrom('ticket').selectAll().where('is_open', '=', ctx.dialect.bool(true));
    q = ids.length === 1 ? q.where(column, '=', ids[0]!) : q.where(column, 'in', ids);
    q = narrow(ctx, whereOrg(q, 'org_id', f.scope), f);
    if (f.after) q = q.where(keysetAfter('resolve_due_at', 'id', f.after, 'asc'));
    return q.orderBy('resolve_due_at').orderBy('id').limit(sql.lit(f.limit)).execute();
  };
  const mine = await side('assignee_id', [f.userId]);
  const groups = f.groupIds.length > 0 ? await side('group_id', f.groupIds) : [];
  const seen = new Set<string>();
  const key = (t: TicketTable) => `${t.resolve_due_at}|${t.id}`;
  return [...mine, ...groups]
    .filter((t) => !seen.has(t.id) && seen.add(t.id))
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
    .slice(0, f.limit);
}

/** Tickets of the organisation since `since` on one of these assets, or in this category. */
export async function recentRelated(
  ctx: DbCtx,
  f: {
    orgId: string;
    since: string;
    assetIds: string[];
    categoryId: string | null;
    excludeId?: string;
    limit?: number;
  },
): Promise<Array<Pick<TicketTable, 'id' | 'reference' | 'title' | 'status' | 'created_at'>>> {
  if (f.assetIds.length === 0 && !f.categoryId) return [];
  let q = ctx.db
    .selectFrom('ticket')
    .select(['id', 'reference', 'title', 'status', 'created_at'])
    .where('org_id', '=', f.orgId)
    .where('created_at', '>=', f.since)
    .where('merged_into_id', 'is', null)
    .where((eb) =>
      eb.or([
        ...(f.assetIds.length > 0
          ? [
              eb(
                'id',
                'in',
                ctx.db.selectFrom('ticket_asset').select('ticket_id').where('asset_id', 'in', f.assetIds),
              ),
            ]
          : []),
        ...(f.categoryId ? [eb('category_id', '=', f.categoryId)] : []),
      ]),
    );
  if (f.excludeId) q = q.where('id', '!=', f.excludeId);
  return q
    .orderBy('created_at', 'desc')
    .limit(f.limit ?? 50)
    .execute();
}

/** Open, running tickets whose warning or deadline has come by `now`. */
export async function slaCandidates(ctx: DbCtx, now: string, limit: number): Promise<TicketTable[]> {
  return ctx.db
    .selectFrom('ticket')
    .selectAll()
    .where('is_open', '=', ctx.dialect.bool(true))
    .where('paused_since', 'is', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('sla_state', '=', 'ok'), eb('warn_at', '<=', now)]),
        eb.and([eb('sla_state', '!=', 'breached'), eb('resolve_due_at', '<=', now)]),
      ]),
    )
    .orderBy('warn_at')
    .limit(limit)
    .execute();
}

// --- assets, events, tasks ------------------------------------------------------------------------

export async function setTicketAssets(
  ctx: DbCtx,
  ticketId: string,
  assetIds: string[],
  at: string,
): Promise<void> {
  await ctx.db.deleteFrom('ticket_asset').where('ticket_id', '=', ticketId).execute();
  if (assetIds.length > 0) {
    await ctx.db
      .insertInto('ticket_asset')
      .values(assetIds.map((asset_id) => ({ ticket_id: ticketId, asset_id, created_at: at })))
      .execute();
  }
}

export async function assetsOfTickets(ctx: DbCtx, ticketIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (ticketIds.length === 0) return map;
  const rows = await ctx.db
    .selectFrom('ticket_asset')
    .select(['ticket_id', 'asset_id'])
    .where('ticket_id', 'in', ticketIds)
    .execute();
  for (const r of rows) map.set(r.ticket_id, [...(map.get(r.ticket_id) ?? []), r.asset_id]);
  return map;
}

export async function ticketsOfAsset(ctx: DbCtx, assetId: string, limit: number): Promise<TicketTable[]> {
  return ctx.db
    .selectFrom('ticket')
    .selectAll()
    .where('id', 'in', ctx.db.selectFrom('ticket_asset').select('ticket_id').where('asset_id', '=', assetId))
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

export async function insertEvent(ctx: DbCtx, row: TicketEventTable): Promise<void> {
  await ctx.db.insertInto('ticket_event').values(row).execute();
}

export async function listEvents(
  ctx: DbCtx,
  ticketId: string,
  f: { publicOnly: boolean; after?: [string, string] | undefined; limit: number },
): Promise<TicketEventTable[]> {
  let q = ctx.db.selectFrom('ticket_event').selectAll().where('ticket_id', '=', ticketId);
  if (f.publicOnly) q = q.where('public', '=', ctx.dialect.bool(true));
  if (f.after) q = q.where(keysetAfter('at', 'id', f.after, 'asc'));
  return q.orderBy('at').orderBy('id').limit(f.limit).execute();
}

export async function insertTask(ctx: DbCtx, row: TicketTaskTable): Promise<void> {
  await ctx.db.insertInto('ticket_task').values(row).execute();
}

export async function findTask(ctx: DbCtx, id: string): Promise<TicketTaskTable | undefined> {
  return ctx.db.selectFrom('ticket_task').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listTasks(ctx: DbCtx, ticketId: string): Promise<TicketTaskTable[]> {
  return ctx.db
    .selectFrom('ticket_task')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function updateTask(
  ctx: DbCtx,
  id: string,
  version: number,
  set: Partial<Omit<TicketTaskTable, 'id' | 'version' | 'ticket_id'>>,
): Promise<boolean> {
  const r = await ctx.db
    .updateTable('ticket_task')
    .set({ ...set, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteTask(ctx: DbCtx, id: string): Promise<void> {
  await ctx.db.deleteFrom('ticket_task').where('id', '=', id).execute();
}
