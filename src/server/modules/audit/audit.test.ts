import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../context.js';
import { json, login, makeOrg, type TestApp, testApp, world } from '../../test/harness.js';
import { recordAudit, verifyAuditChain } from './index.js';

let t: TestApp;
let w: Awaited<ReturnType<typeof world>>;

beforeAll(async () => {
  t = await testApp();
  w = await world(t.ctx);
});
afterAll(() => t.close());

/** Bypasses the append-only guard the way an intruder with database access would. */
async function tamper(target: TestApp, statement: ReturnType<typeof sql>) {
  const { db, dialect } = target.db.handle;
  if (dialect.name === 'postgres') {
    await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change`.execute(db);
    await statement.execute(db);
    await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change`.execute(db);
  } else {
    await sql`DROP TRIGGER audit_log_no_update`.execute(db);
    await sql`DROP TRIGGER audit_log_no_delete`.execute(db);
    await statement.execute(db);
    await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(
      db,
    );
    await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(
      db,
    );
  }
}

describe('audit trail', () => {
  it('records actor, action, entity, before and after of every write', async () => {
    const s = await login(t.app, w.adminA.email);
    const read = await t.app.inject({
      method: 'GET',
      url: `/api/v1/users/${w.techA.id}`,
      headers: s.headers,
    });
    await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${w.techA.id}`,
      headers: { ...s.headers, 'if-match': String(read.headers.etag) },
      payload: { displayName: 'Technician A' },
    });
    const admin = await login(t.app, w.admin.email);
    const list = json<{ items: Array<Record<string, unknown>> }>(
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/audit?entityType=user&entityId=${w.techA.id}&action=user.updated`,
        headers: admin.headers,
      }),
    );
    expect(list.items).toHaveLength(1);
    const entry = list.items[0]!;
    expect(entry).toMatchObject({
      actorId: w.adminA.id,
      actorLabel: w.adminA.email,
      orgId: w.orgA.id,
      ip: '127.0.0.1',
    });
    expect((entry.before as { displayName: string }).displayName).not.toBe('Technician A');
    expect((entry.after as { displayName: string }).displayName).toBe('Technician A');
  });

  it('records logins, failed or not, under the account concerned', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: w.techA.email, password: 'wrong password!' },
      remoteAddress: '10.5.0.1',
    });
    await login(t.app, w.techA.email);
    const admin = await login(t.app, w.admin.email);
    const list = json<{ items: Array<{ action: string; actorId: string; actorLabel: string; ip: string }> }>(
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/audit?actorId=${w.techA.id}&entityType=user`,
        headers: admin.headers,
      }),
    );
    const actions = list.items.map((i) => i.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.login', 'auth.login_failed']));
    expect(list.items.find((i) => i.action === 'auth.login_failed')).toMatchObject({
      actorLabel: w.techA.email,
      ip: '10.5.0.1',
    });
  });

  it('keeps no record of a change that rolled back', async () => {
    const before = await t.db.handle.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    await expect(
      inTransaction(t.ctx, async (tx) => {
        await recordAudit(tx, {
          orgId: null,
          action: 'test.rolled_back',
          entityType: 'test',
          entityId: null,
        });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const after = await t.db.handle.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('is readable by admins and security officers of the organisation only', async () => {
    const security = await login(t.app, w.securityA.email);
    const mine = json<{ items: Array<{ orgId: string | null }> }>(
      await t.app.inject({ method: 'GET', url: '/api/v1/audit?limit=200', headers: security.headers }),
    );
    expect(mine.items.length).toBeGreaterThan(0);
    expect(new Set(mine.items.map((i) => i.orgId))).toEqual(new Set([w.orgA.id]));
    const tech = await login(t.app, w.techA.email);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/audit', headers: tech.headers })).statusCode,
    ).toBe(403);
  });

  it('pages newest first and filters by date range', async () => {
    const admin = await login(t.app, w.admin.email);
    const first = json<{ items: Array<{ seq: number; at: string }>; nextCursor: string }>(
      await t.app.inject({ method: 'GET', url: '/api/v1/audit?limit=3', headers: admin.headers }),
    );
    expect(first.items.map((i) => i.seq)).toEqual([...first.items.map((i) => i.seq)].sort((a, b) => b - a));
    const second = json<{ items: Array<{ seq: number }> }>(
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/audit?limit=3&cursor=${first.nextCursor}`,
        headers: admin.headers,
      }),
    );
    expect(second.items[0]!.seq).toBeLessThan(first.items[2]!.seq);
    const future = json<{ items: unknown[] }>(
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/audit?from=2999-01-01T00:00:00.000Z',
        headers: admin.headers,
      }),
    );
    expect(future.items).toEqual([]);
  });

  it('refuses updates and deletes of audit rows at the database', async () => {
    await expect(sql`UPDATE audit_log SET action = 'x'`.execute(t.db.handle.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`DELETE FROM audit_log`.execute(t.db.handle.db)).rejects.toThrow(/append-only/);
  });

  it('chains records written one per transaction and several per transaction alike', async () => {
    // On PostgreSQL a lone record is hashed by the database: it must match the hash Node computes.
    const odd = {
      name: 'Élodie — naïve façade 😀',
      line: 'a\u2028b',
      nul: '\u0001',
      nested: { z: 1, a: [null] },
    };
    await inTransaction(t.ctx, (tx) =>
      recordAudit(tx, { orgId: null, action: 'test.one', entityType: 'test', entityId: null, after: odd }),
    );
    await inTransaction(t.ctx, async (tx) => {
      await recordAudit(tx, {
        orgId: null,
        action: 'test.two',
        entityType: 'test',
        entityId: null,
        after: odd,
      });
      await recordAudit(tx, { orgId: null, action: 'test.three', entityType: 'test', entityId: null });
    });
    // A transaction not opened by inTransaction writes at once.
    await t.ctx.db
      .transaction()
      .execute((trx) =>
        recordAudit(
          { ...t.ctx, db: trx },
          { orgId: null, action: 'test.raw', entityType: 'test', entityId: null },
        ),
      );
    expect(await verifyAuditChain(t.ctx)).toMatchObject({ ok: true });
  });

  it('verifies the chain, and names the first altered record', async () => {
    await makeOrg(t.ctx);
    const ok = await verifyAuditChain(t.ctx);
    expect(ok.ok).toBe(true);
    const rows = await t.db.handle.db.selectFrom('audit_log').select(['seq', 'id']).orderBy('seq').execute();
    const victim = rows[3]!;
    await tamper(t, sql`UPDATE audit_log SET actor_label = 'someone-else' WHERE seq = ${victim.seq}`);
    const bad = await verifyAuditChain(t.ctx);
    expect(bad).toMatchObject({ ok: false, firstBad: { seq: victim.seq, id: victim.id, reason: 'altered' } });
  });
});

describe('audit chain deletion', () => {
  it('detects a deleted record from the broken link after it', async () => {
    const t2 = await testApp();
    try {
      for (let i = 0; i < 3; i++) await makeOrg(t2.ctx);
      const rows = await t2.db.handle.db
        .selectFrom('audit_log')
        .select(['seq', 'id'])
        .orderBy('seq')
        .execute();
      await tamper(t2, sql`DELETE FROM audit_log WHERE seq = ${rows[1]!.seq}`);
      const result = await verifyAuditChain(t2.ctx);
      expect(result).toMatchObject({ ok: false, firstBad: { seq: rows[2]!.seq, reason: 'broken_link' } });
    } finally {
      await t2.close();
    }
  });
});
