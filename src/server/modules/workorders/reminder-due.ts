import type { Ctx } from '../../context.js';
import * as repo from './planning.repo.js';

/** Hours ahead the affected users are told when the organisation set nothing. */
export const DEFAULT_REMINDER_HOURS = 48;
const HOUR_MS = 3600_000;

/** The reminder of a schedule: N hours before its start, at once when closer. Same start, same reminder. */
export async function setReminder(tx: Ctx, wo: { id: string; orgId: string; start: string }): Promise<void> {
  const existing = await repo.findReminder(tx, wo.id);
  if (existing && existing.scheduled_start === wo.start) return;
  const hours = (await repo.reminderHours(tx, wo.orgId)) ?? DEFAULT_REMINDER_HOURS;
  const due = Math.max(tx.now.getTime(), Date.parse(wo.start) - hours * HOUR_MS);
  await repo.replaceReminder(tx, {
    work_order_id: wo.id,
    org_id: wo.orgId,
    scheduled_start: wo.start,
    due_at: new Date(due).toISOString(),
    sent_at: null,
  });
}
