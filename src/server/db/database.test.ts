import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDb, type TestDb } from '../test/harness.js';
import { migrate } from './migrate.js';
import { fromJson, toBool, toJson } from './values.js';

let t: TestDb;
beforeAll(async () => {
  t = await freshDb();
});
afterAll(() => t.drop());

describe('database layer', () => {
  it('migrating twice applies nothing the second time', async () => {
    expect((await migrate(t.handle)).applied).toEqual([]);
  });

  it('returns timestamps as the same ISO string on both databases', async () => {
    const at = '2026-03-01T08:30:00.123Z';
    await t.handle.db
      .insertInto('schedule')
      .values({ name: 'ts-check', cron: '* * * * *', next_run_at: at, last_run_at: null, last_run_by: null })
      .execute();
    const row = await t.handle.db
      .selectFrom('schedule')
      .selectAll()
      .where('name', '=', 'ts-check')
      .executeTakeFirstOrThrow();
    expect(row.next_run_at).toBe(at);
    const later = await t.handle.db
      .selectFrom('schedule')
      .select('name')
      .where('next_run_at', '>', '2026-03-01T08:29:59.999Z')
      .execute();
    expect(later.map((r) => r.name)).toContain('ts-check');
  });

  it('stores booleans and JSON the one way and reads them back through the mapping', async () => {
    const now = new Date().toISOString();
    await t.handle.db
      .insertInto('organisation')
      .values({
        id: '00000000-0000-7000-8000-000000000001',
        name: 'N',
        slug: 'n-bool',
        time_zone: 'UTC',
        locale: 'fr',
        is_home: true,
        created_at: now,
        updated_at: now,
        version: 1,
        deleted_at: null,
      })
      .execute();
    const org = await t.handle.db
      .selectFrom('organisation')
      .select('is_home')
      .where('slug', '=', 'n-bool')
      .executeTakeFirstOrThrow();
    expect(toBool(org.is_home)).toBe(true);
    await t.handle.db
      .insertInto('outbox')
      .values({
        id: '00000000-0000-7000-8000-000000000002',
        org_id: null,
        type: 't',
        payload: toJson({ a: [1, 'é'] }),
        created_at: now,
        attempts: 0,
        next_attempt_at: now,
        processed_at: null,
        last_error: null,
      })
      .execute();
    const ev = await t.handle.db.selectFrom('outbox').select('payload').executeTakeFirstOrThrow();
    expect(fromJson(ev.payload)).toEqual({ a: [1, 'é'] });
  });

  it('counts come back as numbers', async () => {
    const { rows } = await sql<{ n: number }>`select count(*) as n from organisation`.execute(t.handle.db);
    expect(typeof rows[0]!.n).toBe('number');
  });
});
