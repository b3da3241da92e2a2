/**
 * Foundation benchmarks, printed as figures (never a pass/fail test):
 *  - requests/s of an authenticated GET /api/v1/me against a bare Fastify route (target: ratio >= 0.5);
 *  - time from process start to /readyz answering on SQLite (target: < 1.5 s).
 * Usage: npm run bench -- [--seconds N] [--connections N] [--rounds N] [--starts N]
 * The servers run in child processes; the load generator (autocannon) runs here.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { freePort, ROOT, startParc } from '../test/support/parc-process.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const SECONDS = Number(args.get('seconds') ?? 10);
const CONNECTIONS = Number(args.get('connections') ?? 10);
const STARTS = Number(args.get('starts') ?? 5);
const ROUNDS = Number(args.get('rounds') ?? 3);
const ADMIN = { email: 'bench@example.test', password: 'bench password 1234' };
// The bundle itself, so the figure is the server's start and not bin/parc.mjs's staleness check.
const ENTRY = path.join(ROOT, 'dist/parc.mjs');

type Run = { rps: number; p99: number };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function load(url: string, headers: Record<string, string> = {}): Promise<Run> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99 };
}

async function startBare(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, 'bench/bare-server.mjs')], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve) => child.stdout?.once('data', resolve));
  return { url: `http://127.0.0.1:${port}/bare`, child };
}

async function main() {
  const built = spawnSync(process.execPath, [path.join(ROOT, 'bin/parc.mjs'), '--help'], { stdio: 'ignore' });
  if (built.status !== 0) throw new Error('build failed: run npm run build:server');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parc-bench-'));
  const env = { PARC_ADMIN_EMAIL: ADMIN.email, PARC_ADMIN_PASSWORD: ADMIN.password };
  console.log(
    `Parc foundation benchmark — ${os.cpus().length} cores, Node ${process.version}, ${ROUNDS} rounds of ${SECONDS}s x ${CONNECTIONS} connections (medians)\n`,
  );

  // 1. Start-up: first start (migrations, first admin) then restarts on the same data.
  const starts: number[] = [];
  let first = 0;
  for (let i = 0; i <= STARTS; i++) {
    const t0 = performance.now();
    const parc = await startParc({ entry: ENTRY, dataDir, env });
    await parc.ready();
    const ms = performance.now() - t0;
    if (i === 0) first = ms;
    else starts.push(ms);
    await parc.stop();
  }
  console.log(
    `start -> /readyz on SQLite: first start ${first.toFixed(0)} ms; restart median ${median(starts).toFixed(0)} ms (min ${Math.min(...starts).toFixed(0)}, max ${Math.max(...starts).toFixed(0)}; target < 1500 ms)`,
  );

  // 2. Throughput, interleaved (bare, session, token, then again) so a noisy moment hits all three alike.
  const bare = await startBare();
  const parc = await startParc({ entry: ENTRY, dataDir, env });
  await parc.ready();
  const base = `${parc.url}/api/v1`;
  const login = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const me = (await login.json()) as { memberships: Array<{ orgId: string }>; csrfToken: string };
  const tokenRes = await fetch(`${base}/me/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': me.csrfToken },
    body: JSON.stringify({ name: 'bench', orgId: me.memberships[0]!.orgId, role: 'admin' }),
  });
  const { token } = (await tokenRes.json()) as { token: string };
  const runs = { bare: [] as Run[], session: [] as Run[], token: [] as Run[] };
  for (let round = 0; round < ROUNDS; round++) {
    runs.bare.push(await load(bare.url));
    runs.session.push(await load(`${base}/me`, { cookie }));
    runs.token.push(await load(`${base}/me`, { authorization: `Bearer ${token}` }));
  }
  await parc.stop();
  bare.child.kill('SIGTERM');
  fs.rmSync(dataDir, { recursive: true, force: true });

  const pick = (rs: Run[]) => ({ rps: median(rs.map((r) => r.rps)), p99: median(rs.map((r) => r.p99)) });
  const bareResult = pick(runs.bare);
  const row = (name: string, r: Run) =>
    `${name.padEnd(34)} ${r.rps.toFixed(0).padStart(7)} req/s   p99 ${r.p99} ms   ratio ${(r.rps / bareResult.rps).toFixed(2)}`;
  console.log(row('bare Fastify route', bareResult));
  console.log(row('GET /api/v1/me (session cookie)', pick(runs.session)));
  console.log(row('GET /api/v1/me (API token)', pick(runs.token)));
  console.log('target: ratio >= 0.50');
}

await main();
