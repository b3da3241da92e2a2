import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmtpPeer, startSmtpPeer } from '../../../../test/support/smtp.js';
import type { TReportSchedule } from '../../../shared/schemas/reports.js';
import { fromJson } from '../../db/values.js';
import {
  json,
  login,
  makeUser,
  type Session,
  type TestApp,
  testApp,
  testConfig,
  world,
} from '../../test/harness.js';
import { createMailService, type MailService } from '../mail/index.js';
import { enqueueDueReports, nextRunAt, sendScheduledReport } from './schedules.service.js';

let t: TestApp;
let w: Awaited<ReturnType<typeof world>>;
let admin: Session;
let supervisor: Session;
let tech: Session;
let smtp: SmtpPeer;
let mail: MailService;

const call = (
  s: Session,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: object,
  headers = {},
) =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { ...s.headers, ...headers },
    ...(payload && { payload }),
  });

beforeAll(async () => {
  smtp = await startSmtpPeer();
  t = await testApp();
  w = await world(t.ctx);
  admin = await login(t.app, w.adminA.email);
  tech = await login(t.app, w.techA.email);
  const sup = await makeUser(t.ctx, { orgId: w.orgA.id, roles: ['supervisor'] });
  supervisor = await login(t.app, sup.email);
  mail = createMailService(
    testConfig({
      PARC_SMTP_HOST: '127.0.0.1',
      PARC_SMTP_PORT: String(smtp.port),
      PARC_SMTP_FROM: 'Parc <parc@mail.test>',
    }).smtp,
  );
  const ticket = await call(tech, 'POST', '/tickets', { orgId: w.orgA.id, title: 'Imprimante HS' });
  expect(ticket.statusCode).toBe(201);
});
afterAll(async () => {
  mail?.close();
  await t?.close();
  await smtp?.close();
});

