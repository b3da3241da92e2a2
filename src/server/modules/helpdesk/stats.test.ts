import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TTicketFigures } from '../../../shared/schemas/reports.js';
import type { Ctx, Principal } from '../../context.js';
import { json, login, type Session, type TestApp, testApp, world } from '../../test/harness.js';
import { createGroup, loadPrincipal } from '../orgs/index.js';
import { ticketFigures } from './stats.service.js';
import {
  assignTicket,
  createTicket,
  escalateTicket,
  mergeTicket,
  rateTicket,
  reopenTicket,
  solveTicket,
  type TicketCreateInput,
} from './tickets.service.js';

// A known month of tickets (February 2026, Europe/Paris, default calendar: 08:30–12:30 and 13:30–17:30,
// i.e. 07:30–11:30 and 12:30–16:30 UTC in winter), built through the helpdesk service with a chosen
// clock; every figure of the report is worked out by hand below.

const HARDWARE = '00000000-0000-7000-8000-000000000101';
const SOFTWARE = '00000000-0000-7000-8000-000000000102';
const NETWORK = '00000000-0000-7000-8000-000000000103';
const ACCESS = '00000000-0000-7000-8000-000000000104';
const SERVER = '00000000-0000-7000-8000-000000000003';

let t: TestApp;
let w: Awaited<ReturnType<typeof world>>;
let techP: Principal;
let requesterP: Principal;
let admin: Session;
let requester: Session;
let g1: string;
let g2: string;
let a1: string;
let siteS1: string;
let siteS2: string;
let l1: string;
let l2: string;

const at = (actor: Principal, iso: string): Ctx => ({ ...t.ctx, actor, now: new Date(iso) });

async function principal(userId: string): Promise<Principal> {
  const p = await loadPrincipal(t.ctx, userId, {
    kind: 'session',
    sessionId: 'test',
    csrfToken: 'test',
    mustChangePassword: false,
    totpEnabled: false,
  });
  return p!;
}

function file(when: string, input: Partial<TicketCreateInput>) {
  return createTicket(at(techP, when), {
    orgId: w.orgA.id,
    kind: 'incident',
    title: 'Panne',
    description: '',
    categoryId: HARDWARE,
    requesterId: w.requesterA.id,
    locationId: null,
    assetIds: [],
    impact: 'user',
    urgency: 'high',
    source: 'phone',
    assigneeId: null,
    groupId: null,
    diagnosticPath: null,
    ...input,
  });
}

const api = (s: Session, url: string) =>
  t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: s.headers });

