import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmtpPeer, startSmtpPeer } from '../../../../test/support/smtp.js';
import { buildJobRegistry } from '../../jobs/registry.js';
import { startWorker, type Worker } from '../../jobs/worker.js';
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

/** Purchase orders and their receptions, and the reorder mail sent by the real worker. */

let t: TestApp;
let w: Awaited<ReturnType<typeof world>>;
let tech: Session;
let supervisor: Session;
let supervisorEn: { email: string };
let supervisorFr: { email: string };
let adminB: Session;
let smtp: SmtpPeer;
let worker: Worker;

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT';
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

type Line = {
  id: string;
  articleId: string | null;
  modelId: string | null;
  quantity: number;
  receivedQuantity: number;
  serialised: boolean;
  label: string;
};
type Order = {
  id: string;
  reference: string;
  status: string;
  expectedDate: string;
  version: number;
  lines: Line[];
  supplierName: string;
};
type Problem = { code: string; detail: string; errors?: Array<{ path: string; code: string }> } & Record<
  string,
  unknown
>;
type Asset = {
  id: string;
  serial: string;
  status: string;
  locationId: string;
  supplierId: string;
  modelId: string;
};

let cmdbRoom: { id: string };
let store: { id: string };
let supplier: { id: string };
let model: { id: string };
let toner: { id: string };
let paper: { id: string };

const levelOf = async (articleId: string) =>
  (await ok<{ quantity: number }>(tech, 'GET', `/stock/levels/${articleId}/${store.id}`)).quantity;

beforeAll(async () => {
  smtp = await startSmtpPeer();
  t = await testApp();
  w = await world(t.ctx);
  const sup = await makeUser(t.ctx, { orgId: w.orgA.id, roles: ['supervisor'] });
  supervisorFr = sup;
  const en = await makeUser(t.ctx, { orgId: w.orgA.id, roles: ['supervisor'] });
  await t.db.handle.db.updateTable('app_user').set({ locale: 'en' }).where('id', '=', en.id).execute();
  supervisorEn = en;
  tech = await login(t.app, w.techA.email);
  supervisor = await login(t.app, sup.email);
  adminB = await login(t.app, w.adminB.email);
  worker = await startWorker(
    {
      handle: t.db.handle,
      registry: buildJobRegistry(
        testConfig({
          PARC_SMTP_HOST: '127.0.0.1',
          PARC_SMTP_PORT: String(smtp.port),
          PARC_SMTP_FROM: 'Parc <parc@stock.test>',
          PARC_BASE_URL: 'https://parc.example.test',
        }),
      ),
      log: pino({ level: 'silent' }),
      secrets: t.ctx.secrets,
      workerId: 'stock-test',
    },
    { loop: false },
  );

  const site = await ok<{ id: string }>(tech, 'POST', '/locations', {
    orgId: w.orgA.id,
    kind: 'site',
    name: 'Siège',
  });
  cmdbRoom = await ok(tech, 'POST', '/locations', {
    orgId: w.orgA.id,
    kind: 'building',
    parentId: site.id,
    name: 'Magasin',
  });
  store = await ok(tech, 'POST', '/stock/locations', {
    orgId: w.orgA.id,
    locationId: cmdbRoom.id,
    name: 'Magasin IT',
  });
  supplier = await ok(tech, 'POST', '/suppliers', { orgId: w.orgA.id, name: 'Grossiste' });
  const maker = await ok<{ id: string }>(tech, 'POST', '/manufacturers', {
    orgId: w.orgA.id,
    name: 'Lenovo',
  });
  const types = await ok<Array<{ id: string; code: string }>>(tech, 'GET', `/asset-types?orgId=${w.orgA.id}`);
  const laptopType = (Array.isArray(types) ? types : (types as { items: typeof types }).items)[0]!;
  model = await ok(tech, 'POST', '/models', {
    orgId: w.orgA.id,
    manufacturerId: maker.id,
    typeId: laptopType.id,
    name: 'ThinkPad T14',
  });
  toner = await ok(tech, 'POST', '/stock/articles', {
    orgId: w.orgA.id,
    name: 'Toner',
    leadTimeDays: 7,
    supplierId: supplier.id,
  });
  paper = await ok(tech, 'POST', '/stock/articles', {
    orgId: w.orgA.id,
    name: 'Papier A4',
    unit: 'ramette',
    leadTimeDays: 2,
  });
});
afterAll(async () => {
  await worker?.stop();
  await t?.close();
  await smtp?.close();
});

