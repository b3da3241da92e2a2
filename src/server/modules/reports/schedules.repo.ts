import type { Ctx } from '../../context.js';
import { keysetAfter, type OrgScope, whereOrg } from '../../db/scope.js';
import { updateVersioned } from '../../db/versioned.js';
import type { ReportScheduleTable } from './reports.tables.js';

type DbCtx = Pick<Ctx, 'db' | 'dialect'>;

export async function insertSchedule(ctx: DbCtx, row: ReportScheduleTable): Promise<void> {
  await ctx.db.insertInto('report_schedule').values(row).execute();
}

export async function findSchedule(ctx: DbCtx, id: string): Promise<ReportScheduleTable | undefined> {
  return ctx.db
    .selectFrom('report_schedule')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** Newest first. */
export async function listSchedules(
  ctx: DbCtx,
  f: { scope: OrgScope; orgId?: string | undefined; after?: [string, string] | undefined; limit: number },
): Promise<ReportScheduleTable[]> {
  let q = whereOrg(ctx.db.selectFrom('report_schedule').selectAll(), 'org_id', f.scope).where(
    'deleted_at',
    'is',
    null,
  );
  if (f.orgId) q = q.where('org_id', '=', f.orgId);
  if (f.after) q = q.where(keysetAfter('created_at', 'id', f.after, 'desc'));
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
}

/** The optimistic update: false when the schedule changed since `version` (or is gone). */
export async function updateSchedule(
  ctx: DbCtx,
  id: string,
  version: number,
  set: Partial<Omit<ReportScheduleTable, 'id' | 'version' | 'org_id'>>,
): Promise<boolean> {
  return updateVersioned(ctx.db, 'report_schedule', id, version, set);
}

/** Active schedules whose time has come. */
export async function dueSchedules(ctx: DbCtx, now: string, limit: number): Promise<ReportScheduleTable[]> {
  return ctx.db
    .selectFrom('report_schedule')
    .selectAll()
    .where('next_run_at', '<=', now)
    .where('active', '=', ctx.dialect.bool(true))
    .where('deleted_at', 'is', null)
    .orderBy('next_run_at')
    .limit(limit)
    .execute();
}

/** Moves a due schedule to its next time, if no other worker did: true for the one that claims it. */
export async function claimRun(ctx: DbCtx, id: string, dueAt: string, next: string): Promise<boolean> {
  const r = await ctx.db
    .updateTable('report_schedule')
    .set({ next_run_at: next })
    .where('id', '=', id)
    .where('next_run_at', '=', dueAt)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The outcome of a run (not a user's change: the version stays). */
export async function recordRun(
  ctx: DbCtx,
  id: string,
  set: Pick<ReportScheduleTable, 'last_run_at' | 'last_error'> & { last_mail_ids?: string },
): Promise<void> {
  await ctx.db.updateTable('report_schedule').set(set).where('id', '=', id).execute();
}
