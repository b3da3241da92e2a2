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

const ROOT = path.resolve(import.meta.dirname, '..');
const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const SECONDS = Number(args.get('seconds') ?? 10);
const CONNECTIONS = Number(args.get('connections') ?? 10);
const STARTS = Number(args.get('starts') ?? 5);
const ROUNDS = Number(args.get('rounds') ?? 3);
type Run = { rps: number; p99: number };
const ADMIN = { email: 'bench@example.test', password: 'bench password 1234' };

function freePort(): number {
  return 20_000 + Math.floor(Math.random() * 20_000);
}

async function waitFor(url: string, child: ChildProcess, timeoutMs = 30_000): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return performance.now();
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

function startParc(dataDir: string, port: number): { child: ChildProcess; startedAt: number } {
  const startedAt = performance.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/parc.mjs'), 'serve'], {
    env: {
      PATH: process.env.PATH,
      PARC_DATA_DIR: dataDir,
      PARC_PORT: String(port),
      PARC_HOST: '127.0.0.1',
      PARC_LOG_LEVEL: 'warn',
      PARC_ADMIN_EMAIL: ADMIN.email,
      PARC_ADMIN_PASSWORD: ADMIN.password,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { child, startedAt };
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await done;
}

async function load(url: string, headers: Record<string, string> = {}): Promise<Run> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99 };
}

function median(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main() {
  // Build the server once (bin/parc.mjs compiles when stale), outside any timing.
  const built = spawnSync(process.execPath, [path.join(ROOT, 'bin/parc.mjs'), '--help'], { stdio: 'ignore' });
  if (built.status !== 0) throw new Error('build failed: run npm run build:server');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parc-bench-'));
  console.log(
    `Parc foundation benchmark — ${os.cpus().length} cores, Node ${process.version}, ${ROUNDS} rounds of ${SECONDS}s x ${CONNECTIONS} connections (medians)\n`,
  );

  // 1. Start-up: first start (migrations, first admin) then restarts on the same data.
  const starts: number[] = [];
  let first = 0;
  for (let i = 0; i <= STARTS; i++) {
    const port = freePort();
    const { child, startedAt } = startParc(dataDir, port);
    const readyAt = await waitFor(`http://127.0.0.1:${port}/readyz`, child);
    if (i === 0) first = readyAt - startedAt;
    else starts.push(readyAt - startedAt);
    await stop(child);
  }
  console.log(
    `start -> /readyz on SQLite: first start ${first.toFixed(0)} ms; restart median ${median(starts).toFixed(0)} ms (min ${Math.min(...starts).toFixed(0)}, max ${Math.max(...starts).toFixed(0)}; target < 1500 ms)`,
  );

  // 2. Throughput, interleaved (bare, session, token, then again) so a noisy moment hits all three alike.
  const barePort = freePort();
  const bare = spawn(process.execPath, [path.join(ROOT, 'bench/bare-server.mjs')], {
    env: { ...process.env, PORT: String(barePort) },
    stdio: 'ignore',
  });
  await waitFor(`http://127.0.0.1:${barePort}/bare`, bare);
  const port = freePort();
  const { child } = startParc(dataDir, port);
  await waitFor(`http://127.0.0.1:${port}/readyz`, child);
  const base = `http://127.0.0.1:${port}/api/v1`;
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
    runs.bare.push(await load(`http://127.0.0.1:${barePort}/bare`));
    runs.session.push(await load(`${base}/me`, { cookie }));
    runs.token.push(await load(`${base}/me`, { authorization: `Bearer ${token}` }));
  }
  await stop(child);
  await stop(bare);
  fs.rmSync(dataDir, { recursive: true, force: true });
  const pick = (rs: Run[]) => ({ rps: median(rs.map((r) => r.rps)), p99: median(rs.map((r) => r.p99)) });
  const bareResult = pick(runs.bare);
  const sessionResult = pick(runs.session);
  const tokenResult = pick(runs.token);

  const row = (name: string, r: { rps: number; p99: number }) =>
    `${name.padEnd(34)} ${r.rps.toFixed(0).padStart(7)} req/s   p99 ${r.p99} ms   ratio ${(r.rps / bareResult.rps).toFixed(2)}`;
  console.log(row('bare Fastify route', bareResult));
  console.log(row('GET /api/v1/me (session cookie)', sessionResult));
  console.log(row('GET /api/v1/me (API token)', tokenResult));
  console.log('target: ratio >= 0.50');
}

await main();
