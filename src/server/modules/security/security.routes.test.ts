import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, login, makeUser, type Session, type TestApp, testApp, world } from '../../test/harness.js';
import { listEvents } from './events.repo.js';

const AUTH_LOG = fs.readFileSync(path.join(import.meta.dirname, 'fixtures', 'auth.log'));
let t: TestApp;
let w: Awaited<ReturnType<typeof world>>;
let officer: Session;
let officerB: Session;
let tech: Session;
let token: string;

beforeAll(async () => {
  t = await testApp();
  w = await world(t.ctx);
  const securityB = await makeUser(t.ctx, { orgId: w.orgB.id, roles: ['security_officer'] });
  officer = await login(
    t.app,
    (
      await t.ctx.db
        .selectFrom('app_user')
        .select('email')
        .where('id', '=', w.securityA.id)
        .executeTakeFirstOrThrow()
    ).email,
  );
  officerB = await login(
    t.app,
    (
      await t.ctx.db
        .selectFrom('app_user')
        .select('email')
        .where('id', '=', securityB.id)
        .executeTakeFirstOrThrow()
    ).email,
  );
  tech = await login(
    t.app,
    (
      await t.ctx.db
        .selectFrom('app_user')
        .select('email')
        .where('id', '=', w.techA.id)
        .executeTakeFirstOrThrow()
    ).email,
  );
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/security/ingest-tokens',
    headers: officer.headers,
    payload: { orgId: w.orgA.id },
  });
  expect(res.statusCode).toBe(201);
  token = json<{ token: string }>(res).token;
  // The fixture's March 2026 lines: ingested with a reference in 2026 (the test's clock may be later).
  const ingest = await t.app.inject({
    method: 'POST',
    url: '/api/v1/security/ingest?source=web1',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    payload: gzipSync(AUTH_LOG),
  });
  expect(ingest.statusCode).toBe(200);
});
afterAll(() => t.close());

describe('security HTTP ingest', () => {
  it('takes gzip bodies by their first bytes and counts garbage by reason', async () => {
    const body = Buffer.concat([
      Buffer.from(
        '{"message": "Mar  3 10:00:00 web2 sshd[1]: Failed password for root from 198.51.100.9 port 22 ssh2"}\n',
      ),
      Buffer.from('{not json\n'),
      Buffer.from([0xff, 0xfe, 0x00, 0x10, 0x0a]),
      Buffer.from(`{"message": "${'x'.repeat(70_000)}"}\n`),
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/security/ingest?source=agent',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
      payload: body,
    });
    expect(res.statusCode).toBe(200);
    const r = json<{
      lines: { read: number; rejected: number };
      rejected: Record<string, number>;
      stored: number;
    }>(res);
    expect(r.lines.read).toBe(4);
    expect(r.rejected).toMatchObject({ invalid_json: 2, too_long: 1 });
    expect(r.stored).toBe(1);
  });

  it('refuses a wrong token before reading the body, and a corrupt gzip with 400', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/security/ingest',
      headers: { authorization: 'Bearer psec_nope' },
      payload: 'x',
    });
    expect(bad.statusCode).toBe(401);
    const gz = await t.app.inject({
      method: 'POST',
      url: '/api/v1/security/ingest',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/gzip' },
      payload: Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.from('garbage garbage garbage')]),
    });
    expect(gz.statusCode).toBe(400);
  });
});

