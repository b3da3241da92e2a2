import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, login, makeUser, type Session, type TestApp, testApp, world } from '../../test/harness.js';
import { createGroup } from '../orgs/index.js';
import { ticketSla, watchSla } from './tickets.service.js';

type Ticket = {
  id: string;
  reference: string;
  status: string;
  priority: number;
  version: number;
  requesterId: string | null;
  assigneeId: string | null;
  groupId: string | null;
  recurring: boolean;
  ownDueAt: string;
  resolveDueAt: string;
  ownedAt: string | null;
  ownMinutes: number | null;
  resolveMinutes: number | null;
  resolvedAt: string | null;
  slaState: string;
  satisfaction: number | null;
  mergedIntoId: string | null;
};
type Page<T> = { items: T[]; nextCursor: string | null };

let t: TestApp;
let w: Awaited<ReturnType<typeof world>>;
let tech: Session;
let tech2: Session;
let requester: Session;
let otherRequester: Session;
let adminB: Session;
let supervisor: Session;
let specialists: { id: string };
let supervisors: { id: string };
let tech2Id: string;
let assetId: string;

const SERVER = '00000000-0000-7000-8000-000000000003';
const HARDWARE = '00000000-0000-7000-8000-000000000101';

const req = (
  s: Session,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  payload?: object,
  headers: Record<string, string> = {},
) =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { ...s.headers, ...headers },
    ...(payload && { payload }),
  });
const ifMatch = (v: number) => ({ 'if-match': `"v${v}"` });

async function file(s: Session, body: Record<string, unknown> = {}): Promise<Ticket> {
  const res = await req(s, 'POST', '/tickets', {
    orgId: w.orgA.id,
    title: 'L’imprimante ne marche pas',
    ...body,
  });
  if (res.statusCode !== 201) throw new Error(`ticket create: ${res.statusCode} ${res.body}`);
  return json<Ticket>(res);
}

