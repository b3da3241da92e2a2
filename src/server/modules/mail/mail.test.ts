import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmtpPeer, startSmtpPeer } from '../../../../test/support/smtp.js';
import { inTransaction } from '../../context.js';
import { startWorker } from '../../jobs/worker.js';
import { type TestApp, testApp, testConfig } from '../../test/harness.js';
import { automaticReason, parseMail } from './mime.js';
import { createMailService, MAIL_MAX_ATTEMPTS, MAIL_SEND_JOB, type MailService } from './outgoing.service.js';
import { renderMailText, renderTemplate } from './templates.js';

describe('templates', () => {
  it('replaces variables, keeps or drops sections, and escapes HTML', () => {
    const vars = { name: 'Zoé <admin>', date: '', n: 3, ok: true };
    expect(renderTemplate('Bonjour {{name}}, {{ n }} tickets{{missing}}.', vars)).toBe(
      'Bonjour Zoé <admin>, 3 tickets.',
    );
    expect(renderTemplate('{{#date}}Le {{date}}{{/date}}{{^date}}Sans date{{/date}}', vars)).toBe(
      'Sans date',
    );
    expect(renderTemplate('{{#ok}}A{{#n}}B{{/n}}{{/ok}}', vars)).toBe('AB');
    expect(renderTemplate('<p>{{name}}</p>', { name: 'a & "b"\nc' }, 'html')).toBe(
      '<p>a &amp; &quot;b&quot;<br>\nc</p>',
    );
    const mail = renderMailText(
      { subject: 'Re {{name}}\n', text: 'T {{name}}', html: '<b>{{name}}</b>' },
      vars,
    );
    expect(mail).toEqual({
      subject: 'Re Zoé <admin>',
      text: 'T Zoé <admin>',
      html: '<b>Zoé &lt;admin&gt;</b>',
    });
  });
});

