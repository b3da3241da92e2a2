import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { bootstrap } from '../src/server/bootstrap.js';
import { loadConfig } from '../src/server/config.js';
import { openRuntime } from '../src/server/runtime.js';
import { type ParcProcess, ROOT, startParc } from '../test/support/parc-process.js';

/** What the benches that seed a database and then measure a real `parc serve` over HTTP share. */

export type Timing = { p50: number; p95: number; count: number };

/** p50 and p95 of `n` sequential calls after 5 warm-up calls; `call` answers how many rows it got. */
export async function timed(n: number, call: () => Promise<number>): Promise<Timing> {
  const times: number[] = [];
  let count = 0;
  for (let i = 0; i < n + 5; i++) {
    const t0 = performance.now();
    count = await call();
    if (i >= 5) times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length * 0.5)]!, p95: times[Math.floor(times.length * 0.95)]!, count };
}

/** One measured line: label, p50, p95, rows and the target. */
export function printTiming(label: string, r: Timing, unit: string, target = ''): void {
  console.log(
    `  ${label.padEnd(52)} p50 ${r.p50.toFixed(1).padStart(7)} ms   p95 ${r.p95.toFixed(1).padStart(7)} ms   (${r.count} ${unit}${target})`,
  );
}

/** Inserts rows into a PostgreSQL table, a thousand per statement. */
export async function pgInsert(
  client: pg.Client,
  table: string,
  columns: string,
  rows: unknown[][],
): Promise<void> {
  const width = columns.split(',').length;
  for (let start = 0; start < rows.length; start += 1000) {
    const chunk = rows.slice(start, start + 1000);
    const tuples = chunk.map(
      (_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`,
    );
    await client.query(`INSERT INTO ${table} (${columns}) VALUES ${tuples.join(', ')}`, chunk.flat());
  }
}

export type BenchRun = {
  dataDir: string;
  /** The fresh PostgreSQL database, or undefined on SQLite (the data folder's parc.db). */
  databaseUrl: string | undefined;
  /** Starts the built server on that database and waits until it is ready. */
  start(): Promise<ParcProcess>;
  stop(parc: ParcProcess, opts?: { keepData: boolean }): Promise<void>;
};

/**
 * Runs a bench on a fresh data folder (and a fresh PostgreSQL database when `pgUrl` is given), with the
 * server bundle built first; whatever happens, stops the servers and drops what it created.
 */
export async function runBench(
  name: string,
  pgUrl: string | undefined,
  admin: { email: string; password: string },
  body: (run: BenchRun) => Promise<void>,
): Promise<void> {
  spawnSync(process.execPath, [path.join(ROOT, 'bin/parc.mjs'), '--help'], { stdio: 'ignore' });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `parc-bench-${name}-`));
  let databaseUrl: string | undefined;
  if (pgUrl) {
    const db = `parc_bench_${name}_${Date.now()}`;
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    await client.query(`CREATE DATABASE ${db}`);
    await client.end();
    const u = new URL(pgUrl);
    u.pathname = `/${db}`;
    databaseUrl = u.toString();
  }
  const env = {
    PARC_ADMIN_EMAIL: admin.email,
    PARC_ADMIN_PASSWORD: admin.password,
    ...(databaseUrl && { DATABASE_URL: databaseUrl }),
  };
  const running = new Set<ParcProcess>();
  try {
    await body({
      dataDir,
      databaseUrl,
      async start() {
        const parc = await startParc({ entry: path.join(ROOT, 'dist/parc.mjs'), dataDir, env });
        running.add(parc);
        await parc.ready();
        return parc;
      },
      async stop(parc, opts) {
        running.delete(parc);
        await parc.stop(opts);
      },
    });
  } finally {
    for (const parc of running) await parc.stop();
    if (databaseUrl) {
      const client = new pg.Client({ connectionString: pgUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${new URL(databaseUrl).pathname.slice(1)} WITH (FORCE)`);
      await client.end();
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A fresh SQLite data folder, migrated and bootstrapped (the `home` organisation), for a CLI run. */
export async function freshDataDir(name: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `parc-bench-${name}-`));
  const config = loadConfig({ PARC_DATA_DIR: dir, PARC_LOG_LEVEL: 'warn' });
  const rt = await openRuntime(config, { migrate: true });
  await bootstrap(
    { db: rt.handle.db, dialect: rt.handle.dialect, now: new Date(), log: rt.log, secrets: rt.secrets },
    config,
  );
  await rt.handle.close();
  return dir;
}
