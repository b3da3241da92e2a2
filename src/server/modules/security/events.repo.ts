/** Every statement on the stored security events, their counters and the id blocks. */
import { sql } from 'kysely';
import type { Ctx } from '../../context.js';
import { inChunks } from '../../db/batch.js';
import { type OrgScope, whereOrg } from '../../db/scope.js';
import type { SecurityEventTable } from './security.tables.js';

type DbCtx = Pick<Ctx, 'db' | 'dialect'>;

/** Reserves `count` consecutive event ids; returns the first. One statement, safe across instances. */
export async function reserveIds(ctx: DbCtx, count: number): Promise<number> {
  const row = await ctx.db
    .updateTable('security_id_block')
    .set({ next_id: sql`next_id + ${count}` })
    .where('name', '=', 'event')
    .returning('next_id')
    .executeTakeFirstOrThrow();
  return Number(row.next_id) - count;
}

export async function insertEvents(ctx: DbCtx, rows: SecurityEventTable[]): Promise<void> {
  await inChunks(rows, (chunk) => ctx.db.insertInto('security_event').values(chunk).execute());
}

/** Adds to the per-source counters (received, stored, rejected:<reason>, dropped:<reason>). */
export async function addCounters(
  ctx: DbCtx,
  rows: Array<{ source_id: string; name: string; count: number }>,
): Promise<void> {
  await inChunks(rows, (chunk) =>
    ctx.db
      .insertInto('security_source_counter')
      .values(chunk)
      .onConflict((oc) =>
        oc
          .columns(['source_id', 'name'])
          .doUpdateSet({ count: sql`security_source_counter.count + excluded.count` }),
      )
      .execute(),
  );
}

export async function touchSources(ctx: DbCtx, ids: string[], at: string): Promise<void> {
  if (ids.length)
    await ctx.db.updateTable('security_source').set({ last_seen_at: at }).where('id', 'in', ids).execute();
}

export async function countersOf(ctx: DbCtx, sourceIds: string[]) {
  if (!sourceIds.length) return [];
  return ctx.db
    .selectFrom('security_source_counter')
    .selectAll()
    .where('source_id', 'in', sourceIds)
    .execute();
}

/** Copies the given events as an incident's evidence (they outlive the events' retention). */
export async function copyEvidence(ctx: DbCtx, incidentId: string, orgId: string, eventIds: number[]) {
  for (let i = 0; i < eventIds.length; i += 500) {
    const ids = eventIds.slice(i, i + 500);
    await sql`
      INSERT INTO security_incident_event (incident_id, event_id, time, host, user_name, src_ip, action, outcome, raw)
      SELECT ${incidentId}, id, time, host, user_name, src_ip, action, outcome, raw FROM security_event
      WHERE org_id = ${orgId} AND id IN (${sql.join(ids)})
      ON CONFLICT DO NOTHING`.execute(ctx.db);
  }
}

export type EventFilter = {
  scope: OrgScope;
  orgId?: string;
  from?: string;
  to?: string;
  host?: string;
  user?: string;
  srcIp?: string;
  program?: string;
  action?: string;
  outcome?: string;
  text?: string;
};

function filtered(ctx: DbCtx, f: EventFilter) {
  let q = whereOrg(ctx.db.selectFrom('security_event'), 'security_event.org_id', f.scope);
  if (f.orgId) q = q.where('org_id', '=', f.orgId);
  if (f.from) q = q.where('time', '>=', f.from);
  if (f.to) q = q.where('time', '<', f.to);
  if (f.host) q = q.where('host', '=', f.host);
  if (f.user) q = q.where('user_name', '=', f.user);
  if (f.srcIp) q = q.where('src_ip', '=', f.srcIp);
  if (f.program) q = q.where('program', '=', f.program);
  if (f.action) q = q.where('action', '=', f.action);
  if (f.outcome) q = q.where('outcome', '=', f.outcome);
  if (f.text) q = q.where(ctx.dialect.containsInsensitive(sql.ref('raw'), f.text));
  return q;
}

/** Newest first, keyset on (time, id). */
export async function listEvents(
  ctx: DbCtx,
  f: EventFilter & { after?: [string, number]; limit: number },
): Promise<SecurityEventTable[]> {
  let q = filtered(ctx, f).selectAll();
  if (f.after) q = q.where(sql`(time, id)`, '<', sql`(${f.after[0]}, ${f.after[1]})`);
  return q.orderBy('time', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
}

/**
 * Events per bucket: `bounds` are the buckets' start times (ISO) plus the end of the last; one
 * statement with a CASE over the bounds (the same SQL on both databases).
 */
export async function histogram(ctx: DbCtx, f: EventFilter, bounds: string[]): Promise<number[]> {
  const counts = new Array<number>(bounds.length - 1).fill(0);
  if (bounds.length < 2) return counts;
  const whens = bounds.slice(1).map((b, i) => sql`WHEN time < ${b} THEN ${sql.lit(i)}`);
  const rows = await filtered(ctx, { ...f, from: bounds[0], to: bounds[bounds.length - 1] })
    .select([sql<number>`CASE ${sql.join(whens, sql` `)} END`.as('bucket'), sql<number>`count(*)`.as('n')])
    .groupBy('bucket')
    .execute();
  for (const r of rows) if (r.bucket !== null) counts[Number(r.bucket)] = Number(r.n);
  return counts;
}

/** Deletes up to `limit` events of `orgId` older than `before`; returns how many. */
export async function deleteEventsBefore(ctx: DbCtx, orgId: string, before: string, limit: number) {
  const ids = await ctx.db
    .selectFrom('security_event')
    .select('id')
    .where('org_id', '=', orgId)
    .where('time', '<', before)
    .orderBy('time')
    .limit(limit)
    .execute();
  if (!ids.length) return 0;
  const r = await ctx.db
    .deleteFrom('security_event')
    .where(
      'id',
      'in',
      ids.map((x) => x.id),
    )
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
