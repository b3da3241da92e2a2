/**
 * Planning benchmark (issue 6, "Measured"): 50 technicians and 20,000 work orders spread over a year
 * (plus 1,000 declared unavailable slots) written straight into a fresh database; then, over HTTP,
 * the month view of the planning for all the organisation's technicians (`GET /planning`, target
 * p95 < 100 ms), and a week for comparison.
 * Usage: npm run bench:planning -- [--workorders N] [--requests N] [--pg postgres://user@host:port/db]
 * (needs `npm run build` first: it starts dist/parc.mjs).
 */

import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { uuidv7 } from 'uuidv7';
import { pgInsert, printTiming, runBench, timed } from './harness.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const WORK_ORDERS = Number(args.get('workorders') ?? 20_000);
const REQUESTS = Number(args.get('requests') ?? 100);
const SLOTS = 1_000;
const TECHNICIANS = 50;
const PG_URL = args.get('pg');
const ADMIN = { email: 'bench@example.test', password: 'bench password 1234' };
const YEAR = 2027;

/** A deterministic pseudo-random sequence, so both databases get the same data. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}
const rand = rng(11);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const between = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

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

type Setup = { orgId: string; techs: string[]; users: string[]; sites: string[] };

/** People and sites made through the API, as people would. */
async function setUp(api: Api): Promise<Setup> {
  const me = (await api('GET', '/me')) as { memberships: Array<{ orgId: string }> };
  const orgId = me.memberships[0]!.orgId;
  const make = async (i: number, role: string) =>
    (
      (await api('POST', '/users', {
        email: `${role}${i}@bench.test`,
        displayName: `${role} ${i}`,
        password: 'bench password 1234 first',
        orgId,
        roles: [role],
      })) as { id: string }
    ).id;
  const techs: string[] = [];
  for (let i = 0; i < TECHNICIANS; i++) techs.push(await make(i, 'technician'));
  const users: string[] = [];
  for (let i = 0; i < 100; i++) users.push(await make(i, 'requester'));
  const sites: string[] = [];
  for (let s = 0; s < 10; s++)
    sites.push(
      ((await api('POST', '/locations', { orgId, kind: 'site', name: `Site ${s + 1}` })) as { id: string })
        .id,
    );
  return { orgId, techs, users, sites };
}

const WO_COLUMNS =
  'id,org_id,reference,kind,title,description,status,location_id,stock_location_id,earliest_date,latest_date,' +
  'scheduled_start,scheduled_end,technician_id,affected_user_ids,expected_date,configuration,outcome_note,' +
  'completed_at,completed_by,search_text,sort_day,created_by,created_at,updated_at,version,deleted_at';
const SLOT_COLUMNS = 'id,org_id,user_id,start_at,end_at,reason,created_by,created_at';
const KINDS = ['new_workstation', 'peripheral', 'network_equipment', 'software_deployment', 'replacement'];

/** Work orders on working days, 08:00–18:00 UTC, 1 to 4 hours, over the year; a few unscheduled. */
function generate(s: Setup) {
  const start = Date.UTC(YEAR, 0, 1);
  const wo: unknown[][] = [];
  for (let i = 0; i < WORK_ORDERS; i++) {
    const day = between(0, 364);
    const begin = start + day * 86_400_000 + between(16, 34) * 1_800_000;
    const end = begin + between(2, 8) * 1_800_000;
    const scheduled = rand() > 0.02;
    const s0 = scheduled ? new Date(begin).toISOString() : null;
    const s1 = scheduled ? new Date(end).toISOString() : null;
    const ref = `WO-${String(i + 1).padStart(6, '0')}`;
    const title = `Intervention ${i + 1}`;
    const status = !scheduled
      ? 'draft'
      : begin < Date.UTC(YEAR, 5, 1)
        ? 'done'
        : pick(['planned', 'planned', 'cancelled']);
    const created = new Date(begin - 20 * 86_400_000).toISOString();
    wo.push([
      uuidv7(),
      s.orgId,
      ref,
      pick(KINDS),
      title,
      'Bench work order',
      status,
      pick(s.sites),
      null,
      null,
      null,
      s0,
      s1,
      scheduled ? pick(s.techs) : null,
      JSON.stringify([pick(s.users)]),
      null,
      null,
      '',
      null,
      null,
      `${ref.toLowerCase()} ${title.toLowerCase()}`,
      s0 ? s0.slice(0, 10) : '',
      null,
      created,
      created,
      1,
      null,
    ]);
  }
  const slots: unknown[][] = [];
  for (let i = 0; i < SLOTS; i++) {
    const begin = start + between(0, 364) * 86_400_000;
    const who = rand() < 0.5 ? pick(s.techs) : pick(s.users);
    const at = new Date(begin).toISOString();
    slots.push([
      uuidv7(),
      s.orgId,
      who,
      at,
      new Date(begin + between(1, 5) * 86_400_000).toISOString(),
      'Congés',
      null,
      at,
    ]);
  }
  return { wo, slots };
}

