import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../context.js';
import { secretBox } from '../crypto.js';
import { type DbHandle, openDatabase } from '../db/database.js';
import { freshDb, TEST_KEY, TEST_PG_URL, type TestApp, type TestDb, testApp } from '../test/harness.js';
import { publish } from './outbox.js';
import { enqueue } from './queue.js';
import { type JobRegistry, startWorker } from './worker.js';

const log = pino({ level: 'silent' });
const secrets = secretBox(TEST_KEY);

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

function registry(partial: Partial<JobRegistry>): JobRegistry {
  return { jobs: {}, events: {}, schedules: [], ...partial };
}

describe('job queue', () => {
  it('runs a queued job once, and retries a failing one with back-off until it gives up', async () => {
    let clock = new Date('2026-01-05T10:00:00.000Z');
    const ran: string[] = [];
    let failures = 0;
    const worker = await startWorker(
      {
        handle: t.db.handle,
        log,
        secrets,
        workerId: 'w1',
        clock: () => clock,
        registry: registry({
          jobs: {
            'test.ok': async (_ctx, payload) => {
              ran.push(String(payload.n));
            },
            'test.flaky': async () => {
              failures++;
              throw new Error(`failure ${failures}`);
            },
          },
        }),
      },
      { loop: false },
    );
    await enqueue({ db: t.db.handle.db, now: clock }, { name: 'test.ok', payload: { n: 1 } });
    await enqueue({ db: t.db.handle.db, now: clock }, { name: 'test.flaky', maxAttempts: 3 });
    await worker.runOnce();
    await worker.runOnce();
    expect(ran).toEqual(['1']);
    expect(failures).toBe(1);
    const retry = await t.db.handle.db
      .selectFrom('job')
      .selectAll()
      .where('name', '=', 'test.flaky')
      .executeTakeFirstOrThrow();
    expect(retry.status).toBe('queued');
    expect(retry.last_error).toBe('failure 1');
    expect(new Date(retry.run_at).getTime()).toBeGreaterThan(clock.getTime());
    // Not due yet: nothing runs.
    await worker.runOnce();
    expect(failures).toBe(1);
    for (let i = 0; i < 5; i++) {
      clock = new Date(clock.getTime() + 3600_000);
      await worker.runOnce();
    }
    expect(failures).toBe(3);
    const gaveUp = await t.db.handle.db
      .selectFrom('job')
      .selectAll()
      .where('name', '=', 'test.flaky')
      .executeTakeFirstOrThrow();
    expect(gaveUp.status).toBe('failed');
  });

  it('ignores a second enqueue with the same dedupe key', async () => {
    const now = new Date();
    expect(await enqueue({ db: t.db.handle.db, now }, { name: 'test.once', dedupeKey: 'k1' })).not.toBeNull();
    expect(await enqueue({ db: t.db.handle.db, now }, { name: 'test.once', dedupeKey: 'k1' })).toBeNull();
  });
});

describe('outbox', () => {
  it('delivers an event written with its change, and none for a change that rolled back', async () => {
    const delivered: string[] = [];
    let fail = true;
    let clock = new Date(Date.now() + 60_000);
    const worker = await startWorker(
      {
        handle: t.db.handle,
        log,
        secrets,
        workerId: 'w-outbox',
        clock: () => clock,
        registry: registry({
          events: {
            'test.happened': [
              async (_ctx, event) => {
                if (fail) {
                  fail = false;
                  throw new Error('smtp down');
                }
                delivered.push(String(event.payload.what));
              },
            ],
          },
        }),
      },
      { loop: false },
    );
    await inTransaction(t.ctx, (tx) =>
      publish(tx, { type: 'test.happened', orgId: null, payload: { what: 'kept' } }),
    );
    await expect(
      inTransaction(t.ctx, async (tx) => {
        await publish(tx, { type: 'test.happened', orgId: null, payload: { what: 'rolled back' } });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await worker.runOnce();
    expect(delivered).toEqual([]);
    const pending = await t.db.handle.db
      .selectFrom('outbox')
      .selectAll()
      .where('type', '=', 'test.happened')
      .execute();
    expect(pending).toHaveLength(1);
    expect(pending[0]!.last_error).toBe('smtp down');
    // Not retried before its back-off has passed, then delivered.
    await worker.runOnce();
    expect(delivered).toEqual([]);
    clock = new Date(clock.getTime() + 3600_000);
    await worker.runOnce();
    expect(delivered).toEqual(['kept']);
  });
});

describe.runIf(TEST_PG_URL)('two instances on one PostgreSQL database', () => {
  let db: TestDb;
  let second: DbHandle;
  beforeAll(async () => {
    db = await freshDb();
    second = await openDatabase(
      { kind: 'postgres', url: TEST_PG_URL! },
      { pgSchema: db.schema!, poolSize: 4 },
    );
  });
  afterAll(async () => {
    await second.close();
    await db.drop();
  });

  it('runs a scheduled job once per tick and each queued job once', async () => {
    const runs: Array<{ job: string; key: string; worker: string }> = [];
    const make = (handle: DbHandle, workerId: string) =>
      startWorker({
        handle,
        log,
        secrets,
        workerId,
        pollMs: 50,
        batchSize: 5,
        registry: registry({
          jobs: {
            'test.tick': async (_ctx, payload) => {
              runs.push({ job: 'tick', key: String(payload.scheduledAt), worker: workerId });
            },
            'test.work': async (_ctx, payload) => {
              await new Promise((r) => setTimeout(r, 5));
              runs.push({ job: 'work', key: String(payload.n), worker: workerId });
            },
          },
          schedules: [{ name: 'test.every-second', cron: '* * * * * *', job: 'test.tick' }],
        }),
      });
    const now = new Date();
    for (let n = 0; n < 60; n++)
      await enqueue({ db: db.handle.db, now }, { name: 'test.work', payload: { n } });
    const [a, b] = await Promise.all([make(db.handle, 'instance-a'), make(second, 'instance-b')]);
    await new Promise((r) => setTimeout(r, 3500));
    await Promise.all([a.stop(), b.stop()]);

    const ticks = runs.filter((r) => r.job === 'tick').map((r) => r.key);
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(new Set(ticks).size).toBe(ticks.length);
    const work = runs.filter((r) => r.job === 'work').map((r) => r.key);
    expect(work).toHaveLength(60);
    expect(new Set(work).size).toBe(60);
    // Both instances took part: the claim is shared, not one instance doing it all by luck of timing.
    expect(new Set(runs.filter((r) => r.job === 'work').map((r) => r.worker)).size).toBe(2);
  });
});
