/**
 * Reports benchmark (issue 8). Generates --tickets tickets (default 1,000,000, the helpdesk bench's
 * data: 2 years, 5% open) into a fresh database, gives the last 100 days a story (a creation and an
 * assignment event per ticket, which the first-contact figure reads) and ratings, then measures over HTTP:
 * - a monthly incident report (last month and the month before, every figure), target under 2 s;
 * - the supervisor dashboard (backlog and its 12-week trend, SLA this month, volumes, oldest), target
 *   under 300 ms;
 * and, for information, the technician dashboard and the report as PDF.
 * Usage: npm run bench:reports -- [--tickets N] [--runs N] [--pg postgres://user@host:port/db] [--keep 1]
 *        npm run bench:reports -- --reuse <kept PostgreSQL URL or SQLite folder> [--runs N]
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, startParc } from '../test/support/parc-process.js';
import { ADMIN, generateTickets, loginHeaders } from './tickets-data.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const TICKETS = Number(args.get('tickets') ?? 1_000_000);
const RUNS = Number(args.get('runs') ?? 10);
const PG_URL = args.get('pg');
/** Keep the database afterwards (to look at plans); its location is printed. */
const KEEP = args.has('keep');
/** Measure again on a kept database (a PostgreSQL URL or a SQLite data folder) without generating. */
const REUSE = args.get('reuse');
const DAY_MS = 86_400_000;

type Prepared = { dataDir: string; env: Record<string, string>; location: string; drop(): Promise<void> };

async function prepare(): Promise<Prepared> {
  if (REUSE) {
    const pg = REUSE.startsWith('postgres');
    return {
      dataDir: pg ? fs.mkdtempSync(path.join(os.tmpdir(), 'parc-bench-rep-')) : REUSE,
      env: {
        PARC_ADMIN_EMAIL: ADMIN.email,
        PARC_ADMIN_PASSWORD: ADMIN.password,
        PARC_JOBS: 'false',
        ...(pg && { DATABASE_URL: REUSE }),
      },
      location: REUSE,
      drop: async () => undefined,
    };
  }
  const data = await generateTickets({ tickets: TICKETS, pgUrl: PG_URL, label: 'rep' });
  const since = new Date(Date.now() - 100 * DAY_MS).toISOString();
  const t0 = performance.now();
  if (data.sqlite) {
    data.sqlite.exec(`
      INSERT INTO ticket_event (id, ticket_id, org_id, at, author_id, author_label, kind, public, body, data)
        SELECT id || '-c', id, org_id, created_at, NULL, 'bench', 'created', 1, '', NULL FROM ticket WHERE created_at >= '${since}';
      INSERT INTO ticket_event (id, ticket_id, org_id, at, author_id, author_label, kind, public, body, data)
        SELECT id || '-a', id, org_id, created_at, NULL, 'bench', 'assignment', 1, '',
               json_object('assigneeId', assignee_id, 'groupId', group_id) FROM ticket WHERE created_at >= '${since}';
      UPDATE ticket SET satisfaction = 1 + CAST(substr(reference, 3) AS INTEGER) % 5
        WHERE created_at >= '${since}' AND resolved_at IS NOT NULL;
    `);
  } else {
    const pg = data.pg!;
    await pg.query(
      `INSERT INTO ticket_event (id, ticket_id, org_id, at, author_id, author_label, kind, public, body, data)
         SELECT id || '-c', id, org_id, created_at, NULL, 'bench', 'created', true, '', NULL FROM ticket WHERE created_at >= $1`,
      [since],
    );
    await pg.query(
      `INSERT INTO ticket_event (id, ticket_id, org_id, at, author_id, author_label, kind, public, body, data)
         SELECT id || '-a', id, org_id, created_at, NULL, 'bench', 'assignment', true, '',
                jsonb_build_object('assigneeId', assignee_id, 'groupId', group_id) FROM ticket WHERE created_at >= $1`,
      [since],
    );
    await pg.query(
      `UPDATE ticket SET satisfaction = 1 + substr(reference, 3)::int % 5
         WHERE created_at >= $1 AND resolved_at IS NOT NULL`,
      [since],
    );
  }
  // A database in service has been vacuumed: its visibility map lets PostgreSQL read from indexes alone.
  if (data.pg) await data.pg.query('VACUUM (ANALYZE) ticket, ticket_event');
  console.log(
    `ticket stories and ratings for the last 100 days in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  await data.close();
  return {
    dataDir: data.dataDir,
    env: data.env,
    location: data.databaseUrl ?? data.dataDir,
    drop: () => data.drop(),
  };
}

async function main() {
  const data = await prepare();

  const parc = await startParc({
    entry: path.join(ROOT, 'dist/parc.mjs'),
    dataDir: data.dataDir,
    env: data.env,
  });
  await parc.ready();
  const headers = await loginHeaders(parc.url);
  const me = (await (await fetch(`${parc.url}/api/v1/me`, { headers })).json()) as {
    memberships: Array<{ orgId: string }>;
  };
  const orgId = me.memberships[0]!.orgId;
  const lastMonth = new Date(Date.now() - 31 * DAY_MS).toISOString().slice(0, 10);

  const measure = async (label: string, target: number | null, runs: number, url: string) => {
    const times: number[] = [];
    let summary = '';
    for (let i = 0; i < runs + 2; i++) {
      const start = performance.now();
      const res = await fetch(`${parc.url}/api/v1${url}`, { headers });
      const body = Buffer.from(await res.arrayBuffer());
      if (!res.ok) throw new Error(`${label}: ${res.status} ${body.toString().slice(0, 300)}`);
      if (i >= 2) times.push(performance.now() - start);
      if (res.headers.get('content-type')?.includes('json')) {
        const json = JSON.parse(body.toString()) as {
          current?: { created: number; resolved: number; backlogEnd: number };
          tiles?: Array<{ key: string; value: number | null }>;
        };
        summary = json.current
          ? `${json.current.created} created, ${json.current.resolved} resolved, ${json.current.backlogEnd} open at end`
          : `${json.tiles?.map((t) => `${t.key} ${t.value}`).join(', ')}`;
      } else summary = `${body.length} bytes`;
    }
    times.sort((a, b) => a - b);
    const p = (q: number) =>
      times[Math.min(times.length - 1, Math.floor(times.length * q))]!.toFixed(0).padStart(5);
    console.log(
      `  ${label.padEnd(40)} p50 ${p(0.5)} ms   p95 ${p(0.95)} ms   max ${p(1)} ms${target ? `   (target < ${target} ms)` : ''}`,
    );
    console.log(`      ${summary}`);
  };
  console.log(
    `${REUSE ? 'kept' : TICKETS} tickets, ${data.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}; sequential requests after 2 warm-ups:`,
  );
  await measure(
    'monthly incident report (+ previous month)',
    2000,
    RUNS,
    `/reports/incidents?orgId=${orgId}&period=month&from=${lastMonth}&locale=fr`,
  );
  await measure('supervisor dashboard', 300, RUNS * 3, `/dashboards/supervisor?orgId=${orgId}`);
  await measure('technician dashboard', null, RUNS, '/dashboards/technician');
  await measure(
    'monthly report as PDF',
    null,
    3,
    `/reports/incidents.pdf?orgId=${orgId}&period=month&from=${lastMonth}`,
  );
  await parc.stop();
  if (KEEP || REUSE) console.log(`kept: ${data.location}`);
  else await data.drop();
}

await main();
