import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../context.js';
import { AppError } from '../../http/errors.js';
import {
  dialectUnderTest,
  json,
  login,
  makeUser,
  type Session,
  type TestApp,
  testApp,
  world,
} from '../../test/harness.js';
import { createMovement } from './movements.service.js';

let t: TestApp;
let w: Awaited<ReturnType<typeof world>>;
let tech: Session;
let tech2: Session;
let supervisor: Session;
let adminB: Session;
let requester: Session;

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

type Loc = { id: string; version: number; name: string; locationPath: string };
type Article = { id: string; version: number; name: string; leadTimeDays: number };
type Level = {
  articleId: string;
  stockLocationId: string;
  quantity: number;
  reserved: number;
  available: number;
  minQuantity: number;
  toReorder: boolean;
  version: number;
  articleName: string;
};
type Page<T> = { items: T[]; nextCursor: string | null };
type Movement = {
  id: string;
  kind: string;
  quantity: number;
  fromLocationId: string | null;
  toLocationId: string | null;
  document: { kind: string; id: string } | null;
  authorLabel: string;
};
type Problem = { code: string; detail: string; errors?: Array<{ path: string; code: string }> } & Record<
  string,
  unknown
>;

let site: { id: string };
let storeA: Loc;
let storeB: Loc;

async function article(body: Record<string, unknown>): Promise<Article> {
  return ok<Article>(tech, 'POST', '/stock/articles', { orgId: w.orgA.id, ...body });
}
const move = (s: Session, body: Record<string, unknown>) => req(s, 'POST', '/stock/movements', body);
const level = (a: Article, l: Loc) => ok<Level>(tech, 'GET', `/stock/levels/${a.id}/${l.id}`);
async function stockIn(a: Article, l: Loc, quantity: number) {
  await ok(tech, 'POST', '/stock/movements', { kind: 'in', articleId: a.id, toLocationId: l.id, quantity });
}
async function outbox(type: string): Promise<Array<Record<string, unknown>>> {
  const rows = await t.db.handle.db
    .selectFrom('outbox')
    .select(['payload', 'type'])
    .where('type', '=', type)
    .execute();
  return rows.map((r) => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload));
}

beforeAll(async () => {
  t = await testApp();
  w = await world(t.ctx);
  const tech2User = await makeUser(t.ctx, { orgId: w.orgA.id, roles: ['technician'] });
  const supUser = await makeUser(t.ctx, { orgId: w.orgA.id, roles: ['supervisor'] });
  tech = await login(t.app, w.techA.email);
  tech2 = await login(t.app, tech2User.email);
  supervisor = await login(t.app, supUser.email);
  adminB = await login(t.app, w.adminB.email);
  requester = await login(t.app, w.requesterA.email);
  site = await ok(tech, 'POST', '/locations', { orgId: w.orgA.id, kind: 'site', name: 'Lyon' });
  const room = await ok<{ id: string }>(tech, 'POST', '/locations', {
    orgId: w.orgA.id,
    kind: 'building',
    parentId: site.id,
    name: 'Bâtiment A',
  });
  storeA = await ok<Loc>(tech, 'POST', '/stock/locations', {
    orgId: w.orgA.id,
    locationId: room.id,
    name: 'Réserve A',
  });
  storeB = await ok<Loc>(tech, 'POST', '/stock/locations', {
    orgId: w.orgA.id,
    locationId: site.id,
    kind: 'cabinet',
    name: 'Armoire B',
  });
});
afterAll(() => t.close());

