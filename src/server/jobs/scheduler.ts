import { Cron } from 'croner';
import type { Db } from '../db/database.js';
import { enqueue } from './queue.js';

export type ScheduleDefinition = {
  name: string;
  cron: string;
  job: string;
  payload?: Record<string, unknown>;
};

export function nextRun(cron: string, after: Date): Date {
  const next = new Cron(cron, { timezone: 'UTC', paused: true }).nextRun(after);
  if (!next) throw new Error(`cron "${cron}" never fires again`);
  return next;
}

/** Inserts schedules that are new and updates those whose cron changed. */
export async function syncSchedules(db: Db, defs: ScheduleDefinition[], now: Date): Promise<void> {
  for (const def of defs) {
    const existing = await db
      .selectFrom('schedule')
      .selectAll()
      .where('name', '=', def.name)
      .executeTakeFirst();
    if (!existing) {
      await db
        .insertInto('schedule')
        .values({
          name: def.name,
          cron: def.cron,
          next_run_at: nextRun(def.cron, now).toISOString(),
          last_run_at: null,
          last_run_by: null,
        })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
    } else if (existing.cron !== def.cron) {
      await db
        .updateTable('schedule')
        .set({ cron: def.cron, next_run_at: nextRun(def.cron, now).toISOString() })
        .where('name', '=', def.name)
        .execute();
    }
  }
}

/**
 * Fires the schedules that are due. Every instance ticks; the conditional UPDATE on next_run_at lets
 * exactly one win each due time, and the job's dedupe key makes a second enqueue a no-op anyway.
 * Returns the number of ticks this instance fired.
 */
export async function tickSchedules(
  db: Db,
  defs: ScheduleDefinition[],
  now: Date,
  workerId: string,
): Promise<number> {
  const byName = new Map(defs.map((d) => [d.name, d]));
  const due = await db
    .selectFrom('schedule')
    .selectAll()
    .where('next_run_at', '<=', now.toISOString())
    .execute();
  let fired = 0;
  for (const row of due) {
    const def = byName.get(row.name);
    if (!def) continue;
    const won = await db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('schedule')
        .set({
          next_run_at: nextRun(def.cron, now).toISOString(),
          last_run_at: row.next_run_at,
          last_run_by: workerId,
        })
        .where('name', '=', row.name)
        .where('next_run_at', '=', row.next_run_at)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return false;
      await enqueue(
        { db: trx, now },
        {
          name: def.job,
          payload: { ...def.payload, scheduledAt: row.next_run_at },
          dedupeKey: `${def.name}@${row.next_run_at}`,
        },
      );
      return true;
    });
    if (won) fired++;
  }
  return fired;
}
