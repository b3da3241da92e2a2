import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Ctx } from '../../context.js';
import type { TicketTable } from './helpdesk.tables.js';

type DbCtx = Pick<Ctx, 'db' | 'dialect'>;

/** The earlier of two ISO instants (strings compare in time order). */
export const earlier = (a: string, b: string): string => [a, b].sort()[0]!;

/** One organisation over [from, to); `until` is min(to, now): deadlines after it are not due yet. */
export type StatsRange = { orgId: string; from: string; to: string; until: string };

const n = (v: unknown): number => Number(v ?? 0);

/**
 * The bucket index of `column` among ascending `bounds` (bucket i: [bounds[i], bounds[i+1]), the last
 * one open-ended): a balanced tree of CASEs, so a row costs log2(buckets) comparisons, not one per bucket.
 */
function bucketOf(column: string, bounds: string[]): RawBuilder<number> {
  const tree = (lo: number, hi: number): RawBuilder<number> => {
    // Buckets lo..hi; bucket k starts at bounds[k].
    if (lo === hi) return sql<number>`${sql.lit(lo)}`;
    const mid = Math.ceil((lo + hi) / 2);
    return sql<number>`CASE WHEN ${sql.ref(column)} < ${bounds[mid]!} THEN ${tree(lo, mid - 1)} ELSE ${tree(mid, hi)} END`;
  };
  return bounds.length <= 1 ? sql<number>`0` : tree(0, bounds.length - 1);
}

/**
 * Tickets created in the range, counted by every dimension the report splits them by (and by trend
 * bucket of `starts`, and recurring flag), in one pass.
 */
export async function createdGroups(ctx: DbCtx, r: StatsRange, starts: string[] = []) {
  const rows = await ctx.db
    .selectFrom('ticket')
    .select(['kind', 'typology', 'category_id', 'priority', 'location_id', 'recurring'])
    .select((eb) => [bucketOf('created_at', starts).as('b'), eb.fn.countAll().as('n')])
    .where('org_id', '=', r.orgId)
    .where('created_at', '>=', r.from)
    .where('created_at', '<', r.to)
    .groupBy(['kind', 'typology', 'category_id', 'priority', 'location_id', 'recurring', 'b'])
    .execute();
  return rows.map((row) => ({
    ...row,
    recurring: row.recurring === true || row.recurring === 1,
    b: n(row.b),
    n: n(row.n),
  }));
}

/**
 * Tickets resolved in the range (duplicates merged into another left out), by satisfaction rating and
 * trend bucket: the resolution count and times, the ratings and the trend, in one pass over an index.
 */
export async function resolvedGroups(ctx: DbCtx, r: StatsRange, starts: string[] = []) {
  const rows = await ctx.db
    .selectFrom('ticket')
    .select('satisfaction')
    .select((eb) => [
      bucketOf('resolved_at', starts).as('b'),
      eb.fn.countAll().as('n'),
      eb.fn.count('resolve_minutes').as('timed'),
      eb.fn.sum<number | string | null>('resolve_minutes').as('minutes'),
    ])
    .where('org_id', '=', r.orgId)
    .where('resolved_at', '>=', r.from)
    .where('resolved_at', '<', r.to)
    .where('merged_into_id', 'is', null)
    .groupBy(['satisfaction', 'b'])
    .execute();
  return rows.map((row) => ({
    satisfaction: row.satisfaction,
    b: n(row.b),
    n: n(row.n),
    timed: n(row.timed),
    minutes: n(row.minutes),
  }));
}

/** Tickets owned in the range: how many have a time to own, and its sum. */
export async function ownedTimes(ctx: DbCtx, r: StatsRange) {
  const row = await ctx.db
    .selectFrom('ticket')
    .select((eb) => [
      eb.fn.count('own_minutes').as('timed'),
      eb.fn.sum<number | string | null>('own_minutes').as('minutes'),
    ])
    .where('org_id', '=', r.orgId)
    .where('owned_at', '>=', r.from)
    .where('owned_at', '<', r.to)
    .where('merged_into_id', 'is', null)
    .executeTakeFirstOrThrow();
  return { timed: n(row.timed), minutes: n(row.minutes) };
}

/**
 * The median of a time over `count` tickets: the middle row (or the mean of the two middle rows) of
 * the sorted values. Both databases read it the same way; SQLite has no percentile function.
 */