const newOrder = (s: Session, lines: object[], extra: object = {}) =>
  req(s, 'POST', '/purchase-orders', {
    orgId: w.orgA.id,
    supplierId: supplier.id,
    stockLocationId: store.id,
    lines,
    ...extra,
  });

describe('purchase orders', () => {
  it('are placed by supervisors, with the expected date from the longest lead time', async () => {
    expect((await newOrder(tech, [{ articleId: toner.id, quantity: 1 }])).statusCode).toBe(403);
    expect((await newOrder(adminB, [{ articleId: toner.id, quantity: 1 }])).statusCode).toBe(404);
    const bad = await newOrder(supervisor, [
      { articleId: toner.id, quantity: 1 },
      { articleId: store.id, quantity: 1 },
      { modelId: toner.id, quantity: 1 },
    ]);
    expect(bad.statusCode).toBe(422);
    expect(json<Problem>(bad).errors?.map((e) => e.path)).toEqual(['lines.1.articleId', 'lines.2.modelId']);
    const both = await newOrder(supervisor, [{ articleId: toner.id, modelId: model.id, quantity: 1 }]);
    expect(json<Problem>(both).errors).toEqual([
      expect.objectContaining({ path: 'lines.0.articleId', code: 'article_or_model' }),
    ]);

    const res = await newOrder(supervisor, [
      { articleId: toner.id, quantity: 10 },
      { articleId: paper.id, quantity: 5 },
    ]);
    expect(res.statusCode).toBe(201);
    const order = json<Order>(res);
    const inAWeek = new Date(Date.now() + 7 * 24 * 3600_000).toISOString().slice(0, 10);
    expect(order).toMatchObject({
      reference: 'PO-000001',
      status: 'ordered',
      expectedDate: inAWeek,
      supplierName: 'Grossiste',
    });
    expect(order.lines.map((l) => [l.label, l.quantity, l.receivedQuantity])).toEqual([
      ['Toner', 10, 0],
      ['Papier A4', 5, 0],
    ]);
    const list = await ok<{ items: Array<{ id: string; lineCount: number }> }>(
      tech,
      'GET',
      '/purchase-orders?status=ordered',
    );
    expect(list.items).toEqual([expect.objectContaining({ id: order.id, lineCount: 2 })]);
  });

  it('receives partial quantities into the stock, refuses more than ordered unless confirmed', async () => {
    const order = json<Order>(await newOrder(supervisor, [{ articleId: toner.id, quantity: 10 }]));
    const line = order.lines[0]!;
    const before = await levelOf(toner.id).catch(() => 0);
    const first = await ok<{ order: Order }>(tech, 'POST', `/purchase-orders/${order.id}/receptions`, {
      lines: [{ lineId: line.id, quantity: 3 }],
    });
    expect(first.order).toMatchObject({ status: 'partly_received', lines: [{ receivedQuantity: 3 }] });
    expect(await levelOf(toner.id)).toBe(before + 3);
    const ledger = await ok<{ items: Array<{ kind: string; quantity: number; document: unknown }> }>(
      tech,
      'GET',
      `/stock/movements?documentKind=purchase_order&documentId=${order.id}`,
    );
    expect(ledger.items).toEqual([
      expect.objectContaining({
        kind: 'in',
        quantity: 3,
        document: { kind: 'purchase_order', id: order.id },
      }),
    ]);

    const over = await req(
      tech,
      'POST',
      `/purchase-orders/${order.id}/receptions`,
      { lines: [{ lineId: line.id, quantity: 8 }] },
      { 'accept-language': 'en' },
    );
    expect(over.statusCode).toBe(409);
    expect(json<Problem>(over)).toMatchObject({
      code: 'purchase_order.over_receipt',
      lines: [{ lineId: line.id, ordered: 10, received: 3, receiving: 8 }],
    });
    expect(json<Problem>(over).detail).toContain('10 ordered, 3 already received, 8 now');
    expect(await levelOf(toner.id)).toBe(before + 3);
    const confirmed = await ok<{ order: Order }>(tech, 'POST', `/purchase-orders/${order.id}/receptions`, {
      lines: [{ lineId: line.id, quantity: 8 }],
      confirmOverReceipt: true,
    });
    expect(confirmed.order).toMatchObject({ status: 'received', lines: [{ receivedQuantity: 11 }] });
    expect(await levelOf(toner.id)).toBe(before + 11);
    const closed = await req(tech, 'POST', `/purchase-orders/${order.id}/receptions`, {
      lines: [{ lineId: line.id, quantity: 1 }],
    });
    expect(json<Problem>(closed)).toMatchObject({ code: 'purchase_order.closed' });
  });

  it('creates one CMDB asset in stock per serial received on a model line', async () => {
    const order = json<Order>(
      await newOrder(supervisor, [
        { modelId: model.id, quantity: 3 },
        { articleId: paper.id, quantity: 2 },
      ]),
    );
    const [laptops, reams] = order.lines as [Line, Line];
    expect(laptops).toMatchObject({ serialised: true, label: 'ThinkPad T14' });
    const missing = await req(tech, 'POST', `/purchase-orders/${order.id}/receptions`, {
      lines: [
        { lineId: laptops.id, quantity: 2, serials: ['PF-1'] },
        { lineId: reams.id, quantity: 1, serials: ['x'] },
      ],
    });
    expect(missing.statusCode).toBe(422);
    expect(json<Problem>(missing).errors?.map((e) => [e.path, e.code])).toEqual([
      ['lines.0.serials', 'serials_count'],
      ['lines.1.serials', 'not_serialised'],
    ]);

    const got = await ok<{ order: Order; assetIds: string[] }>(
      tech,
      'POST',
      `/purchase-orders/${order.id}/receptions`,
      {
        lines: [{ lineId: laptops.id, quantity: 2, serials: ['PF-1', 'PF-2'] }],
      },
    );
    expect(got.order.status).toBe('partly_received');
    expect(got.assetIds).toHaveLength(2);
    const asset = await ok<Asset>(tech, 'GET', `/assets/${got.assetIds[0]}`);
    expect(asset).toMatchObject({
      serial: 'PF-1',
      status: 'in_stock',
      locationId: cmdbRoom.id,
      supplierId: supplier.id,
      modelId: model.id,
    });

    // A serial already in the CMDB: nothing of the reception is kept.
    const dup = await req(tech, 'POST', `/purchase-orders/${order.id}/receptions`, {
      lines: [
        { lineId: laptops.id, quantity: 1, serials: ['PF-2'] },
        { lineId: reams.id, quantity: 2 },
      ],
    });
    expect(dup.statusCode).toBe(422);
    expect(json<Problem>(dup).errors).toEqual([
      expect.objectContaining({ path: 'lines.0.serials.0', code: 'duplicate' }),
    ]);
    expect((await ok<Order>(tech, 'GET', `/purchase-orders/${order.id}`)).lines[1]!.receivedQuantity).toBe(0);

    const rest = await ok<{ order: Order }>(tech, 'POST', `/purchase-orders/${order.id}/receptions`, {
      lines: [
        { lineId: laptops.id, quantity: 1, serials: ['PF-3'] },
        { lineId: reams.id, quantity: 2 },
      ],
    });
    expect(rest.order.status).toBe('received');
    const edit = await req(
      supervisor,
      'PATCH',
      `/purchase-orders/${order.id}`,
      { notes: 'x' },
      { 'if-match': `"v${rest.order.version}"` },
    );
    expect(json<Problem>(edit)).toMatchObject({ code: 'purchase_order.closed' });
  });

  it('edits lines only before the first reception, and cancels what is left', async () => {
    const order = json<Order>(await newOrder(supervisor, [{ articleId: paper.id, quantity: 4 }]));
    const edited = await ok<Order>(
      supervisor,
      'PATCH',
      `/purchase-orders/${order.id}`,
      { lines: [{ articleId: paper.id, quantity: 6 }], expectedDate: '2030-01-15' },
      { 'if-match': '"v1"' },
    );
    expect(edited).toMatchObject({ expectedDate: '2030-01-15', version: 2, lines: [{ quantity: 6 }] });
    const got = await ok<{ order: Order }>(tech, 'POST', `/purchase-orders/${order.id}/receptions`, {
      lines: [{ lineId: edited.lines[0]!.id, quantity: 1 }],
    });
    const late = await req(
      supervisor,
      'PATCH',
      `/purchase-orders/${order.id}`,
      { lines: [{ articleId: paper.id, quantity: 1 }] },
      { 'if-match': `"v${got.order.version}"` },
    );
    expect(json<Problem>(late)).toMatchObject({ code: 'purchase_order.already_received' });
    expect(
      (
        await req(tech, 'POST', `/purchase-orders/${order.id}/cancel`, undefined, {
          'if-match': `"v${got.order.version}"`,
        })
      ).statusCode,
    ).toBe(403);
    const cancelled = await ok<Order>(supervisor, 'POST', `/purchase-orders/${order.id}/cancel`, undefined, {
      'if-match': `"v${got.order.version}"`,
    });
    expect(cancelled.status).toBe('cancelled');
    const audit = await t.db.handle.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', order.id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'purchase_order.created',
      'purchase_order.updated',
      'purchase_order.received',
      'purchase_order.cancelled',
    ]);
  });
});

