import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TWorkOrder, TWorkOrderDetail } from '../../../shared/schemas/workorders.js';
import { systemPrincipal } from '../../context.js';
import { buildJobRegistry } from '../../jobs/registry.js';
import {
  bearer,
  json,
  login,
  makeUser,
  type Session,
  type TestApp,
  testApp,
  testConfig,
  world,
} from '../../test/harness.js';
import { createMailService } from '../mail/index.js';
import { notifyMissing } from './alerts.service.js';
import { findPing } from './probes.js';

let t: TestApp;
let w: Awaited<ReturnType<typeof world>>;
let tech: Session;
let tech2: Session;
let supervisor: Session;
let adminB: Session;
let techId: string;
let supervisorEmail: string;
let user: { id: string; email: string };

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
const req = (
  s: Session,
  method: Method,
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
async function ok<T>(
  s: Session,
  method: Method,
  url: string,
  payload?: object,
  headers?: Record<string, string>,
) {
  const res = await req(s, method, url, payload, headers);
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return json<T>(res);
}
const ifMatch = (v: number) => ({ 'if-match': `"v${v}"` });
type Problem = { code: string; detail: string; errors?: Array<{ path: string; code: string }> } & Record<
  string,
  unknown
>;
type Level = { quantity: number; reserved: number; available: number };

let site: { id: string };
let store: { id: string };
let model: { id: string; version: number };
let mouse: { id: string };
let cable: { id: string };
let laptop: { id: string; version: number };
let typeId: string;
let tcpServer: Server;
let tcpPort: number;
let httpServer: HttpServer;
let httpPort: number;

const level = (articleId: string) => ok<Level>(tech, 'GET', `/stock/levels/${articleId}/${store.id}`);
const create = (s: Session, body: Record<string, unknown>) =>
  req(s, 'POST', '/work-orders', {
    orgId: w.orgA.id,
    kind: 'new_workstation',
    title: 'Poste de Léa',
    locationId: site.id,
    stockLocationId: store.id,
    ...body,
  });

beforeAll(async () => {
  t = await testApp();
  w = await world(t.ctx);
  const tech2User = await makeUser(t.ctx, { orgId: w.orgA.id, roles: ['technician'] });
  const supUser = await makeUser(t.ctx, { orgId: w.orgA.id, roles: ['supervisor'] });
  supervisorEmail = supUser.email;
  user = w.requesterA;
  techId = w.techA.id;
  tech = await login(t.app, w.techA.email);
  tech2 = await login(t.app, tech2User.email);
  supervisor = await login(t.app, supUser.email);
  adminB = await login(t.app, w.adminB.email);
  site = await ok(tech, 'POST', '/locations', { orgId: w.orgA.id, kind: 'site', name: 'Lyon' });
  store = await ok(tech, 'POST', '/stock/locations', {
    orgId: w.orgA.id,
    locationId: site.id,
    name: 'Réserve',
  });
  const maker = await ok<{ id: string }>(tech, 'POST', '/manufacturers', { orgId: w.orgA.id, name: 'Dell' });
  const types = await ok<Array<{ id: string }> | { items: Array<{ id: string }> }>(
    tech,
    'GET',
    `/asset-types?orgId=${w.orgA.id}`,
  );
  const type = (Array.isArray(types) ? types : types.items)[0]!;
  typeId = type.id;
  model = await ok(tech, 'POST', '/models', {
    orgId: w.orgA.id,
    manufacturerId: maker.id,
    typeId: type.id,
    name: 'Latitude 5440',
    boxContents: ['Chargeur', 'Câble secteur'],
    installSteps: ['Brancher le dock'],
  });
  const notice = await t.app.inject({
    method: 'PUT',
    url: `/api/v1/models/${model.id}/notice`,
    payload: Buffer.from('%PDF-1.4\n% notice\n%%EOF\n'),
    headers: {
      ...tech.headers,
      'content-type': 'application/pdf',
      'if-match': '"v1"',
      'x-file-name': 'dock.pdf',
    },
  });
  expect(notice.statusCode, notice.body).toBe(200);
  laptop = await ok(tech, 'POST', '/assets', {
    orgId: w.orgA.id,
    typeId: type.id,
    modelId: model.id,
    name: 'PC-0042',
    serial: 'SN-0042',
    status: 'in_stock',
  });
  mouse = await ok(tech, 'POST', '/stock/articles', { orgId: w.orgA.id, name: 'Souris', leadTimeDays: 4 });
  cable = await ok(tech, 'POST', '/stock/articles', {
    orgId: w.orgA.id,
    name: 'Câble RJ45',
    leadTimeDays: 2,
  });
  for (const [a, n] of [
    [mouse, 3],
    [cable, 1],
  ] as const)
    await ok(tech, 'POST', '/stock/movements', {
      kind: 'in',
      articleId: a.id,
      toLocationId: store.id,
      quantity: n,
    });
  // Real peers on loopback for the validation tests.
  tcpServer = createServer((s) => s.end());
  await new Promise<void>((r) => tcpServer.listen(0, '127.0.0.1', r));
  tcpPort = (tcpServer.address() as { port: number }).port;
  httpServer = createHttpServer((rq, rs) => {
    rs.statusCode = rq.url === '/health' ? 204 : 500;
    rs.end();
  });
  await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r));
  httpPort = (httpServer.address() as { port: number }).port;
});
afterAll(async () => {
  tcpServer?.close();
  httpServer?.close();
  await t?.close();
});

