import { uuidv7 } from 'uuidv7';
import { type Action, can, orgsWhere } from '../../../shared/policy.js';
import type { SEARCH_SCOPES, TSavedSearch } from '../../../shared/schemas/searches.js';
import { type Ctx, inTransaction, requireActor } from '../../context.js';
import { whereOrg } from '../../db/scope.js';
import { fromJson, toBool, toJson } from '../../db/values.js';
import { AppError, forbidden, notFound, preconditionFailed } from '../../http/errors.js';
import { recordAudit } from '../audit/index.js';
import type { SavedSearchTable } from './searches.tables.js';

type Scope = (typeof SEARCH_SCOPES)[number];

/** The permission a list needs: a search on it is only useful to those who may read the list. */
const READ_ACTION: Record<Scope, Action> = { assets: 'asset.read' };

function toSearch(row: SavedSearchTable, userId: string): TSavedSearch {
  return {
    id: row.id,
    scope: row.scope as Scope,
    name: row.name,
    query: fromJson<Record<string, string>>(row.query) ?? {},
    shared: toBool(row.shared),
    orgId: row.org_id,
    mine: row.user_id === userId,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

/** The caller's own searches for a list, then those shared with an organisation they can read it in. */
export async function listSavedSearches(ctx: Ctx, scope: Scope): Promise<TSavedSearch[]> {
  const actor = requireActor(ctx);
  if (!can(actor, READ_ACTION[scope])) throw forbidden();
  let shared = ctx.db
    .selectFrom('saved_search')
    .selectAll()
    .where('scope', '=', scope)
    .where('shared', '=', ctx.dialect.bool(true))
    .where('user_id', '!=', actor.userId);
  shared = whereOrg(shared, 'org_id', orgsWhere(actor, READ_ACTION[scope]));
  const own = await ctx.db
    .selectFrom('saved_search')
    .selectAll()
    .where('scope', '=', scope)
    .where('user_id', '=', actor.userId)
    .orderBy('name')
    .limit(200)
    .execute();
  const others = await shared.orderBy('name').limit(200).execute();
  return [...own, ...others].map((r) => toSearch(r, actor.userId));
}

/** A user's searches of one list have distinct names (compared without case), so a menu tells them apart. */
async function assertNameFree(ctx: Ctx, scope: Scope, name: string, selfId: string | null): Promise<void> {
  const actor = requireActor(ctx);
  const rows = await ctx.db
    .selectFrom('saved_search')
    .select(['id', 'name'])
    .where('scope', '=', scope)
    .where('user_id', '=', actor.userId)
    .execute();
  const folded = name.trim().toLocaleLowerCase();
  if (rows.some((r) => r.id !== selfId && r.name.trim().toLocaleLowerCase() === folded)) {
    throw new AppError('conflict.duplicate', 409, { field: 'name' }, {}, [
      { path: 'name', code: 'duplicate' },
    ]);
  }
}

export async function createSavedSearch(
  ctx: Ctx,
  input: { scope: Scope; name: string; query: Record<string, string>; shared: boolean; orgId: string | null },
): Promise<TSavedSearch> {
  const actor = requireActor(ctx);
  const action = READ_ACTION[input.scope];
  if (!can(actor, action)) throw forbidden();
  if (input.orgId && !can(actor, action, { orgId: input.orgId })) throw notFound('org');
  return inTransaction(ctx, async (tx) => {
    await assertNameFree(tx, input.scope, input.name, null);
    const now = tx.now.toISOString();
    const row: SavedSearchTable = {
      id: uuidv7(),
      user_id: actor.userId,
      org_id: input.orgId,
      scope: input.scope,
      name: input.name,
      query: toJson(input.query),
      shared: input.shared,
      created_at: now,
      updated_at: now,
      version: 1,
    };
    await tx.db.insertInto('saved_search').values(row).execute();
    const search = toSearch(row, actor.userId);
    await recordAudit(tx, {
      orgId: input.orgId,
      action: 'search.saved',
      entityType: 'saved_search',
      entityId: row.id,
      after: search,
    });
    return search;
  });
}

async function ownSearch(ctx: Ctx, id: string): Promise<SavedSearchTable> {
  const actor = requireActor(ctx);
  const row = await ctx.db.selectFrom('saved_search').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || row.user_id !== actor.userId) throw notFound('search');
  return row;
}

export async function updateSavedSearch(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  patch: {
    name?: string | undefined;
    query?: Record<string, string> | undefined;
    shared?: boolean | undefined;
  },
): Promise<TSavedSearch> {
  const actor = requireActor(ctx);
  return inTransaction(ctx, async (tx) => {
    const row = await ownSearch(tx, id);
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    if (patch.shared && !row.org_id) throw notFound('org');
    if (patch.name !== undefined) await assertNameFree(tx, row.scope as Scope, patch.name, row.id);
    const set = {
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.query !== undefined && { query: toJson(patch.query) }),
      ...(patch.shared !== undefined && { shared: patch.shared }),
      updated_at: tx.now.toISOString(),
      version: row.version + 1,
    };
    const r = await tx.db
      .updateTable('saved_search')
      .set(set)
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw preconditionFailed(row.version);
    const after = toSearch({ ...row, ...set }, actor.userId);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'search.updated',
      entityType: 'saved_search',
      entityId: id,
      before: toSearch(row, actor.userId),
      after,
    });
    return after;
  });
}

export async function deleteSavedSearch(ctx: Ctx, id: string): Promise<void> {
  const actor = requireActor(ctx);
  await inTransaction(ctx, async (tx) => {
    const row = await ownSearch(tx, id);
    await tx.db.deleteFrom('saved_search').where('id', '=', id).execute();
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'search.deleted',
      entityType: 'saved_search',
      entityId: id,
      before: toSearch(row, actor.userId),
    });
  });
}
