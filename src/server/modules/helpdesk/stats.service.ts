import { can, orgsWhere } from '../../../shared/policy.js';
import type { TTicketFigures } from '../../../shared/schemas/reports.js';
import { type Ctx, requireActor } from '../../context.js';
import { forbidden, notFound } from '../../http/errors.js';
import { groupIdsOfUser } from '../orgs/index.js';
import { categoryById } from './settings.service.js';
import * as stats from './stats.repo.js';

/**
 * Ticket statistics for the reports and dashboards: SQL aggregates over the helpdesk's own tables
 * (no other module reads them). Definitions, written once here and in docs/architecture.md:
 * - volumes: tickets created in [from, to), duplicates merged into another included (the list shows them);
 * - resolved, times, satisfaction, first contact: tickets resolved in [from, to), merged duplicates left
 *   out; time to own over the tickets owned in the period; times are the stored business minutes;
 * - SLA compliance: the deadlines (to own, to resolve) that fell in [from, min(to, now)), met when the
 *   ticket was owned / resolved by then; merged duplicates left out;
 * - backlog at an instant: created before it and not resolved by then;
 * - first contact: see `firstContactResolutions`.
 */
export type FiguresQuery = {
  orgId: string;
  from: Date;
  to: Date;
  /** Trend buckets: ascending instants from `from` to `to` included (day or week starts). */
  trend: { unit: 'day' | 'week'; bounds: Date[] };
  topLimit?: number;
};

function checkRead(ctx: Ctx, orgId: string): void {
  const actor = requireActor(ctx);
  if (!can(actor, 'org.read', { orgId })) throw notFound('org');
  if (!can(actor, 'ticket.read', { orgId })) throw forbidden();
}

const round1 = (v: number) => Math.round(v * 10) / 10;
const percent = (part: number, whole: number) => (whole === 0 ? null : round1((100 * part) / whole));

/** Sums `rows` by `key`, largest first (ties by key). */
function countBy<R extends { n: number }>(rows: R[], key: (r: R) => string | number | null) {
  const map = new Map<string | null, number>();
  for (const r of rows) {
    const k = key(r);
    const s = k === null ? null : String(k);
    map.set(s, (map.get(s) ?? 0) + r.n);
  }
  return [...map.entries()]
    .map(([k, count]) => ({ key: k, count }))
    .sort((a, b) => b.count - a.count || String(a.key).localeCompare(String(b.key)));
}

