/**
 * Stock benchmark (issue 6, "Measured"): 50 technicians, 10 sites each with a store room and a
 * cabinet, 400 consumable articles and 200,000 stock movements (2 years of ins, outs, transfers,
 * adjustments and reservations) written straight into a fresh database, with the levels they lead to.
 * Then, over HTTP, the stock level of every article at every location:
 * - in one answer (`GET /stock/levels/matrix`), target under 200 ms;
 * - walking every page of `GET /stock/levels` (200 rows a page), for comparison;
 * and the first pages a technician opens: levels to reorder, the ledger of one article, of everything.
 * Usage: npm run bench:stock -- [--movements N] [--articles N] [--requests N] [--pg postgres://user@host:port/db]
 */

import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { uuidv7 } from 'uuidv7';
import { pgInsert, printTiming, runBench, timed } from './harness.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const MOVEMENTS = Number(args.get('movements') ?? 200_000);
const ARTICLES = Number(args.get('articles') ?? 400);
const REQUESTS = Number(args.get('requests') ?? 100);
const TECHNICIANS = 50;
const SITES = 10;
const PG_URL = args.get('pg');
const ADMIN = { email: 'bench@example.test', password: 'bench password 1234' };

/** A deterministic pseudo-random sequence, so both databases get the same data. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}
const rand = rng(7);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const between = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

const KINDS = [
  'Toner',
  'Câble RJ45',
  'Souris USB',
  'Clavier',
  'Pile AA',
  'Chargeur',
  'Disque SSD',
  'Barrette RAM',
];
const VARIANTS = ['noir', 'cyan', '2 m', '5 m', 'sans fil', '65 W', '512 Go', '16 Go', 'AZERTY', 'lot de 4'];

type Api = (method: string, url: string, body?: object) => Promise<unknown>;

async function signIn(base: string): Promise<Api> {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  if (!login.ok) throw new Error(`login: ${login.status} ${await login.text()}`);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const headers = { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
  return async (method, url, body) => {
    const res = await fetch(`${base}/api/v1${url}`, {
      method,
      headers,
      ...(body && { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
    return res.json();
  };
}

type Setup = {
  orgId: string;
  techs: Array<{ id: string; email: string }>;
  stores: string[];
  articles: string[];
};

/** The reference data, made through the API as people would: technicians, sites, stores, articles. */
async function setUp(api: Api): Promise<Setup> {
  const me = (await api('GET', '/me')) as { memberships: Array<{ orgId: string }> };
  const orgId = me.memberships[0]!.orgId;
  const techs: Setup['techs'] = [];
  for (let i = 0; i < TECHNICIANS; i++) {
    const email = `tech${i}@bench.test`;
    const { id } = (await api('POST', '/users', {
      email,
      displayName: `Technicien ${i}`,
      password: 'bench password 1234 first',
      orgId,
      roles: ['technician'],
    })) as { id: string };
    techs.push({ id, email });
  }
  const stores: string[] = [];
  for (let s = 0; s < SITES; s++) {
    const site = (await api('POST', '/locations', { orgId, kind: 'site', name: `Site ${s + 1}` })) as {
      id: string;
    };
    for (const [kind, name] of [
      ['store_room', `Magasin site ${s + 1}`],
      ['cabinet', `Armoire site ${s + 1}`],
    ] as const) {
      const store = (await api('POST', '/stock/locations', { orgId, locationId: site.id, kind, name })) as {
        id: string;
      };
      stores.push(store.id);
    }
  }
  const suppliers: string[] = [];
  for (let i = 0; i < 5; i++)
    suppliers.push(
      ((await api('POST', '/suppliers', { orgId, name: `Fournisseur ${i + 1}` })) as { id: string }).id,
    );
  const articles: string[] = [];
  for (let i = 0; i < ARTICLES; i++) {
    const a = (await api('POST', '/stock/articles', {
      orgId,
      name: `${pick(KINDS)} ${pick(VARIANTS)} ${i + 1}`,
      reference: `REF-${String(i + 1).padStart(5, '0')}`,
      supplierId: pick(suppliers),
      leadTimeDays: between(1, 21),
    })) as { id: string };
    articles.push(a.id);
  }
  return { orgId, techs, stores, articles };
}

type Level = { article: string; store: string; quantity: number; reserved: number; min: number };

/**
 * 200,000 movements replayed in memory, so the levels written match the ledger and never go below
 * zero: arrivals first fill the stores, then outs, transfers, adjustments and reservations follow.
 */
