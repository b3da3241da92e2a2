import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TDisposalBatchDetail, TDisposalReport, TWipe } from '../../../shared/schemas/disposal.js';
import { json, login, type Session, type TestApp, testApp, world } from '../../test/harness.js';

/** End of life: disposal batches, data-wiping evidence, and the environmental report. */

let t: TestApp;
let w: Awaited<ReturnType<typeof world>>;
let tech: Session;
let security: Session;
let requester: Session;
let adminB: Session;

// Built-in asset types (migration 0002 gives them stable ids).
const builtIn = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const LAPTOP = builtIn(2);
const MONITOR = builtIn(6);
const MOUSE = builtIn(15);
const DISK = builtIn(17);

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
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
const ifMatch = (b: { version: number }) => ({ 'if-match': `"v${b.version}"` });
type Problem = {
  code: string;
  detail: string;
  errors?: Array<{ path: string; code: string }>;
  assets?: Array<{ assetId: string; name?: string; reference?: string }>;
};
type Asset = { id: string; status: string; version: number };

async function asset(name: string, typeId: string, status = 'in_stock', orgId = w.orgA.id, as = tech) {
  return ok<Asset>(as, 'POST', '/assets', { orgId, typeId, name, status });
}
const statusOf = async (id: string) => (await ok<Asset>(tech, 'GET', `/assets/${id}`)).status;

async function newBatch(channel: string, recipient = 'Ecosystem') {
  return ok<TDisposalBatchDetail>(tech, 'POST', '/disposal/batches', {
    orgId: w.orgA.id,
    channel,
    recipient,
  });
}
async function add(batch: TDisposalBatchDetail, items: object[]) {
  return ok<TDisposalBatchDetail>(
    tech,
    'POST',
    `/disposal/batches/${batch.id}/items`,
    { items },
    ifMatch(batch),
  );
}
async function wipe(assetId: string, over: object = {}) {
  return ok<TWipe>(tech, 'POST', '/disposal/wipes', {
    assetId,
    method: 'overwrite_single_pass',
    performedAt: '2026-03-02T10:00:00.000Z',
    operator: 'Paul Durand',
    tool: 'nwipe 0.34',
    ...over,
  });
}

beforeAll(async () => {
  t = await testApp();
  w = await world(t.ctx);
  tech = await login(t.app, w.techA.email);
  security = await login(t.app, w.securityA.email);
  requester = await login(t.app, w.requesterA.email);
  adminB = await login(t.app, w.adminB.email);
});
afterAll(() => t.close());