async function act(s: Session, tk: Ticket, path: string, body: object): Promise<Ticket> {
  const res = await req(s, 'POST', `/tickets/${tk.id}/${path}`, body, ifMatch(tk.version));
  if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode} ${res.body}`);
  return json<Ticket>(res);
}

beforeAll(async () => {
  t = await testApp();
  w = await world(t.ctx);
  const other = await makeUser(t.ctx, { orgId: w.orgA.id, roles: ['requester'] });
  const t2 = await makeUser(t.ctx, { orgId: w.orgA.id, roles: ['technician'] });
  const sup = await makeUser(t.ctx, { orgId: w.orgA.id, roles: ['supervisor'] });
  tech2Id = t2.id;
  tech = await login(t.app, w.techA.email);
  tech2 = await login(t.app, t2.email);
  requester = await login(t.app, w.requesterA.email);
  otherRequester = await login(t.app, other.email);
  adminB = await login(t.app, w.adminB.email);
  supervisor = await login(t.app, sup.email);
  specialists = await createGroup(t.ctx, {
    orgId: w.orgA.id,
    name: 'Réseau N2',
    description: '',
    memberIds: [t2.id],
  });
  supervisors = await createGroup(t.ctx, {
    orgId: w.orgA.id,
    name: 'Superviseurs',
    description: '',
    memberIds: [sup.id],
  });
  const asset = await req(tech, 'POST', '/assets', { orgId: w.orgA.id, typeId: SERVER, name: 'PRN-01' });
  assetId = json<{ id: string }>(asset).id;
});
afterAll(() => t.close());

describe('tickets', () => {
  it('a requester files a ticket: priority from the matrix, deadlines in business hours, a reference', async () => {
    const tk = await file(requester, { impact: 'team', urgency: 'high', assigneeId: w.techA.id });
    expect(tk).toMatchObject({ status: 'new', priority: 2, requesterId: w.requesterA.id, assigneeId: null });
    expect(tk.reference).toMatch(/^T-\d{6}$/);
    // Priority 2: one business hour to own, eight to resolve, both after the creation.
    expect(new Date(tk.ownDueAt).getTime()).toBeGreaterThan(Date.now());
    expect(new Date(tk.resolveDueAt).getTime()).toBeGreaterThan(new Date(tk.ownDueAt).getTime());
    expect((await req(otherRequester, 'GET', `/tickets/${tk.id}`)).statusCode).toBe(404);
    expect((await req(adminB, 'GET', `/tickets/${tk.id}`)).statusCode).toBe(404);
    const mine = json<Page<Ticket>>(await req(requester, 'GET', '/tickets?view=requested'));
    expect(mine.items.map((x) => x.id)).toContain(tk.id);
    const theirs = json<Page<Ticket>>(await req(otherRequester, 'GET', '/tickets'));
    expect(theirs.items.map((x) => x.id)).not.toContain(tk.id);
  });

  it('tells how much of its SLA an open ticket used, in business minutes, standing still while paused', async () => {
    let tk = await file(requester, { impact: 'team', urgency: 'high' });
    const res = await req(tech, 'GET', `/tickets/${tk.id}/sla`);
    expect(res.statusCode).toBe(200);
    const now = json<{ elapsedMinutes: number; resolveTargetMinutes: number; paused: boolean }>(res);
    expect(now).toMatchObject({ paused: false, ownTargetMinutes: 60, resolveTargetMinutes: 480 });
    expect(now.elapsedMinutes).toBeLessThanOrEqual(1);
    // A week later: five working days of 8 hours at most (less a public holiday or two), not 7 × 24 h.
    const week = await ticketSla({ ...t.ctx, now: new Date(Date.now() + 7 * 24 * 3600_000) }, tk.id);
    expect(week.elapsedMinutes).toBeLessThanOrEqual(5 * 480 + 1);
    expect(week.elapsedMinutes).toBeGreaterThanOrEqual(3 * 480 - 1);
    // Waiting for the user stops the clock where it was.
    tk = await act(tech, tk, 'assign', { assigneeId: w.techA.id, groupId: null });
    tk = await act(tech, tk, 'status', { status: 'waiting', waitingFor: 'user', note: 'Test ?' });
    const paused = await ticketSla({ ...t.ctx, now: new Date(Date.now() + 7 * 24 * 3600_000) }, tk.id);
    expect(paused.paused).toBe(true);
    expect(paused.elapsedMinutes).toBeLessThanOrEqual(1);
    // Others' tickets stay hidden.
    expect((await req(otherRequester, 'GET', `/tickets/${tk.id}/sla`)).statusCode).toBe(404);
  });

  it('refuses bad input with every field named', async () => {
    const res = await req(requester, 'POST', '/tickets', { orgId: w.orgA.id, title: 'x', impact: 'planet' });
    expect(res.statusCode).toBe(400);
    expect(
      json<{ errors: Array<{ path: string }> }>(res)
        .errors.map((e) => e.path)
        .sort(),
    ).toEqual(['impact', 'title']);
    const refs = await req(tech, 'POST', '/tickets', {
      orgId: w.orgA.id,
      title: 'Écran noir',
      assetIds: ['00000000-0000-7000-8000-00000000ffff'],
      groupId: '00000000-0000-7000-8000-00000000fffe',
    });
    expect(refs.statusCode).toBe(422);
    expect(
      json<{ errors: Array<{ path: string }> }>(refs)
        .errors.map((e) => e.path)
        .sort(),
    ).toEqual(['assetIds.0', 'groupId']);
  });

  it('walks the workflow: assigned, owned, waiting for the user, answered, solved, reopened, rated', async () => {
    let tk = await file(requester);
    tk = await act(tech, tk, 'assign', { assigneeId: w.techA.id, groupId: null });
    expect(tk).toMatchObject({ status: 'assigned', assigneeId: w.techA.id });
    expect(tk.ownedAt).not.toBeNull();
    expect(tk.ownMinutes).toBeGreaterThanOrEqual(0);
    tk = await act(tech, tk, 'status', { status: 'in_progress' });
    tk = await act(tech, tk, 'status', {
      status: 'waiting',
      waitingFor: 'user',
      waitingUntil: '2030-01-02T09:00:00.000Z',
      note: 'Pouvez-vous redémarrer ?',
    });
    expect(tk.status).toBe('waiting');
    // The requester answers: the clock runs again, the ticket is back in progress.
    const answered = await req(requester, 'POST', `/tickets/${tk.id}/followups`, {
      body: 'C’est fait, toujours en panne',
      public: false,
    });
    expect(answered.statusCode).toBe(201);
    tk = json<{ ticket: Ticket }>(answered).ticket;
    expect(tk.status).toBe('in_progress');
    expect(new Date(tk.resolveDueAt).getTime()).toBeGreaterThanOrEqual(0);

    const noSolution = await req(
      tech,
      'POST',
      `/tickets/${tk.id}/status`,
      { status: 'resolved' },
      ifMatch(tk.version),
    );
    expect(noSolution.statusCode).toBe(422);
    expect(json(noSolution)).toMatchObject({ code: 'ticket.solution_required' });

    tk = await act(tech, tk, 'solve', { solution: 'Toner remplacé, tambour nettoyé.' });
    expect(tk.status).toBe('resolved');
    expect(tk.resolveMinutes).toBeGreaterThanOrEqual(0);
    const badMove = await req(
      tech,
      'POST',
      `/tickets/${tk.id}/status`,
      { status: 'waiting', waitingFor: 'parts' },
      ifMatch(tk.version),
    );
    expect(badMove.statusCode).toBe(422);
    expect(json(badMove)).toMatchObject({
      code: 'ticket.bad_transition',
      allowed: ['closed', 'in_progress'],
    });

    tk = await act(requester, tk, 'reopen', { reason: 'Ça recommence' });
    expect(tk).toMatchObject({ status: 'in_progress', resolvedAt: null });
    tk = await act(tech, tk, 'solve', { solution: 'Imprimante remplacée.' });
    const rated = await req(requester, 'POST', `/tickets/${tk.id}/rating`, { rating: 5, comment: 'Merci !' });
    expect(json<Ticket>(rated).satisfaction).toBe(5);
    expect((await req(requester, 'POST', `/tickets/${tk.id}/rating`, { rating: 9 })).statusCode).toBe(400);

    // The requester reads the public story, not the private notes.
    await req(tech, 'POST', `/tickets/${tk.id}/followups`, {
      body: 'Note interne : fournisseur en retard',
      public: false,
    });
    const seen = json<Page<{ kind: string; body: string }>>(
      await req(requester, 'GET', `/tickets/${tk.id}/events?limit=100`),
    );
    expect(seen.items.map((e) => e.body)).not.toContain('Note interne : fournisseur en retard');
    // The requester's answer put the ticket back in progress, and the story says so.
    expect(
      (seen.items as Array<{ kind: string; data?: { from?: string; to?: string } }>).some(
        (e) => e.kind === 'status' && e.data?.from === 'waiting' && e.data?.to === 'in_progress',
      ),
    ).toBe(true);
    expect(seen.items.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['created', 'assignment', 'solution', 'reopened']),
    );
    const all = json<Page<{ body: string }>>(await req(tech, 'GET', `/tickets/${tk.id}/events?limit=100`));
    expect(all.items.map((e) => e.body)).toContain('Note interne : fournisseur en retard');
  });

  it('detects a stale edit, and a follow-up on a closed ticket reopens it or is refused, as configured', async () => {
    let tk = await file(requester);
    const stale = await req(
      tech,
      'PATCH',
      `/tickets/${tk.id}`,
      { urgency: 'critical' },
      ifMatch(tk.version + 1),
    );
    expect(stale.statusCode).toBe(412);
    expect((await req(tech, 'PATCH', `/tickets/${tk.id}`, { urgency: 'critical' })).statusCode).toBe(428);
    tk = await act(tech, tk, 'solve', { solution: 'Réglé par téléphone.' });
    tk = await act(tech, tk, 'status', { status: 'closed' });
    expect(
      (await req(requester, 'POST', `/tickets/${tk.id}/reopen`, { reason: 'encore' }, ifMatch(tk.version)))
        .statusCode,
    ).toBe(422);
    const reopened = await req(requester, 'POST', `/tickets/${tk.id}/followups`, {
      body: 'Toujours pas',
      public: true,
    });
    expect(json<{ reopened: boolean; ticket: Ticket }>(reopened)).toMatchObject({
      reopened: true,
      ticket: { status: 'in_progress' },
    });

    const current = json<{ version: number } & Record<string, unknown>>(
      await req(supervisor, 'GET', `/helpdesk/settings/${w.orgA.id}`),
    );
    const { orgId: _o, version, ...settings } = current;
    const saved = await req(
      supervisor,
      'PUT',
      `/helpdesk/settings/${w.orgA.id}`,
      { ...settings, followupOnClosed: 'refuse' },
      ifMatch(version),
    );
    expect(saved.statusCode).toBe(200);
    let tk2 = await file(requester);
    tk2 = await act(tech, tk2, 'solve', { solution: 'Câble rebranché.' });
    tk2 = await act(tech, tk2, 'status', { status: 'closed' });
    const refused = await req(requester, 'POST', `/tickets/${tk2.id}/followups`, {
      body: 'Encore ?',
      public: true,
    });
    expect(refused.statusCode).toBe(409);
    expect(json(refused)).toMatchObject({ code: 'ticket.closed' });
    await req(
      supervisor,
      'PUT',
      `/helpdesk/settings/${w.orgA.id}`,
      { ...settings, followupOnClosed: 'reopen' },
      ifMatch(version + 1),
    );
  });

  it('escalates to a specialist group with a required reason; the queue lists by SLA due time', async () => {
    const low = await file(requester, { impact: 'user', urgency: 'low' });
    const high = await file(requester, { impact: 'organisation', urgency: 'critical' });
    expect(
      (
        await req(
          tech,
          'POST',
          `/tickets/${low.id}/escalate`,
          { groupId: specialists.id, reason: '' },
          ifMatch(low.version),
        )
      ).statusCode,
    ).toBe(400);
    const escalated = await act(tech, low, 'escalate', {
      groupId: specialists.id,
      reason: 'Problème de VLAN sur le commutateur',
    });
    expect(escalated).toMatchObject({ groupId: specialists.id, assigneeId: null });
    await act(tech, high, 'assign', { assigneeId: tech2Id, groupId: null });
    const q = json<Page<Ticket>>(await req(tech2, 'GET', '/tickets?view=queue'));
    const ids = q.items.map((x) => x.id);
    expect(ids.indexOf(high.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(high.id)).toBeLessThan(ids.indexOf(low.id));
    const dues = q.items.map((x) => x.resolveDueAt);
    expect([...dues].sort()).toEqual(dues);
    // The queue takes the lists' filters: a reference typed in part, a priority.
    const digits = high.reference.slice(-4);
    const byRef = json<Page<Ticket>>(await req(tech2, 'GET', `/tickets?view=queue&q=${digits}`));
    expect(byRef.items.map((x) => x.id)).toEqual([high.id]);
    const byPriority = json<Page<Ticket>>(
      await req(tech2, 'GET', `/tickets?view=queue&priority=${low.priority}`),
    );
    expect(byPriority.items.every((x) => x.priority === low.priority)).toBe(true);
    expect(byPriority.items.map((x) => x.id)).toContain(low.id);
    // Requesters have no queue.
    expect((await req(requester, 'GET', '/tickets?view=queue')).statusCode).toBe(403);
  });

  it('flags the third ticket on one asset within 30 days as recurring, with the others listed', async () => {
    const a = await file(requester, { assetIds: [assetId], title: 'Bourrage papier' });
    const b = await file(requester, { assetIds: [assetId], title: 'Bourrage papier encore' });
    const c = await file(requester, { assetIds: [assetId], title: 'Bourrage papier, troisième fois' });
    expect([a.recurring, b.recurring, c.recurring]).toEqual([false, false, true]);
    const related = json<{ items: Array<{ id: string }> }>(
      await req(tech, 'GET', `/tickets/${c.id}/related`),
    );
    expect(related.items.map((r) => r.id).sort()).toEqual([a.id, b.id].sort());
    const onAsset = json<{ items: Ticket[] }>(await req(tech, 'GET', `/assets/${assetId}/tickets`));
    expect(onAsset.items.map((x) => x.id)).toEqual(expect.arrayContaining([a.id, b.id, c.id]));
  });

  it('merges a duplicate into the ticket it repeats', async () => {
    const first = await file(requester, { title: 'Pas de réseau au 2e étage' });
    const dup = await file(otherRequester, { title: 'Réseau coupé 2e étage' });
    const merged = await act(tech, dup, 'merge', { intoId: first.id });
    expect(merged).toMatchObject({ status: 'closed', mergedIntoId: first.id });
  });

  it('warns before the deadline and escalates on breach to the supervisors', async () => {
    const current = json<{ version: number } & Record<string, unknown>>(
      await req(supervisor, 'GET', `/helpdesk/settings/${w.orgA.id}`),
    );
    const { orgId: _o, version, ...settings } = current;
    const bad = await req(
      supervisor,
      'PUT',
      `/helpdesk/settings/${w.orgA.id}`,
      {
        ...settings,
        calendar: {
          ...(settings.calendar as object),
          timeZone: 'Mars/Olympus',
          hours: { ...(settings.calendar as { hours: object }).hours, '1': [['09:00', '08:00']] },
        },
      },
      ifMatch(version),
    );
    expect(bad.statusCode).toBe(422);
    expect(json<{ errors: Array<{ path: string }> }>(bad).errors.map((e) => e.path)).toEqual(
      expect.arrayContaining(['calendar.timeZone', 'calendar.hours.1.0']),
    );
    await req(
      supervisor,
      'PUT',
      `/helpdesk/settings/${w.orgA.id}`,
      { ...settings, escalationGroupId: supervisors.id },
      ifMatch(version),
    );
    const tk = await file(requester, {
      impact: 'organisation',
      urgency: 'critical',
      title: 'Serveur de fichiers arrêté',
    });
    const warnAt = new Date(new Date(tk.resolveDueAt).getTime() - 1000);
    const warned = await watchSla({ ...t.ctx, now: warnAt });
    expect(warned.warned).toBeGreaterThanOrEqual(1);
    expect(json<Ticket>(await req(tech, 'GET', `/tickets/${tk.id}`)).slaState).toBe('warned');
    const breached = await watchSla({ ...t.ctx, now: new Date(new Date(tk.resolveDueAt).getTime() + 1000) });
    expect(breached.breached).toBeGreaterThanOrEqual(1);
    expect(json<Ticket>(await req(tech, 'GET', `/tickets/${tk.id}`))).toMatchObject({
      slaState: 'breached',
      groupId: supervisors.id,
    });
    const events = json<Page<{ kind: string; data: { state?: string } }>>(
      await req(tech, 'GET', `/tickets/${tk.id}/events`),
    );
    expect(events.items.filter((e) => e.kind === 'sla').map((e) => e.data.state)).toEqual([
      'warned',
      'breached',
    ]);
  });

  it('lists categories with their typology, and lets a supervisor add one', async () => {
    const cats = json<{ items: Array<{ id: string; typology: string; name: { fr: string } }> }>(
      await req(requester, 'GET', '/ticket-categories'),
    );
    expect(cats.items.find((c) => c.id === HARDWARE)).toMatchObject({
      typology: 'hardware',
      name: { fr: 'Matériel' },
    });
    expect(
      (
        await req(requester, 'POST', '/ticket-categories', {
          orgId: w.orgA.id,
          typology: 'software',
          name: { fr: 'ERP', en: 'ERP' },
        })
      ).statusCode,
    ).toBe(403);
    const created = await req(supervisor, 'POST', '/ticket-categories', {
      orgId: w.orgA.id,
      typology: 'software',
      name: { fr: 'ERP', en: 'ERP' },
    });
    expect(created.statusCode).toBe(201);
    const tk = await file(requester, { categoryId: json<{ id: string }>(created).id });
    expect(json<{ typology: string }>(await req(tech, 'GET', `/tickets/${tk.id}`)).typology).toBe('software');
  });

  it('keeps tasks with time spent, for technicians only', async () => {
    const tk = await file(requester);
    const task = await req(tech, 'POST', `/tickets/${tk.id}/tasks`, {
      description: 'Changer le câble',
      minutes: 15,
    });
    expect(task.statusCode).toBe(201);
    const done = await req(
      tech,
      'PATCH',
      `/tasks/${json<{ id: string }>(task).id}`,
      { done: true, minutes: 20 },
      ifMatch(1),
    );
    expect(json(done)).toMatchObject({ done: true, minutes: 20, description: 'Changer le câble' });
    expect((await req(requester, 'GET', `/tickets/${tk.id}/tasks`)).statusCode).toBe(404);
    const taskId = json<{ id: string }>(task).id;
    expect((await req(tech, 'DELETE', `/tasks/${taskId}`)).statusCode).toBe(428);
    expect((await req(tech, 'DELETE', `/tasks/${taskId}`, undefined, ifMatch(1))).statusCode).toBe(412);
    expect((await req(tech, 'DELETE', `/tasks/${taskId}`, undefined, ifMatch(2))).statusCode).toBe(204);
  });
  it('drafts a procedure from a resolved ticket for those who write the knowledge base', async () => {
    const tk = await file(requester, {
      title: 'Outlook ne démarre plus',
      description: 'Outlook se ferme dès l’ouverture.',
    });
    const solved = await act(tech, tk, 'solve', {
      solution: 'Profil Outlook recréé, fichier OST corrompu supprimé.',
      note: {
        cause: 'Le fichier de votre messagerie était abîmé.',
        action: 'Nous avons recréé votre profil.',
      },
    });
    const draft = await req(tech, 'GET', `/tickets/${solved.id}/kb-draft`);
    expect(draft.statusCode).toBe(200);
    expect(json(draft)).toMatchObject({
      orgId: w.orgA.id,
      title: 'Outlook ne démarre plus',
      symptoms: 'Outlook se ferme dès l’ouverture.',
      cause: 'Le fichier de votre messagerie était abîmé.',
      resolution: 'Nous avons recréé votre profil.',
      language: 'fr',
      visibility: 'internal',
      status: 'draft',
      sourceTicketId: solved.id,
    });
    // The draft is the body of POST /kb/articles as it is.
    const created = await req(tech, 'POST', '/kb/articles', json(draft));
    expect(created.statusCode, created.body).toBe(201);

    // Without an intervention note, the solution is the resolution.
    const plain = await act(tech, await file(requester), 'solve', { solution: 'Câble USB remplacé.' });
    expect(json(await req(tech, 'GET', `/tickets/${plain.id}/kb-draft`))).toMatchObject({
      cause: '',
      resolution: 'Câble USB remplacé.',
    });
    // A requester may not write procedures; another organisation does not see the ticket.
    expect((await req(requester, 'GET', `/tickets/${plain.id}/kb-draft`)).statusCode).toBe(403);
    expect((await req(adminB, 'GET', `/tickets/${plain.id}/kb-draft`)).statusCode).toBe(404);
  });

  it('takes files from the requester and technicians, lists them, serves them as downloads', async () => {
    const tk = await file(requester, { title: 'Message d’erreur au démarrage' });
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const upload = (s: Session, name: string, body: Buffer, type = 'image/png') =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/tickets/${tk.id}/attachments?filename=${encodeURIComponent(name)}`,
        headers: { ...s.headers, 'content-type': type },
        payload: body,
      });
    const res = await upload(requester, 'capture écran.png', png);
    expect(res.statusCode).toBe(201);
    expect(json(res)).toMatchObject({
      filename: 'capture écran.png',
      size: png.length,
      mediaType: 'image/png',
    });
    expect(
      (await upload(tech, 'journal.txt', Buffer.from('erreur 0x80070005'), 'text/plain')).statusCode,
    ).toBe(201);
    expect((await upload(otherRequester, 'intrus.txt', Buffer.from('x'), 'text/plain')).statusCode).toBe(404);
    expect((await upload(requester, 'vide.txt', Buffer.alloc(0), 'text/plain')).statusCode).toBe(400);
    const list = json<{ items: Array<{ id: string; filename: string }> }>(
      await req(requester, 'GET', `/tickets/${tk.id}/attachments`),
    );
    expect(list.items.map((a) => a.filename).sort()).toEqual(['capture écran.png', 'journal.txt']);
    const png2 = list.items.find((a) => a.filename === 'capture écran.png')!;
    const download = await req(tech, 'GET', `/tickets/${tk.id}/attachments/${png2.id}`);
    expect(download.headers['content-type']).toBe('application/octet-stream');
    expect(download.rawPayload.equals(png)).toBe(true);
    const story = json<{ items: Array<{ kind: string; body: string }> }>(
      await req(requester, 'GET', `/tickets/${tk.id}/events`),
    );
    expect(
      story.items
        .filter((e) => e.kind === 'attachment')
        .map((e) => e.body)
        .sort(),
    ).toEqual(['capture écran.png', 'journal.txt']);
  });
});