export async function medianMinutes(
  ctx: DbCtx,
  r: StatsRange,
  which: 'own' | 'resolve',
  count: number,
): Promise<number | null> {
  if (count === 0) return null;
  const minutes = which === 'own' ? 'own_minutes' : 'resolve_minutes';
  const at = which === 'own' ? 'owned_at' : 'resolved_at';
  const rows = await ctx.db
    .selectFrom('ticket')
    .select(minutes)
    .where('org_id', '=', r.orgId)
    .where(at, '>=', r.from)
    .where(at, '<', r.to)
    .where(minutes, 'is not', null)
    .where('merged_into_id', 'is', null)
    .orderBy(minutes)
    .limit(count % 2 === 0 ? 2 : 1)
    .offset(count % 2 === 0 ? count / 2 - 1 : (count - 1) / 2)
    .execute();
  const values = rows.map((row) => Number(row[minutes as keyof typeof row]));
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Deadlines (to own or to resolve) that fell in [from, until), and how many were met. */
export async function slaCompliance(ctx: DbCtx, r: StatsRange, which: 'own' | 'resolve') {
  const due = which === 'own' ? 'own_due_at' : 'resolve_due_at';
  const done = which === 'own' ? 'owned_at' : 'resolved_at';
  if (r.until <= r.from) return { due: 0, met: 0 };
  const row = await ctx.db
    .selectFrom('ticket')
    .select((eb) => [
      eb.fn.countAll().as('due'),
      eb.fn
        .sum<number | string | null>(
          sql`CASE WHEN ${sql.ref(done)} IS NOT NULL AND ${sql.ref(done)} <= ${sql.ref(due)} THEN 1 ELSE 0 END`,
        )
        .as('met'),
    ])
    .where('org_id', '=', r.orgId)
    .where(due, '>=', r.from)
    .where(due, '<', r.until)
    .where('merged_into_id', 'is', null)
    .executeTakeFirstOrThrow();
  return { due: n(row.due), met: n(row.met) };
}

/**
 * First-contact resolutions among the tickets resolved in the range (merged duplicates left out):
 * never reopened, never escalated (no escalation, no SLA breach that handed it to the escalation
 * group), and whose creation and assignments named one group at most. The event data is JSON on both databases;
 * `->>` reads a key the same way in SQLite (3.38+) and PostgreSQL.
 */
export async function firstContactResolutions(ctx: DbCtx, r: StatsRange): Promise<number> {
  const row = await ctx.db
    .selectFrom('ticket as t')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('t.org_id', '=', r.orgId)
    .where('t.resolved_at', '>=', r.from)
    .where('t.resolved_at', '<', r.to)
    .where('t.merged_into_id', 'is', null)
    // One probe of the ticket's story: anything that disqualifies it, and the groups it was assigned to.
    .where(
      sql<SqlBool>`(SELECT CASE WHEN SUM(CASE WHEN e.kind IN ('escalation', 'reopened') OR (e.kind = 'sla' AND e.data ->> 'escalatedTo' IS NOT NULL) THEN 1 ELSE 0 END) > 0 OR COUNT(DISTINCT CASE WHEN e.kind IN ('created', 'assignment') THEN e.data ->> 'groupId' END) > 1 THEN 0 ELSE 1 END FROM ticket_event e WHERE e.ticket_id = t.id) = 1`,
    )
    .executeTakeFirstOrThrow();
  return n(row.n);
}

/**
 * Open tickets at each instant of `at` (none after now): created before it and not resolved by then.
 * Read from now backwards, which touches only what happened since the first instant:
 * open(T) = open now − created in [T, now) + resolved in [T, now), every count answered from an index
 * alone (open tickets by creation, tickets by creation, tickets by resolution).
 */
export async function backlogAt(ctx: DbCtx, orgId: string, at: string[]): Promise<number[]> {
  if (at.length === 0) return [];
  const sorted = [...new Set(at)].sort();
  const since = async (column: 'created_at' | 'resolved_at') => {
    const rows = await ctx.db
      .selectFrom('ticket')
      .select((eb) => [bucketOf(column, sorted).as('b'), eb.fn.countAll().as('n')])
      .where('org_id', '=', orgId)
      .where(column, '>=', sorted[0]!)
      .groupBy('b')
      .execute();
    // Per instant: how many happened at or after it (the buckets after it, summed).
    const counts = sorted.map(() => 0);
    for (const row of rows) counts[n(row.b)] = n(row.n);
    for (let i = counts.length - 2; i >= 0; i--) counts[i]! += counts[i + 1]!;
    return counts;
  };
  const open = await openCount(ctx, orgId);
  const created = await since('created_at');
  const resolved = await since('resolved_at');
  const byInstant = new Map(sorted.map((instant, i) => [instant, open - created[i]! + resolved[i]!]));
  return at.map((instant) => byInstant.get(instant)!);
}

/** The assets with the most tickets created in the range. */
export async function topAssets(ctx: DbCtx, r: StatsRange, limit: number) {
  const rows = await ctx.db
    .selectFrom('ticket_asset as ta')
    .innerJoin('ticket as t', 't.id', 'ta.ticket_id')
    .select('ta.asset_id')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('t.org_id', '=', r.orgId)
    .where('t.created_at', '>=', r.from)
    .where('t.created_at', '<', r.to)
    .groupBy('ta.asset_id')
    .orderBy('n', 'desc')
    .orderBy('ta.asset_id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ key: row.asset_id, count: n(row.n) }));
}

// --- the dashboards --------------------------------------------------------------------------------

export type QueueOwner = { userId: string; groupIds: string[]; orgIds: 'all' | readonly string[] };

/**
 * The two sides of a technician's queue, each answered from its partial index of open tickets (an OR
 * of the two would scan every open ticket): assigned to them, and held by one of their groups but not
 * assigned to them (those are on the first side).
 */
function queueSides(ctx: DbCtx, q: QueueOwner) {
  const base = () => {
    const qb = ctx.db.selectFrom('ticket').where('is_open', '=', ctx.dialect.bool(true));
    if (q.orgIds === 'all') return qb;
    return q.orgIds.length === 0
      ? qb.where(sql<SqlBool>`1 = 0`)
      : qb.where('org_id', 'in', q.orgIds as string[]);
  };
  const mine = base().where('assignee_id', '=', q.userId);
  const groups =
    q.groupIds.length === 0
      ? null
      : base()
          .where('group_id', 'in', q.groupIds)
          .where((eb) => eb.or([eb('assignee_id', 'is', null), eb('assignee_id', '<>', q.userId)]));
  return groups ? [mine, groups] : [mine];
}

/**
 * How many tickets the queue holds, how many are at risk (their warning time has come: warned, or
 * past their deadline, since the warning precedes it) and how many are recurring; from the partial
 * indexes of open tickets by assignee and by group that hold those columns.
 */
export async function queueCounts(ctx: DbCtx, q: QueueOwner, now: string) {
  const out = { total: 0, atRisk: 0, recurring: 0 };
  for (const side of queueSides(ctx, q)) {
    const row = await side
      .select((eb) => [
        eb.fn.countAll().as('total'),
        eb.fn.sum<number | string | null>(sql`CASE WHEN warn_at <= ${now} THEN 1 ELSE 0 END`).as('at_risk'),
        eb.fn
          .sum<number | string | null>(sql`CASE WHEN recurring = ${ctx.dialect.bool(true)} THEN 1 ELSE 0 END`)
          .as('recurring'),
      ])
      .executeTakeFirstOrThrow();
    out.total += n(row.total);
    out.atRisk += n(row.at_risk);
    out.recurring += n(row.recurring);
  }
  return out;
}

export type Line = Pick<
  TicketTable,
  'id' | 'reference' | 'title' | 'priority' | 'resolve_due_at' | 'planned_at' | 'created_at'
>;
const LINE = ['id', 'reference', 'title', 'priority', 'resolve_due_at', 'planned_at', 'created_at'] as const;

/** The first tickets of the queue by due time, optionally only those at risk or recurring. */
export async function queueLines(
  ctx: DbCtx,
  q: QueueOwner,
  f: { now: string; only?: 'at_risk' | 'recurring'; limit: number },
): Promise<Line[]> {
  const all: Line[] = [];
  for (const side of queueSides(ctx, q)) {
    let query = side.select(LINE);
    if (f.only === 'at_risk') {
      query = query.where('warn_at', '<=', f.now);
    }
    if (f.only === 'recurring') query = query.where('recurring', '=', ctx.dialect.bool(true));
    all.push(...((await query.orderBy('resolve_due_at').orderBy('id').limit(f.limit).execute()) as Line[]));
  }
  const key = (l: Line) => `${l.resolve_due_at}|${l.id}`;
  return all.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)).slice(0, f.limit);
}

/** A technician's open tickets with an intervention planned in [from, to). */
export async function plannedLines(ctx: DbCtx, userId: string, from: string, to: string, limit: number) {
  return ctx.db
    .selectFrom('ticket')
    .select(LINE)
    .where('is_open', '=', ctx.dialect.bool(true))
    .where('assignee_id', '=', userId)
    .where('planned_at', '>=', from)
    .where('planned_at', '<', to)
    .orderBy('planned_at')
    .limit(limit)
    .execute() as Promise<Line[]>;
}

export async function openCount(ctx: DbCtx, orgId: string): Promise<number> {
  const row = await ctx.db
    .selectFrom('ticket')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('is_open', '=', ctx.dialect.bool(true))
    .where('org_id', '=', orgId)
    .executeTakeFirstOrThrow();
  return n(row.n);
}

/** The organisation's oldest open tickets. */
export async function oldestOpen(ctx: DbCtx, orgId: string, limit: number): Promise<Line[]> {
  return ctx.db
    .selectFrom('ticket')
    .select(LINE)
    .where('is_open', '=', ctx.dialect.bool(true))
    .where('org_id', '=', orgId)
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute() as Promise<Line[]>;
}
