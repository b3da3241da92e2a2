/**
 * Security ingestion benchmark (issue 7, "Measured"), on SQLite files:
 * 1. import: `parc security import` (the CLI bundle, a child process) of the generated auth.log
 *    (bench/security.ts, default 1,000,000 lines): parse, normalise, store, detect, open incidents;
 *    lines/s, wall and CPU, peak RSS, and whether every injected attack became an incident and the
 *    noise none;
 * 2. syslog: the same lines streamed over one TCP connection by another process to the syslog
 *    listener (this process, with its pipeline on a SQLite file); the sustained rate with nothing lost
 *    (received = lines sent, every parsed event stored) and this process's peak RSS.
 * Usage: npx tsx bench/security-ingest.ts [--lines N] [--mode import|syslog|both]
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/server/config.js';
import { systemPrincipal } from '../src/server/context.js';
import { countEvents, histogram, listEvents } from '../src/server/modules/security/events.repo.js';
import { orgRules, SecurityPipeline, startSyslogListener } from '../src/server/modules/security/index.js';
import { createSource } from '../src/server/modules/security/sources.service.js';
import { openRuntime } from '../src/server/runtime.js';
import { freshDataDir, printTiming, timed } from './harness.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const LINES = Number(args.get('lines') ?? 1_000_000);
const MODE = args.get('mode') ?? 'both';
const FILE = path.join(os.tmpdir(), `parc-bench-auth-${LINES}.log`);

function generate() {
  if (fs.existsSync(FILE) && fs.existsSync(`${FILE}.expected.json`)) return;
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(ROOT, 'bench/security.ts'),
      '--lines',
      String(LINES),
      '--out',
      FILE,
      '--generate-only',
      '1',
    ],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) throw new Error('generation failed');
}

const rate = (n: number, s: number) => `${Math.round(n / s).toLocaleString('en')} lines/s`;
const key = (rule: string, group: Record<string, string | null>) =>
  `${rule} ${Object.entries(group)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(',')}`;

async function benchImport() {
  const dir = await freshDataDir('sec');
  spawnSync(process.execPath, [path.join(ROOT, 'bin/parc.mjs'), 'security', '--help'], { cwd: ROOT });
  const t0 = performance.now();
  const res = spawnSync(
    '/usr/bin/time',
    [
      '-f',
      'MEASURE rss=%M user=%U sys=%S',
      process.execPath,
      path.join(ROOT, 'bin/parc.mjs'),
      'security',
      'import',
      FILE,
      '--org',
      'home',
      '--source',
      'bench',
      '--year',
      '2025',
    ],
    {
      cwd: ROOT,
      env: { ...process.env, PARC_DATA_DIR: dir, PARC_LOG_LEVEL: 'warn', PARC_SYSLOG_PORT: '0' },
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    },
  );
  const wall = (performance.now() - t0) / 1000;
  if (res.status !== 0) throw new Error(`import failed: ${res.stderr}`);
  const m = /MEASURE rss=(\d+) user=([\d.]+) sys=([\d.]+)/.exec(res.stderr)!;
  const s = JSON.parse(
    res.stdout.slice(
      res.stdout.indexOf('{\n') >= 0 ? res.stdout.indexOf('{\n') : res.stdout.indexOf('{"file"'),
    ),
  ) as {
    lines: { read: number; parsed: number };
    stored: number;
    incidentsOpened: number;
    durationMs: number;
    detections: {
      total: number;
      byRule: Array<{
        rule: string;
        count: number;
        detections: Array<{ group: Record<string, string | null> }>;
      }>;
    };
  };
  const expected = JSON.parse(fs.readFileSync(`${FILE}.expected.json`, 'utf8')) as Array<{
    rule: string;
    group: Record<string, string | null>;
  }>;
  const wanted = new Set(expected.map((e) => key(e.rule, e.group)));
  const found = new Set<string>();
  let noise = 0;
  for (const r of s.detections.byRule)
    for (const d of r.detections) {
      const k = key(r.rule, d.group);
      if (wanted.has(k)) found.add(k);
      else noise++;
    }
  console.log('parc security import (CLI bundle, SQLite file, one process):');
  console.log(
    `  whole analysis (parse, normalise, store, detect, incidents; start-up excluded): ${(s.durationMs / 1000).toFixed(2)} s, ${rate(s.lines.read, s.durationMs / 1000)}`,
  );
  console.log(
    `  process: wall ${wall.toFixed(2)} s (${rate(s.lines.read, wall)}), CPU ${(Number(m[2]) + Number(m[3])).toFixed(2)} s, peak RSS ${(Number(m[1]) / 1024).toFixed(0)} MB`,
  );
  console.log(
    `  lines read ${s.lines.read}, events stored ${s.stored} (parsed ${s.lines.parsed}), detections ${s.detections.total}, incidents opened ${s.incidentsOpened}`,
  );
  console.log(
    `  injected attacks found: ${found.size}/${expected.length}; detections of the noise: ${noise}`,
  );
  await explore(dir);
  fs.rmSync(dir, { recursive: true, force: true });
}

/** The events explorer's reads over what the import stored (the repository's, as the API calls them). */
async function explore(dir: string) {
  const rt = await openRuntime(loadConfig({ PARC_DATA_DIR: dir, PARC_LOG_LEVEL: 'warn' }), {
    migrate: false,
  });
  const ctx = { db: rt.handle.db, dialect: rt.handle.dialect };
  const scope = 'all' as const;
  const newest = await listEvents(ctx, { scope, limit: 51 });
  const ip = newest.find((e) => e.srcIp)?.srcIp ?? '203.0.113.1';
  const from = '2025-03-01T00:00:00.000Z';
  const to = '2025-04-09T00:00:00.000Z';
  const bounds = Array.from({ length: 40 }, (_, i) =>
    new Date(Date.parse(from) + i * 86_400_000).toISOString(),
  );
  console.log('  events explorer over the stored events (20 calls each):');
  printTiming(
    'newest page (50)',
    await timed(20, async () => (await listEvents(ctx, { scope, limit: 51 })).length),
    'events',
  );
  printTiming(
    `one source address over the 5 weeks (${ip})`,
    await timed(20, async () => (await listEvents(ctx, { scope, srcIp: ip, from, to, limit: 51 })).length),
    'events',
  );
  printTiming(
    'failed logins, page of 50',
    await timed(20, async () => (await listEvents(ctx, { scope, outcome: 'failure', limit: 51 })).length),
    'events',
  );
  printTiming(
    'histogram, 39 days by day',
    await timed(20, async () => (await histogram(ctx, { scope }, bounds)).reduce((a, b) => a + b, 0)),
    'events',
  );
  printTiming(
    'text search "session opened", page of 50',
    await timed(5, async () => (await listEvents(ctx, { scope, text: 'session opened', limit: 51 })).length),
    'events',
  );
  const size = fs.statSync(path.join(dir, 'parc.db')).size;
  console.log(`  database file after the import: ${(size / 1048576).toFixed(0)} MB`);
  await rt.handle.close();
}