beforeAll(async () => {
  t = await testApp();
  w = await world(t.ctx);
  techP = await principal(w.techA.id);
  requesterP = await principal(w.requesterA.id);
  admin = await login(t.app, w.adminA.email);
  requester = await login(t.app, w.requesterA.email);
  g1 = (await createGroup(t.ctx, { orgId: w.orgA.id, name: 'N1', description: '', memberIds: [w.techA.id] }))
    .id;
  g2 = (await createGroup(t.ctx, { orgId: w.orgA.id, name: 'N2', description: '', memberIds: [] })).id;
  const post = async (url: string, payload: object) => {
    const res = await t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: admin.headers, payload });
    if (res.statusCode !== 201) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return json<{ id: string }>(res).id;
  };
  siteS1 = await post('/locations', { orgId: w.orgA.id, kind: 'site', name: 'Siège' });
  l1 = await post('/locations', { orgId: w.orgA.id, parentId: siteS1, kind: 'building', name: 'Bâtiment A' });
  siteS2 = await post('/locations', { orgId: w.orgA.id, kind: 'site', name: 'Agence' });
  l2 = siteS2;
  a1 = await post('/assets', { orgId: w.orgA.id, typeId: SERVER, name: 'SRV-01' });

  // January (the previous period).
  let t0 = await file('2026-01-05T08:00:00.000Z', { categoryId: SOFTWARE });
  t0 = await assignTicket(at(techP, '2026-01-05T08:30:00.000Z'), t0.id, t0.version, {
    assigneeId: w.techA.id,
    groupId: null,
  });
  await solveTicket(at(techP, '2026-01-05T09:00:00.000Z'), t0.id, t0.version, 'Réinstallé');
  let t6 = await file('2026-01-30T08:00:00.000Z', {});
  t6 = await assignTicket(at(techP, '2026-01-30T08:30:00.000Z'), t6.id, t6.version, {
    assigneeId: w.techA.id,
    groupId: null,
  });
  // February.
  let t1 = await file('2026-02-02T08:00:00.000Z', { assetIds: [a1] });
  await solveTicket(at(techP, '2026-02-02T08:00:00.000Z'), t6.id, t6.version, 'Remplacé');
  t1 = await assignTicket(at(techP, '2026-02-02T08:30:00.000Z'), t1.id, t1.version, {
    assigneeId: w.techA.id,
    groupId: null,
  });
  let t2 = await file('2026-02-02T09:00:00.000Z', {
    categoryId: SOFTWARE,
    impact: 'site',
    urgency: 'critical',
  });
  t1 = await solveTicket(at(techP, '2026-02-02T10:00:00.000Z'), t1.id, t1.version, 'Redémarré');
  t2 = await assignTicket(at(techP, '2026-02-02T10:00:00.000Z'), t2.id, t2.version, {
    assigneeId: w.techA.id,
    groupId: null,
  });
  t2 = await escalateTicket(at(techP, '2026-02-02T10:30:00.000Z'), t2.id, t2.version, {
    groupId: g2,
    reason: 'Niveau 2',
  });
  t2 = await solveTicket(at(techP, '2026-02-02T11:00:00.000Z'), t2.id, t2.version, 'Corrigé');
  let t3 = await file('2026-02-03T08:00:00.000Z', { assetIds: [a1], groupId: g1 });
  t3 = await solveTicket(at(techP, '2026-02-03T09:00:00.000Z'), t3.id, t3.version, 'Redémarré');
  t3 = await reopenTicket(at(techP, '2026-02-03T10:00:00.000Z'), t3.id, t3.version, 'Revenu');
  await solveTicket(at(techP, '2026-02-03T11:00:00.000Z'), t3.id, t3.version, 'Remplacé');
  await file('2026-02-04T08:00:00.000Z', { categoryId: NETWORK, urgency: 'low', locationId: l1 });
  // Created for one group, then handed to another: two groups, not a first-contact resolution.
  let t5 = await file('2026-02-05T08:00:00.000Z', { assetIds: [a1], locationId: l2, groupId: g1 });
  t5 = await assignTicket(at(techP, '2026-02-05T08:10:00.000Z'), t5.id, t5.version, {
    assigneeId: w.techA.id,
    groupId: g2,
  });
  t5 = await solveTicket(at(techP, '2026-02-05T09:00:00.000Z'), t5.id, t5.version, 'Changé');
  const t8 = await file('2026-02-06T08:00:00.000Z', {});
  await mergeTicket(at(techP, '2026-02-06T08:30:00.000Z'), t8.id, t8.version, t1.id);
  const t7 = await file('2026-02-27T15:00:00.000Z', {
    kind: 'request',
    categoryId: ACCESS,
    impact: 'team',
    urgency: 'high',
  });
  await assignTicket(at(techP, '2026-02-27T15:30:00.000Z'), t7.id, t7.version, {
    assigneeId: w.techA.id,
    groupId: null,
  });
  await rateTicket(at(requesterP, '2026-02-03T12:00:00.000Z'), t1.id, { rating: 5, comment: '' });
  await rateTicket(at(requesterP, '2026-02-03T12:00:00.000Z'), t2.id, { rating: 3, comment: '' });
  await rateTicket(at(requesterP, '2026-02-06T12:00:00.000Z'), t5.id, { rating: 4, comment: '' });
  // Another organisation's ticket in the same month counts nowhere in A's report.
  await createTicket(
    { ...t.ctx, now: new Date('2026-02-10T09:00:00.000Z') },
    {
      orgId: w.orgB.id,
      kind: 'incident',
      title: 'Ailleurs',
      description: '',
      categoryId: HARDWARE,
      locationId: null,
      assetIds: [],
      impact: 'user',
      urgency: 'high',
      source: 'phone',
      assigneeId: null,
      groupId: null,
      diagnosticPath: null,
    },
  );
});
afterAll(() => t.close());

const FEB = { from: '2026-01-31T23:00:00.000Z', to: '2026-02-28T23:00:00.000Z' };
const JAN = { from: '2025-12-31T23:00:00.000Z', to: '2026-01-31T23:00:00.000Z' };

function days(from: string, count: number): Date[] {
  return Array.from({ length: count + 1 }, (_, i) => new Date(Date.parse(from) + i * 86_400_000));
}