function writeSqlite(file: string, rows: ReturnType<typeof generate>): void {
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
    insert('work_order', WO_COLUMNS, rows.wo);
    insert('user_unavailability', SLOT_COLUMNS, rows.slots);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('ANALYZE');
  db.close();
}

async function writePg(url: string, rows: ReturnType<typeof generate>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const insert = (table: string, columns: string, data: unknown[][]) =>
    pgInsert(client, table, columns, data);

  await client.query('BEGIN');
  await insert('work_order', WO_COLUMNS, rows.wo);
  await insert('user_unavailability', SLOT_COLUMNS, rows.slots);
  await client.query('COMMIT');
  await client.query('VACUUM ANALYZE work_order');
  await client.query('VACUUM ANALYZE user_unavailability');
  await client.end();
}

async function main() {
  await runBench('planning', PG_URL, ADMIN, async ({ dataDir, databaseUrl, start, stop }) => {
    const first = await start();
    const setup = await setUp(await signIn(first.url));
    await stop(first, { keepData: true });

    const t0 = performance.now();
    const rows = generate(setup);
    if (databaseUrl) await writePg(databaseUrl, rows);
    else writeSqlite(path.join(dataDir, 'parc.db'), rows);
    console.log(
      `generated ${rows.wo.length} work orders over ${YEAR} and ${rows.slots.length} unavailable slots ` +
        `(${TECHNICIANS} technicians) in ${((performance.now() - t0) / 1000).toFixed(1)} s (${databaseUrl ? 'PostgreSQL' : 'SQLite'})`,
    );

    const parc = await start();
    const api = await signIn(parc.url);
    type P = { technicians: Array<{ workOrders: unknown[] }>; conflicts: unknown[] };
    const view = async (from: string, to: string) => {
      const p = (await api('GET', `/planning?orgId=${setup.orgId}&from=${from}&to=${to}`)) as P;
      return p.technicians.reduce((n, t) => n + t.workOrders.length, 0);
    };
    console.log(`p50 / p95 over ${REQUESTS} sequential requests:`);
    let m = 0;
    printTiming(
      'month view, all technicians (GET /planning)',
      await timed(REQUESTS, () => {
        const month = (m++ % 12) + 1;
        const from = new Date(Date.UTC(YEAR, month - 1, 1)).toISOString();
        const to = new Date(Date.UTC(YEAR, month, 1)).toISOString();
        return view(from, to);
      }),
      'work orders',
      '; target < 100 ms',
    );
    let w = 0;
    printTiming(
      'week view, all technicians (GET /planning)',
      await timed(REQUESTS, () => {
        const from = Date.UTC(YEAR, 0, 4) + (w++ % 50) * 7 * 86_400_000;
        return view(new Date(from).toISOString(), new Date(from + 7 * 86_400_000).toISOString());
      }),
      'work orders',
    );
    await stop(parc);
  });
}

await main();