/** Sessions waiting on a row lock held by another (PostgreSQL). */
async function levelLocks(): Promise<number> {
  const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM pg_stat_activity
    WHERE wait_event_type = 'Lock' AND query LIKE '%stock_level%'`.execute(t.db.handle.db);
  return Number(rows[0]!.n);
}
async function levelQuantity(articleId: string): Promise<number> {
  const row = await t.db.handle.db
    .selectFrom('stock_level')
    .select('quantity')
    .where('article_id', '=', articleId)
    .executeTakeFirstOrThrow();
  return row.quantity;
}
async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition never met');
}

describe('stock locations and articles', () => {
  it('ties a stock location to a CMDB location of the organisation, and edits it with If-Match', async () => {
    expect(storeA.locationPath).toBe('Lyon › Bâtiment A');
    const bad = await req(tech, 'POST', '/stock/locations', {
      orgId: w.orgA.id,
      locationId: storeA.id,
      name: 'X',
    });
    expect(bad.statusCode).toBe(422);
    expect(json<Problem>(bad).errors).toEqual([
      expect.objectContaining({ path: 'locationId', code: 'not_found' }),
    ]);
    const other = await ok<{ id: string }>(adminB, 'POST', '/locations', {
      orgId: w.orgB.id,
      kind: 'site',
      name: 'B',
    });
    const foreign = await req(tech, 'POST', '/stock/locations', {
      orgId: w.orgA.id,
      locationId: other.id,
      name: 'X',
    });
    expect(foreign.statusCode).toBe(422);

    const noMatch = await req(tech, 'PATCH', `/stock/locations/${storeB.id}`, {
      notes: 'clé au secrétariat',
    });
    expect(noMatch.statusCode).toBe(428);
    const stale = await req(
      tech,
      'PATCH',
      `/stock/locations/${storeB.id}`,
      { notes: 'x' },
      { 'if-match': '"v9"' },
    );
    expect(stale.statusCode).toBe(412);
    const edited = await ok<Loc & { notes: string }>(
      tech,
      'PATCH',
      `/stock/locations/${storeB.id}`,
      { notes: 'clé' },
      {
        'if-match': `"v${storeB.version}"`,
      },
    );
    expect(edited).toMatchObject({ notes: 'clé', version: storeB.version + 1, name: 'Armoire B' });
    storeB = edited;
  });

  it('keeps stock to its organisation and its roles', async () => {
    expect((await req(requester, 'GET', '/stock/locations')).statusCode).toBe(403);
    expect((await req(adminB, 'GET', `/stock/locations/${storeA.id}`)).statusCode).toBe(404);
    expect(json<Page<Loc>>(await req(adminB, 'GET', '/stock/locations')).items).toEqual([]);
    const byB = await req(adminB, 'POST', '/stock/articles', { orgId: w.orgA.id, name: 'Toner' });
    expect(byB.statusCode).toBe(404);
  });

  it('checks the article’s model and supplier in the organisation’s catalogue', async () => {
    const res = await req(tech, 'POST', '/stock/articles', {
      orgId: w.orgA.id,
      name: 'Toner',
      modelId: storeA.id,
      supplierId: storeA.id,
    });
    expect(res.statusCode).toBe(422);
    expect(json<Problem>(res).errors?.map((e) => e.path)).toEqual(['modelId', 'supplierId']);
    const supplier = await ok<{ id: string }>(tech, 'POST', '/suppliers', {
      orgId: w.orgA.id,
      name: 'Bureau Vallée',
    });
    const a = await article({
      name: 'Toner HP 26A',
      reference: 'CF226A',
      supplierId: supplier.id,
      leadTimeDays: 5,
    });
    expect(a).toMatchObject({ supplierId: supplier.id, leadTimeDays: 5, unit: 'pcs' });
    const patched = await ok<Article>(
      tech,
      'PATCH',
      `/stock/articles/${a.id}`,
      { leadTimeDays: 7 },
      { 'if-match': '"v1"' },
    );
    expect(patched).toMatchObject({ leadTimeDays: 7, reference: 'CF226A', supplierId: supplier.id });
    const found = await ok<Page<Article>>(tech, 'GET', '/stock/articles?q=cf226');
    expect(found.items.map((x) => x.id)).toEqual([a.id]);
  });
});

describe('movements and levels', () => {
  it('books in, out, transfer and adjustment into the levels and the ledger', async () => {
    const mouse = await article({ name: 'Souris USB', leadTimeDays: 3 });
    await stockIn(mouse, storeA, 10);
    expect(
      (
        await move(tech, {
          kind: 'out',
          articleId: mouse.id,
          fromLocationId: storeA.id,
          quantity: 3,
          reason: 'Poste accueil',
        })
      ).statusCode,
    ).toBe(201);
    const transfer = await move(tech, {
      kind: 'transfer',
      articleId: mouse.id,
      fromLocationId: storeA.id,
      toLocationId: storeB.id,
      quantity: 4,
    });
    expect(transfer.statusCode).toBe(201);
    const lost = await move(tech, {
      kind: 'adjustment',
      articleId: mouse.id,
      stockLocationId: storeB.id,
      delta: -1,
      reason: 'Cassée',
    });
    expect(json<Movement>(lost)).toMatchObject({
      kind: 'adjustment',
      fromLocationId: storeB.id,
      toLocationId: null,
      quantity: 1,
    });
    expect(await level(mouse, storeA)).toMatchObject({ quantity: 3, available: 3 });
    expect(await level(mouse, storeB)).toMatchObject({ quantity: 3, available: 3 });

    const ledger = await ok<Page<Movement>>(tech, 'GET', `/stock/movements?articleId=${mouse.id}`);
    expect(ledger.items.map((m) => [m.kind, m.quantity])).toEqual([
      ['adjustment', 1],
      ['transfer', 4],
      ['out', 3],
      ['in', 10],
    ]);
    expect(ledger.items[0]!.authorLabel).toBe(w.techA.email);
    const atB = await ok<Page<Movement>>(
      tech,
      'GET',
      `/stock/movements?articleId=${mouse.id}&stockLocationId=${storeB.id}`,
    );
    expect(atB.items.map((m) => m.kind)).toEqual(['adjustment', 'transfer']);
    const outs = await ok<Page<Movement>>(
      tech,
      'GET',
      `/stock/movements?articleId=${mouse.id}&kind=out&limit=1`,
    );
    expect(outs).toMatchObject({ items: [{ kind: 'out' }], nextCursor: null });
    const audit = await t.db.handle.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', ledger.items[0]!.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['stock.adjustment']);
  });

  it('refuses to take more than is available: 409 with the quantity available and the lead time', async () => {
    const cable = await article({ name: 'Câble RJ45 2 m', leadTimeDays: 4 });
    await stockIn(cable, storeA, 2);
    const res = await req(
      tech,
      'POST',
      '/stock/movements',
      { kind: 'out', articleId: cable.id, fromLocationId: storeA.id, quantity: 3 },
      { 'accept-language': 'fr' },
    );
    expect(res.statusCode).toBe(409);
    const p = json<Problem>(res);
    expect(p).toMatchObject({ code: 'stock.insufficient', available: 2, requested: 3, leadTimeDays: 4 });
    expect(p.detail).toContain('2');
    expect(p.detail).toContain('4 jour');
    const en = await req(
      tech,
      'POST',
      '/stock/movements',
      { kind: 'out', articleId: cable.id, fromLocationId: storeB.id, quantity: 1 },
      { 'accept-language': 'en' },
    );
    expect(json<Problem>(en)).toMatchObject({ code: 'stock.insufficient', available: 0 });
    expect(json<Problem>(en).detail).toContain('lead time');
    const adj = await move(tech, {
      kind: 'adjustment',
      articleId: cable.id,
      stockLocationId: storeA.id,
      delta: -5,
      reason: 'x',
    });
    expect(adj.statusCode).toBe(409);
    const same = await move(tech, {
      kind: 'transfer',
      articleId: cable.id,
      fromLocationId: storeA.id,
      toLocationId: storeA.id,
      quantity: 1,
    });
    expect(same.statusCode).toBe(400);
    expect(await level(cable, storeA)).toMatchObject({ quantity: 2 });
  });

  it('lists levels with search, location and "to reorder" filters, sorted and paged', async () => {
    const names = ['Pile AA', 'Pile AAA', 'Pile 9V'];
    const batteries: Article[] = [];
    for (const [i, name] of names.entries()) {
      const a = await article({ name, reference: `BAT-${i}` });
      batteries.push(a);
      await stockIn(a, storeB, (i + 1) * 10);
      const l = await level(a, storeB);
      await ok(
        tech,
        'PUT',
        `/stock/levels/${a.id}/${storeB.id}/minimum`,
        { minQuantity: 15 },
        { 'if-match': `"v${l.version}"` },
      );
    }
    const piles = await ok<Page<Level>>(
      tech,
      'GET',
      `/stock/levels?q=pile&stockLocationId=${storeB.id}&sort=available&order=desc&limit=2`,
    );
    expect(piles.items.map((l) => [l.articleName, l.available])).toEqual([
      ['Pile 9V', 30],
      ['Pile AAA', 20],
    ]);
    const next = await ok<Page<Level>>(
      tech,
      'GET',
      `/stock/levels?q=pile&stockLocationId=${storeB.id}&sort=available&order=desc&limit=2&cursor=${piles.nextCursor}`,
    );
    expect(next).toMatchObject({
      items: [{ articleName: 'Pile AA', available: 10, toReorder: true }],
      nextCursor: null,
    });
    const toReorder = await ok<Page<Level>>(tech, 'GET', '/stock/levels?q=pile&toReorder=true');
    expect(toReorder.items.map((l) => l.articleName)).toEqual(['Pile AA']);
    const byLocation = await ok<Page<Level>>(tech, 'GET', '/stock/levels?q=pile&sort=location&limit=1');
    const second = await ok<Page<Level>>(
      tech,
      'GET',
      `/stock/levels?q=pile&sort=location&limit=5&cursor=${byLocation.nextCursor}`,
    );
    expect([...byLocation.items, ...second.items].map((l) => l.articleName)).toEqual([
      'Pile 9V',
      'Pile AA',
      'Pile AAA',
    ]);
    // The minimum set on an already low level asked for an order at once.
    const events = await outbox('stock.reorder_needed');
    expect(events.filter((e) => e.articleId === batteries[0]!.id)).toHaveLength(1);
    const stale = await req(
      tech,
      'PUT',
      `/stock/levels/${batteries[0]!.id}/${storeB.id}/minimum`,
      { minQuantity: 1 },
      { 'if-match': '"v1"' },
    );
    expect(stale.statusCode).toBe(412);
    const matrix = await ok<{
      cells: number[][];
      articles: Array<{ id: string }>;
      locations: Array<{ id: string }>;
    }>(tech, 'GET', `/stock/levels/matrix?orgId=${w.orgA.id}`);
    const i = matrix.articles.findIndex((a) => a.id === batteries[2]!.id);
    const j = matrix.locations.findIndex((l) => l.id === storeB.id);
    expect(matrix.cells).toContainEqual([i, j, 30, 0, 15]);
  });

  it('publishes one reorder event when a level falls to its minimum, not on every movement below it', async () => {
    const toner = await article({ name: 'Toner reorder', leadTimeDays: 10 });
    await stockIn(toner, storeA, 6);
    await ok(
      tech,
      'PUT',
      `/stock/levels/${toner.id}/${storeA.id}/minimum`,
      { minQuantity: 3 },
      { 'if-match': '"v1"' },
    );
    const events = async () => (await outbox('stock.reorder_needed')).filter((e) => e.articleId === toner.id);
    await ok(tech, 'POST', '/stock/movements', {
      kind: 'out',
      articleId: toner.id,
      fromLocationId: storeA.id,
      quantity: 2,
    });
    expect(await events()).toHaveLength(0);
    await ok(tech, 'POST', '/stock/movements', {
      kind: 'out',
      articleId: toner.id,
      fromLocationId: storeA.id,
      quantity: 1,
    });
    expect(await events()).toEqual([
      expect.objectContaining({ available: 3, minQuantity: 3, stockLocationId: storeA.id }),
    ]);
    await ok(tech, 'POST', '/stock/movements', {
      kind: 'out',
      articleId: toner.id,
      fromLocationId: storeA.id,
      quantity: 1,
    });
    expect(await events()).toHaveLength(1);
    expect(await level(toner, storeA)).toMatchObject({ available: 2, toReorder: true });
  });
});

describe('reservations', () => {
  it('reserves, releases and consumes for a generic owner; over-reservation gets the lead time', async () => {
    const laptop = await article({ name: 'Sacoche PC', leadTimeDays: 12 });
    await stockIn(laptop, storeA, 3);
    const owner = { kind: 'work_order', id: 'WO-1' };
    const r = await ok<{ id: string; version: number; status: string }>(tech, 'POST', '/stock/reservations', {
      articleId: laptop.id,
      stockLocationId: storeA.id,
      quantity: 2,
      owner,
    });
    expect(await level(laptop, storeA)).toMatchObject({ quantity: 3, reserved: 2, available: 1 });
    const over = await req(tech, 'POST', '/stock/reservations', {
      articleId: laptop.id,
      stockLocationId: storeA.id,
      quantity: 2,
      owner,
    });
    expect(over.statusCode).toBe(409);
    expect(json<Problem>(over)).toMatchObject({ code: 'stock.insufficient', available: 1, leadTimeDays: 12 });
    // Reserved items cannot be taken by a plain out either.
    expect(
      (await move(tech, { kind: 'out', articleId: laptop.id, fromLocationId: storeA.id, quantity: 2 }))
        .statusCode,
    ).toBe(409);

    const consumed = await ok<{ status: string; version: number }>(
      tech,
      'POST',
      `/stock/reservations/${r.id}/consume`,
      undefined,
      {
        'if-match': `"v${r.version}"`,
      },
    );
    expect(consumed.status).toBe('consumed');
    expect(await level(laptop, storeA)).toMatchObject({ quantity: 1, reserved: 0, available: 1 });
    const again = await req(tech, 'POST', `/stock/reservations/${r.id}/release`, undefined, {
      'if-match': `"v${consumed.version}"`,
    });
    expect(again.statusCode).toBe(409);

    const r2 = await ok<{ id: string; version: number }>(tech, 'POST', '/stock/reservations', {
      articleId: laptop.id,
      stockLocationId: storeA.id,
      quantity: 1,
      owner: { kind: 'work_order', id: 'WO-2' },
    });
    await ok(tech, 'POST', `/stock/reservations/${r2.id}/release`, undefined, { 'if-match': '"v1"' });
    expect(await level(laptop, storeA)).toMatchObject({ quantity: 1, reserved: 0 });
    const mine = await ok<Page<{ owner: { id: string }; status: string }>>(
      tech,
      'GET',
      '/stock/reservations?ownerKind=work_order&ownerId=WO-1',
    );
    expect(mine.items).toEqual([expect.objectContaining({ status: 'consumed' })]);
    const ledger = await ok<Page<Movement>>(
      tech,
      'GET',
      `/stock/movements?documentKind=work_order&documentId=WO-1`,
    );
    expect(ledger.items.map((m) => m.kind)).toEqual(['out', 'reservation']);
  });

  it('never goes negative when two technicians book the last item at once: one wins, the other gets 409', async () => {
    for (const round of ['reservation', 'out'] as const) {
      const last = await article({ name: `Dernier ${round}`, leadTimeDays: 2 });
      await stockIn(last, storeA, 1);
      const book = (s: Session) =>
        round === 'out'
          ? move(s, { kind: 'out', articleId: last.id, fromLocationId: storeA.id, quantity: 1 })
          : req(s, 'POST', '/stock/reservations', {
              articleId: last.id,
              stockLocationId: storeA.id,
              quantity: 1,
              owner: { kind: 'work_order', id: 'race' },
            });
      const results = await Promise.all([book(tech), book(tech2)]);
      expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
      const loser = results.find((r) => r.statusCode === 409)!;
      expect(json<Problem>(loser)).toMatchObject({
        code: 'stock.insufficient',
        available: 0,
        leadTimeDays: 2,
      });
      const l = await level(last, storeA);
      expect(l.available).toBe(0);
      expect(l.quantity).toBeGreaterThanOrEqual(0);
    }
  });

  // Deterministic on PostgreSQL: the first transaction holds the level while the second one waits on
  // its row lock (seen in pg_stat_activity), then re-checks the condition on the committed row.
  it.runIf(dialectUnderTest === 'postgres')(
    'makes the second of two overlapping transactions wait for the first, then refuses it',
    async () => {
      const last = await article({ name: 'Dernier verrou', leadTimeDays: 6 });
      await stockIn(last, storeA, 1);
      const body = {
        kind: 'out' as const,
        articleId: last.id,
        fromLocationId: storeA.id,
        quantity: 1,
        reason: '',
      };
      let release!: () => void;
      let taken!: () => void;
      const gate = new Promise<void>((r) => {
        release = r;
      });
      const firstHolds = new Promise<void>((r) => {
        taken = r;
      });
      const first = inTransaction(t.ctx, async (tx) => {
        const m = await createMovement(tx, body);
        taken();
        await gate;
        return m;
      });
      await firstHolds;
      // Not committed yet: others still read the last item on hand.
      expect(await levelQuantity(last.id)).toBe(1);
      const second = createMovement({ ...t.ctx, now: new Date() }, body).then(
        () => 'won',
        (e: unknown) => e,
      );
      await waitFor(async () => (await levelLocks()) === 1);
      release();
      expect((await first).kind).toBe('out');
      const lost = await second;
      expect(lost).toBeInstanceOf(AppError);
      expect(lost).toMatchObject({
        code: 'stock.insufficient',
        status: 409,
        extra: { available: 0, leadTimeDays: 6 },
      });
      expect(await levelQuantity(last.id)).toBe(0);
    },
  );

  it('books transfers in opposite directions at once without losing or deadlocking', async () => {
    const a = await article({ name: 'Aller-retour' });
    await stockIn(a, storeA, 20);
    await stockIn(a, storeB, 20);
    const transfer = (from: Loc, to: Loc, s: Session) =>
      move(s, {
        kind: 'transfer',
        articleId: a.id,
        fromLocationId: from.id,
        toLocationId: to.id,
        quantity: 1,
      });
    const results = await Promise.all(
      Array.from({ length: 5 }, () => [
        transfer(storeA, storeB, tech),
        transfer(storeB, storeA, tech2),
      ]).flat(),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(10).fill(201));
    expect((await level(a, storeA)).quantity + (await level(a, storeB)).quantity).toBe(40);
  });

  it('refuses below zero in the database itself, whatever the code does', async () => {
    const a = await article({ name: 'Garde-fou' });
    await stockIn(a, storeA, 1);
    const write = t.db.handle.db
      .updateTable('stock_level')
      .set({ quantity: -1 })
      .where('article_id', '=', a.id)
      .execute();
    await expect(write).rejects.toThrow(
      dialectUnderTest === 'postgres' ? /check constraint/ : /CHECK constraint/,
    );
  });
});

describe('stock-takings', () => {
  it('counts, shows the discrepancies and books them as adjustments', async () => {
    const a = await article({ name: 'Clavier' });
    const b = await article({ name: 'Écran 24' });
    const found = await article({ name: 'Hub USB' });
    await stockIn(a, storeB, 5);
    await stockIn(b, storeB, 2);
    const take = await ok<{
      id: string;
      version: number;
      lines: Array<{ articleId: string; expected: number }>;
    }>(tech, 'POST', '/stock/takes', { stockLocationId: storeB.id });
    expect(take.lines.find((l) => l.articleId === a.id)).toMatchObject({ expected: 5 });
    expect((await req(tech, 'POST', '/stock/takes', { stockLocationId: storeB.id })).statusCode).toBe(409);
    const counted = await ok<{
      version: number;
      lines: Array<{
        articleId: string;
        expected: number;
        counted: number | null;
        discrepancy: number | null;
      }>;
    }>(
      tech,
      'PUT',
      `/stock/takes/${take.id}/counts`,
      {
        counts: [
          { articleId: a.id, counted: 4 },
          { articleId: b.id, counted: 2 },
          { articleId: found.id, counted: 1 },
        ],
      },
      { 'if-match': `"v${take.version}"` },
    );
    expect(
      counted.lines
        .filter((l) => [a.id, b.id, found.id].includes(l.articleId))
        .map((l) => [l.articleId, l.discrepancy]),
    ).toEqual(
      expect.arrayContaining([
        [a.id, -1],
        [b.id, 0],
        [found.id, 1],
      ]),
    );
    // Someone takes a keyboard between the count and the booking: the count is the truth.
    await ok(tech2, 'POST', '/stock/movements', {
      kind: 'out',
      articleId: a.id,
      fromLocationId: storeB.id,
      quantity: 1,
    });
    const booked = await ok<{
      status: string;
      lines: Array<{ articleId: string; expected: number; counted: number }>;
    }>(tech, 'POST', `/stock/takes/${take.id}/book`, undefined, {
      'if-match': `"v${counted.version}"`,
    });
    expect(booked.status).toBe('booked');
    expect(await level(a, storeB)).toMatchObject({ quantity: 4 });
    expect(await level(found, storeB)).toMatchObject({ quantity: 1 });
    const adjustments = await ok<Page<Movement>>(
      tech,
      'GET',
      `/stock/movements?documentKind=stock_take&documentId=${take.id}`,
    );
    expect(adjustments.items.map((m) => [m.kind, m.quantity, m.toLocationId ? 'found' : 'lost'])).toEqual([
      ['adjustment', 1, 'found'],
    ]);
    expect(
      (await req(tech, 'POST', `/stock/takes/${take.id}/book`, undefined, { 'if-match': '"v3"' })).statusCode,
    ).toBe(409);
  });

  it('refuses to book a count below what is reserved', async () => {
    const a = await article({ name: 'Webcam' });
    await stockIn(a, storeA, 3);
    await ok(tech, 'POST', '/stock/reservations', {
      articleId: a.id,
      stockLocationId: storeA.id,
      quantity: 2,
      owner: { kind: 'work_order', id: 'WO-9' },
    });
    const open = await ok<Page<{ id: string; status: string }>>(
      tech,
      'GET',
      `/stock/takes?stockLocationId=${storeA.id}&status=open`,
    );
    for (const o of open.items)
      await ok(tech, 'POST', `/stock/takes/${o.id}/cancel`, undefined, { 'if-match': '"v1"' });
    const take = await ok<{ id: string; version: number }>(tech, 'POST', '/stock/takes', {
      stockLocationId: storeA.id,
    });
    const c = await ok<{ version: number }>(
      tech,
      'PUT',
      `/stock/takes/${take.id}/counts`,
      { counts: [{ articleId: a.id, counted: 1 }] },
      { 'if-match': '"v1"' },
    );
    const res = await req(tech, 'POST', `/stock/takes/${take.id}/book`, undefined, {
      'if-match': `"v${c.version}"`,
    });
    expect(res.statusCode).toBe(409);
    expect(json<Problem>(res)).toMatchObject({
      code: 'stock_take.below_reserved',
      lines: [{ articleId: a.id, counted: 1, reserved: 2 }],
    });
    expect(await level(a, storeA)).toMatchObject({ quantity: 3, reserved: 2 });
  });
});

describe('permissions', () => {
  it('lets supervisors do what technicians do', async () => {
    const a = await ok<Article>(supervisor, 'POST', '/stock/articles', {
      orgId: w.orgA.id,
      name: 'Chargeur',
    });
    expect(
      (
        await req(supervisor, 'POST', '/stock/movements', {
          kind: 'in',
          articleId: a.id,
          toLocationId: storeA.id,
          quantity: 1,
        })
      ).statusCode,
    ).toBe(201);
    // Requesters see no stock at all: a record is as if absent.
    expect(
      (
        await req(requester, 'POST', '/stock/movements', {
          kind: 'in',
          articleId: a.id,
          toLocationId: storeA.id,
          quantity: 1,
        })
      ).statusCode,
    ).toBe(404);
  });
});
