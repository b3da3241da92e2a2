import type { Ctx } from '../../context.js';
import type {
  CalendarTokenTable,
  UserUnavailabilityTable,
  WorkOrderReminderTable,
  WorkOrderTable,
} from './workorders.tables.js';

type DbCtx = Pick<Ctx, 'db' | 'dialect'>;

/** Statuses that occupy a technician's time (cancelled and failed ones free it). */
export const BOOKING_STATUSES = ['draft', 'planned', 'in_progress', 'done'];

export type PlannedRow = Pick<
  WorkOrderTable,
  | 'id'
  | 'org_id'
  | 'reference'
  | 'kind'
  | 'title'
  | 'description'
  | 'status'
  | 'location_id'
  | 'technician_id'
  | 'scheduled_start'
  | 'scheduled_end'
  | 'earliest_date'
  | 'latest_date'
  | 'affected_user_ids'
  | 'updated_at'
  | 'version'
>;

const PLANNED_COLUMNS = [
  'id',
  'org_id',
  'reference',
  'kind',
  'title',
  'description',
  'status',
  'location_id',
  'technician_id',
  'scheduled_start',
  'scheduled_end',
  'earliest_date',
  'latest_date',
  'affected_user_ids',
  'updated_at',
  'version',
] as const;

/**
 * The work orders of these technicians overlapping [from, to): one statement, read through the
 * technician × start index (start before `to`), the end filtering the rest.
 */
export async function scheduledIn(
  ctx: DbCtx,
  q: { orgId?: string; technicianIds: string[]; from: string; to: string; excludeId?: string },
): Promise<PlannedRow[]> {
  if (q.technicianIds.length === 0) return [];
  let s = ctx.db
    .selectFrom('work_order')
    .select(PLANNED_COLUMNS)
    .where('technician_id', 'in', q.technicianIds)
    .where('scheduled_start', '<', q.to)
    .where('scheduled_end', '>', q.from)
    .where('status', 'in', BOOKING_STATUSES)
    .where('deleted_at', 'is', null);
  if (q.orgId) s = s.where('org_id', '=', q.orgId);
  if (q.excludeId) s = s.where('id', '<>', q.excludeId);
  return s.orderBy('scheduled_start').orderBy('id').limit(20_000).execute() as Promise<PlannedRow[]>;
}

/** Serialises the schedulers of one technician until the transaction ends (PostgreSQL; SQLite's writers take turns). */
export async function lockTechnician(ctx: DbCtx, technicianId: string): Promise<void> {
  await ctx.dialect.transactionLock(`planning:technician:${technicianId}`)?.execute(ctx.db);
}

/** Open work orders of the organisation not scheduled yet, by their window's first day. */
export async function unscheduled(ctx: DbCtx, orgId: string, limit: number): Promise<PlannedRow[]> {
  return ctx.db
    .selectFrom('work_order')
    .select(PLANNED_COLUMNS)
    .where('org_id', '=', orgId)
    .where('status', 'in', ['draft', 'planned'])
    .where('scheduled_start', 'is', null)
    .where('deleted_at', 'is', null)
    .orderBy('sort_day')
    .orderBy('id')
    .limit(limit)
    .execute() as Promise<PlannedRow[]>;
}

/** Slots overlapping [from, to): of an organisation, or of these people (any organisation). */
export async function unavailabilityIn(
  ctx: DbCtx,
  q: { orgId?: string; userIds?: string[]; from: string; to: string },
): Promise<UserUnavailabilityTable[]> {
  if (q.userIds && q.userIds.length === 0) return [];
  let s = ctx.db
    .selectFrom('user_unavailability')
    .selectAll()
    .where('start_at', '<', q.to)
    .where('end_at', '>', q.from);
  if (q.orgId) s = s.where('org_id', '=', q.orgId);
  if (q.userIds) s = s.where('user_id', 'in', q.userIds);
  return s.orderBy('start_at').orderBy('id').limit(10_000).execute();
}

export async function insertUnavailability(ctx: DbCtx, row: UserUnavailabilityTable): Promise<void> {
  await ctx.db.insertInto('user_unavailability').values(row).execute();
}

export async function findUnavailability(
  ctx: DbCtx,
  id: string,
): Promise<UserUnavailabilityTable | undefined> {
  return ctx.db.selectFrom('user_unavailability').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function deleteUnavailability(ctx: DbCtx, id: string): Promise<void> {
  await ctx.db.deleteFrom('user_unavailability').where('id', '=', id).execute();
}

/** One token per person: a new one replaces (revokes) the old. */
export async function replaceCalendarToken(ctx: DbCtx, row: CalendarTokenTable): Promise<void> {
  await ctx.db.deleteFrom('calendar_token').where('user_id', '=', row.user_id).execute();
  await ctx.db.insertInto('calendar_token').values(row).execute();
}

export async function deleteCalendarToken(ctx: DbCtx, userId: string): Promise<number> {
  const r = await ctx.db.deleteFrom('calendar_token').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function calendarTokenUser(ctx: DbCtx, hash: string): Promise<string | undefined> {
  const row = await ctx.db
    .selectFrom('calendar_token')
    .select('user_id')
    .where('token_hash', '=', hash)
    .executeTakeFirst();
  return row?.user_id;
}

export async function reminderHours(ctx: DbCtx, orgId: string): Promise<number | undefined> {
  const row = await ctx.db
    .selectFrom('planning_setting')
    .select('reminder_hours')
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  return row?.reminder_hours;
}

export async function setReminderHours(ctx: DbCtx, orgId: string, hours: number, at: string): Promise<void> {
  await ctx.db.deleteFrom('planning_setting').where('org_id', '=', orgId).execute();
  await ctx.db
    .insertInto('planning_setting')
    .values({ org_id: orgId, reminder_hours: hours, updated_at: at })
    .execute();
}

export async function findReminder(
  ctx: DbCtx,
  workOrderId: string,
): Promise<WorkOrderReminderTable | undefined> {
  return ctx.db
    .selectFrom('work_order_reminder')
    .selectAll()
    .where('work_order_id', '=', workOrderId)
    .executeTakeFirst();
}

export async function replaceReminder(ctx: DbCtx, row: WorkOrderReminderTable): Promise<void> {
  await ctx.db.deleteFrom('work_order_reminder').where('work_order_id', '=', row.work_order_id).execute();
  await ctx.db.insertInto('work_order_reminder').values(row).execute();
}

export async function dueReminders(
  ctx: DbCtx,
  now: string,
  limit: number,
): Promise<WorkOrderReminderTable[]> {
  return ctx.db
    .selectFrom('work_order_reminder')
    .selectAll()
    .where('sent_at', 'is', null)
    .where('due_at', '<=', now)
    .orderBy('due_at')
    .limit(limit)
    .execute();
}

export async function markReminderSent(
  ctx: DbCtx,
  workOrderId: string,
  start: string,
  at: string,
): Promise<void> {
  await ctx.db
    .updateTable('work_order_reminder')
    .set({ sent_at: at })
    .where('work_order_id', '=', workOrderId)
    .where('scheduled_start', '=', start)
    .execute();
}

/** A reminder of a schedule that no longer holds (work order gone back to draft, closed or moved). */
export async function deleteReminder(ctx: DbCtx, workOrderId: string, start: string): Promise<void> {
  await ctx.db
    .deleteFrom('work_order_reminder')
    .where('work_order_id', '=', workOrderId)
    .where('scheduled_start', '=', start)
    .execute();
}
