/**
 * CMDB benchmark (issue: asset inventory): generates N assets (default 100,000) straight into a fresh
 * SQLite database, starts Parc on it and measures the p95 latency over HTTP of the first page of the
 * asset list, unfiltered and filtered by type + status + location subtree + text.
 * Then imports a generated CSV of --import rows (default 10,000) through the HTTP import (target < 10 s).
 * With --pg postgres://user@host:port/db the same runs on a fresh PostgreSQL database created (and
 * dropped) next to the one named.
 * Usage: npm run bench:assets -- [--assets N] [--requests N] [--import N] [--pg URL [--keep 1]]
 */

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { uuidv7 } from 'uuidv7';
import { foldText } from '../src/shared/text.js';
import { ROOT, startParc } from '../test/support/parc-process.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const ASSETS = Number(args.get('assets') ?? 100_000);
const REQUESTS = Number(args.get('requests') ?? 200);
const IMPORT_ROWS = Number(args.get('import') ?? 10_000);
const PG_URL = args.get('pg');
// --keep 1 leaves the PostgreSQL database in place, to look at plans with EXPLAIN.
const ADMIN = { email: 'bench@example.test', password: 'bench password 1234' };
const TYPES = ['001', '002', '003', '004', '006', '008'].map((n) => `00000000-0000-7000-8000-000000000${n}`);
const STATUSES = ['in_stock', 'deployed', 'deployed', 'deployed', 'in_repair', 'retired'];
const WORDS = [
  'Écran',
  'Portable',
  'Serveur',
  'Imprimante',
  'Switch',
  'Dell',
  'HP',
  'Lenovo',
  'Cisco',
  'Brother',
  'Comptabilité',
  'Accueil',
];

type Plan = {
  locations: Array<[id: string, parentId: string | null, kind: string, name: string, path: string]>;
  buildingId: string;
  asset(
    i: number,
  ): [
    id: string,
    typeId: string,
    name: string,
    tag: string,
    serial: string,
    status: string,
    roomId: string,
    roomPath: string,
    search: string,
  ];
};

/** The same fleet for both databases: 5 sites x 4 buildings x 10 rooms, assets spread over the rooms. */
function plan(): Plan {
  const locations: Plan['locations'] = [];
  const rooms: Array<{ id: string; path: string }> = [];
  let buildingId = '';
  for (let s = 0; s < 5; s++) {
    const site = uuidv7();
    locations.push([site, null, 'site', `Site ${s}`, `/${site}/`]);
    for (let b = 0; b < 4; b++) {
      const building = uuidv7();
      locations.push([building, site, 'building', `Bâtiment ${b}`, `/${site}/${building}/`]);
      buildingId ||= building;
      for (let r = 0; r < 10; r++) {
        const room = uuidv7();
        const path = `/${site}/${building}/${room}/`;
        locations.push([room, building, 'room', `Salle ${r}`, path]);
        rooms.push({ id: room, path });
      }
    }
  }
  return {
    locations,
    buildingId,
    asset(i) {
      const name = `${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]} ${i}`;
      const room = rooms[i % rooms.length]!;
      const tag = `INV-${String(i).padStart(7, '0')}`;
      const serial = `SN${(i * 2654435761) % 4294967296}`;
      return [
        uuidv7(),
        TYPES[i % TYPES.length]!,
        name,
        tag,
        serial,
        STATUSES[i % STATUSES.length]!,
        room.id,
        room.path,
        foldText(`${name} ${tag} ${serial}`),
      ];
    },
  };
}

