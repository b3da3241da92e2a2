import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_PERMISSIONS } from '../../../shared/policy.js';
import type { TDashboard } from '../../../shared/schemas/reports.js';
import { json, login, makeUser, type Session, type TestApp, testApp, world } from '../../test/harness.js';
import { createTicket } from '../helpdesk/index.js';
import { dayIn, startOfDay } from './periods.js';

const HARDWARE = '00000000-0000-7000-8000-000000000101';
const NETWORK = '00000000-0000-7000-8000-000000000103';
const DAY = 86_400_000;

let t: TestApp;
let w: Awaited<ReturnType<typeof world>>;
let tech: Session;
let admin: Session;
let adminB: Session;
const ids: Record<string, string> = {};

const get = (s: Session, url: string) =>
  t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: s.headers });
const tileOf = (d: TDashboard, key: string) => d.tiles.find((x) => x.key === key)!;

async function post<T>(s: Session, url: string, payload: object, headers: Record<string, string> = {}) {
  const res = await t.app.inject({
    method: url.endsWith('/minimum') ? 'PUT' : 'POST',
    url: `/api/v1${url}`,
    headers: { ...s.headers, ...headers },
    payload,
  });
  if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
  return json<T>(res);
}

/** A store of the organisation with articles at the given quantities and minimums (0: none set). */
async function stockOf(
  s: Session,
  orgId: string,
  levels: Array<{ name: string; quantity: number; min: number }>,
) {
  const site = await post<{ id: string }>(s, '/locations', { orgId, kind: 'site', name: `Site ${orgId}` });
  const store = await post<{ id: string }>(s, '/stock/locations', {
    orgId,
    locationId: site.id,
    name: 'Réserve',
  });
  for (const l of levels) {
    const article = await post<{ id: string }>(s, '/stock/articles', { orgId, name: l.name });
    let version = 0;
    if (l.quantity > 0) {
      await post(s, '/stock/movements', {
        kind: 'in',
        articleId: article.id,
        toLocationId: store.id,
        quantity: l.quantity,
      });
      version = 1;
    }
    if (l.min > 0)
      await post(
        s,
        `/stock/levels/${article.id}/${store.id}/minimum`,
        { minQuantity: l.min },
        {
          'if-match': `"v${version}"`,
        },
      );
  }
}

async function fileAt(
  daysAgo: number,
  input: { categoryId: string; assigneeId: string | null; title: string },
) {
  return createTicket(
    { ...t.ctx, now: new Date(Date.now() - daysAgo * DAY) },
    {
      orgId: w.orgA.id,
      kind: 'incident',
      description: '',
      locationId: null,
      assetIds: [],
      impact: 'site',
      urgency: 'critical',
      source: 'phone',
      groupId: null,
      diagnosticPath: null,
      ...input,
    },
  );
}

beforeAll(async () => {
  t = await testApp();
  w = await world(t.ctx);
  tech = await login(t.app, w.techA.email);
  admin = await login(t.app, w.adminA.email);
  adminB = await login(t.app, w.adminB.email);
  // Ten days ago: its deadlines are long past (at risk), and the oldest open ticket.
  ids.late = (await fileAt(10, { categoryId: HARDWARE, assigneeId: w.techA.id, title: 'En retard' })).id;
  // Three hardware tickets within days: the third is recurring.
  await fileAt(0, { categoryId: HARDWARE, assigneeId: null, title: 'Deuxième' });
  ids.recurring = (await fileAt(0, { categoryId: HARDWARE, assigneeId: w.techA.id, title: 'Troisième' })).id;
  ids.planned = (await fileAt(0, { categoryId: NETWORK, assigneeId: w.techA.id, title: 'Prévu' })).id;
  const plan = await t.app.inject({
    method: 'POST',
    url: `/api/v1/tickets/${ids.planned}/plan`,
    headers: { ...tech.headers, 'if-match': '"v1"' },
    payload: { at: new Date(Date.now() + 60_000).toISOString(), note: '' },
  });
  expect(plan.statusCode).toBe(200);
  // Four levels at or below their minimum in A (equal to it counts), two above or without one, one in B.
  await stockOf(tech, w.orgA.id, [
    { name: 'Toner noir', quantity: 2, min: 5 },
    { name: 'Souris', quantity: 0, min: 1 },
    { name: 'Clavier', quantity: 3, min: 3 },
    { name: 'Câble RJ45', quantity: 40, min: 10 },
    { name: 'Écran', quantity: 4, min: 0 },
    { name: 'Adaptateur', quantity: 1, min: 2 },
  ]);
  await stockOf(adminB, w.orgB.id, [{ name: 'Toner B', quantity: 0, min: 2 }]);
});
afterAll(() => t.close());