describe('security events, incidents, rules and sources over HTTP', () => {
  it('lists events by filters with a keyset cursor, and a histogram by time bucket', async () => {
    const first = await t.app.inject({
      url: `/api/v1/security/events?orgId=${w.orgA.id}&srcIp=203.0.113.77&limit=3`,
      headers: officer.headers,
    });
    expect(first.statusCode).toBe(200);
    const page = json<{ items: Array<{ id: number; time: string; srcIp: string }>; nextCursor: string }>(
      first,
    );
    expect(page.items).toHaveLength(3);
    expect(page.items.every((e) => e.srcIp === '203.0.113.77')).toBe(true);
    const second = json<{ items: Array<{ id: number; time: string }> }>(
      await t.app.inject({
        url: `/api/v1/security/events?orgId=${w.orgA.id}&srcIp=203.0.113.77&limit=3&cursor=${page.nextCursor}`,
        headers: officer.headers,
      }),
    );
    const ids = new Set(page.items.map((e) => e.id));
    expect(second.items.length).toBeGreaterThan(0);
    expect(second.items.some((e) => ids.has(e.id))).toBe(false);
    expect(second.items[0]!.time <= page.items[2]!.time).toBe(true);
    const failures = json<{ items: Array<{ outcome: string }> }>(
      await t.app.inject({
        url: `/api/v1/security/events?orgId=${w.orgA.id}&outcome=failure&q=Failed%20password&limit=200`,
        headers: officer.headers,
      }),
    );
    expect(failures.items.length).toBeGreaterThan(0);
    expect(failures.items.every((e) => e.outcome === 'failure')).toBe(true);

    const h = await t.app.inject({
      url: `/api/v1/security/events/histogram?orgId=${w.orgA.id}&from=2026-03-03T09:00:00.000Z&to=2026-03-03T12:00:00.000Z&buckets=3`,
      headers: officer.headers,
    });
    expect(h.statusCode).toBe(200);
    const hist = json<{ bucketMs: number; buckets: Array<{ start: string; count: number }> }>(h);
    expect(hist.bucketMs).toBe(3600_000);
    expect(hist.buckets.map((b) => b.start)).toEqual([
      '2026-03-03T09:00:00.000Z',
      '2026-03-03T10:00:00.000Z',
      '2026-03-03T11:00:00.000Z',
    ]);
    const all = await listEvents(t.ctx, {
      scope: [w.orgA.id],
      from: '2026-03-03T09:00:00.000Z',
      to: '2026-03-03T12:00:00.000Z',
      limit: 100_000,
    });
    expect(all.length).toBeGreaterThan(0);
    expect(hist.buckets.reduce((a, b) => a + b.count, 0)).toBe(all.length);
  });

  it('another organisation sees none of it; a technician may not read security logs', async () => {
    const b = json<{ items: unknown[] }>(
      await t.app.inject({ url: '/api/v1/security/incidents', headers: officerB.headers }),
    );
    expect(b.items).toHaveLength(0);
    const a = json<{ items: Array<{ id: string }> }>(
      await t.app.inject({ url: '/api/v1/security/incidents', headers: officer.headers }),
    );
    expect(a.items.length).toBe(5);
    const other = await t.app.inject({
      url: `/api/v1/security/incidents/${a.items[0]!.id}`,
      headers: officerB.headers,
    });
    expect(other.statusCode).toBe(404);
    expect((await t.app.inject({ url: '/api/v1/security/events', headers: tech.headers })).statusCode).toBe(
      403,
    );
  });

  it('moves an incident through its workflow with If-Match, and refuses a move the table forbids', async () => {
    const list = json<{ items: Array<{ id: string; ruleId: string }> }>(
      await t.app.inject({ url: '/api/v1/security/incidents', headers: officer.headers }),
    );
    const brute = list.items.find((i) => i.ruleId === 'ssh-brute-force')!;
    const detail = await t.app.inject({
      url: `/api/v1/security/incidents/${brute.id}`,
      headers: officer.headers,
    });
    expect(json<{ evidence: unknown[] }>(detail).evidence).toHaveLength(4);
    const url = `/api/v1/security/incidents/${brute.id}/transition`;
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url,
          headers: officer.headers,
          payload: { status: 'investigating' },
        })
      ).statusCode,
    ).toBe(428);
    const moved = await t.app.inject({
      method: 'POST',
      url,
      headers: { ...officer.headers, 'if-match': detail.headers.etag as string },
      payload: { status: 'investigating' },
    });
    expect(moved.statusCode).toBe(200);
    expect(json<{ status: string; acknowledgedAt: string }>(moved)).toMatchObject({
      status: 'investigating',
      acknowledgedAt: expect.any(String),
    });
    const stale = await t.app.inject({
      method: 'POST',
      url,
      headers: { ...officer.headers, 'if-match': detail.headers.etag as string },
      payload: { status: 'contained' },
    });
    expect(stale.statusCode).toBe(412);
    const back = await t.app.inject({
      method: 'POST',
      url,
      headers: { ...officer.headers, 'if-match': moved.headers.etag as string },
      payload: { status: 'new' },
    });
    expect(back.statusCode).toBe(409);
  });

  it('refuses a rule with its line and column, tests one before enabling, turns a built-in rule off', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/security/rules',
      headers: officer.headers,
      payload: {
        orgId: w.orgA.id,
        yaml: 'id: x\ntitle: X\nseverity: high\ndetection:\n  sel:\n    action: login\n  condition: sel and nope\n',
      },
    });
    expect(bad.statusCode).toBe(422);
    const problems = json<{ problems: Array<{ line: number; col: number; message: string }> }>(bad).problems;
    expect(problems[0]!.line).toBe(7);
    const yaml =
      'id: root-failures\ntitle: Root login failures\nseverity: medium\ndetection:\n  sel:\n    action: login\n    outcome: failure\n    user: root\n  condition: sel\ncorrelation:\n  type: event_count\n  group-by: [src_ip]\n  timespan: 10m\n  condition:\n    gte: 2\n';
    const tested = await t.app.inject({
      method: 'POST',
      url: '/api/v1/security/rules/test',
      headers: officer.headers,
      payload: { orgId: w.orgA.id, yaml, from: '2026-03-03T00:00:00.000Z', to: '2026-03-04T00:00:00.000Z' },
    });
    expect(tested.statusCode).toBe(200);
    const r = json<{ events: number; detections: Array<{ group: Record<string, string> }> }>(tested);
    expect(r.events).toBeGreaterThan(10);
    expect(r.detections.map((d) => d.group.src_ip)).toContain('203.0.113.77');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/security/rules',
      headers: officer.headers,
      payload: { orgId: w.orgA.id, yaml, enabled: true },
    });
    expect(created.statusCode).toBe(201);
    const off = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/security/rules/${w.orgA.id}/ssh-brute-force`,
      headers: { ...officer.headers, 'if-match': '"v0"' },
      payload: { enabled: false },
    });
    expect(off.statusCode).toBe(200);
    const rules = json<{ items: Array<{ ruleId: string; enabled: boolean; builtin: boolean }> }>(
      await t.app.inject({ url: `/api/v1/security/rules?orgId=${w.orgA.id}`, headers: officer.headers }),
    );
    expect(rules.items.find((x) => x.ruleId === 'ssh-brute-force')).toMatchObject({
      enabled: false,
      builtin: true,
    });
    expect(rules.items.find((x) => x.ruleId === 'root-failures')).toMatchObject({
      enabled: true,
      builtin: false,
    });
  });

  it('lists sources with their counters', async () => {
    const res = json<{
      items: Array<{
        name: string;
        counters: { received: number; stored: number; rejected: Record<string, number> };
      }>;
    }>(await t.app.inject({ url: `/api/v1/security/sources?orgId=${w.orgA.id}`, headers: officer.headers }));
    const web1 = res.items.find((s) => s.name === 'web1')!;
    expect(web1.counters.received).toBe(51);
    expect(web1.counters.rejected).toEqual({ unparseable: 1, bad_timestamp: 1, future_timestamp: 1 });
    expect(web1.counters.stored).toBeGreaterThan(30);
  });

  it('tests a rule on an uploaded log text, and links an incident to users and to assets of its organisation only', async () => {
    const yaml =
      'id: root-failure\ntitle: root failure\nseverity: low\ndetection:\n  sel:\n    action: login\n    outcome: failure\n    user: root\n  condition: sel\n';
    const log =
      'Mar  3 10:00:00 web1 sshd[1]: Failed password for root from 198.51.100.1 port 22 ssh2\nMar  3 10:00:01 web1 sshd[1]: Failed password for bob from 198.51.100.1 port 22 ssh2\n';
    const tested = await t.app.inject({
      method: 'POST',
      url: '/api/v1/security/rules/test',
      headers: officer.headers,
      payload: { orgId: w.orgA.id, yaml, log },
    });
    expect(tested.statusCode).toBe(200);
    expect(json<{ events: number; detections: unknown[] }>(tested)).toMatchObject({
      events: 2,
      detections: [{ users: ['root'] }],
    });

    const list = json<{ items: Array<{ id: string; ruleId: string }> }>(
      await t.app.inject({ url: '/api/v1/security/incidents', headers: officer.headers }),
    );
    const incident = list.items.find((i) => i.ruleId === 'new-account')!;
    const detail = await t.app.inject({
      url: `/api/v1/security/incidents/${incident.id}`,
      headers: officer.headers,
    });
    const url = `/api/v1/security/incidents/${incident.id}/links`;
    const otherOrgAsset = await t.app.inject({
      method: 'PATCH',
      url,
      headers: { ...officer.headers, 'if-match': detail.headers.etag as string },
      payload: { assetIds: ['00000000-0000-7000-8000-0000000000ff'] },
    });
    expect(otherOrgAsset.statusCode).toBe(422);
    expect(json<{ errors: Array<{ path: string }> }>(otherOrgAsset).errors[0]!.path).toBe('assetIds.0');
    const linked = await t.app.inject({
      method: 'PATCH',
      url,
      headers: { ...officer.headers, 'if-match': detail.headers.etag as string },
      payload: { users: ['alice', 'bob'] },
    });
    expect(linked.statusCode).toBe(200);
    expect(json<{ users: string[]; version: number }>(linked)).toMatchObject({
      users: ['alice', 'bob'],
      version: 2,
    });
  });

  it('shows unknown syslog senders to the home administrators only, who map them', async () => {
    const now = new Date().toISOString();
    const id = '01900000-0000-7000-8000-00000000abcd';
    await t.ctx.db
      .insertInto('security_source')
      .values({
        id,
        org_id: null,
        name: '192.0.2.200',
        kind: 'syslog',
        host: null,
        ip: '192.0.2.200',
        asset_id: null,
        last_seen_at: now,
        created_at: now,
        updated_at: now,
        version: 1,
        deleted_at: null,
      })
      .execute();
    const asOfficer = json<{ items: Array<{ id: string }> }>(
      await t.app.inject({ url: '/api/v1/security/sources', headers: officer.headers }),
    );
    expect(asOfficer.items.some((s) => s.id === id)).toBe(false);
    const map = (headers: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/security/sources/${id}/map`,
        headers: { ...headers, 'if-match': '"v1"' },
        payload: { orgId: w.orgA.id },
      });
    expect((await map(officer.headers)).statusCode).toBe(404);
    const admin = await login(
      t.app,
      (
        await t.ctx.db
          .selectFrom('app_user')
          .select('email')
          .where('id', '=', w.admin.id)
          .executeTakeFirstOrThrow()
      ).email,
    );
    const unknown = json<{ items: Array<{ id: string; unknown: boolean }> }>(
      await t.app.inject({ url: '/api/v1/security/sources?unknown=true', headers: admin.headers }),
    );
    expect(unknown.items.map((s) => s.id)).toEqual([id]);
    const mapped = await map(admin.headers);
    expect(mapped.statusCode).toBe(200);
    expect(json<{ orgId: string; unknown: boolean }>(mapped)).toMatchObject({
      orgId: w.orgA.id,
      unknown: false,
    });
  });
});
