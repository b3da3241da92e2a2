/**
 * The helpdesk benchmarks' data: a fresh database (SQLite file, or a new PostgreSQL database), migrated
 * by a first start of the real server, then `count` tickets written straight into it (2 years of
 * history, 5% still open, spread over 50 technicians and 10 groups). Shared by bench/helpdesk.ts and
 * bench/reports.ts.
 */

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { uuidv7 } from 'uuidv7';
import { ROOT, startParc } from '../test/support/parc-process.js';

export const ADMIN = { email: 'bench@example.test', password: 'bench password 1234' };
export const CATEGORIES = Array.from(
  { length: 6 },
  (_, i) => `00000000-0000-7000-8000-0000000001${String(i + 1).padStart(2, '0')}`,
);
const STATUSES_OPEN = ['new', 'assigned', 'in_progress', 'waiting'];
const COLUMNS = [
  'id',
  'org_id',
  'reference',
  'kind',
  'title',
  'description',
  'category_id',
  'typology',
  'requester_id',
  'impact',
  'urgency',
  'priority',
  'status',
  'is_open',
  'assignee_id',
  'group_id',
  'recurring',
  'source',
  'own_due_at',
  'warn_at',
  'resolve_due_at',
  'owned_at',
  'resolved_at',
  'closed_at',
  'paused_minutes',
  'own_minutes',
  'resolve_minutes',
  'sla_state',
  'created_at',
  'updated_at',
  'version',
] as const;
const TYPOLOGY = ['hardware', 'software', 'network', 'access', 'usage', 'security'];

type World = { orgId: string; adminId: string; others: string[]; groupId: string; otherGroups: string[] };

/** Ticket i of `total`: 2 years of history, 5% still open, spread over 50 technicians and 10 groups. */
function ticket(i: number, total: number, w: World, t0: number): unknown[] {
  const created = new Date(t0 - (total - i) * ((2 * 365 * 24 * 3600_000) / total));
  const open = i % 20 === 0;
  const tech = i % 50 === 0 ? w.adminId : w.others[i % w.others.length]!;
  const group = i % 10 === 3 ? w.groupId : w.otherGroups[i % w.otherGroups.length]!;
  const due = new Date(created.getTime() + (4 + (i % 5) * 8) * 3600_000).toISOString();
  const iso = created.toISOString();
  const status = open ? STATUSES_OPEN[i % 4]! : i % 3 === 0 ? 'resolved' : 'closed';
  return [
    uuidv7(),
    w.orgId,
    `T-${String(i + 1).padStart(7, '0')}`,
    'incident',
    `Incident ${i} imprimante réseau`,
    '',
    CATEGORIES[i % 6],
    TYPOLOGY[i % 6],
    w.adminId,
    'user',
    'medium',
    1 + (i % 5),
    status,
    open,
    tech,
    group,
    false,
    'portal',
    due,
    due,
    due,
    iso,
    open ? null : due,
    open || status === 'resolved' ? null : due,
    0,
    30,
    open ? null : 240,
    'ok',
    iso,
    iso,
    1,
  ];
}

export type BenchData = {
  dataDir: string;
  /** PostgreSQL only: the database made for this run. */
  databaseUrl: string | undefined;
  env: Record<string, string>;
  /** Raw SQL on the bench database (SQLite `?` or PostgreSQL `$n` placeholders: write `$n`). */
  sqlite: BetterSqlite3.Database | undefined;
  pg: pg.Client | undefined;
  orgId: string;
  adminId: string;
  /** Closes the raw connection (before starting the server on the data). */
  close(): Promise<void>;
  /** Drops the PostgreSQL database (the SQLite file is left in the temporary folder). */
  drop(): Promise<void>;
};