describe('MIME parsing', () => {
  const raw = (headers: string[], body = 'Bonjour') =>
    Buffer.from(
      [...headers, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', body, ''].join('\r\n'),
    );

  it('reads sender, ids and text, and recognises machines', async () => {
    const mail = await parseMail(
      raw([
        'From: "Zoé Martin" <Zoe.Martin@client.test>',
        'Subject: =?utf-8?q?=C3=89cran?= noir',
        'Message-ID: <m1@client.test>',
        'In-Reply-To: <n1@parc.test>',
        'References: <n0@parc.test> <n1@parc.test>',
      ]),
      { maxAttachmentBytes: 1024 },
    );
    expect(mail).toMatchObject({
      from: { address: 'Zoe.Martin@client.test', name: 'Zoé Martin' },
      subject: 'Écran noir',
      messageId: 'm1@client.test',
      inReplyTo: 'n1@parc.test',
      references: ['n0@parc.test', 'n1@parc.test'],
      text: 'Bonjour',
      problems: [],
    });
    expect(automaticReason(mail)).toBeNull();
    const auto = async (headers: string[]) =>
      automaticReason(
        await parseMail(raw(['From: x@client.test', ...headers]), { maxAttachmentBytes: 1024 }),
      );
    expect(await auto(['Auto-Submitted: auto-replied'])).toMatch(/Auto-Submitted/);
    expect(await auto(['Auto-Submitted: no'])).toBeNull();
    expect(await auto(['X-Autoreply: yes'])).toMatch(/x-autoreply/);
    expect(await auto(['Precedence: bulk'])).toMatch(/bulk/);
    expect(await auto(['Return-Path: <>'])).toMatch(/Return-Path/);
    expect(
      automaticReason(await parseMail(raw(['From: MAILER-DAEMON@mx.test']), { maxAttachmentBytes: 1024 })),
    ).toMatch(/mailer-daemon/);
  });
});

describe('outgoing mail', () => {
  let t: TestApp;
  let smtp: SmtpPeer;
  let mail: MailService;

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
  });
  afterAll(async () => {
    mail?.close();
    await t?.close();
    await smtp?.close();
  });

  it('sends through the one SMTP transport, with its Message-ID, headers and attachments', async () => {
    const sent = await mail.sendMail({
      to: 'someone@client.test',
      subject: 'Essai',
      text: 'Texte',
      html: '<p>Texte</p>',
      headers: { 'X-Test': '1' },
      attachments: [{ filename: 'a.txt', contentType: 'text/plain', content: Buffer.from('abc') }],
    });
    expect(sent.messageId).toMatch(/@mail\.test$/);
    const [m] = await smtp.parsed();
    expect(m).toMatchObject({ subject: 'Essai', messageId: `<${sent.messageId}>` });
    expect(m!.headers.get('x-test')).toBe('1');
    expect(m!.attachments[0]!.content.toString()).toBe('abc');
    expect(smtp.messages[0]!.from).toBe('parc@mail.test');
  });

  it('queues in the caller’s transaction, retries with back-off, and keeps the last error visible', async () => {
    let clock = new Date('2026-01-05T10:00:00.000Z');
    const worker = await startWorker(
      {
        handle: t.db.handle,
        log: pino({ level: 'silent' }),
        secrets: t.ctx.secrets,
        workerId: 'mail-test',
        clock: () => clock,
        registry: {
          jobs: { [MAIL_SEND_JOB]: (ctx, p) => mail.deliverQueued(ctx, String(p.mailId)) },
          events: {},
          schedules: [],
        },
      },
      { loop: false },
    );
    // Rolled back with its transaction: never sent.
    await expect(
      inTransaction(t.ctx, async (tx) => {
        await mail.queueMail(tx, { orgId: null, to: 'x@client.test', subject: 'Annulé', text: 'x' });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    const queued = await mail.queueMail(
      { ...t.ctx, now: clock },
      { orgId: null, to: 'y@client.test', subject: 'Réessayé', text: 'y', dedupeKey: 'once' },
    );
    expect(queued).not.toBeNull();
    expect(
      await mail.queueMail(
        { ...t.ctx, now: clock },
        { orgId: null, to: 'y@client.test', subject: 'Réessayé', text: 'y', dedupeKey: 'once' },
      ),
    ).toBeNull();
    smtp.refuse(true);
    const before = smtp.messages.length;
    await worker.runOnce();
    const row = () =>
      t.db.handle.db
        .selectFrom('mail_outgoing')
        .selectAll()
        .where('id', '=', queued!.id)
        .executeTakeFirstOrThrow();
    expect(await row()).toMatchObject({ status: 'retrying', attempts: 1 });
    expect((await row()).last_error).toMatch(/451/);
    const job = await t.db.handle.db
      .selectFrom('job')
      .selectAll()
      .where('name', '=', MAIL_SEND_JOB)
      .where('dedupe_key', '=', `mail:${queued!.id}`)
      .executeTakeFirstOrThrow();
    expect(job.status).toBe('queued');
    expect(new Date(job.run_at).getTime()).toBeGreaterThan(clock.getTime());
    smtp.refuse(false);
    clock = new Date(clock.getTime() + 3600_000);
    await worker.runOnce();
    expect(await row()).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
    expect(smtp.messages.slice(before).map((m) => m.to)).toEqual([['y@client.test']]);
    expect(
      await t.db.handle.db.selectFrom('mail_outgoing').select('id').where('subject', '=', 'Annulé').execute(),
    ).toHaveLength(0);
  });

  it('gives a mail up after its last attempt, marked failed with the reason', async () => {
    const queued = await mail.queueMail(t.ctx, {
      orgId: null,
      to: 'z@client.test',
      subject: 'Perdu',
      text: 'z',
    });
    await t.db.handle.db
      .updateTable('mail_outgoing')
      .set({ attempts: MAIL_MAX_ATTEMPTS - 1 })
      .where('id', '=', queued!.id)
      .execute();
    const down = createMailService(testConfig({ PARC_SMTP_HOST: '127.0.0.1', PARC_SMTP_PORT: '1' }).smtp);
    await expect(down.deliverQueued(t.ctx, queued!.id)).rejects.toThrow();
    const row = await t.db.handle.db
      .selectFrom('mail_outgoing')
      .selectAll()
      .where('id', '=', queued!.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'failed', attempts: MAIL_MAX_ATTEMPTS });
    expect(row.last_error).toMatch(/ECONNREFUSED|connect/i);
    const unconfigured = createMailService(testConfig().smtp);
    expect(unconfigured.enabled).toBe(false);
    await expect(unconfigured.sendMail({ to: 'a@b.test', subject: 's', text: 't' })).rejects.toThrow(
      /PARC_SMTP_HOST/,
    );
  });
});