/** The text pdfkit drew: its content streams inflated, the hex strings of each TJ decoded (WinAnsi). */
// WinAnsi is Latin-1 but for 0x80–0x9F; the report draws these of that range.
const WIN_ANSI: Record<number, string> = { 145: '‘', 146: '’', 149: '•', 150: '–', 151: '—' };
const winAnsi = { decode: (b: Buffer) => [...b].map((c) => WIN_ANSI[c] ?? String.fromCharCode(c)).join('') };
function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const out: string[] = [];
  for (const m of raw.matchAll(/stream\r?\n/g)) {
    const start = m.index + m[0].length;
    const end = raw.indexOf('endstream', start);
    let content: string;
    try {
      content = inflateSync(pdf.subarray(start, end)).toString('latin1');
    } catch {
      continue;
    }
    for (const tj of content.matchAll(/\[([^\]]*)\] TJ/g))
      out.push(
        [...tj[1]!.matchAll(/<([0-9a-f]+)>/gi)]
          .map((h) => winAnsi.decode(Buffer.from(h[1]!, 'hex')))
          .join(''),
      );
  }
  return out.join('\n');
}

describe('work orders', () => {
  let wo: TWorkOrderDetail;

  it('creates a draft with its reference, reserves the articles and builds the checklist from the model', async () => {
    const res = await create(tech, {
      affectedUserIds: [user.id],
      earliestDate: '2026-12-01',
      latestDate: '2026-12-05',
      items: [
        { modelId: model.id, assetIds: [laptop.id] },
        { articleId: mouse.id, quantity: 2 },
      ],
      tests: [
        { kind: 'tcp', host: '127.0.0.1', port: tcpPort },
        { kind: 'http', url: `http://127.0.0.1:${httpPort}/health`, expectedStatus: 204 },
        { kind: 'dns', host: 'localhost', expectedAddress: '127.0.0.1' },
      ],
      checklist: [{ label: 'Photo du bureau', mandatory: false }],
    });
    expect(res.statusCode, res.body).toBe(201);
    wo = json<TWorkOrderDetail>(res);
    expect(wo.reference).toBe('WO-000001');
    expect(wo.status).toBe('draft');
    expect(res.headers.etag).toBe('"v1"');
    expect(wo.checklist.map((c) => [c.kind, c.label, c.mandatory])).toEqual([
      ['box', 'Chargeur', true],
      ['box', 'Câble secteur', true],
      ['step', 'Brancher le dock', true],
      ['test', `TCP 127.0.0.1:${tcpPort}`, true],
      ['test', `HTTP http://127.0.0.1:${httpPort}/health → 204`, true],
      ['test', 'DNS localhost = 127.0.0.1', true],
      ['custom', 'Photo du bureau', false],
    ]);
    expect(wo.items[1]).toMatchObject({ label: 'Souris', quantity: 2, reservationStatus: 'active' });
    expect(wo.notices).toEqual([{ modelId: model.id, modelName: 'Latitude 5440', name: 'dock.pdf' }]);
    expect(await level(mouse.id)).toMatchObject({ quantity: 3, reserved: 2, available: 1 });
  });

  it('answers 409 with the quantity available and the lead time beyond the stock, and creates nothing', async () => {
    const res = await create(tech, { items: [{ articleId: mouse.id, quantity: 5 }] });
    expect(res.statusCode).toBe(409);
    const p = json<Problem>(res);
    expect(p).toMatchObject({ code: 'stock.insufficient', available: 1, requested: 5, leadTimeDays: 4 });
    const list = await ok<{ items: TWorkOrder[] }>(tech, 'GET', `/work-orders?orgId=${w.orgA.id}`);
    expect(list.items).toHaveLength(1);
    expect(await level(mouse.id)).toMatchObject({ reserved: 2 });
  });

  it('refuses units that are not in stock or of another organisation, each on its path', async () => {
    const res = await create(tech, {
      technicianId: w.adminB.id,
      items: [{ modelId: model.id, assetIds: ['0190a000-0000-7000-8000-000000000000'] }],
    });
    expect(res.statusCode).toBe(422);
    expect(json<Problem>(res).errors?.map((e) => `${e.path}:${e.code}`)).toEqual([
      'technicianId:not_found',
      'items.0.assetIds.0:not_found',
    ]);
  });

  it("hides another organisation's work order (404) and refuses a stale version (412)", async () => {
    expect((await req(adminB, 'GET', `/work-orders/${wo.id}`)).statusCode).toBe(404);
    const first = await ok<TWorkOrderDetail>(
      tech,
      'PATCH',
      `/work-orders/${wo.id}`,
      {
        technicianId: techId,
        scheduledStart: '2026-12-02T08:00:00.000Z',
        scheduledEnd: '2026-12-02T10:00:00.000Z',
      },
      ifMatch(1),
    );
    expect(first.version).toBe(2);
    const stale = await req(tech2, 'PATCH', `/work-orders/${wo.id}`, { title: 'Autre' }, ifMatch(1));
    expect(stale.statusCode).toBe(412);
    expect((await req(tech2, 'PATCH', `/work-orders/${wo.id}`, { title: 'Autre' })).statusCode).toBe(428);
  });

  it('follows the transitions table: planning needs a technician and a schedule', async () => {
    const other = json<TWorkOrderDetail>(await create(tech, { title: 'Imprimante' }));
    const refused = await req(
      tech,
      'POST',
      `/work-orders/${other.id}/transition`,
      { to: 'planned' },
      ifMatch(1),
    );
    expect(refused.statusCode).toBe(422);
    expect(json<Problem>(refused).errors?.map((e) => e.path)).toEqual([
      'technicianId',
      'scheduledStart',
      'scheduledEnd',
    ]);
    const bad = await req(
      tech,
      'POST',
      `/work-orders/${wo.id}/transition`,
      { to: 'in_progress' },
      ifMatch(2),
    );
    expect(bad.statusCode).toBe(409);
    expect(json<Problem>(bad).code).toBe('work_order.bad_transition');
    const planned = await ok<TWorkOrderDetail>(
      tech,
      'POST',
      `/work-orders/${wo.id}/transition`,
      { to: 'planned' },
      ifMatch(2),
    );
    expect(planned.status).toBe('planned');
    wo = await ok(tech, 'POST', `/work-orders/${wo.id}/transition`, { to: 'in_progress' }, ifMatch(3));
    expect(wo.status).toBe('in_progress');
  });

  it('runs the validation tests against real loopback peers and ticks their checks', async () => {
    // A test added once on site (the address known at last) comes with its mandatory check.
    const added = await ok<{ id: string; label: string }>(tech, 'POST', `/work-orders/${wo.id}/tests`, {
      kind: 'tcp',
      label: 'Port du poste',
      host: '127.0.0.1',
      port: tcpPort,
    });
    const before = await ok<TWorkOrderDetail>(tech, 'GET', `/work-orders/${wo.id}`);
    expect(before.checklist.find((c) => c.testId === added.id)).toMatchObject({
      label: 'Port du poste',
      mandatory: true,
      done: false,
    });
    const ran = await ok<{ items: TWorkOrderDetail['tests'] }>(
      tech,
      'POST',
      `/work-orders/${wo.id}/tests/run`,
      {},
    );
    expect(ran.items.map((x) => x.lastRun?.outcome)).toEqual(['passed', 'passed', 'passed', 'passed']);
    expect(ran.items[0]!.lastRun!.detail).toContain(`127.0.0.1:${tcpPort}`);
    expect(ran.items[1]!.lastRun!.detail).toBe('HTTP 204');
    expect(ran.items[2]!.lastRun!.detail).toContain('127.0.0.1');
    const detail = await ok<TWorkOrderDetail>(tech, 'GET', `/work-orders/${wo.id}`);
    expect(detail.checklist.filter((c) => c.kind === 'test').every((c) => c.done)).toBe(true);
  });

  it('reports a failed test when the peer is gone, unticking its check, and keeps every run', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const other = json<TWorkOrderDetail>(
      await create(tech, {
        title: 'Switch',
        tests: [
          { kind: 'tcp', host: '127.0.0.1', port },
          { kind: 'http', url: `http://127.0.0.1:${httpPort}/other`, expectedStatus: 200 },
          { kind: 'dns', host: 'localhost', expectedAddress: '10.9.9.9' },
          { kind: 'icmp', host: '127.0.0.1' },
        ],
      }),
    );
    const ran = await ok<{ items: TWorkOrderDetail['tests'] }>(
      tech,
      'POST',
      `/work-orders/${other.id}/tests/run`,
    );
    const [tcp, http, dns, icmp] = ran.items.map((x) => x.lastRun!);
    expect(tcp).toMatchObject({ outcome: 'failed', detail: 'ECONNREFUSED', source: 'parc' });
    expect(http).toMatchObject({ outcome: 'failed', detail: 'HTTP 500 ≠ 200' });
    expect(dns!.outcome).toBe('failed');
    expect(dns!.detail).toContain('≠ 10.9.9.9');
    // ICMP is either really sent or said to be unavailable here, never invented.
    if (!findPing()) expect(icmp).toMatchObject({ outcome: 'unavailable', detail: 'ping: ENOENT' });
    else expect(['passed', 'unavailable']).toContain(icmp!.outcome);
    // An agent reports the TCP test passed afterwards, with an API token.
    const token = await bearer(t.ctx, techId, w.orgA.id, 'technician');
    const reported = await t.app.inject({
      method: 'POST',
      url: `/api/v1/work-orders/${other.id}/tests/${tcp!.testId}/result`,
      headers: token,
      payload: { outcome: 'passed', detail: 'checked from the workstation', durationMs: 12 },
    });
    expect(reported.statusCode, reported.body).toBe(201);
    expect(json(reported)).toMatchObject({ source: 'agent', outcome: 'passed' });
    const runs = await ok<{ items: Array<{ outcome: string; source: string }> }>(
      tech,
      'GET',
      `/work-orders/${other.id}/tests/${tcp!.testId}/runs`,
    );
    expect(runs.items.map((r) => `${r.source}:${r.outcome}`)).toEqual(['agent:passed', 'parc:failed']);
  });

  it('refuses completion with 422 listing the unchecked mandatory items, and a bad VLAN with 400', async () => {
    const config = {
      hostname: 'pc-lea',
      ipAddress: '10.1.2.3',
      vlan: 20,
      switchPort: 'Gi1/0/12',
      wifiSsid: null,
    };
    const res = await req(
      tech,
      'POST',
      `/work-orders/${wo.id}/complete`,
      { configuration: config },
      ifMatch(wo.version),
    );
    expect(res.statusCode).toBe(422);
    const p = json<Problem>(res);
    expect(p.code).toBe('work_order.checklist_incomplete');
    expect((p.unchecked as Array<{ label: string }>).map((u) => u.label)).toEqual([
      'Chargeur',
      'Câble secteur',
      'Brancher le dock',
    ]);
    expect(p.errors?.map((e) => e.path)).toEqual(['checklist.0', 'checklist.1', 'checklist.2']);
    const vlan = await req(
      tech,
      'POST',
      `/work-orders/${wo.id}/complete`,
      { configuration: { ...config, vlan: 5000, ipAddress: '10.1.2.300' } },
      ifMatch(wo.version),
    );
    expect(vlan.statusCode).toBe(400);
    expect(
      json<Problem>(vlan)
        .errors?.map((e) => e.path)
        .sort(),
    ).toEqual(['configuration.ipAddress', 'configuration.vlan']);
  });

  it('completes: consumes the reservation, deploys and assigns the unit, and serves the report PDF', async () => {
    expect((await req(tech, 'GET', `/work-orders/${wo.id}/report.pdf`)).statusCode).toBe(409);
    for (const c of wo.checklist.filter((x) => x.mandatory && x.kind !== 'test'))
      await ok(tech, 'POST', `/work-orders/${wo.id}/checklist/${c.id}`, { done: true });
    const config = { hostname: 'pc-lea', ipAddress: '10.1.2.3', vlan: 20, switchPort: 'Gi1/0/12' };
    const done = await ok<TWorkOrderDetail>(
      tech,
      'POST',
      `/work-orders/${wo.id}/complete`,
      { configuration: config, note: 'RAS' },
      ifMatch(wo.version),
    );
    expect(done.status).toBe('done');
    expect(done.configuration).toEqual({ ...config, wifiSsid: null });
    expect(done.items[1]!.reservationStatus).toBe('consumed');
    expect(await level(mouse.id)).toMatchObject({ quantity: 1, reserved: 0, available: 1 });
    const moves = await ok<{
      items: Array<{ kind: string; quantity: number; document: { id: string } | null }>;
    }>(tech, 'GET', `/stock/movements?articleId=${mouse.id}`);
    expect(moves.items[0]).toMatchObject({
      kind: 'out',
      quantity: 2,
      document: { kind: 'work_order', id: wo.id },
    });
    const asset = await ok<{ status: string; assignedUserId: string; locationId: string }>(
      tech,
      'GET',
      `/assets/${laptop.id}`,
    );
    expect(asset).toMatchObject({ status: 'deployed', assignedUserId: user.id, locationId: site.id });
    const history = await ok<{ items: Array<{ kind?: string; note?: string | null }> }>(
      tech,
      'GET',
      `/assets/${laptop.id}/history`,
    );
    expect(history.items.length).toBeGreaterThanOrEqual(3);
    const pdf = await t.app.inject({
      method: 'GET',
      url: `/api/v1/work-orders/${wo.id}/report.pdf`,
      headers: { ...tech.headers, 'accept-language': 'en' },
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toContain('WO-000001.pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const en = pdfText(pdf.rawPayload);
    expect(en).toContain('Intervention report — WO-000001');
    expect(en).toContain('Configuration applied');
    expect(en).toContain('10.1.2.3');
    expect(en).toContain('Souris × 2');
    expect(en).toContain('SN-0042');
    expect(en).toMatch(/PASSED\s*TCP 127\.0\.0\.1/);
    const frPdf = await t.app.inject({
      method: 'GET',
      url: `/api/v1/work-orders/${wo.id}/report.pdf`,
      headers: { ...tech.headers, 'accept-language': 'fr' },
    });
    const fr = pdfText(frPdf.rawPayload);
    expect(fr).toContain('Configuration appliquée');
    expect(fr).toContain('RÉUSSI');
    expect(frPdf.headers['content-disposition']).toContain('rapport-intervention-WO-000001.pdf');
    // Done is final.
    const again = await req(tech, 'POST', `/work-orders/${wo.id}/checklist/${wo.checklist[0]!.id}`, {
      done: false,
    });
    expect(again.statusCode).toBe(409);
  });

  it('releases the reservations when a work order fails or is cancelled', async () => {
    const a = json<TWorkOrderDetail>(await create(tech, { items: [{ articleId: mouse.id, quantity: 1 }] }));
    expect(await level(mouse.id)).toMatchObject({ reserved: 1 });
    await ok(
      tech,
      'POST',
      `/work-orders/${a.id}/transition`,
      { to: 'cancelled', reason: 'doublon' },
      ifMatch(1),
    );
    expect(await level(mouse.id)).toMatchObject({ reserved: 0, quantity: 1 });
    const b = json<TWorkOrderDetail>(
      await create(tech, {
        items: [{ articleId: mouse.id, quantity: 1 }],
        technicianId: techId,
        scheduledStart: '2026-12-03T08:00:00.000Z',
        scheduledEnd: '2026-12-03T09:00:00.000Z',
      }),
    );
    await ok(tech, 'POST', `/work-orders/${b.id}/transition`, { to: 'planned' }, ifMatch(1));
    await ok(tech, 'POST', `/work-orders/${b.id}/transition`, { to: 'in_progress' }, ifMatch(2));
    const failed = await ok<TWorkOrderDetail>(
      tech,
      'POST',
      `/work-orders/${b.id}/fail`,
      { reason: 'bureau fermé' },
      ifMatch(3),
    );
    expect(failed).toMatchObject({ status: 'failed', outcomeNote: 'bureau fermé' });
    expect(failed.items[0]!.reservationStatus).toBe('released');
    expect(await level(mouse.id)).toMatchObject({ reserved: 0, quantity: 1 });
  });

  it('lets two work orders race for the last item: one wins, the stock never goes negative', async () => {
    expect(await level(cable.id)).toMatchObject({ quantity: 1, reserved: 0 });
    const results = await Promise.all(
      [tech, tech2].map((s) => create(s, { title: 'Course', items: [{ articleId: cable.id, quantity: 1 }] })),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const lost = json<Problem>(results.find((r) => r.statusCode === 409)!);
    expect(lost).toMatchObject({ code: 'stock.insufficient', available: 0, leadTimeDays: 2 });
    expect(await level(cable.id)).toMatchObject({ quantity: 1, reserved: 1, available: 0 });
  });

  it('reports missing items: alerts the supervisors and tells the users the new date, once', async () => {
    const m = json<TWorkOrderDetail>(
      await create(tech, {
        title: 'Écran salle B',
        affectedUserIds: [user.id],
        items: [{ modelId: model.id }],
      }),
    );
    const box = m.checklist.find((c) => c.label === 'Chargeur')!;
    const past = await req(
      tech,
      'POST',
      `/work-orders/${m.id}/missing`,
      { checkIds: [box.id], expectedDate: '2000-01-01' },
      ifMatch(1),
    );
    expect(past.statusCode).toBe(422);
    const after = await ok<TWorkOrderDetail>(
      tech,
      'POST',
      `/work-orders/${m.id}/missing`,
      { itemIds: [m.items[0]!.id], checkIds: [box.id], note: 'carton ouvert', expectedDate: '2099-01-15' },
      ifMatch(1),
    );
    expect(after.expectedDate).toBe('2099-01-15');
    expect(after.items[0]!.missingSince).not.toBeNull();
    const events = await t.db.handle.db
      .selectFrom('outbox')
      .selectAll()
      .where('type', '=', 'work_order.items_missing')
      .execute();
    expect(events).toHaveLength(1);
    const event = events[0]!;
    const payload = typeof event.payload === 'string' ? JSON.parse(event.payload) : event.payload;
    expect(payload.missing).toEqual(['Latitude 5440 × 1', 'Latitude 5440: Chargeur']);
    // The worker delivers the event to this module's handler.
    expect(buildJobRegistry(testConfig()).events['work_order.items_missing']).toHaveLength(1);
    const mail = createMailService(testConfig({ PARC_SMTP_HOST: '127.0.0.1', PARC_SMTP_PORT: '1' }).smtp);
    const ctx = { ...t.ctx, actor: systemPrincipal('test'), now: new Date() };
    const deps = { mail, baseUrl: 'https://parc.test' };
    const ev = { id: event.id, orgId: w.orgA.id, payload };
    expect(await notifyMissing(ctx, deps, ev)).toBe(2);
    expect(await notifyMissing(ctx, deps, ev)).toBe(0);
    mail.close();
    const mails = await t.db.handle.db
      .selectFrom('mail_outgoing')
      .select(['to_address', 'subject', 'text_body'])
      .where('dedupe_key', 'like', `workorder.missing:${event.id}:%`)
      .orderBy('to_address')
      .execute();
    expect(mails.map((x) => x.to_address).sort()).toEqual([supervisorEmail, user.email].sort());
    const toUser = mails.find((x) => x.to_address === user.email)!;
    expect(toUser.subject).toBe(`Votre intervention ${m.reference} est reportée au 2099-01-15`);
    const toSup = mails.find((x) => x.to_address === supervisorEmail)!;
    expect(toSup.text_body).toContain('Latitude 5440: Chargeur');
  });

  it('promises a serialised unit to one open work order at a time', async () => {
    const spare = await ok<{ id: string }>(tech, 'POST', '/assets', {
      orgId: w.orgA.id,
      typeId,
      modelId: model.id,
      name: 'PC-0043',
      serial: 'SN-0043',
      status: 'in_stock',
    });
    const body = { title: 'Poste de Marc', items: [{ modelId: model.id, assetIds: [spare.id] }] };
    const first = json<TWorkOrderDetail>(await create(tech, body));
    expect(first.items[0]!.assetIds).toEqual([spare.id]);
    const second = await create(tech2, body);
    expect(second.statusCode).toBe(422);
    expect(json<Problem>(second).errors).toEqual([
      expect.objectContaining({ path: 'items.0.assetIds.0', code: 'held_by_work_order' }),
    ]);
    await ok(tech, 'POST', `/work-orders/${first.id}/transition`, { to: 'cancelled' }, ifMatch(1));
    expect((await create(tech2, body)).statusCode).toBe(201);
    // Two work orders claiming one free unit at once: one gets it, the other is refused.
    const free = await ok<{ id: string }>(tech, 'POST', '/assets', {
      orgId: w.orgA.id,
      typeId,
      modelId: model.id,
      name: 'PC-0044',
      serial: 'SN-0044',
      status: 'in_stock',
    });
    const race = { title: 'Course au portable', items: [{ modelId: model.id, assetIds: [free.id] }] };
    const results = await Promise.all([create(tech, race), create(tech2, race)]);
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes[0]).toBe(201);
    expect([409, 422]).toContain(codes[1]);
    const lost = json<Problem>(results.find((r) => r.statusCode !== 201)!);
    expect(['work_order.unit_taken', 'validation.failed']).toContain(lost.code);
    const held = await t.db.handle.db
      .selectFrom('work_order_unit')
      .select('work_order_id')
      .where('asset_id', '=', free.id)
      .execute();
    expect(held).toHaveLength(1);
  });

  it('runs the tests concurrently: two peers that answer only once both are asked both pass', async () => {
    // Each request waits for the other: run one after the other, the first would time out.
    const waiting: Array<() => void> = [];
    const barrier = createHttpServer((_rq, rs) => {
      waiting.push(() => rs.end('ok'));
      if (waiting.length === 2) for (const answer of waiting.splice(0)) answer();
    });
    await new Promise<void>((r) => barrier.listen(0, '127.0.0.1', r));
    const port = (barrier.address() as { port: number }).port;
    try {
      const b = json<TWorkOrderDetail>(
        await create(tech, {
          title: 'Barrière',
          tests: [
            { kind: 'http', url: `http://127.0.0.1:${port}/a` },
            { kind: 'http', url: `http://127.0.0.1:${port}/b` },
          ],
        }),
      );
      const ran = await ok<{ items: TWorkOrderDetail['tests'] }>(
        tech,
        'POST',
        `/work-orders/${b.id}/tests/run`,
      );
      expect(ran.items.map((x) => x.lastRun?.outcome)).toEqual(['passed', 'passed']);
    } finally {
      barrier.closeAllConnections();
      barrier.close();
    }
  });

  it('publishes every work-order route in the OpenAPI document', async () => {
    const doc = json<{ paths: Record<string, unknown> }>(
      await t.app.inject({ method: 'GET', url: '/api/openapi.json' }),
    );
    for (const path of [
      '/api/v1/work-orders',
      '/api/v1/work-orders/{id}',
      '/api/v1/work-orders/{id}/transition',
      '/api/v1/work-orders/{id}/checklist/{checkId}',
      '/api/v1/work-orders/{id}/tests',
      '/api/v1/work-orders/{id}/tests/run',
      '/api/v1/work-orders/{id}/tests/{testId}/result',
      '/api/v1/work-orders/{id}/complete',
      '/api/v1/work-orders/{id}/fail',
      '/api/v1/work-orders/{id}/missing',
      '/api/v1/work-orders/{id}/report.pdf',
    ])
      expect(Object.keys(doc.paths)).toContain(path);
  });

  it('lists with filters, text search, sorting and keyset pages', async () => {
    const all = await ok<{ items: TWorkOrder[] }>(tech, 'GET', `/work-orders?orgId=${w.orgA.id}&limit=200`);
    const n = all.items.length;
    expect(n).toBeGreaterThanOrEqual(6);
    const byRef: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: TWorkOrder[]; nextCursor: string | null } = await ok(
        tech,
        'GET',
        `/work-orders?orgId=${w.orgA.id}&sort=reference&order=asc&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      byRef.push(...page.items.map((x) => x.reference));
      cursor = page.nextCursor;
    } while (cursor);
    expect(byRef).toHaveLength(n);
    expect(byRef).toEqual([...byRef].sort());
    expect(byRef[0]).toBe('WO-000001');
    const done = await ok<{ items: TWorkOrder[] }>(tech, 'GET', '/work-orders?status=done');
    expect(done.items.map((x) => x.reference)).toEqual(['WO-000001']);
    const text = await ok<{ items: TWorkOrder[] }>(tech, 'GET', '/work-orders?q=ecran');
    expect(text.items.map((x) => x.title)).toEqual(['Écran salle B']);
    const mine = await ok<{ items: TWorkOrder[] }>(
      tech,
      'GET',
      `/work-orders?technicianId=${techId}&from=2026-12-02&to=2026-12-02`,
    );
    expect(mine.items.map((x) => x.reference)).toEqual(['WO-000001']);
    expect((await ok<{ items: TWorkOrder[] }>(adminB, 'GET', '/work-orders')).items).toEqual([]);
  });

  it("counts late work orders on the supervisor's dashboard and today's on the technician's", async () => {
    type Dash = {
      tiles: Array<{ key: string; value: number; series: Array<{ label: string; link: string }> }>;
    };
    const tileOf = (d: Dash, key: string) => d.tiles.find((x) => x.key === key)!;
    const url = `/dashboards/supervisor?orgId=${w.orgA.id}`;
    expect(tileOf(await ok<Dash>(supervisor, 'GET', url), 'workOrdersLate').value).toBe(0);
    const late = json<TWorkOrderDetail>(
      await create(tech, { title: 'En retard', earliestDate: '2020-01-01', latestDate: '2020-01-02' }),
    );
    const now = Date.now();
    const today = json<TWorkOrderDetail>(
      await create(tech, {
        title: 'Aujourd’hui',
        technicianId: techId,
        scheduledStart: new Date(now).toISOString(),
        scheduledEnd: new Date(now + 3600_000).toISOString(),
      }),
    );
    const lateTile = tileOf(await ok<Dash>(supervisor, 'GET', url), 'workOrdersLate');
    expect(lateTile.value).toBe(1);
    expect(lateTile.series[0]).toMatchObject({ link: `/work-orders/${late.id}` });
    const lateList = await ok<{ items: TWorkOrder[] }>(
      tech,
      'GET',
      `/work-orders?orgId=${w.orgA.id}&late=true`,
    );
    expect(lateList.items.map((x) => x.id)).toEqual([late.id]);
    // The tile reads the organisation's day (Paris): skip the check if the test crossed midnight there.
    const parisDay = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(d);
    const todayTile = tileOf(await ok<Dash>(tech, 'GET', '/dashboards/technician'), 'workOrdersToday');
    if (parisDay(new Date(now)) === parisDay(new Date())) {
      expect(todayTile.value).toBe(1);
      expect(todayTile.series[0]!.link).toBe(`/work-orders/${today.id}`);
    }
  });
});
