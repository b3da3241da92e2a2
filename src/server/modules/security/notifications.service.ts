/** The caller's in-app security notifications (newest first) and marking them read. */
import type { Page } from '../../../shared/schemas/common.js';
import { type Ctx, requireActor } from '../../context.js';
import { notFound } from '../../http/errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import type { SecurityNotificationTable } from './security.tables.js';

const shape = (r: SecurityNotificationTable) => ({
  id: r.id,
  orgId: r.org_id,
  incidentId: r.incident_id,
  kind: r.kind,
  title: r.title,
  severity: r.severity as 'low' | 'medium' | 'high' | 'critical',
  createdAt: r.created_at,
  readAt: r.read_at,
});

export async function listNotifications(
  ctx: Ctx,
  q: { unread?: 'true' | 'false'; cursor?: string; limit: number },
): Promise<Page<ReturnType<typeof shape>> & { unread: number }> {
  const actor = requireActor(ctx);
  const after = decodeCursor(q.cursor, 2) as [string, string] | undefined;
  let qb = ctx.db.selectFrom('security_notification').selectAll().where('user_id', '=', actor.userId);
  if (q.unread === 'true') qb = qb.where('read_at', 'is', null);
  if (after)
    qb = qb.where((eb) =>
      eb.or([
        eb('created_at', '<', after[0]),
        eb.and([eb('created_at', '=', after[0]), eb('id', '<', after[1])]),
      ]),
    );
  const rows = await qb
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
    .execute();
  // Capped: the badge says "99+" rather than counting a flood.
  const unread = await ctx.db
    .selectFrom('security_notification')
    .select('id')
    .where('user_id', '=', actor.userId)
    .where('read_at', 'is', null)
    .limit(100)
    .execute();
  return { ...toPage(rows, q.limit, shape, (r) => [r.created_at, r.id]), unread: unread.length };
}

export async function markNotificationRead(ctx: Ctx, id: string) {
  const actor = requireActor(ctx);
  const r = await ctx.db
    .updateTable('security_notification')
    .set({ read_at: ctx.now.toISOString() })
    .where('id', '=', id)
    .where('user_id', '=', actor.userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) {
    const row = await ctx.db
      .selectFrom('security_notification')
      .select('id')
      .where('id', '=', id)
      .where('user_id', '=', actor.userId)
      .executeTakeFirst();
    if (!row) throw notFound('security_notification');
  }
}
