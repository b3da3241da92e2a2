/** The events explorer: filtered, newest first by keyset, and a histogram by time bucket. */
import { can, orgsWhere } from '../../../shared/policy.js';
import type { Page } from '../../../shared/schemas/common.js';
import type { TSecurityEvent } from '../../../shared/schemas/security.js';
import { type Ctx, requireActor } from '../../context.js';
import { AppError, forbidden } from '../../http/errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import * as repo from './events.repo.js';

export type EventQuery = {
  orgId?: string;
  from?: string;
  to?: string;
  host?: string;
  user?: string;
  srcIp?: string;
  program?: string;
  action?: string;
  outcome?: string;
  q?: string;
};

export function toEvent(e: repo.StoredEvent): TSecurityEvent {
  return {
    id: e.id,
    orgId: e.orgId,
    sourceId: e.sourceId,
    time: new Date(e.time).toISOString(),
    receivedAt: new Date(e.receivedAt).toISOString(),
    host: e.host,
    program: e.program,
    pid: e.pid,
    user: e.user,
    targetUser: e.targetUser,
    group: e.group,
    srcIp: e.srcIp,
    srcPort: e.srcPort,
    action: e.action,
    outcome: e.outcome,
    method: e.method,
    detail: e.detail,
    eventId: e.eventId,
    repeat: e.repeat,
    raw: e.raw,
  };
}

function filter(ctx: Ctx, q: EventQuery): repo.EventFilter {
  const actor = requireActor(ctx);
  if (!can(actor, 'security.read', q.orgId ? { orgId: q.orgId } : {})) throw forbidden();
  const { q: text, ...rest } = q;
  return { ...rest, text, scope: orgsWhere(actor, 'security.read') };
}

export async function listEvents(
  ctx: Ctx,
  q: EventQuery & { cursor?: string; limit: number },
): Promise<Page<TSecurityEvent>> {
  const f = filter(ctx, q);
  const after = decodeCursor(q.cursor, 2) as [string, number] | undefined;
  const rows = await repo.listEvents(ctx, { ...f, after, limit: q.limit + 1 });
  return toPage(rows, q.limit, toEvent, (r) => [new Date(r.time).toISOString(), r.id]);
}

export async function eventHistogram(
  ctx: Ctx,
  q: EventQuery & { from: string; to: string; buckets: number },
) {
  const f = filter(ctx, q);
  const from = Date.parse(q.from);
  const to = Date.parse(q.to);
  if (!(to > from))
    throw new AppError('validation.failed', 400, {}, {}, [{ path: 'to', code: 'before_from' }]);
  // Whole seconds per bucket, so bounds are exact ISO strings on both databases.
  const bucketMs = Math.max(1000, Math.ceil((to - from) / q.buckets / 1000) * 1000);
  const bounds: string[] = [];
  for (let t = from; t < to; t += bucketMs) bounds.push(new Date(t).toISOString());
  bounds.push(new Date(from + bounds.length * bucketMs).toISOString());
  const counts = await repo.histogram(ctx, f, bounds);
  return { bucketMs, buckets: counts.map((count, i) => ({ start: bounds[i]!, count })) };
}