/** Every figure of the incident report for one organisation and period. The caller may read its tickets. */
export async function ticketFigures(ctx: Ctx, q: FiguresQuery): Promise<TTicketFigures> {
  checkRead(ctx, q.orgId);
  const from = q.from.toISOString();
  const to = q.to.toISOString();
  const now = ctx.now.toISOString();
  const r: stats.StatsRange = { orgId: q.orgId, from, to, until: stats.earlier(to, now) };
  const limit = q.topLimit ?? 10;

  const starts = q.trend.bounds.slice(0, -1).map((d) => d.toISOString());
  // Independent statements run together: on PostgreSQL each takes a connection of the pool.
  const [created, resolvedRows, owned, backlog, topAssets, slaOwn, slaResolve] = await Promise.all([
    stats.createdGroups(ctx, r, starts),
    stats.resolvedGroups(ctx, r, starts),
    stats.ownedTimes(ctx, r),
    stats.backlogAt(ctx, q.orgId, [stats.earlier(from, now), r.until]),
    stats.topAssets(ctx, r, limit),
    stats.slaCompliance(ctx, r, 'own'),
    stats.slaCompliance(ctx, r, 'resolve'),
  ]);
  const [backlogStart, backlogEnd] = backlog;
  const resolved = countBy(resolvedRows, (x) => x.satisfaction).map((x) => ({
    satisfaction: x.key === null ? null : Number(x.key),
    n: x.count,
  }));
  const resolvedCount = resolvedRows.reduce((a, x) => a + x.n, 0);
  const resolveTimed = resolvedRows.reduce((a, x) => a + x.timed, 0);
  const resolveSum = resolvedRows.reduce((a, x) => a + x.minutes, 0);
  const rated = resolved.filter((x) => x.satisfaction !== null);
  const ratedCount = rated.reduce((a, x) => a + x.n, 0);
  const [fcr, ownMedian, resolveMedian] = await Promise.all([
    firstContact(ctx, r, resolvedCount),
    stats.medianMinutes(ctx, r, 'own', owned.timed),
    stats.medianMinutes(ctx, r, 'resolve', resolveTimed),
  ]);
  const recurring = countBy(
    created.filter((x) => x.recurring),
    (x) => x.category_id,
  );
  const buckets = starts.map(() => ({ created: 0, resolved: 0 }));
  for (const x of created) buckets[x.b]!.created += x.n;
  for (const x of resolvedRows) buckets[x.b]!.resolved += x.n;
  return {
    from,
    to,
    created: created.reduce((a, x) => a + x.n, 0),
    resolved: resolvedCount,
    byKind: countBy(created, (x) => x.kind),
    byTypology: countBy(created, (x) => x.typology),
    byCategory: countBy(created, (x) => x.category_id),
    byPriority: countBy(created, (x) => x.priority).sort((a, b) => Number(a.key) - Number(b.key)),
    byLocation: countBy(created, (x) => x.location_id),
    timeToOwn: {
      count: owned.timed,
      mean: owned.timed === 0 ? null : round1(owned.minutes / owned.timed),
      median: ownMedian,
    },
    timeToResolve: {
      count: resolveTimed,
      mean: resolveTimed === 0 ? null : round1(resolveSum / resolveTimed),
      median: resolveMedian,
    },
    slaOwn: withPercent(slaOwn),
    slaResolve: withPercent(slaResolve),
    firstContact: { resolved: resolvedCount, count: fcr, percent: percent(fcr, resolvedCount) },
    backlogStart: backlogStart ?? 0,
    backlogEnd: backlogEnd ?? 0,
    topAssets,
    topProblems: recurring.slice(0, limit),
    recurring: recurring.reduce((a, x) => a + x.count, 0),
    satisfaction: {
      count: ratedCount,
      mean:
        ratedCount === 0 ? null : round1(rated.reduce((a, x) => a + x.n * x.satisfaction!, 0) / ratedCount),
      distribution: [1, 2, 3, 4, 5].map((v) => rated.find((x) => x.satisfaction === v)?.n ?? 0),
    },
    trend: {
      unit: q.trend.unit,
      buckets: buckets.map((b, i) => ({ start: q.trend.bounds[i]!.toISOString(), ...b })),
    },
  };
}

/** Tickets per first-contact statement (see below). */
const FCR_SLICE = 4000;

/**
 * First-contact resolutions, counted over slices of the period holding about FCR_SLICE resolved
 * tickets each: the statement probes each ticket's story, and over a whole month PostgreSQL's estimate
 * passes jit_above_cost, where compiling the plan costs more than running it (0.7 s of 1 s here).
 */
async function firstContact(ctx: Ctx, r: stats.StatsRange, resolved: number): Promise<number> {
  const slices = Math.max(1, Math.ceil(resolved / FCR_SLICE));
  const start = Date.parse(r.from);
  const span = Date.parse(r.to) - start;
  const at = (i: number) =>
    i === slices ? r.to : new Date(start + Math.floor((span * i) / slices)).toISOString();
  let count = 0;
  for (let i = 0; i < slices; i++)
    count += await stats.firstContactResolutions(ctx, { ...r, from: at(i), to: at(i + 1) });
  return count;
}

function withPercent(c: { due: number; met: number }) {
  return { ...c, percent: percent(c.met, c.due) };
}