/** `count` failed SSH logins for root from one address, a second apart, ending an hour ago (BSD syslog). */
function bruteForce(count: number): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const lines: string[] = [];
  for (let i = count; i > 0; i--) {
    const d = new Date(Date.now() - 3_600_000 - i * 1000);
    const time = d.toISOString().slice(11, 19);
    const day = String(d.getUTCDate()).padStart(2, ' ');
    lines.push(
      `${months[d.getUTCMonth()]} ${day} ${time} web1 sshd[42]: Failed password for root from 203.0.113.7 port 5${i}022 ssh2`,
    );
  }
  return `${lines.join('\n')}\n`;
}

describe('dashboards', () => {
  it('shows a technician their queue, what is at risk, today’s interventions and recurring problems', async () => {
    const res = await get(tech, '/dashboards/technician');
    expect(res.statusCode).toBe(200);
    const d = json<TDashboard>(res);
    expect(d.tiles.map((x) => x.key)).toEqual([
      'myQueue',
      'slaAtRisk',
      'planned',
      'recurring',
      'workOrdersToday',
    ]);
    expect(tileOf(d, 'myQueue')).toMatchObject({ value: 3, link: '/tickets?tab=queue' });
    // Next due first: the late one.
    expect(tileOf(d, 'myQueue').rows[0]!.id).toBe(ids.late);
    expect(tileOf(d, 'slaAtRisk')).toMatchObject({ value: 1, total: 3 });
    expect(tileOf(d, 'slaAtRisk').rows.map((r) => r.id)).toEqual([ids.late]);
    expect(tileOf(d, 'planned').rows.map((r) => r.id)).toEqual([ids.planned]);
    expect(tileOf(d, 'recurring').rows.map((r) => r.id)).toEqual([ids.recurring]);
  });

  it('shows a supervisor the backlog, its trend, SLA this month, volumes and the oldest tickets', async () => {
    const res = await get(admin, `/dashboards/supervisor?orgId=${w.orgA.id}&locale=en`);
    expect(res.statusCode).toBe(200);
    const d = json<TDashboard>(res);
    expect(d.tiles.map((x) => x.key)).toEqual([
      'backlog',
      'backlogTrend',
      'slaMonth',
      'byCategory',
      'bySite',
      'oldest',
      'stockAlerts',
      'workOrdersLate',
    ]);
    expect(tileOf(d, 'backlog')).toMatchObject({ value: 4, link: '/tickets?tab=open' });
    const trend = tileOf(d, 'backlogTrend');
    expect(trend.series).toHaveLength(12);
    expect(trend.value).toBe(4);
    // Twelve weeks ago nothing was open.
    expect(trend.series[0]!.value).toBe(0);
    expect(tileOf(d, 'oldest').rows[0]!.id).toBe(ids.late);
    const byCategory = tileOf(d, 'byCategory');
    const hardware = byCategory.series.find((s) => s.key === HARDWARE)!;
    expect(hardware).toMatchObject({ label: 'Hardware', link: `/tickets?tab=all&categoryId=${HARDWARE}` });
    // This month's hardware tickets (the organisation's month, Europe/Paris), as the list shows them.
    const monthStart = startOfDay(
      'Europe/Paris',
      `${dayIn('Europe/Paris', new Date()).slice(0, 8)}01`,
    ).toISOString();
    const listed = json<{ items: Array<{ createdAt: string }> }>(
      await get(admin, `/tickets?orgId=${w.orgA.id}&categoryId=${HARDWARE}`),
    ).items.filter((x) => x.createdAt >= monthStart).length;
    expect(hardware.value).toBe(listed);
    expect(tileOf(d, 'bySite').series).toEqual([
      expect.objectContaining({ key: null, label: 'No site', value: byCategory.value }),
    ]);
  });

  it('counts the stock levels to reorder as the filtered stock list does, naming the first ones', async () => {
    const d = json<TDashboard>(await get(admin, `/dashboards/supervisor?orgId=${w.orgA.id}`));
    const alerts = tileOf(d, 'stockAlerts');
    const listed = json<{
      items: Array<{ articleId: string; stockLocationId: string; articleName: string }>;
    }>(await get(admin, `/stock/levels?orgId=${w.orgA.id}&toReorder=true&limit=100`)).items;
    expect(listed).toHaveLength(4);
    expect(alerts.value).toBe(listed.length);
    expect(alerts.link).toBe(`/stock?orgId=${w.orgA.id}&toReorder=true`);
    // The first lines of that list, in its order, with what is available.
    expect(alerts.series.map((s) => s.key)).toEqual(
      listed.slice(0, 5).map((l) => `${l.articleId}:${l.stockLocationId}`),
    );
    expect(alerts.series.find((s) => s.label.startsWith('Toner noir'))).toMatchObject({
      label: 'Toner noir — Réserve',
      value: 2,
    });
    // Organisation B's own alert only.
    const b = json<TDashboard>(await get(adminB, `/dashboards/supervisor?orgId=${w.orgB.id}`));
    expect(tileOf(b, 'stockAlerts')).toMatchObject({
      value: 1,
      series: [expect.objectContaining({ value: 0 })],
    });
  });

  it('shows the stock alerts only to those allowed to read stock', async () => {
    const supervisor = await login(
      t.app,
      (await makeUser(t.ctx, { orgId: w.orgA.id, roles: ['supervisor'] })).email,
    );
    const url = `/dashboards/supervisor?orgId=${w.orgA.id}`;
    const keys = async () => json<TDashboard>(await get(supervisor, url)).tiles.map((x) => x.key);
    expect(await keys()).toContain('stockAlerts');
    // No built-in role reads reports without reading stock: a role table where supervisors do not
    // stands for one (each test file runs in its own module context; restored below).
    const saved = ROLE_PERMISSIONS.supervisor;
    ROLE_PERMISSIONS.supervisor = saved.filter((a) => a !== 'stock.read');
    try {
      expect((await get(supervisor, '/stock/levels?toReorder=true')).statusCode).toBe(403);
      const without = await keys();
      expect(without).not.toContain('stockAlerts');
      expect(without).toContain('backlog');
    } finally {
      ROLE_PERMISSIONS.supervisor = saved;
    }
  });

  it('keeps each dashboard to those allowed', async () => {
    const requester = await login(t.app, w.requesterA.email);
    expect((await get(requester, '/dashboards/technician')).statusCode).toBe(403);
    expect((await get(requester, `/dashboards/supervisor?orgId=${w.orgA.id}`)).statusCode).toBe(403);
    expect((await get(tech, `/dashboards/supervisor?orgId=${w.orgB.id}`)).statusCode).toBe(404);
  });

  it('shows the security officer the open incidents, those to acknowledge and the rules that fired', async () => {
    const officer = await login(t.app, w.securityA.email);
    const token = await t.app.inject({
      method: 'POST',
      url: '/api/v1/security/ingest-tokens',
      headers: officer.headers,
      payload: { orgId: w.orgA.id },
    });
    expect(token.statusCode).toBe(201);
    const ingest = await t.app.inject({
      method: 'POST',
      url: '/api/v1/security/ingest?source=web1',
      headers: {
        authorization: `Bearer ${json<{ token: string }>(token).token}`,
        'content-type': 'application/octet-stream',
      },
      payload: bruteForce(8),
    });
    expect(ingest.statusCode).toBe(200);
    const url = `/dashboards/security?orgId=${w.orgA.id}&locale=fr`;
    const d = json<TDashboard>(await get(officer, url));
    expect(d.tiles.map((x) => x.key)).toEqual(['securityOpen', 'securityToAcknowledge', 'securityByRule']);
    const open = tileOf(d, 'securityOpen');
    expect(open.value).toBe(1);
    expect(open.series.map((s) => s.key)).toEqual(['critical', 'high', 'medium', 'low']);
    expect(open.series.reduce((a, s) => a + s.value, 0)).toBe(1);
    expect(open.series[0]?.link).toBe('/security?tab=incidents&severity=critical');
    const waiting = tileOf(d, 'securityToAcknowledge');
    expect(waiting.value).toBe(1);
    expect(waiting.series[0]?.label).toMatch(/^SEC-000001 — /);
    expect(waiting.series[0]?.link).toMatch(/^\/security\/incidents\//);
    expect(waiting.link).toBe('/security?tab=incidents&status=new');
    const byRule = tileOf(d, 'securityByRule');
    expect(byRule.value).toBe(1);
    expect(byRule.series).toHaveLength(1);
    expect(byRule.series[0]).toMatchObject({ value: 1 });
    // Technicians do not read security logs; another organisation's administrator does not see A's.
    expect((await get(tech, url)).statusCode).toBe(403);
    expect((await get(adminB, url)).statusCode).toBe(404);
  });
});