describe('report schedules', () => {
  it('sends on Mondays or on the 1st, at 07:00 in the organisation’s time zone', () => {
    const paris = 'Europe/Paris';
    expect(nextRunAt('weekly', paris, new Date('2026-03-04T10:00:00Z')).toISOString()).toBe(
      '2026-03-09T06:00:00.000Z',
    );
    expect(nextRunAt('weekly', paris, new Date('2026-03-09T05:00:00Z')).toISOString()).toBe(
      '2026-03-09T06:00:00.000Z',
    );
    expect(nextRunAt('weekly', paris, new Date('2026-03-09T06:00:00Z')).toISOString()).toBe(
      '2026-03-16T06:00:00.000Z',
    );
    // April starts in summer time (UTC+2).
    expect(nextRunAt('monthly', paris, new Date('2026-03-04T10:00:00Z')).toISOString()).toBe(
      '2026-04-01T05:00:00.000Z',
    );
    expect(nextRunAt('monthly', paris, new Date('2026-12-15T10:00:00Z')).toISOString()).toBe(
      '2027-01-01T06:00:00.000Z',
    );
  });

  it('is managed by supervisors and administrators, with checked recipients and versions', async () => {
    const body = {
      orgId: w.orgA.id,
      frequency: 'weekly',
      recipients: [
        { email: 'Direction@Client.test', locale: 'fr' },
        { email: 'cio@client.test', locale: 'en' },
      ],
    };
    expect((await call(tech, 'POST', '/reports/schedules', body)).statusCode).toBe(403);
    expect((await call(admin, 'POST', '/reports/schedules', { ...body, orgId: w.orgB.id })).statusCode).toBe(
      404,
    );
    const dup = await call(admin, 'POST', '/reports/schedules', {
      ...body,
      recipients: [...body.recipients, { email: 'direction@client.test', locale: 'en' }],
    });
    expect(dup.statusCode).toBe(400);
    expect(json<{ errors: Array<{ path: string }> }>(dup).errors[0]!.path).toBe('recipients.2.email');
    const res = await call(supervisor, 'POST', '/reports/schedules', body);
    expect(res.statusCode).toBe(201);
    const s = json<TReportSchedule>(res);
    expect(s).toMatchObject({
      frequency: 'weekly',
      active: true,
      recipients: [
        { email: 'direction@client.test', locale: 'fr' },
        { email: 'cio@client.test', locale: 'en' },
      ],
      lastRunAt: null,
      lastMailIds: [],
    });
    expect(s.nextRunAt).toBe(nextRunAt('weekly', 'Europe/Paris', new Date()).toISOString());
    expect(
      (await call(admin, 'PATCH', `/reports/schedules/${s.id}`, { frequency: 'monthly' })).statusCode,
    ).toBe(428);
    const patched = await call(
      admin,
      'PATCH',
      `/reports/schedules/${s.id}`,
      { frequency: 'monthly' },
      { 'if-match': '"v1"' },
    );
    expect(patched.statusCode).toBe(200);
    expect(json<TReportSchedule>(patched)).toMatchObject({ frequency: 'monthly', version: 2 });
    expect(json<TReportSchedule>(patched).nextRunAt).toBe(
      nextRunAt('monthly', 'Europe/Paris', new Date()).toISOString(),
    );
    const list = json<{ items: TReportSchedule[] }>(
      await call(admin, 'GET', `/reports/schedules?orgId=${w.orgA.id}`),
    );
    expect(list.items.map((x) => x.id)).toEqual([s.id]);
    expect((await call(tech, 'GET', '/reports/schedules')).statusCode).toBe(403);
    const gone = await call(admin, 'DELETE', `/reports/schedules/${s.id}`, undefined, { 'if-match': '"v2"' });
    expect(gone.statusCode).toBe(204);
    expect((await call(admin, 'GET', `/reports/schedules/${s.id}`)).statusCode).toBe(404);
  });

  it('mails the last complete period’s PDF to each recipient in their language when due', async () => {
    const created = await call(admin, 'POST', '/reports/schedules', {
      orgId: w.orgA.id,
      frequency: 'weekly',
      recipients: [
        { email: 'direction@client.test', locale: 'fr' },
        { email: 'cio@client.test', locale: 'en' },
      ],
    });
    const s = json<TReportSchedule>(created);
    const due = { ...t.ctx, now: new Date(Date.parse(s.nextRunAt) + 60_000) };
    expect(await enqueueDueReports(due)).toBeGreaterThanOrEqual(1);
    // Claimed once: the next tick finds it moved to the week after.
    expect(await enqueueDueReports(due)).toBe(0);
    const job = await t.ctx.db
      .selectFrom('job')
      .select(['payload', 'max_attempts'])
      .where('name', '=', 'reports.send')
      .execute();
    expect(job.map((j) => fromJson<{ scheduleId: string }>(j.payload).scheduleId)).toContain(s.id);

    await sendScheduledReport(due, mail, { scheduleId: s.id });
    const after = json<TReportSchedule>(await call(admin, 'GET', `/reports/schedules/${s.id}`));
    expect(after.nextRunAt).toBe(new Date(Date.parse(s.nextRunAt) + 7 * 86_400_000).toISOString());
    expect(after.lastError).toBeNull();
    expect(after.lastRunAt).toBe(due.now.toISOString());
    expect(after.lastMailIds).toHaveLength(2);
    const before = smtp.messages.length;
    for (const id of after.lastMailIds) await mail.deliverQueued(t.ctx, id);
    const parsed = (await smtp.parsed()).slice(before);
    expect(parsed.map((m) => m.subject?.split(' — ')[0])).toEqual([
      'Rapport des incidents',
      'Incident report',
    ]);
    expect(parsed.map((m) => (Array.isArray(m.to) ? '' : m.to?.text))).toEqual([
      'direction@client.test',
      'cio@client.test',
    ]);
    for (const m of parsed) {
      expect(m.attachments).toHaveLength(1);
      expect(m.attachments[0]!.contentType).toBe('application/pdf');
      expect(m.attachments[0]!.content.subarray(0, 5).toString()).toBe('%PDF-');
    }
    expect(parsed[0]!.text).toContain('Tickets créés');
  });

  it('shows a failed send: the mail retries with its error, the schedule its own failure', async () => {
    const s = json<TReportSchedule>(
      await call(admin, 'POST', '/reports/schedules', {
        orgId: w.orgA.id,
        frequency: 'monthly',
        recipients: [{ email: 'ops@client.test', locale: 'fr' }],
      }),
    );
    expect((await call(admin, 'POST', `/reports/schedules/${s.id}/run`)).statusCode).toBe(202);
    smtp.refuse(true);
    try {
      await sendScheduledReport(t.ctx, mail, { scheduleId: s.id, manual: 'now' });
      const [mailId] = json<TReportSchedule>(
        await call(admin, 'GET', `/reports/schedules/${s.id}`),
      ).lastMailIds;
      await expect(mail.deliverQueued(t.ctx, mailId!)).rejects.toThrow();
      const outgoing = json<{ items: Array<{ id: string; status: string; lastError: string | null }> }>(
        await call(admin, 'GET', `/mail/outgoing?orgId=${w.orgA.id}`),
      );
      const row = outgoing.items.find((m) => m.id === mailId)!;
      expect(row.status).toBe('retrying');
      expect(row.lastError).toMatch(/451/);
    } finally {
      smtp.refuse(false);
    }
    // A run that cannot queue its mails (fault injected in the queue) records why, and throws for a retry.
    const broken = { queueMail: () => Promise.reject(new Error('mail queue unavailable')) };
    await expect(sendScheduledReport(t.ctx, broken, { scheduleId: s.id, manual: 'again' })).rejects.toThrow(
      'mail queue unavailable',
    );
    const after = json<TReportSchedule>(await call(admin, 'GET', `/reports/schedules/${s.id}`));
    expect(after.lastError).toBe('mail queue unavailable');
  });
});