/** Open tickets of the organisation at each instant (the backlog trend). */
export async function backlogSeries(ctx: Ctx, orgId: string, at: Date[]): Promise<number[]> {
  checkRead(ctx, orgId);
  return stats.backlogAt(
    ctx,
    orgId,
    at.map((d) => d.toISOString()),
  );
}

/** SLA compliance alone (to own, to resolve) over [from, to): the supervisor's tile. */
export async function slaFigures(ctx: Ctx, orgId: string, from: Date, to: Date) {
  checkRead(ctx, orgId);
  const now = ctx.now.toISOString();
  const r = {
    orgId,
    from: from.toISOString(),
    to: to.toISOString(),
    until: stats.earlier(to.toISOString(), now),
  };
  return {
    own: withPercent(await stats.slaCompliance(ctx, r, 'own')),
    resolve: withPercent(await stats.slaCompliance(ctx, r, 'resolve')),
  };
}

/** Volumes of tickets created over [from, to) by category and by location. */
export async function volumeFigures(ctx: Ctx, orgId: string, from: Date, to: Date) {
  checkRead(ctx, orgId);
  const r = { orgId, from: from.toISOString(), to: to.toISOString(), until: to.toISOString() };
  const created = await stats.createdGroups(ctx, r);
  return {
    created: created.reduce((a, x) => a + x.n, 0),
    byCategory: countBy(created, (x) => x.category_id),
    byLocation: countBy(created, (x) => x.location_id),
  };
}

export type TicketLine = {
  id: string;
  reference: string;
  title: string;
  at: string | null;
  priority: number;
};

const line = (at: 'resolve_due_at' | 'planned_at' | 'created_at') => (row: stats.Line) => ({
  id: row.id,
  reference: row.reference,
  title: row.title,
  at: row[at] ?? null,
  priority: row.priority,
});

/** The organisation's open tickets now, and the oldest of them. */
export async function openFigures(ctx: Ctx, orgId: string, limit = 5) {
  checkRead(ctx, orgId);
  return {
    open: await stats.openCount(ctx, orgId),
    oldest: (await stats.oldestOpen(ctx, orgId, limit)).map(line('created_at')),
  };
}

/**
 * The caller's queue (open tickets assigned to them or their groups, in the organisations where they
 * work tickets): counts, the next due, those at risk of breaching, the recurring ones, and the
 * interventions they planned in [dayStart, dayEnd).
 */
export async function myQueueFigures(ctx: Ctx, day: { start: Date; end: Date }, limit = 5) {
  const actor = requireActor(ctx);
  if (!can(actor, 'ticket.manage')) throw forbidden();
  const owner: stats.QueueOwner = {
    userId: actor.userId,
    groupIds: await groupIdsOfUser(ctx, actor.userId),
    orgIds: orgsWhere(actor, 'ticket.manage'),
  };
  const now = ctx.now.toISOString();
  const counts = await stats.queueCounts(ctx, owner, now);
  return {
    ...counts,
    next: (await stats.queueLines(ctx, owner, { now, limit })).map(line('resolve_due_at')),
    atRiskLines: (await stats.queueLines(ctx, owner, { now, only: 'at_risk', limit })).map(
      line('resolve_due_at'),
    ),
    recurringLines: (await stats.queueLines(ctx, owner, { now, only: 'recurring', limit })).map(
      line('resolve_due_at'),
    ),
    planned: (
      await stats.plannedLines(ctx, actor.userId, day.start.toISOString(), day.end.toISOString(), limit)
    ).map(line('planned_at')),
  };
}

/** Names of categories by id (built-in or any organisation's, active or not), for labels. */
export async function categoryNames(
  ctx: Ctx,
  ids: Array<string | null>,
): Promise<Map<string, { fr: string; en: string }>> {
  const out = new Map<string, { fr: string; en: string }>();
  for (const id of new Set(ids)) {
    if (!id) continue;
    const row = await categoryById(ctx, id);
    if (row) out.set(id, { fr: row.name_fr, en: row.name_en });
  }
  return out;
}
