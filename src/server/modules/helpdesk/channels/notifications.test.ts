import type { ParsedMail } from 'mailparser';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmtpPeer, startSmtpPeer } from '../../../../../test/support/smtp.js';
import { buildJobRegistry } from '../../../jobs/registry.js';
import { startWorker, type Worker } from '../../../jobs/worker.js';
import {
  json,
  login,
  makeUser,
  type Session,
  type TestApp,
  testApp,
  testConfig,
  world,
} from '../../../test/harness.js';
import { createMailService } from '../../mail/index.js';
import { watchSla } from '../tickets.service.js';
import { notifyTicketEvent } from './notifications.service.js';

/** Mails to requesters, sent by the real worker through a real SMTP peer. */
type Ticket = { id: string; reference: string; version: number; title: string };

let t: TestApp;
let w: Awaited<ReturnType<typeof world>>;
let smtp: SmtpPeer;
let worker: Worker;
let requester: Session;
let english: Session;
let englishEmail: string;
let tech: Session;
let admin: Session;
let other: Session;

const req = (
  s: Session,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
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

async function act(s: Session, tk: Ticket, path: string, body: object): Promise<Ticket> {
  const res = await req(s, 'POST', `/tickets/${tk.id}/${path}`, body, { 'if-match': `"v${tk.version}"` });
  if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode} ${res.body}`);
  return json<Ticket>(res);
}

async function file(s: Session, title: string): Promise<Ticket> {
  const res = await req(s, 'POST', '/tickets', { orgId: w.orgA.id, title, description: 'Détails' });
  if (res.statusCode !== 201) throw new Error(`create: ${res.statusCode} ${res.body}`);
  return json<Ticket>(res);
}

/** Lets the worker deliver the outbox (mails queued) and run the mail jobs (mails sent). */
async function drain(): Promise<void> {
  for (let i = 0; i < 3; i++) await worker.runOnce();
}

let seen = 0;
/** The mails that arrived since the last call. */
async function newMail(): Promise<ParsedMail[]> {
  const all = await smtp.parsed();
  const fresh = all.slice(seen);
  seen = all.length;
  return fresh;
}

beforeAll(async () => {
  smtp = await startSmtpPeer();
  t = await testApp();
  w = await world(t.ctx);
  const registry = buildJobRegistry(
    testConfig({
      PARC_SMTP_HOST: '127.0.0.1',
      PARC_SMTP_PORT: String(smtp.port),
      PARC_SMTP_FROM: 'Parc <parc@helpdesk.test>',
      PARC_BASE_URL: 'https://parc.example.test',
    }),
  );
  worker = await startWorker(
    {
      handle: t.db.handle,
      registry,
      log: pino({ level: 'silent' }),
      secrets: t.ctx.secrets,
      workerId: 'notifications-test',
    },
    { loop: false },
  );
  const englishUser = await makeUser(t.ctx, { orgId: w.orgA.id, roles: ['requester'] });
  englishEmail = englishUser.email;
  await t.db.handle.db
    .updateTable('app_user')
    .set({ locale: 'en' })
    .where('id', '=', englishUser.id)
    .execute();
  const otherUser = await makeUser(t.ctx, { orgId: w.orgA.id, roles: ['requester'] });
  requester = await login(t.app, w.requesterA.email);
  english = await login(t.app, englishUser.email);
  other = await login(t.app, otherUser.email);
  tech = await login(t.app, w.techA.email);
  admin = await login(t.app, w.adminA.email);
  // The intake mailbox's address is the Reply-To of notifications (not read here: disabled).
  await t.db.handle.db
    .insertInto('helpdesk_mailbox')
    .values({
      org_id: w.orgA.id,
      enabled: false,
      host: '127.0.0.1',
      port: 1,
      tls: false,
      username: 'support',
      password_sealed: t.ctx.secrets.seal('x'),
      folder: 'INBOX',
      processed_folder: null,
      address: 'support@client-a.test',
      unknown_sender: 'create_requester',
      uid_validity: null,
      last_uid: 0,
      last_polled_at: null,
      last_error: null,
      lease_until: null,
      updated_at: new Date().toISOString(),
      version: 1,
    })
    .execute();
});
afterAll(async () => {
  await worker?.stop();
  await t?.close();
  await smtp?.close();
});

describe('notifications to the requester', () => {
  let tk: Ticket;
  let firstMessageId: string;

  it('confirms a new ticket in the organisation’s language, with the reference and a stored Message-ID', async () => {
    tk = await file(requester, 'Imprimante bloquée');
    await drain();
    const [mail, ...rest] = await newMail();
    expect(rest).toHaveLength(0);
    expect(mail!.subject).toBe(`[${tk.reference}] Demande enregistrée : Imprimante bloquée`);
    expect(mail!.to && 'text' in mail!.to ? mail!.to.text : '').toContain(w.requesterA.email);
    expect(mail!.from?.text).toContain('parc@helpdesk.test');
    expect(mail!.replyTo?.text).toBe('support@client-a.test');
    expect(mail!.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail!.text).toContain(`enregistrée sous la référence ${tk.reference}`);
    expect(mail!.text).toContain(`https://parc.example.test/tickets/${tk.id}`);
    expect(mail!.html).toContain('Imprimante bloquée');
    firstMessageId = mail!.messageId!.replace(/[<>]/g, '');
    const stored = await t.db.handle.db
      .selectFrom('helpdesk_notification')
      .selectAll()
      .where('ticket_id', '=', tk.id)
      .execute();
    expect(stored).toMatchObject([
      { kind: 'created', message_id: firstMessageId, recipient: w.requesterA.email },
    ]);
    const outgoing = await t.db.handle.db
      .selectFrom('mail_outgoing')
      .selectAll()
      .where('message_id', '=', firstMessageId)
      .executeTakeFirstOrThrow();
    expect(outgoing).toMatchObject({ status: 'sent', attempts: 1, last_error: null });
    // The same event handled again tells nothing twice.
    expect(
      await notifyTicketEvent(
        t.ctx,
        {
          mail: createMailService(
            testConfig({ PARC_SMTP_HOST: '127.0.0.1', PARC_SMTP_PORT: String(smtp.port) }).smtp,
          ),
          baseUrl: '',
        },
        { type: 'ticket.created', payload: { ticketId: tk.id } },
      ),
    ).toBe(0);
  });

  it('tells who took the ticket and when it waits for the user, threaded under the first mail', async () => {
    tk = await act(tech, tk, 'assign', { assigneeId: w.techA.id, groupId: null });
    tk = await act(tech, tk, 'status', { status: 'in_progress' });
    tk = await act(tech, tk, 'status', {
      status: 'waiting',
      waitingFor: 'user',
      waitingUntil: '2030-01-02T09:00:00.000Z',
      note: 'Pouvez-vous redémarrer le poste ?',
    });
    await drain();
    // Mails queued together leave in any order.
    const mails = await newMail();
    expect(mails.map((m) => m.subject).sort()).toEqual([
      `[${tk.reference}] En attente : Imprimante bloquée`,
      `[${tk.reference}] Prise en charge : Imprimante bloquée`,
    ]);
    const assigned = mails.find((m) => m.subject?.includes('Prise en charge'));
    const waiting = mails.find((m) => m.subject?.includes('En attente'));
    expect(assigned!.text).toContain(w.techA.email.split('@')[0]);
    expect(waiting!.text).toContain('est en attente : votre réponse.');
    expect(waiting!.text).toContain('2 janvier 2030');
    expect(waiting!.text).toContain('Pouvez-vous redémarrer le poste ?');
    for (const m of mails) {
      expect(m.inReplyTo).toBe(`<${firstMessageId}>`);
      expect(String(m.references)).toContain(firstMessageId);
    }
  });

  it('forwards the technicians’ public follow-ups only', async () => {
    const followup = async (s: Session, body: string, isPublic: boolean) => {
      const res = await req(s, 'POST', `/tickets/${tk.id}/followups`, { body, public: isPublic });
      expect(res.statusCode).toBe(201);
      tk = json<{ ticket: Ticket }>(res).ticket;
    };
    await followup(tech, 'Note interne : toner HS', false);
    await followup(requester, 'C’est redémarré.', true);
    await followup(tech, 'Je passe à 14 h avec un toner neuf.', true);
    await drain();
    const mails = await newMail();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe(`[${tk.reference}] Nouveau message : Imprimante bloquée`);
    expect(mails[0]!.text).toContain('Je passe à 14 h avec un toner neuf.');
    expect(mails[0]!.text).not.toContain('toner HS');
  });

  it('sends the intervention note on resolution, in the mail and as a PDF, never the technical report', async () => {
    tk = await act(tech, tk, 'solve', {
      solution: 'Fuser 40X8420 remplacé, compteur remis à zéro via menu service.',
      note: {
        cause: 'Le four de l’imprimante était usé.',
        action: 'Nous avons remplacé la pièce usée.',
        impact: 'Vous pouvez de nouveau imprimer en recto verso.',
        advice: 'Évitez le papier de plus de 120 g.',
      },
    });
    expect(json(await req(tech, 'GET', `/tickets/${tk.id}`))).toMatchObject({
      interventionNote: { cause: 'Le four de l’imprimante était usé.' },
    });
    await drain();
    const [mail, ...rest] = await newMail();
    expect(rest).toHaveLength(0);
    expect(mail!.subject).toBe(`[${tk.reference}] Résolu : Imprimante bloquée`);
    expect(mail!.text).toContain('Le four de l’imprimante était usé.');
    expect(mail!.text).toContain('Évitez le papier de plus de 120 g.');
    expect(mail!.text).not.toContain('40X8420');
    expect(mail!.html).not.toContain('40X8420');
    expect(mail!.attachments).toHaveLength(1);
    const pdf = mail!.attachments[0]!;
    expect(pdf.contentType).toBe('application/pdf');
    expect(pdf.filename).toBe(`note-intervention-${tk.reference}.pdf`);
    expect(pdf.content.subarray(0, 5).toString()).toBe('%PDF-');

    const mine = await req(requester, 'GET', `/tickets/${tk.id}/intervention-note.pdf`);
    expect(mine.statusCode).toBe(200);
    expect(mine.headers['content-type']).toBe('application/pdf');
    expect(mine.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await req(tech, 'GET', `/tickets/${tk.id}/intervention-note.pdf`)).statusCode).toBe(200);
    expect((await req(other, 'GET', `/tickets/${tk.id}/intervention-note.pdf`)).statusCode).toBe(404);
    const noNote = await file(requester, 'Souris');
    expect((await req(requester, 'GET', `/tickets/${noNote.id}/intervention-note.pdf`)).statusCode).toBe(404);
    await drain();
    await newMail();
  });

  it('writes to each requester in their own language', async () => {
    const mine = await file(english, 'Laptop will not boot');
    await drain();
    const [mail] = await newMail();
    expect(mail!.subject).toBe(`[${mine.reference}] Request received: Laptop will not boot`);
    expect(mail!.to && 'text' in mail!.to ? mail!.to.text : '').toContain(englishEmail);
    expect(mail!.text).toContain('Hello');
  });

  it('uses the organisation’s own wording, HTML-escaped, and goes back to the default', async () => {
    const url = `/mail/templates/${w.orgA.id}/helpdesk.ticket_created/fr`;
    const def = await req(admin, 'GET', url);
    expect(json(def)).toMatchObject({ custom: false, version: 0 });
    expect((await req(tech, 'GET', url)).statusCode).toBe(403);
    const bad = await req(
      admin,
      'PUT',
      url,
      { subject: '{{#title}}oops', text: 'x', html: null },
      { 'if-match': '"v0"' },
    );
    expect(bad.statusCode).toBe(422);
    const put = await req(
      admin,
      'PUT',
      url,
      {
        subject: '[{{reference}}] Bien reçu : {{title}}',
        text: 'Merci {{requesterName}}, nous traitons « {{title}} ».',
        html: '<p>Merci, nous traitons <b>{{title}}</b>.</p>',
      },
      { 'if-match': '"v0"' },
    );
    expect(put.statusCode).toBe(200);
    expect(json(put)).toMatchObject({ custom: true, version: 1 });
    const tk2 = await file(requester, '<script>alert(1)</script> écran');
    await drain();
    const [mail] = await newMail();
    expect(mail!.subject).toBe(`[${tk2.reference}] Bien reçu : <script>alert(1)</script> écran`);
    expect(mail!.html).toContain('<b>&lt;script&gt;alert(1)&lt;/script&gt; écran</b>');
    expect(mail!.html).not.toContain('<script>');
    expect((await req(admin, 'DELETE', url)).statusCode).toBe(204);
    expect(json(await req(admin, 'GET', url))).toMatchObject({ custom: false });
    const list = await req(admin, 'GET', `/mail/outgoing?orgId=${w.orgA.id}&limit=2`);
    expect(json<{ items: Array<{ status: string }> }>(list).items[0]).toMatchObject({ status: 'sent' });
  });

  it('warns the technician before the deadline, then tells the supervisors of the breach', async () => {
    const sup = await makeUser(t.ctx, { orgId: w.orgA.id, roles: ['supervisor'] });
    let tk = await file(requester, 'Serveur de messagerie arrêté');
    tk = await act(tech, tk, 'assign', { assigneeId: w.techA.id, groupId: null });
    await drain();
    await newMail();
    // The clock moves on: the warning point is behind us (the outbox runs on the real clock).
    const past = new Date(Date.now() - 60_000).toISOString();
    const ticketRow = () => t.db.handle.db.updateTable('ticket').where('id', '=', tk.id);
    await ticketRow().set({ warn_at: past }).execute();
    await watchSla({ ...t.ctx, now: new Date() });
    await drain();
    const warned = (await newMail()).filter((m) => /Échéance proche/.test(m.subject ?? ''));
    expect(warned.map((m) => (m.to as { text: string }).text)).toEqual([w.techA.email]);
    expect(warned[0]!.subject).toContain(tk.reference);
    await ticketRow().set({ resolve_due_at: past }).execute();
    await watchSla({ ...t.ctx, now: new Date() });
    await drain();
    const breached = (await newMail()).filter((m) => /Délai de résolution dépassé/.test(m.subject ?? ''));
    expect(breached).toHaveLength(1);
    const to = (breached[0]!.to as { text: string }).text;
    expect(to).toContain(sup.email);
    expect(to).toContain(w.techA.email);
    // Each SLA event is told once, whatever runs the handlers again.
    await watchSla({ ...t.ctx, now: new Date() });
    await drain();
    expect((await newMail()).filter((m) => /SLA|Délai|Échéance/.test(m.subject ?? ''))).toHaveLength(0);
  });

  it('tells the requester of a planned intervention, its date in their time, and of its cancellation', async () => {
    let tk = await file(requester, 'Remplacement du poste');
    await drain();
    await newMail();
    const past = await req(
      tech,
      'POST',
      `/tickets/${tk.id}/plan`,
      { at: '2020-01-01T09:00:00.000Z' },
      { 'if-match': `"v${tk.version}"` },
    );
    expect(past.statusCode).toBe(422);
    expect(json<{ errors: Array<{ path: string; code: string }> }>(past).errors[0]).toMatchObject({
      path: 'at',
      code: 'in_the_past',
    });
    tk = await act(tech, tk, 'plan', {
      at: '2030-03-04T13:30:00.000Z',
      note: 'Prévoir 30 minutes sans ordinateur.',
    });
    expect(json<{ plannedAt: string }>(await req(tech, 'GET', `/tickets/${tk.id}`)).plannedAt).toBe(
      '2030-03-04T13:30:00.000Z',
    );
    await drain();
    const planned = await newMail();
    expect(planned).toHaveLength(1);
    expect(planned[0]!.subject).toContain('Intervention prévue le 4 mars 2030');
    // Organisation A is in Europe/Paris: 13:30 UTC is 14:30 there.
    expect(planned[0]!.text).toContain('14:30');
    expect(planned[0]!.text).toContain('Prévoir 30 minutes sans ordinateur.');
    tk = await act(tech, tk, 'plan', { at: null, note: '' });
    await drain();
    expect((await newMail()).map((m) => m.subject)).toEqual([
      expect.stringContaining('Intervention annulée'),
    ]);
  });
});