async function benchSyslog() {
  const dir = await freshDataDir('sec');
  const config = loadConfig({ PARC_DATA_DIR: dir, PARC_LOG_LEVEL: 'warn' });
  const rt = await openRuntime(config, { migrate: false });
  const log = pino({ level: 'warn' });
  const ctx = {
    db: rt.handle.db,
    dialect: rt.handle.dialect,
    actor: systemPrincipal('bench'),
    now: new Date(),
    log,
    secrets: rt.secrets,
  };
  const home = await rt.handle.db
    .selectFrom('organisation')
    .select('id')
    .where('slug', '=', 'home')
    .executeTakeFirstOrThrow();
  // The loopback sender as a source of the organisation (what an administrator maps in the web).
  const sourceId = (
    await createSource(ctx, { orgId: home.id, name: 'loopback', kind: 'syslog', ip: '127.0.0.1' })
  ).id;
  const pipeline = new SecurityPipeline({
    handle: rt.handle,
    secrets: rt.secrets,
    log,
    rulesOf: orgRules,
    batchSize: 5000,
  });
  const listener = await startSyslogListener({
    handle: rt.handle,
    secrets: rt.secrets,
    log,
    pipeline,
    host: '127.0.0.1',
    port: 0,
  });
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const t0 = performance.now();
  // The sender: another process streaming the file over one TCP connection as fast as TCP lets it.
  const sender = spawn(
    process.execPath,
    [
      '-e',
      `const s=require('net').connect(${listener.tcpPort},'127.0.0.1',()=>require('fs').createReadStream(${JSON.stringify(FILE)},{highWaterMark:1<<16}).pipe(s))`,
    ],
    { stdio: 'inherit' },
  );
  await new Promise((r) => sender.once('exit', r));
  const sent = performance.now();
  // Wait until the connection's last bytes are read and written.
  for (;;) {
    const c = await rt.handle.db
      .selectFrom('security_source_counter')
      .select(['name', 'count'])
      .where('source_id', '=', sourceId)
      .execute();
    const received = Number(c.find((x) => x.name === 'received')?.count ?? 0);
    if (received >= LINES && listener.stats.connections === 1) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  await pipeline.settle();
  const done = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  const c = Object.fromEntries(
    (
      await rt.handle.db
        .selectFrom('security_source_counter')
        .select(['name', 'count'])
        .where('source_id', '=', sourceId)
        .execute()
    ).map((x) => [x.name, Number(x.count)]),
  );
  const stored = await countEvents(ctx, home.id);
  console.log('syslog listener, one TCP connection from another process (SQLite file):');
  console.log(
    `  ${LINES.toLocaleString('en')} lines sent in ${((sent - t0) / 1000).toFixed(2)} s; all read, stored and detected in ${done.toFixed(2)} s: ${rate(LINES, done)}`,
  );
  console.log(
    `  received ${c.received}, stored ${c.stored} (counted in the blocks ${stored}), rejected ${JSON.stringify(Object.fromEntries(Object.entries(c).filter(([k]) => k.startsWith('rejected') || k.startsWith('dropped'))))}; back-pressure waits ${listener.stats.tcpWaits}; incidents opened ${pipeline.totals.incidentsOpened}`,
  );
  console.log(
    `  nothing lost: ${c.received === LINES && c.stored === stored ? 'yes' : 'NO'}; peak RSS of the listening process ${(peak / 1048576).toFixed(0)} MB`,
  );
  await listener.close();
  await pipeline.close();
  await rt.handle.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

generate();
console.log(
  `machine: ${os.cpus().length} cores (shared with other work during the run), Node ${process.version}`,
);
if (MODE === 'import' || MODE === 'both') await benchImport();
if (MODE === 'syslog' || MODE === 'both') await benchSyslog();