function generate(s: Setup) {
  const levels = new Map<string, Level>();
  const keys: string[] = [];
  const level = (article: string, store: string) => {
    const k = `${article}|${store}`;
    let l = levels.get(k);
    if (!l) {
      l = { article, store, quantity: 0, reserved: 0, min: rand() < 0.3 ? between(2, 10) : 0 };
      levels.set(k, l);
      keys.push(k);
    }
    return l;
  };
  // Each article is kept in about 60 % of the stores.
  const homes = new Map(s.articles.map((a) => [a, s.stores.filter(() => rand() < 0.6)]));
  const stocked = () => {
    for (let i = 0; i < 10; i++) {
      const l = levels.get(pick(keys));
      if (l && l.quantity - l.reserved > 0) return l;
    }
    return undefined;
  };
  const movements: unknown[][] = [];
  const reservations: Array<{ id: string; l: Level; at: string; owner: string }> = [];
  const active: number[] = [];
  const start = Date.UTC(2024, 0, 1);
  const step = (730 * 86_400_000) / MOVEMENTS;
  for (let i = 0; i < MOVEMENTS; i++) {
    const at = new Date(start + Math.floor(i * step)).toISOString();
    const tech = pick(s.techs);
    const roll = rand();
    const row = (
      kind: string,
      l: Level,
      from: string | null,
      to: string | null,
      n: number,
      reason: string,
      doc?: [string, string],
    ) =>
      movements.push([
        uuidv7(),
        s.orgId,
        l.article,
        kind,
        from,
        to,
        n,
        reason,
        doc?.[0] ?? null,
        doc?.[1] ?? null,
        tech.id,
        tech.email,
        at,
      ]);
    const source = roll < 0.3 || i < MOVEMENTS / 20 ? undefined : stocked();
    if (!source) {
      const article = pick(s.articles);
      const l = level(article, pick(homes.get(article)!.length > 0 ? homes.get(article)! : s.stores));
      const n = between(5, 30);
      l.quantity += n;
      row('in', l, null, l.store, n, 'Réception');
    } else if (roll < 0.7) {
      const n = between(1, Math.min(3, source.quantity - source.reserved));
      source.quantity -= n;
      row('out', source, source.store, null, n, 'Poste utilisateur');
    } else if (roll < 0.8) {
      const to = level(source.article, pick(s.stores.filter((x) => x !== source.store)));
      const n = between(1, Math.min(5, source.quantity - source.reserved));
      source.quantity -= n;
      to.quantity += n;
      row('transfer', source, source.store, to.store, n, 'Rééquilibrage');
    } else if (roll < 0.85) {
      const lost = rand() < 0.6;
      source.quantity += lost ? -1 : 1;
      row(
        'adjustment',
        source,
        lost ? source.store : null,
        lost ? null : source.store,
        1,
        lost ? 'Cassé' : 'Retrouvé',
      );
    } else if (roll < 0.95 || active.length === 0) {
      source.reserved += 1;
      const owner = `WO-${i}`;
      active.push(reservations.length);
      reservations.push({ id: uuidv7(), l: source, at, owner });
      row('reservation', source, source.store, null, 1, '', ['work_order', owner]);
    } else {
      const r = reservations[active.splice(Math.floor(rand() * active.length), 1)[0]!]!;
      r.l.reserved -= 1;
      row('release', r.l, r.l.store, null, 1, '', ['work_order', r.owner]);
      r.owner = '';
    }
  }
  const open = active.map((k) => reservations[k]!);
  return { movements, levels: [...levels.values()], reservations: open };
}

const MOVEMENT_COLUMNS =
  'id, org_id, article_id, kind, from_location_id, to_location_id, quantity, reason, document_kind, document_id, author_id, author_label, at';
const LEVEL_COLUMNS =
  'article_id, stock_location_id, org_id, quantity, reserved, min_quantity, updated_at, version';
const RESERVATION_COLUMNS =
  'id, org_id, article_id, stock_location_id, quantity, owner_kind, owner_id, status, note, created_by, created_at, updated_at, version';

function rowsOf(data: ReturnType<typeof generate>, orgId: string) {
  const now = new Date().toISOString();
  return {
    movement: data.movements,
    level: data.levels.map((l) => [l.article, l.store, orgId, l.quantity, l.reserved, l.min, now, 1]),
    reservation: data.reservations.map((r) => [
      r.id,
      orgId,
      r.l.article,
      r.l.store,
      1,
      'work_order',
      r.owner,
      'active',
      '',
      null,
      r.at,
      r.at,
      1,
    ]),
  };
}

