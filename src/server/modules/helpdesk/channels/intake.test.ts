import { randomBytes } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import pino from 'pino';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dovecot, dovecotAvailable, startDovecot } from '../../../../../test/support/dovecot.js';
import type { Ctx } from '../../../context.js';
import { enqueue } from '../../../jobs/queue.js';
import { buildJobRegistry } from '../../../jobs/registry.js';
import { startWorker } from '../../../jobs/worker.js';
import {
  json,
  logCapture,
  login,
  type Session,
  type TestApp,
  testApp,
  testConfig,
  world,
} from '../../../test/harness.js';
import { type IntakeOptions, MAIL_INTAKE_JOB, pollMailbox } from './intake.service.js';

/**
 * The e-mail intake against a real IMAP server (dovecot, started here): messages are delivered by
 * IMAP APPEND and read by the same code the minute job runs.
 */
const hasDovecot = dovecotAvailable();

let t: TestApp;
let w: Awaited<ReturnType<typeof world>>;
let admin: Session;
let requester: Session;
let dovecot: Dovecot;
let imap: ImapFlow;
let mailboxVersion = 0;
const capture = logCapture();
let ctx: Ctx;

const MB = 1_048_576;

type Part = { filename: string; contentType: string; content: Buffer };

function message(m: {
  from: string;
  subject: string;
  body: string;
  messageId?: string | null;
  headers?: Record<string, string>;
  attachments?: Part[];
}): string {
  const head = [
    `From: ${m.from}`,
    'To: support@client-a.test',
    `Subject: ${m.subject}`,
    'Date: Mon, 05 Jan 2026 10:00:00 +0100',
    ...(m.messageId === null ? [] : [`Message-ID: <${m.messageId ?? `${uuidv7()}@mail.test`}>`]),
    'MIME-Version: 1.0',
    ...Object.entries(m.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
  ];
  if (!m.attachments?.length) {
    return [
      ...head,
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      m.body,
      '',
    ].join('\r\n');
  }
  const b = `b-${randomBytes(6).toString('hex')}`;
  const parts = [
    `--${b}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    m.body,
  ];
  for (const a of m.attachments) {
    parts.push(
      `--${b}`,
      `Content-Type: ${a.contentType}; name="${a.filename}"`,
      `Content-Disposition: attachment; filename="${a.filename}"`,
      'Content-Transfer-Encoding: base64',
      '',
      a.content.toString('base64').replace(/.{76}/g, '$&\r\n'),
    );
  }
  parts.push(`--${b}--`, '');
  return [...head, `Content-Type: multipart/mixed; boundary="${b}"`, '', ...parts].join('\r\n');
}

async function deliver(raw: string | Buffer): Promise<number> {
  const res = await imap.append('INBOX', raw);
  const uid = res ? res.uid : undefined;
  if (!uid) throw new Error('APPEND gave no UID');
  return uid;
}

async function poll(opts: Partial<IntakeOptions> = {}) {
  return pollMailbox({ ...ctx, now: new Date() }, w.orgA.id, { maxAttachmentBytes: MB, ...opts });
}

async function ticketsTitled(title: string) {
  return t.db.handle.db
    .selectFrom('ticket')
    .selectAll()
    .where('org_id', '=', w.orgA.id)
    .where('title', '=', title)
    .execute();
}

async function events(ticketId: string) {
  return t.db.handle.db
    .selectFrom('ticket_event')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

async function putMailbox(body: Record<string, unknown>) {
  const res = await t.app.inject({
    method: 'PUT',
    url: `/api/v1/helpdesk/mailboxes/${w.orgA.id}`,
    headers: { ...admin.headers, 'if-match': `"v${mailboxVersion}"` },
    payload: {
      host: dovecot.host,
      port: dovecot.port,
      tls: false,
      username: dovecot.user,
      folder: 'INBOX',
      address: 'support@client-a.test',
      ...body,
    },
  });
  if (res.statusCode !== 200) throw new Error(`mailbox: ${res.statusCode} ${res.body}`);
  mailboxVersion = json<{ version: number }>(res).version;
  return json<Record<string, unknown>>(res);
}

describe.skipIf(!hasDovecot)('e-mail intake (real dovecot)', () => {
  beforeAll(async () => {
    dovecot = await startDovecot();
    t = await testApp();
    ctx = { ...t.ctx, log: pino({ level: 'info' }, capture.stream) };
    w = await world(t.ctx);
    admin = await login(t.app, w.adminA.email);
    requester = await login(t.app, w.requesterA.email);
    imap = new ImapFlow({
      host: dovecot.host,
      port: dovecot.port,
      secure: false,
      auth: { user: dovecot.user, pass: dovecot.password },
      logger: false,
    });
    await imap.connect();
    await imap.mailboxOpen('INBOX');
  });
  afterAll(async () => {
    await imap?.logout().catch(() => undefined);
    await t?.close();
    await dovecot?.stop();
  });

  it('stores the mailbox with its password sealed, and never returns the password', async () => {
    const missing = await t.app.inject({
      method: 'GET',
      url: `/api/v1/helpdesk/mailboxes/${w.orgA.id}`,
      headers: admin.headers,
    });
    expect(missing.statusCode).toBe(404);
    const noPassword = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/helpdesk/mailboxes/${w.orgA.id}`,
      headers: { ...admin.headers, 'if-match': '"v0"' },
      payload: { host: dovecot.host, username: dovecot.user },
    });
    expect(noPassword.statusCode).toBe(422);
    const saved = await putMailbox({ password: dovecot.password, unknownSender: 'create_requester' });
    expect(saved).toMatchObject({ hasPassword: true, enabled: true, unknownSender: 'create_requester' });
    expect(JSON.stringify(saved)).not.toContain(dovecot.password);
    const row = await t.db.handle.db
      .selectFrom('helpdesk_mailbox')
      .selectAll()
      .where('org_id', '=', w.orgA.id)
      .executeTakeFirstOrThrow();
    expect(row.password_sealed).not.toContain(dovecot.password);
    expect(t.ctx.secrets.open(row.password_sealed!)).toBe(dovecot.password);
    // A requester may not read it; another organisation's admin sees nothing.
    const asRequester = await t.app.inject({
      method: 'GET',
      url: `/api/v1/helpdesk/mailboxes/${w.orgA.id}`,
      headers: requester.headers,
    });
    expect(asRequester.statusCode).toBe(403);
    // Saving again without a password keeps it.
    await putMailbox({ unknownSender: 'create_requester' });
    const kept = await t.db.handle.db
      .selectFrom('helpdesk_mailbox')
      .select('password_sealed')
      .where('org_id', '=', w.orgA.id)
      .executeTakeFirstOrThrow();
    expect(t.ctx.secrets.open(kept.password_sealed!)).toBe(dovecot.password);
  });

  it('turns a new mail into a ticket with its attachment, and flags the mail as read', async () => {
    const pdf = Buffer.from('%PDF-1.4 fake scan');
    const uid = await deliver(
      message({
        from: `Requester A <${w.requesterA.email}>`,
        subject: 'Imprimante du 2e étage HS',
        body: 'Bonjour,\nl’imprimante affiche E-05.\nMerci',
        attachments: [{ filename: 'photo écran.pdf', contentType: 'application/pdf', content: pdf }],
      }),
    );
    const summary = await poll();
    expect(summary.error).toBeUndefined();
    expect(summary.outcomes).toMatchObject({ ticket: 1 });
    const [tk] = await ticketsTitled('Imprimante du 2e étage HS');
    expect(tk).toMatchObject({ source: 'email', requester_id: w.requesterA.id });
    expect(tk!.description).toContain('l’imprimante affiche E-05.');
    // The requester sees the ticket and its attachment.
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/v1/tickets/${tk!.id}/attachments`,
      headers: requester.headers,
    });
    expect(list.statusCode).toBe(200);
    const items = json<{ items: Array<{ id: string; filename: string; size: number }> }>(list).items;
    expect(items).toMatchObject([{ filename: 'photo écran.pdf', size: pdf.length }]);
    const file = await t.app.inject({
      method: 'GET',
      url: `/api/v1/tickets/${tk!.id}/attachments/${items[0]!.id}`,
      headers: requester.headers,
    });
    expect(file.rawPayload.equals(pdf)).toBe(true);
    expect(file.headers['content-type']).toBe('application/octet-stream');
    const flags = await imap.fetchOne(String(uid), { flags: true }, { uid: true });
    expect(flags && [...(flags.flags ?? [])]).toContain('\\Seen');
    const box = await t.app.inject({
      method: 'GET',
      url: `/api/v1/helpdesk/mailboxes/${w.orgA.id}`,
      headers: admin.headers,
    });
    expect(json(box)).toMatchObject({ lastUid: uid, lastError: null });
    // Nothing new: nothing happens.
    expect((await poll()).fetched).toBe(0);
  });

  it('files a reply as a follow-up: by [T-…] in the subject, or by the notification it answers', async () => {
    const [tk] = await ticketsTitled('Imprimante du 2e étage HS');
    await deliver(
      message({
        from: w.requesterA.email,
        subject: `RE: [${tk!.reference}] Imprimante du 2e étage HS`,
        body: 'Toujours en panne après redémarrage.\n\nLe lun. 5 janv. 2026 à 10:00, Parc a écrit :\n> Votre demande est enregistrée',
      }),
    );
    // A reply without the reference, answering a notification Parc sent for the ticket.
    await t.db.handle.db
      .insertInto('helpdesk_notification')
      .values({
        event_id: uuidv7(),
        org_id: w.orgA.id,
        ticket_id: tk!.id,
        kind: 'created',
        recipient: w.requesterA.email,
        mail_id: null,
        message_id: 'notif-1@parc.test',
        created_at: new Date().toISOString(),
      })
      .execute();
    await deliver(
      message({
        from: w.requesterA.email,
        subject: 'Re: votre demande',
        body: 'Le voyant clignote orange.',
        headers: { 'In-Reply-To': '<notif-1@parc.test>', References: '<notif-1@parc.test>' },
      }),
    );
    const summary = await poll();
    expect(summary.outcomes).toMatchObject({ followup: 2, ticket: 0 });
    const followups = (await events(tk!.id)).filter((e) => e.kind === 'followup');
    expect(followups.map((e) => e.body)).toEqual([
      'Toujours en panne après redémarrage.',
      'Le voyant clignote orange.',
    ]);
    expect(followups.every((e) => e.author_id === w.requesterA.id)).toBe(true);
    expect(await ticketsTitled('votre demande')).toHaveLength(0);
  });

  it('ignores auto-replies and bounces', async () => {
    const before = await t.db.handle.db.selectFrom('ticket').select('id').execute();
    await deliver(
      message({
        from: w.requesterA.email,
        subject: 'Absence du bureau',
        body: 'Je suis absent jusqu’au 12.',
        headers: { 'Auto-Submitted': 'auto-replied', 'X-Autoreply': 'yes' },
      }),
    );
    await deliver(
      message({
        from: w.requesterA.email,
        subject: 'Réponse automatique',
        body: 'En congés.',
        headers: { Precedence: 'auto_reply' },
      }),
    );
    const b = 'dsn-boundary';
    await deliver(
      [
        'From: Mail Delivery System <MAILER-DAEMON@mx.client-a.test>',
        'To: support@client-a.test',
        'Subject: Undelivered Mail Returned to Sender',
        `Message-ID: <${uuidv7()}@mx.client-a.test>`,
        'MIME-Version: 1.0',
        `Content-Type: multipart/report; report-type=delivery-status; boundary="${b}"`,
        '',
        `--${b}`,
        'Content-Type: text/plain',
        '',
        'This is the mail system. I am sorry to have to inform you that your message could not be delivered.',
        `--${b}`,
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.client-a.test',
        '',
        'Final-Recipient: rfc822; nobody@client-a.test',
        'Action: failed',
        'Status: 5.1.1',
        `--${b}--`,
        '',
      ].join('\r\n'),
    );
    const summary = await poll();
    expect(summary.outcomes).toMatchObject({ ignored: 3, ticket: 0, followup: 0 });
    const after = await t.db.handle.db.selectFrom('ticket').select('id').execute();
    expect(after).toHaveLength(before.length);
    const log = await t.app.inject({
      method: 'GET',
      url: `/api/v1/helpdesk/mailboxes/${w.orgA.id}/messages?limit=3`,
      headers: admin.headers,
    });
    const reasons = json<{ items: Array<{ outcome: string; reason: string }> }>(log).items;
    expect(reasons.every((r) => r.outcome === 'ignored')).toBe(true);
    expect(reasons.map((r) => r.reason).join(' | ')).toMatch(/Auto-Submitted: auto-replied/);
    expect(reasons.map((r) => r.reason).join(' | ')).toMatch(
      /multipart\/report|MAILER-DAEMON|mailer-daemon/i,
    );
  });

  it('creates an unknown sender as a requester, or refuses them, as the organisation chose', async () => {
    await deliver(
      message({
        from: 'Nouvel Arrivant <nouvel.arrivant@client-a.test>',
        subject: 'Pas de compte VPN',
        body: 'Bonjour',
      }),
    );
    expect((await poll()).outcomes).toMatchObject({ ticket: 1 });
    const user = await t.db.handle.db
      .selectFrom('app_user')
      .selectAll()
      .where('email', '=', 'nouvel.arrivant@client-a.test')
      .executeTakeFirstOrThrow();
    expect(user.display_name).toBe('Nouvel Arrivant');
    const roles = await t.db.handle.db
      .selectFrom('user_role')
      .select(['org_id', 'role'])
      .where('user_id', '=', user.id)
      .execute();
    expect(roles).toEqual([{ org_id: w.orgA.id, role: 'requester' }]);
    const cred = await t.db.handle.db
      .selectFrom('user_credential')
      .selectAll()
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(cred.must_change_password).toBeTruthy();
    const [tk] = await ticketsTitled('Pas de compte VPN');
    expect(tk!.requester_id).toBe(user.id);

    await putMailbox({ unknownSender: 'refuse' });
    await deliver(message({ from: 'inconnu@elsewhere.test', subject: 'Offre spéciale', body: 'Achetez' }));
    const refused = await poll();
    expect(refused.outcomes).toMatchObject({ refused: 1, ticket: 0 });
    expect(await ticketsTitled('Offre spéciale')).toHaveLength(0);
    const nobody = await t.db.handle.db
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', 'inconnu@elsewhere.test')
      .executeTakeFirst();
    expect(nobody).toBeUndefined();
    await putMailbox({ unknownSender: 'create_requester' });
  });

  it('never makes a ticket twice when a run dies before the high-water mark moves', async () => {
    const titles = ['Écran noir poste 12', 'Souris sans fil muette', 'Clavier QWERTY au lieu d’AZERTY'];
    const uids: number[] = [];
    for (const title of titles)
      uids.push(await deliver(message({ from: w.requesterA.email, subject: title, body: title })));
    // The run dies right after the second message's transaction: before it is filed and before
    // the high-water mark moves past it.
    const crashed = await poll({
      afterMessage: (uid) => {
        if (uid === uids[1]) throw new Error('simulated crash');
      },
    });
    expect(crashed.error).toBe('simulated crash');
    expect(crashed.outcomes.ticket).toBe(2);
    const box = await t.db.handle.db
      .selectFrom('helpdesk_mailbox')
      .select(['last_uid', 'last_error', 'lease_until'])
      .where('org_id', '=', w.orgA.id)
      .executeTakeFirstOrThrow();
    expect(box).toMatchObject({ last_uid: uids[0], last_error: 'simulated crash', lease_until: null });
    // The next run reads the second message again, recognises it, and goes on.
    const resumed = await poll();
    expect(resumed.error).toBeUndefined();
    expect(resumed.outcomes).toMatchObject({ duplicate: 1, ticket: 1 });
    for (const title of titles) expect(await ticketsTitled(title)).toHaveLength(1);
    // Even starting over from the first message (a new UIDVALIDITY) makes nothing twice.
    await t.db.handle.db
      .updateTable('helpdesk_mailbox')
      .set({ uid_validity: 'stale', last_uid: 0 })
      .where('org_id', '=', w.orgA.id)
      .execute();
    const again = await poll();
    expect(again.outcomes.ticket + again.outcomes.followup).toBe(0);
    for (const title of titles) expect(await ticketsTitled(title)).toHaveLength(1);
  });

  it('reads malformed MIME as well as it can: logged, kept, no crash', async () => {
    capture.lines.length = 0;
    await deliver(
      [
        `From: ${w.requesterA.email}`,
        'To: support@client-a.test',
        'Subject: =?utf-8?B?UGFubmUg?= =?bogus?Q?r=C3=A9seau?=',
        `Message-ID: <${uuidv7()}@mail.test>`,
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="never-closed"',
        '',
        '--never-closed',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: base64',
        '',
        'TGUgcsOpc2VhdSBlc3QgY291cMOp!!!not base64',
        '--never-closed',
        'Content-Type: application/octet-stream; name="cut.bin"',
        'Content-Transfer-Encoding: base64',
        '',
        'AAAA',
      ].join('\r\n'),
    );
    // Not even a header: refused (no sender), recorded, logged.
    await deliver(Buffer.concat([Buffer.from('\x00\x01\x02 garbage without headers\r\n'), randomBytes(512)]));
    const summary = await poll();
    expect(summary.error).toBeUndefined();
    expect(summary.outcomes).toMatchObject({ ticket: 1, refused: 1 });
    const tk = await t.db.handle.db
      .selectFrom('ticket')
      .selectAll()
      .where('org_id', '=', w.orgA.id)
      .where('title', 'like', 'Panne%')
      .executeTakeFirstOrThrow();
    expect(tk.description).toMatch(/Message mal formé/);
    const atts = await t.db.handle.db
      .selectFrom('helpdesk_mail_attachment')
      .select(['filename', 'media_type'])
      .where('ticket_id', '=', tk.id)
      .execute();
    expect(atts.map((a) => a.filename)).toContain('message.eml');
    const logged = capture.lines.join('');
    expect(logged).toMatch(/malformed message/);
    expect(logged).toMatch(/multipart message not closed/);
    expect(logged).toMatch(/without a sender refused/);
  });

  it('drops an attachment over the cap with a note on the ticket, even a 100 MB one', async () => {
    capture.lines.length = 0;
    await deliver(
      message({
        from: w.requesterA.email,
        subject: 'Journal trop gros',
        body: 'Voici le journal.',
        attachments: [
          { filename: 'petit.txt', contentType: 'text/plain', content: Buffer.from('petit') },
          { filename: 'journal.log', contentType: 'application/octet-stream', content: randomBytes(3 * MB) },
        ],
      }),
    );
    const summary = await poll({ maxAttachmentBytes: MB });
    expect(summary.outcomes).toMatchObject({ ticket: 1 });
    const [tk] = await ticketsTitled('Journal trop gros');
    expect(tk!.description).toMatch(
      /Pièce jointe non conservée : « journal\.log » \(3,0 Mo\), au-delà de la limite de 1,0 Mo/,
    );
    const atts = await t.db.handle.db
      .selectFrom('helpdesk_mail_attachment')
      .select('filename')
      .where('ticket_id', '=', tk!.id)
      .execute();
    expect(atts.map((a) => a.filename)).toEqual(['petit.txt']);
    expect(capture.lines.join('')).toMatch(/attachment dropped/);

    // The real thing: 100 MB through IMAP, streamed, never held in memory, under the default 10 MB cap.
    capture.lines.length = 0;
    await deliver(
      message({
        from: w.requesterA.email,
        subject: 'Vidéo de la panne',
        body: 'La vidéo est jointe.',
        attachments: [
          { filename: 'panne.mp4', contentType: 'video/mp4', content: Buffer.alloc(100 * MB, 7) },
        ],
      }),
    );
    const big = await poll({ maxAttachmentBytes: 10 * MB });
    expect(big.error).toBeUndefined();
    expect(big.outcomes).toMatchObject({ ticket: 1 });
    const [video] = await ticketsTitled('Vidéo de la panne');
    expect(video!.description).toContain('La vidéo est jointe.');
    expect(video!.description).toMatch(/« panne\.mp4 » \(100,0 Mo\)/);
    expect(capture.lines.join('')).toMatch(/attachment dropped/);
  }, 120_000);

  it('runs as the minute job of the worker', async () => {
    await deliver(message({ from: w.requesterA.email, subject: 'Lu par le job', body: 'Par le worker.' }));
    const worker = await startWorker(
      {
        handle: t.db.handle,
        registry: buildJobRegistry(testConfig({ PARC_MAIL_MAX_ATTACHMENT_BYTES: String(MB) })),
        log: pino({ level: 'silent' }),
        secrets: t.ctx.secrets,
        workerId: 'intake-test',
      },
      { loop: false },
    );
    await enqueue({ db: t.db.handle.db, now: new Date() }, { name: MAIL_INTAKE_JOB });
    await worker.runOnce();
    await worker.stop();
    expect(await ticketsTitled('Lu par le job')).toHaveLength(1);
    const job = await t.db.handle.db
      .selectFrom('job')
      .select(['status', 'last_error'])
      .where('name', '=', MAIL_INTAKE_JOB)
      .executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: 'done', last_error: null });
  });
});
