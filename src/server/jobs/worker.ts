import { sql } from 'kysely';
import type { Logger } from 'pino';
import { type Ctx, systemPrincipal } from '../context.js';
import type { SecretBox } from '../crypto.js';
import type { DbHandle } from '../db/database.js';
import { fromJson } from '../db/values.js';
import { backoffMs } from './backoff.js';
import type { OutboxTable } from './jobs.tables.js';
import { claimJobs, completeJob, failJob } from './queue.js';
import { type ScheduleDefinition, syncSchedules, tickSchedules } from './scheduler.js';

export type JobHandler = (ctx: Ctx, payload: Record<string, unknown>) => Promise<void>;
export type EventHandler = (
  ctx: Ctx,
  event: { id: string; type: string; orgId: string | null; payload: Record<string, unknown> },
) => Promise<void>;

/** What modules contribute to background work. */
export type JobRegistry = {
  jobs: Record<string, JobHandler>;
  events: Record<string, EventHandler[]>;
  schedules: ScheduleDefinition[];
};

export type WorkerOptions = {
  handle: DbHandle;
  registry: JobRegistry;
  log: Logger;
  workerId: string;
  pollMs?: number;
  batchSize?: number;
  leaseMs?: number;
  clock?: () => Date;
  secrets: SecretBox;
};

export type Worker = { runOnce(): Promise<void>; stop(): Promise<void> };

const OUTBOX_MAX_ATTEMPTS = 10;

export async function startWorker(opts: WorkerOptions, { loop = true } = {}): Promise<Worker> {
  const clock = opts.clock ?? (() => new Date());
  const pollMs = opts.pollMs ?? 1000;
  const batchSize = opts.batchSize ?? 10;
  const leaseMs = opts.leaseMs ?? 5 * 60_000;
  const log = opts.log.child({ module: 'worker', workerId: opts.workerId });
  const { db, dialect } = opts.handle;
  await syncSchedules(db, opts.registry.schedules, clock());

  const ctxFor = (now: Date): Ctx => ({
    db,
    dialect,
    actor: systemPrincipal('worker'),
    now,
    log,
    secrets: opts.secrets,
  });

  async function runJobs(): Promise<number> {
    const now = clock();
    const jobs = await claimJobs(db, dialect, { workerId: opts.workerId, now, limit: batchSize, leaseMs });
    for (const job of jobs) {
      const handler = opts.registry.jobs[job.name];
      try {
        if (!handler) throw new Error(`no handler for job ${job.name}`);
        await handler(ctxFor(clock()), job.payload);
        await completeJob(db, job.id, opts.workerId, clock());
      } catch (err) {
        const at = clock();
        const outcome = await failJob(db, job, opts.workerId, {
          now: at,
          error: (err as Error).message,
          retryAt: new Date(at.getTime() + backoffMs(job.attempts)),
        });
        log.warn({ job: job.name, jobId: job.id, attempt: job.attempts, outcome, err }, 'job failed');
      }
    }
    return jobs.length;
  }

  async function runOutbox(): Promise<number> {
    const now = clock();
    const lease = new Date(now.getTime() + leaseMs).toISOString();
    const lock = dialect.name === 'postgres' ? sql`FOR UPDATE SKIP LOCKED` : sql``;
    const { rows } = await sql<OutboxTable>`
      UPDATE outbox SET next_attempt_at = ${lease}, attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM outbox WHERE processed_at IS NULL AND next_attempt_at <= ${now.toISOString()}
        ORDER BY created_at LIMIT ${batchSize} ${lock}
      )
      RETURNING *`.execute(db);
    for (const row of rows) {
      const event = {
        id: row.id,
        type: row.type,
        orgId: row.org_id,
        payload: fromJson<Record<string, unknown>>(row.payload),
      };
      try {
        for (const handler of opts.registry.events[row.type] ?? []) await handler(ctxFor(clock()), event);
        await db
          .updateTable('outbox')
          .set({ processed_at: clock().toISOString(), last_error: null })
          .where('id', '=', row.id)
          .execute();
      } catch (err) {
        const at = clock();
        const giveUp = row.attempts >= OUTBOX_MAX_ATTEMPTS;
        await db
          .updateTable('outbox')
          .set({
            next_attempt_at: new Date(at.getTime() + backoffMs(row.attempts)).toISOString(),
            processed_at: giveUp ? at.toISOString() : null,
            last_error: `${giveUp ? 'abandoned: ' : ''}${(err as Error).message}`.slice(0, 2000),
          })
          .where('id', '=', row.id)
          .execute();
        log.warn({ event: row.type, eventId: row.id, attempt: row.attempts, err }, 'event delivery failed');
      }
    }
    return rows.length;
  }

  async function runOnce(): Promise<void> {
    await tickSchedules(db, opts.registry.schedules, clock(), opts.workerId);
    // Drain what is due now, then sleep; a full batch means more may be waiting.
    while ((await runJobs()) === batchSize) {}
    while ((await runOutbox()) === batchSize) {}
  }

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const schedule = () => {
    if (stopped || !loop) return;
    timer = setTimeout(() => {
      running = runOnce()
        .catch((err) => log.error({ err }, 'worker iteration failed'))
        .finally(() => {
          running = undefined;
          schedule();
        });
    }, pollMs);
    timer.unref();
  };
  schedule();

  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