function writeSqlite(file: string, rows: ReturnType<typeof rowsOf>): void {
  const db = new BetterSqlite3(file);
  const insert = (table: string, columns: string, data: unknown[][]) => {
    const stmt = db.prepare(
      `INSERT INTO ${table} (${columns}) VALUES (${columns
        .split(',')
        .map(() => '?')
        .join(', ')})`,
    );
    for (const r of data) stmt.run(...r);
  };
  db.transaction(() => {
    insert('stock_movement', MOVEMENT_COLUMNS, rows.movement);
    insert('stock_level', LEVEL_COLUMNS, rows.level);
    insert('stock_reservation', RESERVATION_COLUMNS, rows.reservation);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('ANALYZE');
  db.close();
}

async function writePg(url: string, rows: ReturnType<typeof rowsOf>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const insert = (table: string, columns: string, data: unknown[][]) =>
    pgInsert(client, table, columns, data);

  await client.query('BEGIN');
  await insert('stock_movement', MOVEMENT_COLUMNS, rows.movement);
  await insert('stock_level', LEVEL_COLUMNS, rows.level);
  await insert('stock_reservation', RESERVATION_COLUMNS, rows.reservation);
  await client.query('COMMIT');
  await client.query('VACUUM ANALYZE stock_movement');
  await client.query('VACUUM ANALYZE stock_level');
  await client.end();
}

async function main() {
  await runBench('stock', PG_URL, ADMIN, async ({ dataDir, databaseUrl, start, stop }) => {
    const first = await start();
    const setup = await setUp(await signIn(first.url));
    await stop(first, { keepData: true });

    const t0 = performance.now();
    const data = generate(setup);
    const rows = rowsOf(data, setup.orgId);
    if (databaseUrl) await writePg(databaseUrl, rows);
    else writeSqlite(path.join(dataDir, 'parc.db'), rows);
    console.log(
      `generated ${rows.movement.length} movements, ${rows.level.length} levels, ${rows.reservation.length} open reservations ` +
        `(${TECHNICIANS} technicians, ${setup.stores.length} stock locations, ${ARTICLES} articles) in ` +
        `${((performance.now() - t0) / 1000).toFixed(1)} s (${databaseUrl ? 'PostgreSQL' : 'SQLite'})`,
    );

    const parc = await start();
    const api = await signIn(parc.url);
    console.log(`p50 / p95 over ${REQUESTS} sequential requests:`);
    printTiming(
      'every level, one answer (GET /stock/levels/matrix)',
      await timed(REQUESTS, async () => {
        const m = (await api('GET', `/stock/levels/matrix?orgId=${setup.orgId}`)) as { cells: unknown[] };
        return m.cells.length;
      }),
      'levels',
      '; target < 200 ms',
    );
    printTiming(
      'every level, walking the pages of 200 (GET /stock/levels)',
      await timed(Math.max(5, Math.floor(REQUESTS / 10)), async () => {
        let n = 0;
        let cursor: string | null = null;
        do {
          const page = (await api(
            'GET',
            `/stock/levels?orgId=${setup.orgId}&limit=200${cursor ? `&cursor=${cursor}` : ''}`,
          )) as { items: unknown[]; nextCursor: string | null };
          n += page.items.length;
          cursor = page.nextCursor;
        } while (cursor);
        return n;
      }),
      'levels',
    );
    const page = async (url: string) => ((await api('GET', url)) as { items: unknown[] }).items.length;
    printTiming(
      'levels to reorder, first page of 50',
      await timed(REQUESTS, () => page('/stock/levels?toReorder=true&limit=50')),
      'rows',
    );
    printTiming(
      'levels by availability, first page of 50',
      await timed(REQUESTS, () => page('/stock/levels?sort=available&limit=50')),
      'rows',
    );
    printTiming(
      'levels searched ("toner"), first page of 50',
      await timed(REQUESTS, () => page('/stock/levels?q=toner&limit=50')),
      'rows',
    );
    printTiming(
      'ledger of one article, first page of 50',
      await timed(REQUESTS, () => page(`/stock/movements?articleId=${pick(setup.articles)}&limit=50`)),
      'rows',
    );
    printTiming(
      'ledger of one store, first page of 50',
      await timed(REQUESTS, () => page(`/stock/movements?stockLocationId=${pick(setup.stores)}&limit=50`)),
      'rows',
    );
    printTiming(
      'ledger, newest first, first page of 50',
      await timed(REQUESTS, () => page('/stock/movements?limit=50')),
      'rows',
    );
    await stop(parc);
  });
}

await main();