describe('disposal batches', () => {
  it('takes assets out of service into a batch and hands it over only once storage media are wiped', async () => {
    const laptop = await asset('PC-COMPTA-01', LAPTOP, 'deployed');
    const monitor = await asset('ECRAN-12', MONITOR);
    const disk = await asset('DISQUE-SRV-3', DISK, 'retired');
    let batch = await newBatch('recycle');
    expect(batch).toMatchObject({ reference: 'DSP-000001', status: 'open', itemCount: 0, weightKg: 0 });

    batch = await add(batch, [
      { assetId: laptop.id, weightKg: 2.1 },
      { assetId: monitor.id, weightKg: 4.35 },
      { assetId: disk.id },
    ]);
    expect(batch.itemCount).toBe(3);
    expect(batch.weightKg).toBeCloseTo(6.45, 6);
    // Laptops and disks hold data unless told otherwise; monitors do not.
    expect(Object.fromEntries(batch.items.map((i) => [i.assetName, i.holdsData]))).toEqual({
      'PC-COMPTA-01': true,
      'ECRAN-12': false,
      'DISQUE-SRV-3': true,
    });
    for (const a of [laptop, monitor, disk]) expect(await statusOf(a.id)).toBe('awaiting_disposal');
    const history = await ok<{ items: Array<{ changes: unknown }> }>(
      tech,
      'GET',
      `/assets/${laptop.id}/history`,
    );
    expect(JSON.stringify(history.items[0]?.changes)).toContain('awaiting_disposal');

    // A failed wipe is no evidence: the laptop and the disk still block the hand-over.
    await wipe(laptop.id, { result: 'failed' });
    const refused = await req(
      tech,
      'POST',
      `/disposal/batches/${batch.id}/close`,
      { handedOverOn: '2026-03-05', certificateRef: 'BSD-2026-0042' },
      ifMatch(batch),
    );
    expect(refused.statusCode).toBe(422);
    const problem = json<Problem>(refused);
    expect(problem.code).toBe('disposal_batch.unwiped');
    expect(problem.assets?.map((a) => a.name).sort()).toEqual(['DISQUE-SRV-3', 'PC-COMPTA-01']);
    expect(problem.detail).toContain('PC-COMPTA-01');
    expect(await statusOf(laptop.id)).toBe('awaiting_disposal');

    await wipe(laptop.id, { method: 'secure_erase', certificateRef: 'WIPE-77' });
    await wipe(disk.id, { method: 'physical_destruction', operator: 'Destruction Services SA' });
    batch = await ok(tech, 'GET', `/disposal/batches/${batch.id}`);
    expect(batch.items.find((i) => i.assetId === laptop.id)?.wipe).toMatchObject({
      method: 'secure_erase',
      certificateRef: 'WIPE-77',
    });
    batch = await ok(
      tech,
      'POST',
      `/disposal/batches/${batch.id}/close`,
      { handedOverOn: '2026-03-05', certificateRef: 'BSD-2026-0042' },
      ifMatch(batch),
    );
    expect(batch).toMatchObject({
      status: 'closed',
      handedOverOn: '2026-03-05',
      certificateRef: 'BSD-2026-0042',
    });
    for (const a of [laptop, monitor, disk]) expect(await statusOf(a.id)).toBe('disposed');

    // Closed is final.
    const late = await req(
      tech,
      'POST',
      `/disposal/batches/${batch.id}/items`,
      { items: [{ assetId: laptop.id }] },
      ifMatch(batch),
    );
    expect(late.statusCode).toBe(409);
    expect(json<Problem>(late).code).toBe('disposal_batch.not_open');
  });

  it('refuses what cannot leave, names each problem, and detects concurrent changes', async () => {
    const ordered = await asset('Souris commandée', MOUSE, 'ordered');
    const pc = await asset('PC-ACCUEIL', LAPTOP);
    const elsewhere = await asset('PC-B', LAPTOP, 'in_stock', w.orgB.id, adminB);
    let first = await newBatch('reuse', 'Emmaüs Connect');
    const bad = await req(
      tech,
      'POST',
      `/disposal/batches/${first.id}/items`,
      { items: [{ assetId: ordered.id }, { assetId: pc.id }, { assetId: pc.id }, { assetId: elsewhere.id }] },
      ifMatch(first),
    );
    expect(bad.statusCode).toBe(422);
    expect(json<Problem>(bad).errors?.map((e) => [e.path, e.code])).toEqual([
      ['items.0.assetId', 'not_disposable'],
      ['items.2.assetId', 'duplicate'],
      ['items.3.assetId', 'not_found'],
    ]);
    expect(await statusOf(pc.id)).toBe('in_stock');

    first = await add(first, [{ assetId: pc.id, holdsData: false }]);
    const second = await newBatch('refurbish');
    const taken = await req(
      tech,
      'POST',
      `/disposal/batches/${second.id}/items`,
      { items: [{ assetId: pc.id }] },
      ifMatch(second),
    );
    expect(taken.statusCode).toBe(409);
    expect(json<Problem>(taken)).toMatchObject({
      code: 'disposal.already_in_batch',
      assets: [{ assetId: pc.id, reference: first.reference }],
    });

    const stale = await req(
      tech,
      'PATCH',
      `/disposal/batches/${first.id}`,
      { notes: 'x' },
      { 'if-match': '"v1"' },
    );
    expect(stale.statusCode).toBe(412);

    // Taken out again: back in stock; a cancelled batch puts everything back.
    first = await ok(
      tech,
      'DELETE',
      `/disposal/batches/${first.id}/items/${pc.id}`,
      undefined,
      ifMatch(first),
    );
    expect(first.itemCount).toBe(0);
    expect(await statusOf(pc.id)).toBe('in_stock');
    const again = await add(second, [{ assetId: pc.id }]);
    const cancelled = await ok<TDisposalBatchDetail>(
      tech,
      'POST',
      `/disposal/batches/${second.id}/cancel`,
      undefined,
      ifMatch(again),
    );
    expect(cancelled).toMatchObject({ status: 'cancelled', itemCount: 0 });
    expect(await statusOf(pc.id)).toBe('in_stock');

    const empty = await req(
      tech,
      'POST',
      `/disposal/batches/${first.id}/close`,
      { handedOverOn: '2026-03-05' },
      ifMatch(first),
    );
    expect(json<Problem>(empty).code).toBe('disposal_batch.empty');

    const future = await req(tech, 'POST', '/disposal/wipes', {
      assetId: pc.id,
      method: 'crypto_erase',
      performedAt: '2999-01-01T00:00:00.000Z',
      operator: 'X',
    });
    expect(future.statusCode).toBe(422);
    expect(json<Problem>(future).errors?.[0]).toMatchObject({ path: 'performedAt', code: 'in_future' });
  });

  it('keeps batches and wiping records to those allowed', async () => {
    const batch = await newBatch('recycle');
    expect((await req(adminB, 'GET', `/disposal/batches/${batch.id}`)).statusCode).toBe(404);
    expect((await req(requester, 'GET', '/disposal/batches')).statusCode).toBe(403);
    // The security officer reads the GDPR evidence but does not write it.
    const wipes = await ok<{ items: TWipe[] }>(security, 'GET', `/disposal/wipes?orgId=${w.orgA.id}`);
    expect(wipes.items.length).toBeGreaterThan(0);
    const pc = await asset('PC-RSSI', LAPTOP);
    const denied = await req(security, 'POST', '/disposal/wipes', {
      assetId: pc.id,
      method: 'crypto_erase',
      performedAt: '2026-03-01T00:00:00.000Z',
      operator: 'X',
    });
    expect(denied.statusCode).toBe(403);
    const list = await ok<{ items: Array<{ reference: string }> }>(
      tech,
      'GET',
      `/disposal/batches?orgId=${w.orgA.id}&q=DSP-00000&limit=2`,
    );
    expect(list.items.map((b) => b.reference)).toEqual(['DSP-000004', 'DSP-000003']);
    expect((await ok<{ items: unknown[] }>(adminB, 'GET', '/disposal/batches')).items).toEqual([]);
  });

  it('reports counts and weights per channel for the batches handed over in the period', async () => {
    const reuse = await newBatch('reuse', 'Les Ateliers du Bocage');
    const pcs = [await asset('PC-DON-1', LAPTOP), await asset('PC-DON-2', LAPTOP)];
    const screen = await asset('ECRAN-DON', MONITOR);
    let b = await add(reuse, [
      { assetId: pcs[0]!.id, weightKg: 1.5 },
      { assetId: pcs[1]!.id },
      { assetId: screen.id, weightKg: 5 },
    ]);
    for (const pc of pcs) await wipe(pc.id, { method: 'crypto_erase' });
    b = await ok(tech, 'POST', `/disposal/batches/${b.id}/close`, { handedOverOn: '2026-03-20' }, ifMatch(b));
    // A batch handed over in April is outside March.
    let april = await add(await newBatch('recycle'), [
      { assetId: (await asset('ECRAN-AVRIL', MONITOR)).id, weightKg: 3 },
    ]);
    april = await ok(
      tech,
      'POST',
      `/disposal/batches/${april.id}/close`,
      { handedOverOn: '2026-04-01' },
      ifMatch(april),
    );

    const r = await ok<TDisposalReport>(
      tech,
      'GET',
      `/disposal/report?orgId=${w.orgA.id}&from=2026-03-01&to=2026-03-31`,
    );
    expect(r.channels).toEqual([
      { channel: 'reuse', batches: 1, items: 3, weightKg: 6.5, unweighed: 1 },
      { channel: 'refurbish', batches: 0, items: 0, weightKg: 0, unweighed: 0 },
      // The first test's batch: 2.1 + 4.35 kg and an unweighed disk.
      { channel: 'recycle', batches: 1, items: 3, weightKg: 6.45, unweighed: 1 },
    ]);
    expect(r.byType).toEqual([
      { channel: 'recycle', typeId: LAPTOP, items: 1, weightKg: 2.1 },
      { channel: 'recycle', typeId: MONITOR, items: 1, weightKg: 4.35 },
      { channel: 'recycle', typeId: DISK, items: 1, weightKg: 0 },
      { channel: 'reuse', typeId: LAPTOP, items: 2, weightKg: 1.5 },
      { channel: 'reuse', typeId: MONITOR, items: 1, weightKg: 5 },
    ]);
    expect(r.dataBearing).toBe(4);
    expect(r.wipes).toEqual([
      { method: 'secure_erase', items: 1 },
      { method: 'crypto_erase', items: 2 },
      { method: 'physical_destruction', items: 1 },
    ]);
    expect(r.total).toEqual({ items: 6, weightKg: 12.95 });

    const csv = await req(
      tech,
      'GET',
      `/disposal/report.csv?orgId=${w.orgA.id}&from=2026-03-01&to=2026-03-31&locale=fr`,
    );
    expect(csv.headers['content-disposition']).toContain('rapport-environnemental-2026-03-01-2026-03-31.csv');
    expect(csv.body).toContain('Filière;Type;Équipements;Poids (kg)');
    expect(csv.body).toContain('Réemploi;Ordinateur portable;2;1.5');
    expect(csv.body).toContain('Recyclage DEEE;Total;3;6.45');

    const backwards = await req(
      tech,
      'GET',
      `/disposal/report?orgId=${w.orgA.id}&from=2026-03-31&to=2026-03-01`,
    );
    expect(backwards.statusCode).toBe(422);
  });
});