describe('reorder alert', () => {
  it('mails the supervisors, each in their language, once per fall below the minimum', async () => {
    const cable = await ok<{ id: string }>(tech, 'POST', '/stock/articles', {
      orgId: w.orgA.id,
      name: 'Câble HDMI',
      reference: 'HDMI-2',
      leadTimeDays: 3,
    });
    await ok(tech, 'POST', '/stock/movements', {
      kind: 'in',
      articleId: cable.id,
      toLocationId: store.id,
      quantity: 5,
    });
    await ok(
      tech,
      'PUT',
      `/stock/levels/${cable.id}/${store.id}/minimum`,
      { minQuantity: 2 },
      { 'if-match': '"v1"' },
    );
    for (let i = 0; i < 4; i++)
      await ok(tech, 'POST', '/stock/movements', {
        kind: 'out',
        articleId: cable.id,
        fromLocationId: store.id,
        quantity: 1,
      });
    const level = await ok<{ toReorder: boolean; available: number }>(
      tech,
      'GET',
      `/stock/levels/${cable.id}/${store.id}`,
    );
    expect(level).toMatchObject({ toReorder: true, available: 1 });
    for (let i = 0; i < 3; i++) await worker.runOnce();
    const mails = (await smtp.parsed()).filter((m) => /HDMI/.test(m.subject ?? ''));
    expect(mails.map((m) => m.subject).sort()).toEqual([
      'Stock to reorder: Câble HDMI (Magasin IT)',
      'Stock à réapprovisionner : Câble HDMI (Magasin IT)',
    ]);
    const fr = mails.find((m) => m.subject?.startsWith('Stock à'))!;
    const to = (m: typeof fr) =>
      (Array.isArray(m.to) ? m.to : [m.to]).flatMap((a) => a?.value.map((v) => v.address));
    expect(to(fr)).toContain(supervisorFr.email);
    expect(to(fr)).not.toContain(w.techA.email);
    expect(fr.text).toContain('descendu à 2 pcs disponible(s), pour un minimum de 2');
    expect(fr.text).toContain('3 jour(s)');
    const en = mails.find((m) => m.subject?.startsWith('Stock to'))!;
    expect(to(en)).toEqual([supervisorEn.email]);
  });
});
