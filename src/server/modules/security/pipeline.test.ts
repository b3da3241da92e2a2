import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, type TestApp, testApp } from '../../test/harness.js';
import { applyRetention } from './alerts.service.js';
import { countEvents, listEvents } from './events.repo.js';
import { importFile } from './import.js';
import { updateSettings } from './settings.service.js';

const AUTH_LOG = path.join(import.meta.dirname, 'fixtures', 'auth.log');
let t: TestApp;

beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe('security import through the pipeline', () => {
  it('stores the events, counts refusals by reason, opens one incident per attacker with its evidence', async () => {
    const org = await makeOrg(t.ctx);
    const summary = await importFile(t.ctx, t.db.handle, {
      file: AUTH_LOG,
      orgId: org.id,
      source: 'web1-auth',
      year: 2026,
    });
    expect(summary.lines).toEqual({
      read: 51,
      parsed: expect.any(Number),
      ignored: expect.any(Number),
      rejected: 3,
    });
    expect(summary.rejected).toEqual({ unparseable: 1, bad_timestamp: 1, future_timestamp: 1 });
    expect(summary.stored).toBe(summary.lines.parsed);
    expect(summary.detections.total).toBe(5);
    expect(summary.incidentsOpened).toBe(5);

    expect(await countEvents(t.ctx, org.id)).toBe(summary.stored);

    const incidents = await t.ctx.db
      .selectFrom('security_incident')
      .selectAll()
      .where('org_id', '=', org.id)
      .orderBy('rule_id')
      .execute();
    expect(incidents.map((i) => i.rule_id).sort()).toEqual([
      'admin-group-member',
      'new-account',
      'ssh-brute-force',
      'sudo-failure',
      'sudo-failure',
    ]);
    const brute = incidents.find((i) => i.rule_id === 'ssh-brute-force')!;
    expect(brute.status).toBe('new');
    expect(incidents.map((i) => i.reference).sort()).toEqual([1, 2, 3, 4, 5].map((n) => `SEC-00000${n}`));
    expect(brute.severity).toBe('high');
    expect(brute.event_count).toBe(5);
    const evidence = await t.ctx.db
      .selectFrom('security_incident_event')
      .selectAll()
      .where('incident_id', '=', brute.id)
      .orderBy('time')
      .execute();
    expect(evidence).toHaveLength(4);
    expect(evidence.every((e) => e.src_ip === '203.0.113.77')).toBe(true);
    expect(evidence[0]!.raw).toContain('203.0.113.77');

    // The counters of the source: what was read, stored, refused by reason.
    const counters = await t.ctx.db.selectFrom('security_source_counter').selectAll().execute();
    const byName = Object.fromEntries(counters.map((c) => [c.name, Number(c.count)]));
    expect(byName).toMatchObject({
      received: 51,
      stored: summary.stored,
      'rejected:unparseable': 1,
      'rejected:bad_timestamp': 1,
      'rejected:future_timestamp': 1,
    });

    // The alert is on its way: one outbox event per new incident.
    const outbox = await t.ctx.db.selectFrom('outbox').select('type').where('org_id', '=', org.id).execute();
    expect(outbox.filter((o) => o.type === 'security.incident_opened')).toHaveLength(5);
  });

  it('a second import of the same attacks within a day appends to the open incidents', async () => {
    const org = await makeOrg(t.ctx);
    await importFile(t.ctx, t.db.handle, { file: AUTH_LOG, orgId: org.id, source: 'a', year: 2026 });
    const again = await importFile(t.ctx, t.db.handle, {
      file: AUTH_LOG,
      orgId: org.id,
      source: 'a',
      year: 2026,
    });
    expect(again.detections.total).toBe(5);
    expect(again.incidentsOpened).toBe(0);
    const incidents = await t.ctx.db
      .selectFrom('security_incident')
      .selectAll()
      .where('org_id', '=', org.id)
      .execute();
    expect(incidents).toHaveLength(5);
    expect(incidents.find((i) => i.rule_id === 'ssh-brute-force')!.event_count).toBe(10);
  });

  it("deletes events past each organisation's retention, in chunks, and keeps the incidents' evidence", async () => {
    const keep = await makeOrg(t.ctx);
    const drop = await makeOrg(t.ctx);
    await importFile(t.ctx, t.db.handle, { file: AUTH_LOG, orgId: keep.id, source: 'a', year: 2026 });
    await importFile(t.ctx, t.db.handle, { file: AUTH_LOG, orgId: drop.id, source: 'a', year: 2026 });
    await updateSettings(t.ctx, keep.id, 0, { retentionDays: 3650 });
    await updateSettings(t.ctx, drop.id, 0, { retentionDays: 30 });
    const count = async (orgId: string) => countEvents(t.ctx, orgId);
    const kept = await count(keep.id);
    expect(kept).toBeGreaterThan(30);
    // 1 May 2026: the March events are past 30 days, not past ten years.
    const deleted = await applyRetention({ ...t.ctx, now: new Date('2026-05-01T00:00:00Z') });
    expect(await count(drop.id)).toBe(0);
    expect(await count(keep.id)).toBe(kept);
    expect(deleted).toBeGreaterThanOrEqual(kept);
    const evidence = await t.ctx.db
      .selectFrom('security_incident_event')
      .innerJoin('security_incident', 'security_incident.id', 'security_incident_event.incident_id')
      .select('security_incident_event.raw')
      .where('security_incident.org_id', '=', drop.id)
      .execute();
    expect(evidence.length).toBeGreaterThan(4);
  });

  it('imports Windows Security events exported as EVTX-XML (gzip), sorted before detection', async () => {
    const org = await makeOrg(t.ctx);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parc-evtx-'));
    const gz = path.join(dir, 'security.xml.gz');
    fs.writeFileSync(
      gz,
      gzipSync(fs.readFileSync(path.join(import.meta.dirname, 'fixtures', 'security-events.xml'))),
    );
    const summary = await importFile(t.ctx, t.db.handle, { file: gz, orgId: org.id, source: 'dc1' });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(summary).toMatchObject({
      format: 'evtx-xml',
      compression: 'gzip',
      lines: { read: 8, parsed: 6, rejected: 1 },
      stored: 6,
    });
    const incidents = await t.ctx.db
      .selectFrom('security_incident')
      .select('rule_id')
      .where('org_id', '=', org.id)
      .execute();
    expect(incidents.map((i) => i.rule_id).sort()).toEqual([
      'admin-group-member',
      'audit-log-cleared',
      'new-account',
    ]);
    const cleared = (await listEvents(t.ctx, { scope: [org.id], limit: 10_000 }))
      .filter((e) => e.eventId === 1102)
      .map((e) => ({ event_id: e.eventId, action: e.action }));
    expect(cleared).toEqual([{ event_id: 1102, action: 'audit_log_cleared' }]);
  });
});
