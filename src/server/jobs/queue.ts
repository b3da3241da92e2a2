import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { Ctx } from '../context.js';
import type { Db } from '../db/database.js';
import type { DialectHelpers } from '../db/dialect.js';
import { fromJson, toJson } from '../db/values.js';
import type { JobTable } from './jobs.tables.js';

export type EnqueueInput = {
  name: string;
  payload?: Record<string, unknown>;
  runAt?: Date;
  maxAttempts?: number;
  /** A second enqueue with the same key is ignored: what makes a schedule tick run once. */
  dedupeKey?: string;
};

export async function enqueue(ctx: Pick<Ctx, 'db' | 'now'>, input: EnqueueInput): Promise<string | null> {
  const id = uuidv7();
  const at = ctx.now.toISOString();
  const result = await ctx.db
    .insertInto('job')
    .values({
      id,
      name: input.name,
      payload: toJson(input.payload ?? {}),
      status: 'queued',
      run_at: (input.runAt ?? ctx.now).toISOString(),
      attempts: 0,
      max_attempts: input.maxAttempts ?? 5,
      locked_by: null,
      locked_until: null,
      last_error: null,
      dedupe_key: input.dedupeKey ?? null,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 1) > 0 ? id : null;
}

export type ClaimedJob = {
  id: string;
  name: string;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
};

/**
 * Claims up to `limit` due jobs for `workerId`. On PostgreSQL `FOR UPDATE SKIP LOCKED` lets N instances
 * claim from one table without ever taking the same job; a job whose worker died is taken again once
 * its lease expires.
 */
export async function claimJobs(
  db: Db,
  dialect: DialectHelpers,
  opts: { workerId: string; now: Date; limit: number; leaseMs: number },
): Promise<ClaimedJob[]> {
  const now = opts.now.toISOString();
  const leaseUntil = new Date(opts.now.getTime() + opts.leaseMs).toISOString();
  const lock = dialect.name === 'postgres' ? sql`FOR UPDATE SKIP LOCKED` : sql``;
  const result = await sql<JobTable>`
    UPDATE job SET status = 'running', locked_by = ${opts.workerId}, locked_until = ${leaseUntil},
      attempts = attempts + 1, updated_at = ${now}
    WHERE id IN (
      SELECT id FROM job
      WHERE (status = 'queued' AND run_at <= ${now}) OR (status = 'running' AND locked_until < ${now})
      ORDER BY run_at LIMIT ${opts.limit} ${lock}
    )
    RETURNING *`.execute(db);
  return result.rows.map((r) => ({
    id: r.id,
    name: r.name,
    payload: fromJson<Record<string, unknown>>(r.payload) ?? {},
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
  }));
}

export async function completeJob(db: Db, id: string, workerId: string, now: Date): Promise<void> {
  await db
    .updateTable('job')
    .set({ status: 'done', locked_by: null, locked_until: null, updated_at: now.toISOString() })
    .where('id', '=', id)
    .where('locked_by', '=', workerId)
    .execute();
}

export async function failJob(
  db: Db,
  job: ClaimedJob,
  workerId: string,
  opts: { now: Date; error: string; retryAt: Date },
): Promise<'retry' | 'failed'> {
  const final = job.attempts >= job.maxAttempts;
  await db
    .updateTable('job')
    .set({
      status: final ? 'failed' : 'queued',
      run_at: final ? opts.now.toISOString() : opts.retryAt.toISOString(),
      locked_by: null,
      locked_until: null,
      last_error: opts.error.slice(0, 2000),
      updated_at: opts.now.toISOString(),
    })
    .where('id', '=', job.id)
    .where('locked_by', '=', workerId)
    .execute();
  return final ? 'failed' : 'retry';
}

export async function purgeFinishedJobs(db: Db, olderThan: Date): Promise<number> {
  const result = await db
    .deleteFrom('job')
    .where('status', 'in', ['done', 'failed'])
    .where('updated_at', '<', olderThan.toISOString())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
