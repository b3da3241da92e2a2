import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, login, type Session, type TestApp, testApp, world } from '../../test/harness.js';

const HARDWARE = '00000000-0000-7000-8000-000000000101';
const SOFTWARE = '00000000-0000-7000-8000-000000000102';

let t: TestApp;
let w: Awaited<ReturnType<typeof world>>;
let tech: Session;
let q: string;

const get = (s: Session, url: string) =>
  t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: s.headers });

beforeAll(async () => {
  t = await testApp();
  w = await world(t.ctx);
  tech = await login(t.app, w.techA.email);
  for (const categoryId of [HARDWARE, HARDWARE, SOFTWARE]) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: tech.headers,
      payload: { orgId: w.orgA.id, title: 'Écran noir', categoryId },
    });
    expect(res.statusCode).toBe(201);
  }
  // This week in the organisation's time zone holds the three tickets just filed.
  q = `orgId=${w.orgA.id}&period=week`;

  // Interventions of the week: two workstations installed, a printer that failed, and a draft.
  const call = async <T>(method: 'POST', url: string, payload: object, version?: number) => {
    const res = await t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { ...tech.headers, ...(version && { 'if-match': `"v${version}"` }) },
      payload,
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return json<T & { id: string; version: number }>(res);
  };
  const site = await call<object>('POST', '/locations', { orgId: w.orgA.id, kind: 'site', name: 'Siège' });
  const start = new Date(Date.now() - 3_600_000).toISOString();
  const end = new Date(Date.now() + 3_600_000).toISOString();
  const started = async (kind: string, title: string) => {
    let wo = await call<object>('POST', '/work-orders', {
      orgId: w.orgA.id,
      kind,
      title,
      locationId: site.id,
      technicianId: w.techA.id,
      scheduledStart: start,
      scheduledEnd: end,
    });
    for (const to of ['planned', 'in_progress'])
      wo = await call<object>('POST', `/work-orders/${wo.id}/transition`, { to }, wo.version);
    return wo;
  };
  for (const title of ['Poste de Léa', 'Poste de Marc']) {
    const wo = await started('new_workstation', title);
    await call('POST', `/work-orders/${wo.id}/complete`, { configuration: {} }, wo.version);
  }
  const printer = await started('peripheral', 'Imprimante du 2e');
  await call('POST', `/work-orders/${printer.id}/fail`, { reason: 'Bac manquant' }, printer.version);
  await call('POST', '/work-orders', {
    orgId: w.orgA.id,
    kind: 'removal',
    title: 'Brouillon',
    locationId: site.id,
  });
});
afterAll(() => t.close());

describe('incident report exports', () => {
  it('exports the report as CSV with the summary and every chart, in the asked language', async () => {
    const fr = await get(tech, `/reports/incidents.csv?${q}&locale=fr`);
    expect(fr.statusCode).toBe(200);
    expect(fr.headers['content-type']).toContain('text/csv');
    expect(fr.headers['content-disposition']).toMatch(/attachment; filename="rapport-incidents-.*\.csv"/);
    expect(fr.body.startsWith('\uFEFF')).toBe(true);
    expect(fr.body).toContain('Synthèse;Tickets créés;3;0');
    expect(fr.body).toContain(`Par catégorie;${HARDWARE};Matériel;2;0`);
    const en = await get(tech, `/reports/incidents.csv?${q}&locale=en&dialect=rfc4180`);
    expect(en.body).toContain('Summary,Tickets created,3,0');
    expect(en.body).toContain(`By category,${SOFTWARE},Software,1,0`);
    // The interventions of the period: done and failed in the summary, those done by kind.
    expect(fr.body).toContain('Synthèse;Interventions réalisées;2;0');
    expect(fr.body).toContain('Synthèse;Interventions en échec;1;0');
    expect(fr.body).toContain('Interventions par nature;new_workstation;Nouveau poste de travail;2;0');
    expect(fr.body).not.toContain('Retrait');
  });

  it('leaves interventions out for those who may not read work orders', async () => {
    const r = json<{ interventions: unknown; labels: { interventions: unknown[] } }>(
      await get(tech, `/reports/incidents?${q}`),
    );
    expect(r.interventions).toEqual({ current: { done: 2, failed: 1 }, previous: { done: 0, failed: 0 } });
    const security = await login(t.app, w.securityA.email);
    // A security officer reads no report today; should one be given report.read, work orders stay hidden.
    expect((await get(security, `/reports/incidents?${q}`)).statusCode).toBe(403);
  });

  it('downloads one chart’s data', async () => {
    const res = await get(
      tech,
      `/reports/incidents/chart.csv?${q}&chart=byCategory&locale=en&dialect=rfc4180`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.body.split('\r\n')).toEqual([
      'Key,Label,Period,Previous period',
      `${HARDWARE},Hardware,2,0`,
      `${SOFTWARE},Software,1,0`,
      '',
    ]);
    const trend = await get(tech, `/reports/incidents/chart.csv?${q}&chart=trend&locale=en&dialect=rfc4180`);
    const rows = trend.body.trim().split('\r\n').slice(1);
    expect(rows).toHaveLength(7);
    expect(rows.reduce((a, r) => a + Number(r.split(',')[1]), 0)).toBe(3);
    const bad = await get(tech, `/reports/incidents/chart.csv?${q}&chart=nope`);
    expect(bad.statusCode).toBe(400);
  });

  it('exports a workbook with a summary sheet and one sheet per chart', async () => {
    const res = await get(tech, `/reports/incidents.xlsx?${q}&locale=fr`);
    expect(res.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
    expect(book.worksheets.map((s) => s.name)).toEqual([
      'Synthèse',
      'Créés et résolus',
      'Par typologie',
      'Par catégorie',
      'Par priorité',
      'Par site',
      'Équipements les plus concernés',
      'Problèmes récurrents (par catég',
      'Satisfaction (notes 1 à 5)',
      'Interventions par nature',
    ]);
    const summary = book.getWorksheet('Synthèse')!;
    expect(summary.getRow(4).values).toEqual([undefined, 'Tickets créés', 3, 0]);
    const categories = book.getWorksheet('Par catégorie')!;
    expect(categories.getRow(2).values).toEqual([undefined, HARDWARE, 'Matériel', 2, 0]);
  });

  it('builds the PDF on the server', async () => {
    const res = await get(tech, `/reports/incidents.pdf?${q}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(res.rawPayload.length).toBeGreaterThan(2000);
  });

  it('refuses exports to those who may not read reports', async () => {
    const requester = await login(t.app, w.requesterA.email);
    expect((await get(requester, `/reports/incidents.pdf?${q}`)).statusCode).toBe(403);
    const security = await login(t.app, w.securityA.email);
    expect((await get(security, `/reports/incidents.csv?${q}`)).statusCode).toBe(403);
    const tooLong = await get(
      tech,
      `/reports/incidents?orgId=${w.orgA.id}&period=custom&from=2024-01-01&to=2026-01-01`,
    );
    expect(tooLong.statusCode).toBe(400);
    expect(json<{ errors: Array<{ path: string }> }>(tooLong).errors[0]!.path).toBe('to');
  });
});