function generateSqlite(dbFile: string, p: Plan): void {
  const db = new BetterSqlite3(dbFile);
  const org = db.prepare('SELECT id FROM organisation WHERE is_home = 1').get() as { id: string };
  const now = new Date().toISOString();
  const insLoc = db.prepare(
    'INSERT INTO location (id, org_id, parent_id, kind, name, path, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)',
  );
  const insAsset = db.prepare(
    `INSERT INTO asset (id, org_id, type_id, name, asset_tag, serial, status, location_id, location_path, custom, notes, search_text, created_at, updated_at, version)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', '', ?, ?, ?, 1)`,
  );
  db.transaction(() => {
    for (const [id, parent, kind, name, path] of p.locations)
      insLoc.run(id, org.id, parent, kind, name, path, now, now);
    for (let i = 0; i < ASSETS; i++) {
      const [id, type, name, tag, serial, status, room, roomPath, search] = p.asset(i);
      insAsset.run(id, org.id, type, name, tag, serial, status, room, roomPath, search, now, now);
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('ANALYZE');
  db.close();
}

async function generatePg(url: string, p: Plan): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const org = (await client.query<{ id: string }>('SELECT id FROM organisation WHERE is_home')).rows[0]!;
  const now = new Date().toISOString();
  await client.query('BEGIN');
  for (const [id, parent, kind, name, path] of p.locations) {
    await client.query(
      'INSERT INTO location (id, org_id, parent_id, kind, name, path, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 1)',
      [id, org.id, parent, kind, name, path, now],
    );
  }
  for (let start = 0; start < ASSETS; start += 1000) {
    const values: unknown[] = [];
    const rows: string[] = [];
    for (let i = start; i < Math.min(ASSETS, start + 1000); i++) {
      const n = values.length;
      values.push(...p.asset(i));
      rows.push(`(${Array.from({ length: 9 }, (_, k) => `$${n + k + 1}`).join(', ')})`);
    }
    await client.query(
      `INSERT INTO asset (id, type_id, name, asset_tag, serial, status, location_id, location_path, search_text, org_id, custom, notes, created_at, updated_at, version)
       SELECT v.*, '${org.id}', '{}'::jsonb, '', '${now}'::timestamptz, '${now}'::timestamptz, 1 FROM (VALUES ${rows.join(', ')}) AS v`,
      values,
    );
  }
  await client.query('COMMIT');
  await client.query('ANALYZE');
  await client.end();
}

async function p95(
  url: string,
  headers: Record<string, string>,
): Promise<{ p50: number; p95: number; count: number }> {
  const times: number[] = [];
  let count = 0;
  for (let i = 0; i < REQUESTS + 10; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers });
    const body = (await res.json()) as { items: unknown[] };
    if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(body)}`);
    if (i >= 10) times.push(performance.now() - t0);
    count = body.items.length;
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length * 0.5)]!, p95: times[Math.floor(times.length * 0.95)]!, count };
}

async function main() {
  spawnSync(process.execPath, [path.join(ROOT, 'bin/parc.mjs'), '--help'], { stdio: 'ignore' });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parc-bench-assets-'));
  let databaseUrl: string | undefined;
  if (PG_URL) {
    // A fresh database beside the one named, dropped at the end.
    const name = `parc_bench_${Date.now()}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(PG_URL);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
  }
  const env = {
    PARC_ADMIN_EMAIL: ADMIN.email,
    PARC_ADMIN_PASSWORD: ADMIN.password,
    ...(databaseUrl && { DATABASE_URL: databaseUrl }),
  };
  // First start creates the schema and the home organisation; then the generator fills it.
  const first = await startParc({ entry: path.join(ROOT, 'dist/parc.mjs'), dataDir, env });
  await first.ready();
  await first.stop({ keepData: true });
  const t0 = performance.now();
  const fleet = plan();
  const { buildingId } = fleet;
  if (databaseUrl) await generatePg(databaseUrl, fleet);
  else generateSqlite(path.join(dataDir, 'parc.db'), fleet);
  console.log(
    `generated ${ASSETS} assets in ${((performance.now() - t0) / 1000).toFixed(1)} s (${databaseUrl ? 'PostgreSQL' : 'SQLite'})`,
  );

  const parc = await startParc({ entry: path.join(ROOT, 'dist/parc.mjs'), dataDir, env });
  await parc.ready();
  const login = await fetch(`${parc.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const headers = { cookie };
  const base = `${parc.url}/api/v1/assets?limit=50`;
  const cases: Array<[string, string]> = [
    ['first page, unfiltered', base],
    [
      'type + status + location subtree',
      `${base}&typeId=${TYPES[1]}&status=deployed&locationId=${buildingId}`,
    ],
    [
      'type + status + location subtree + text',
      `${base}&typeId=${TYPES[1]}&status=deployed&locationId=${buildingId}&q=portable`,
    ],
    // "Écran" names a twelfth of the fleet: the accent-free word must find them all.
    ['text only ("ecran", accent-free)', `${base}&q=ecran`],
    ['status + rare text (a serial)', `${base}&status=deployed&q=sn1234`],
  ];
  console.log(`p50 / p95 over ${REQUESTS} sequential requests (target p95 < 20 ms):`);
  for (const [label, url] of cases) {
    const r = await p95(url, headers);
    console.log(
      `  ${label.padEnd(42)} p50 ${r.p50.toFixed(1).padStart(6)} ms   p95 ${r.p95.toFixed(1).padStart(6)} ms   (${r.count} rows)`,
    );
  }

  // Import: a French-Excel CSV of new assets, each with a location path and a type by its French name.
  const lines = ['Nom;N° de série;N° d’inventaire;Type;Statut;Emplacement;Fin de garantie'];
  for (let i = 0; i < IMPORT_ROWS; i++) {
    lines.push(
      `Import ${i};IMP-SN-${i};IMP-${i};Ordinateur portable;En stock;Site 1 / Bâtiment 2 / Salle 3;31/12/2028`,
    );
  }
  const csv = Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
  const orgId = (
    (await (await fetch(`${parc.url}/api/v1/me`, { headers })).json()) as {
      memberships: Array<{ orgId: string }>;
    }
  ).memberships[0]!.orgId;
  const csrf = ((await (await fetch(`${parc.url}/api/v1/me`, { headers })).json()) as { csrfToken: string })
    .csrfToken;
  const t1 = performance.now();
  const imported = await fetch(`${parc.url}/api/v1/assets/import?orgId=${orgId}&dryRun=false`, {
    method: 'POST',
    headers: { ...headers, 'x-csrf-token': csrf, 'content-type': 'text/csv' },
    body: csv,
  });
  const result = (await imported.json()) as { created?: number; errors?: unknown[] };
  if (!imported.ok) throw new Error(`import: ${imported.status} ${JSON.stringify(result).slice(0, 500)}`);
  console.log(
    `import of ${IMPORT_ROWS} CSV rows over HTTP: ${((performance.now() - t1) / 1000).toFixed(1)} s (created ${result.created}; target < 10 s)`,
  );
  await parc.stop();
  if (databaseUrl && !args.has('keep')) {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE ${new URL(databaseUrl).pathname.slice(1)}`);
    await admin.end();
  }
}

await main();
