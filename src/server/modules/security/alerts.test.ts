import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmtpPeer, startSmtpPeer } from '../../../../test/support/smtp.js';
import { systemPrincipal } from '../../context.js';
import { startWorker } from '../../jobs/worker.js';
import { json, login, makeUser, type TestApp, testApp, testConfig, world } from '../../test/harness.js';
import { createMailService, MAIL_SEND_JOB, type MailService } from '../mail/index.js';
import { securityJobs } from './alerts.service.js';
import { importFile } from './import.js';
import { updateSettings } from './settings.service.js';
import { createSource } from './sources.service.js';

const AUTH_LOG = path.join(import.meta.dirname, 'fixtures', 'auth.log');
const SERVER_TYPE = '00000000-0000-7000-8000-000000000003';
const SECRET = 'a webhook secret of the client';

let t: TestApp;
let smtp: SmtpPeer;
let mail: MailService;
let hook: http.Server;
let hookUrl: string;
const received: Array<{ body: string; signature: string | undefined; at: number }> = [];
let failNext = 0;

beforeAll(async () => {
  smtp = await startSmtpPeer();
  t = await testApp();
  mail = createMailService(
    testConfig({
      PARC_SMTP_HOST: '127.0.0.1',
      PARC_SMTP_PORT: String(smtp.port),
      PARC_SMTP_FROM: 'Parc <parc@mail.test>',
    }).smtp,
  );
  hook = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (failNext > 0) {
        failNext--;
        res.writeHead(503).end();
        return;
      }
      received.push({
        body: Buffer.concat(chunks).toString(),
        signature: req.headers['x-parc-signature'] as string,
        at: Date.now(),
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  mail?.close();
  await t?.close();
  await smtp?.close();
  await new Promise((r) => hook.close(r));
});

describe('immediate alert of a new security incident', () => {
  it('tells the security officers in app, by mail and by a signed webhook (retried), and records the delay', async () => {
    const w = await world(t.ctx);
    await makeUser(t.ctx, { orgId: w.orgA.id, roles: ['security_officer'], email: 'rssi@client-a.test' });
    await makeUser(t.ctx, { orgId: w.orgA.id, roles: ['supervisor'], email: 'dsi@client-a.test' });
    await updateSettings(t.ctx, w.orgA.id, 0, { webhookUrl: hookUrl, webhookSecret: SECRET });
    // web1 is a vital server: its brute force (high) becomes a critical incident.
    const session = await login(t.app, 'rssi@client-a.test');
    // Security officers do not manage the CMDB: an administrator creates the asset; the officer rates it.
    const admin = await login(
      t.app,
      (
        await t.ctx.db
          .selectFrom('app_user')
          .select('email')
          .where('id', '=', w.adminA.id)
          .executeTakeFirstOrThrow()
      ).email,
    );
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/assets',
      headers: admin.headers,
      payload: { orgId: w.orgA.id, typeId: SERVER_TYPE, name: 'web1' },
    });
    expect(created.statusCode).toBe(201);
    const asset = JSON.parse(created.body) as { id: string; version: number };
    const crit = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/security/assets/${asset.id}/criticality`,
      headers: { ...session.headers, 'if-match': `"v${asset.version}"` },
      payload: { confidentiality: 3, integrity: 4, availability: 2 },
    });
    expect(crit.statusCode).toBe(200);
    await createSource(t.ctx, { orgId: w.orgA.id, name: 'web1', kind: 'file', assetId: asset.id });

    failNext = 1;
    const summary = await importFile(t.ctx, t.db.handle, {
      file: AUTH_LOG,
      orgId: w.orgA.id,
      source: 'web1',
      year: 2026,
    });
    expect(summary.incidentsOpened).toBe(5);

    const deps = { mail, baseUrl: 'https://parc.test', escalateAfterMinutes: 30 };
    const jobs = securityJobs(deps);
    let clock = new Date();
    const worker = await startWorker(
      {
        handle: t.db.handle,
        log: pino({ level: 'silent' }),
        secrets: t.ctx.secrets,
        workerId: 'security-test',
        clock: () => clock,
        registry: {
          jobs: { ...jobs.jobs, [MAIL_SEND_JOB]: (ctx, p) => mail.deliverQueued(ctx, String(p.mailId)) },
          events: jobs.events,
          schedules: [],
        },
      },
      { loop: false },
    );
    // One pass runs the outbox (officers told, mail and webhook jobs queued), the next runs those jobs.
    await worker.runOnce();
    await worker.runOnce();
    const incidents = await t.ctx.db
      .selectFrom('security_incident')
      .selectAll()
      .where('org_id', '=', w.orgA.id)
      .execute();
    expect(incidents.every((i) => i.alerted_at !== null)).toBe(true);
    const delays = incidents.map((i) => Date.parse(i.alerted_at!) - Date.parse(i.detected_at));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    // The figure for the report: detection to alert written (the worker polls every second in service).
    console.log(
      `security alert delay (detection -> officers told, worker run at once): max ${Math.max(...delays)} ms`,
    );
    const brute = incidents.find((i) => i.rule_id === 'ssh-brute-force')!;
    expect(brute.severity).toBe('critical');
    expect(brute.rule_severity).toBe('high');

    // In app: one notification per incident for the officer only (and the security officer of the world).
    const res = await t.app.inject({ url: '/api/v1/security/notifications', headers: session.headers });
    const notes = json<{ items: Array<{ id: string; incidentId: string }>; unread: number }>(res);
    expect(notes.items).toHaveLength(5);
    expect(notes.unread).toBe(5);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/security/notifications/${notes.items[0]!.id}/read`,
          headers: session.headers,
        })
      ).statusCode,
    ).toBe(204);
    expect(
      json<{ unread: number }>(
        await t.app.inject({ url: '/api/v1/security/notifications', headers: session.headers }),
      ).unread,
    ).toBe(4);

    // By mail, through the real SMTP peer, to the officers only.
    const mails = await smtp.parsed();
    expect(mails).toHaveLength(5);
    for (const m of mails) {
      expect(m.subject).toMatch(/^\[Sécurité (faible|moyenne|haute|critique)\] SEC-\d{6} /);
      expect(
        smtp.messages.every(
          (x) => x.to.includes('rssi@client-a.test') && !x.to.includes('dsi@client-a.test'),
        ),
      ).toBe(true);
    }

    // The webhook: the first POST was refused (503), the job retried it; every body is signed.
    expect(received.length).toBe(4);
    clock = new Date(clock.getTime() + 60_000);
    await worker.runOnce();
    expect(received.length).toBe(5);
    for (const r of received)
      expect(r.signature).toBe(`sha256=${createHmac('sha256', SECRET).update(r.body).digest('hex')}`);
    expect(
      new Set(received.map((r) => (JSON.parse(r.body) as { incident: { id: string } }).incident.id)).size,
    ).toBe(5);

    // Escalation: the critical incident still new after 30 minutes goes to supervisors and admins, once.
    const escalate = jobs.jobs['security.escalate']!;
    const ctx = { ...t.ctx, actor: systemPrincipal('worker') };
    await escalate({ ...ctx, now: new Date(Date.parse(brute.detected_at) + 29 * 60_000) }, {});
    expect(
      (
        await t.ctx.db
          .selectFrom('security_incident')
          .select('escalated_at')
          .where('id', '=', brute.id)
          .executeTakeFirstOrThrow()
      ).escalated_at,
    ).toBeNull();
    await escalate({ ...ctx, now: new Date(Date.parse(brute.detected_at) + 31 * 60_000) }, {});
    await escalate({ ...ctx, now: new Date(Date.parse(brute.detected_at) + 32 * 60_000) }, {});
    const row = await t.ctx.db
      .selectFrom('security_incident')
      .select('escalated_at')
      .where('id', '=', brute.id)
      .executeTakeFirstOrThrow();
    expect(row.escalated_at).not.toBeNull();
    clock = new Date(Date.parse(brute.detected_at) + 33 * 60_000);
    await worker.runOnce();
    const escalations = (await smtp.parsed()).filter((m) => /Escalade/.test(m.subject ?? ''));
    // Every critical incident of web1 (the vital asset raises each rule's severity), each once.
    const critical = incidents.filter((i) => i.severity === 'critical');
    expect(critical.length).toBeGreaterThanOrEqual(1);
    expect(escalations).toHaveLength(critical.length);
    expect(smtp.messages[smtp.messages.length - 1]!.to).toEqual(
      expect.arrayContaining(['dsi@client-a.test']),
    );
    await worker.stop();
  });
});