/** A fresh, migrated database (the server's first start) and `tickets` tickets written into it. */
export async function generateTickets(opts: {
  tickets: number;
  pgUrl?: string | undefined;
  /** Names the temporary folder (parc-bench-<label>-) and, unless dbLabel, the database. */
  label: string;
  dbLabel?: string;
}) {
  spawnSync(process.execPath, [path.join(ROOT, 'bin/parc.mjs'), '--help'], { stdio: 'ignore' });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `parc-bench-${opts.label}-`));
  let databaseUrl: string | undefined;
  let dbName: string | undefined;
  if (opts.pgUrl) {
    dbName = `parc_bench_${opts.dbLabel ?? opts.label}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: opts.pgUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const u = new URL(opts.pgUrl);
    u.pathname = `/${dbName}`;
    databaseUrl = u.toString();
  }
  const env: Record<string, string> = {
    PARC_ADMIN_EMAIL: ADMIN.email,
    PARC_ADMIN_PASSWORD: ADMIN.password,
    PARC_JOBS: 'false',
    ...(databaseUrl && { DATABASE_URL: databaseUrl }),
  };
  const first = await startParc({ entry: path.join(ROOT, 'dist/parc.mjs'), dataDir, env });
  await first.ready();
  await first.stop({ keepData: true });

  const t0 = performance.now();
  const now = Date.now();
  const sqlite = databaseUrl ? undefined : new BetterSqlite3(path.join(dataDir, 'parc.db'));
  const pgc = databaseUrl ? new pg.Client({ connectionString: databaseUrl }) : undefined;
  await pgc?.connect();
  const query = async (text: string, params: unknown[] = []) =>
    sqlite
      ? (sqlite.prepare(text.replace(/\$\d+/g, '?')).all(...params) as Array<Record<string, unknown>>)
      : (await pgc!.query(text, params)).rows;
  const run = async (text: string, params: unknown[] = []) => {
    if (sqlite) sqlite.prepare(text.replace(/\$\d+/g, '?')).run(...params);
    else await pgc!.query(text, params);
  };
  const org = (await query('SELECT id FROM organisation LIMIT 1'))[0]!.id as string;
  const admin = (await query('SELECT id FROM app_user WHERE email = $1', [ADMIN.email]))[0]!.id as string;
  const iso = new Date(now).toISOString();
  // 49 other technicians (users without credentials: they only own tickets) and 10 groups.
  const others: string[] = [];
  for (let i = 0; i < 49; i++) {
    const id = uuidv7();
    others.push(id);
    await run(
      'INSERT INTO app_user (id, email, display_name, locale, disabled, created_at, updated_at, version) VALUES ($1, $2, $3, NULL, $4, $5, $6, 1)',
      [id, `tech${i}@example.test`, `Tech ${i}`, sqlite ? 0 : false, iso, iso],
    );
  }
  const groups: string[] = [];
  for (let i = 0; i < 10; i++) {
    const id = uuidv7();
    groups.push(id);
    await run(
      'INSERT INTO user_group (id, org_id, name, description, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, 1)',
      [id, org, `Groupe ${i}`, '', iso, iso],
    );
  }
  await run('INSERT INTO group_member (group_id, user_id, created_at) VALUES ($1, $2, $3)', [
    groups[3]!,
    admin,
    iso,
  ]);
  const w: World = {
    orgId: org,
    adminId: admin,
    others,
    groupId: groups[3]!,
    otherGroups: groups.filter((_, i) => i !== 3),
  };
  const insertSql = `INSERT INTO ticket (${COLUMNS.join(', ')}) VALUES `;
  if (sqlite) {
    const stmt = sqlite.prepare(`${insertSql}(${COLUMNS.map(() => '?').join(', ')})`);
    sqlite.transaction(() => {
      for (let i = 0; i < opts.tickets; i++)
        stmt.run(...ticket(i, opts.tickets, w, now).map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v)));
    })();
  } else {
    await pgc!.query('BEGIN');
    for (let start = 0; start < opts.tickets; start += 1000) {
      const values: unknown[] = [];
      const rows: string[] = [];
      for (let i = start; i < Math.min(opts.tickets, start + 1000); i++) {
        const n = values.length;
        values.push(...ticket(i, opts.tickets, w, now));
        rows.push(`(${COLUMNS.map((_, k) => `$${n + k + 1}`).join(', ')})`);
      }
      await pgc!.query(`${insertSql}${rows.join(', ')}`, values);
    }
    await pgc!.query('COMMIT');
  }
  console.log(
    `generated ${opts.tickets} tickets (${opts.tickets / 20} open) in ${((performance.now() - t0) / 1000).toFixed(1)} s (${databaseUrl ? 'PostgreSQL' : 'SQLite'})`,
  );
  const data: BenchData = {
    dataDir,
    databaseUrl,
    env,
    sqlite,
    pg: pgc,
    orgId: org,
    adminId: admin,
    async close() {
      if (sqlite) {
        sqlite.pragma('wal_checkpoint(TRUNCATE)');
        sqlite.exec('ANALYZE');
        sqlite.close();
      } else {
        // A live database is not minutes after a bulk load of a million rows: set the visibility
        // map (index-only scans) and flush the load's dirty pages before anything is measured.
        await pgc!.query('VACUUM (ANALYZE)');
        await pgc!.query('CHECKPOINT');
        await pgc!.end();
      }
    },
    async drop() {
      if (!dbName) return;
      const a = new pg.Client({ connectionString: opts.pgUrl });
      await a.connect();
      await a.query(`DROP DATABASE ${dbName} WITH (FORCE)`);
      await a.end();
    },
  };
  return data;
}

/** Logs in as the bench administrator: the headers of an authenticated browser. */
export async function loginHeaders(url: string): Promise<Record<string, string>> {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const me = (await (await fetch(`${url}/api/v1/me`, { headers: { cookie } })).json()) as {
    csrfToken: string;
  };
  return { cookie, 'x-csrf-token': me.csrfToken };
}
