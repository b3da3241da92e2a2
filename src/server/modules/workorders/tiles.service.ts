import { can, orgsWhere } from '../../../shared/policy.js';
import type { Ctx } from '../../context.js';
import { actorOf, assertAllowed } from './access.js';
import * as repo from './workorders.repo.js';

type Line = { id: string; reference: string; title: string; at: string | null; latestDate: string | null };
const line = (r: {
  id: string;
  reference: string;
  title: string;
  scheduled_start: string | null;
  latest_date: string | null;
}): Line => ({
  id: r.id,
  reference: r.reference,
  title: r.title,
  at: r.scheduled_start,
  latestDate: r.latest_date,
});

/** Open work orders of an organisation whose window closed before `today` (a day in its time zone). */
export async function lateSummary(
  ctx: Ctx,
  orgId: string,
  today: string,
): Promise<{ count: number; first: Line[] }> {
  assertAllowed(actorOf(ctx), 'workorder.read', orgId, 'org');
  const f = await repo.countLate(ctx, [orgId], today);
  return { count: f.count, first: f.first.map(line) };
}

/** The caller's work orders scheduled within [start, end) (their day), in the organisations they see. */
export async function todaysWorkOrders(ctx: Ctx, start: Date, end: Date): Promise<Line[]> {
  const actor = actorOf(ctx);
  const scope = orgsWhere(actor, 'workorder.read');
  const rows = await repo.scheduledFor(ctx, actor.userId, start.toISOString(), end.toISOString());
  return rows.filter((r) => scope === 'all' || scope.includes(r.org_id)).map(line);
}

/**
 * The interventions of the periodic report: work orders done or failed within [from, to), by kind.
 * Undefined when the caller may not read the organisation's work orders.
 */
export async function interventionFigures(
  ctx: Ctx,
  orgId: string,
  from: Date,
  to: Date,
): Promise<{ done: number; failed: number; doneByKind: Array<{ key: string; count: number }> } | undefined> {
  if (!can(actorOf(ctx), 'workorder.read', { orgId })) return undefined;
  const rows = await repo.countClosed(ctx, orgId, from.toISOString(), to.toISOString());
  const sum = (status: string) => rows.filter((r) => r.status === status).reduce((s, r) => s + r.n, 0);
  return {
    done: sum('done'),
    failed: sum('failed'),
    doneByKind: rows.filter((r) => r.status === 'done').map((r) => ({ key: r.kind, count: r.n })),
  };
}