describe('ticket statistics', () => {
  it('computes every figure of a known month', async () => {
    const ctx = at(techP, '2026-03-10T10:00:00.000Z');
    const f: TTicketFigures = await ticketFigures(ctx, {
      orgId: w.orgA.id,
      from: new Date(FEB.from),
      to: new Date(FEB.to),
      trend: { unit: 'day', bounds: days(FEB.from, 28) },
    });
    expect(f.created).toBe(7);
    expect(f.resolved).toBe(5);
    expect(f.byKind).toEqual([
      { key: 'incident', count: 6 },
      { key: 'request', count: 1 },
    ]);
    expect(f.byTypology).toEqual([
      { key: 'hardware', count: 4 },
      { key: 'access', count: 1 },
      { key: 'network', count: 1 },
      { key: 'software', count: 1 },
    ]);
    expect(f.byCategory).toEqual([
      { key: HARDWARE, count: 4 },
      { key: SOFTWARE, count: 1 },
      { key: NETWORK, count: 1 },
      { key: ACCESS, count: 1 },
    ]);
    expect(f.byPriority).toEqual([
      { key: '1', count: 1 },
      { key: '2', count: 1 },
      { key: '3', count: 4 },
      { key: '5', count: 1 },
    ]);
    expect(new Map(f.byLocation.map((x) => [x.key, x.count]))).toEqual(
      new Map([
        [null, 5],
        [l1, 1],
        [l2, 1],
      ]),
    );
    // Owned in February: 30, 60, 60 (owned on solving), 10, 30 business minutes.
    expect(f.timeToOwn).toEqual({ count: 5, mean: 38, median: 30 });
    // Resolved in February: 480 (from Friday to Monday), 120, 120, 180 (after reopening), 60.
    expect(f.timeToResolve).toEqual({ count: 5, mean: 192, median: 120 });
    // Owning deadlines in February: T2 (owned late) and T4 (never owned) missed.
    expect(f.slaOwn).toEqual({ due: 6, met: 4, percent: 66.7 });
    // Resolution deadlines in February: T4 (still open, due 18 February) missed; T7's falls in March.
    expect(f.slaResolve).toEqual({ due: 6, met: 5, percent: 83.3 });
    // T1 and T6 only: T2 escalated, T3 reopened, T5 created for one group and handed to another.
    expect(f.firstContact).toEqual({ resolved: 5, count: 2, percent: 40 });
    expect(f.backlogStart).toBe(1);
    expect(f.backlogEnd).toBe(2);
    expect(f.topAssets).toEqual([{ key: a1, count: 3 }]);
    // Recurring (third ticket of the asset or category within 30 days): T3, T5, T8.
    expect(f.topProblems).toEqual([{ key: HARDWARE, count: 3 }]);
    expect(f.recurring).toBe(3);
    expect(f.satisfaction).toEqual({ count: 3, mean: 4, distribution: [0, 0, 1, 1, 1] });
    expect(f.trend.unit).toBe('day');
    expect(f.trend.buckets).toHaveLength(28);
    const created = f.trend.buckets.map((b) => b.created);
    const resolved = f.trend.buckets.map((b) => b.resolved);
    expect(created.slice(0, 6)).toEqual([0, 2, 1, 1, 1, 1]);
    expect(created[26]).toBe(1);
    expect(created.reduce((a, b) => a + b)).toBe(7);
    expect(resolved.slice(0, 6)).toEqual([0, 3, 1, 0, 1, 0]);
    expect(resolved.reduce((a, b) => a + b)).toBe(5);
    expect(f.trend.buckets[1]!.start).toBe('2026-02-01T23:00:00.000Z');
  });

  it('computes the previous month, and nothing is due after now', async () => {
    const f = await ticketFigures(at(techP, '2026-03-10T10:00:00.000Z'), {
      orgId: w.orgA.id,
      from: new Date(JAN.from),
      to: new Date(JAN.to),
      trend: { unit: 'week', bounds: [new Date(JAN.from), new Date(JAN.to)] },
    });
    expect(f).toMatchObject({
      created: 2,
      resolved: 1,
      backlogStart: 0,
      backlogEnd: 1,
      timeToOwn: { count: 2, mean: 30, median: 30 },
      timeToResolve: { count: 1, mean: 60, median: 60 },
      slaOwn: { due: 2, met: 2, percent: 100 },
      slaResolve: { due: 1, met: 1, percent: 100 },
      firstContact: { resolved: 1, count: 1, percent: 100 },
      satisfaction: { count: 0, mean: null, distribution: [0, 0, 0, 0, 0] },
    });
    expect(f.trend.buckets).toEqual([{ start: JAN.from, created: 2, resolved: 1 }]);
    // On 4 February at noon, T4's deadlines (5 and 18 February) are not due yet; T1's (5 February) neither.
    const early = await ticketFigures(at(techP, '2026-02-04T12:00:00.000Z'), {
      orgId: w.orgA.id,
      from: new Date(FEB.from),
      to: new Date(FEB.to),
      trend: { unit: 'week', bounds: [new Date(FEB.from), new Date(FEB.to)] },
    });
    // Owning: T1, T2 (missed), T3 due by then; resolving: T2 and T6.
    expect(early.slaOwn).toEqual({ due: 3, met: 2, percent: 66.7 });
    expect(early.slaResolve).toEqual({ due: 2, met: 2, percent: 100 });
  });

  it('equals the ticket list for the same filters', async () => {
    const res = await api(
      admin,
      `/reports/incidents?orgId=${w.orgA.id}&period=custom&from=2026-01-01&to=2026-03-10`,
    );
    expect(res.statusCode).toBe(200);
    const report = json<{ current: TTicketFigures }>(res).current;
    const listed = async (filter: string) => {
      let count = 0;
      let cursor: string | null = null;
      do {
        const page: { items: unknown[]; nextCursor: string | null } = json(
          await api(
            admin,
            `/tickets?orgId=${w.orgA.id}&limit=2${filter}${cursor ? `&cursor=${cursor}` : ''}`,
          ),
        );
        count += page.items.length;
        cursor = page.nextCursor;
      } while (cursor);
      return count;
    };
    expect(report.created).toBe(await listed(''));
    for (const c of report.byCategory) expect(c.count).toBe(await listed(`&categoryId=${c.key}`));
    for (const p of report.byPriority) expect(p.count).toBe(await listed(`&priority=${p.key}`));
    // The period ends today: its closing backlog is the open list.
    expect(report.backlogEnd).toBe(await listed('&open=true'));
    expect(report.backlogEnd).toBe(2);
  });

  it('labels the report in the caller’s language and groups locations by site', async () => {
    const res = await api(
      admin,
      `/reports/incidents?orgId=${w.orgA.id}&period=month&from=2026-02-14&locale=fr`,
    );
    expect(res.statusCode).toBe(200);
    const r = json<{
      firstDay: string;
      lastDay: string;
      current: TTicketFigures;
      previous: TTicketFigures;
      labels: Record<string, Array<{ key: string | null; label: string; count: number; previous: number }>>;
    }>(res);
    expect([r.firstDay, r.lastDay]).toEqual(['2026-02-01', '2026-02-28']);
    expect(r.current.created).toBe(7);
    expect(r.previous.created).toBe(2);
    expect(r.labels.byCategory![0]).toEqual({ key: HARDWARE, label: 'Matériel', count: 4, previous: 1 });
    expect(r.labels.bySite).toEqual([
      { key: null, label: 'Sans site', count: 5, previous: 2 },
      expect.objectContaining({ key: siteS2, label: 'Agence', count: 1 }),
      expect.objectContaining({ key: siteS1, label: 'Siège', count: 1 }),
    ]);
    expect(r.labels.topAssets).toEqual([{ key: a1, label: 'SRV-01', count: 3, previous: 0 }]);
    const en = json<{ labels: typeof r.labels }>(
      await api(admin, `/reports/incidents?orgId=${w.orgA.id}&period=month&from=2026-02-14&locale=en`),
    );
    expect(en.labels.byTypology![0]).toMatchObject({ key: 'hardware', label: 'Hardware' });
  });

  it('is for staff of the organisation', async () => {
    expect((await api(requester, `/reports/incidents?orgId=${w.orgA.id}`)).statusCode).toBe(403);
    expect((await api(admin, `/reports/incidents?orgId=${w.orgB.id}`)).statusCode).toBe(404);
    const bad = await api(admin, `/reports/incidents?orgId=${w.orgA.id}&period=custom&from=2026-02-01`);
    expect(bad.statusCode).toBe(400);
    expect(json<{ errors: Array<{ path: string }> }>(bad).errors.map((e) => e.path)).toContain('query.to');
  });
});
