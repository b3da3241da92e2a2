/**
 * Inventory benchmark (issue: automatic inventory). Starts Parc on a fresh database and posts the real
 * 311 KB FusionInventory payload, zlib-compressed, from --senders concurrent agents (default 4):
 * - --devices new machines (default 400): each request a new device id, host name, serial and MACs;
 * - then the same bodies again: unchanged re-inventories;
 * and checks that every device and every software installation arrived.
 * The Debian OCS Inventory server stores about 1 inventory/s on this payload (targets: 50/s new, 300/s
 * unchanged).
 * Usage: npm run bench:inventory -- [--devices N] [--senders N] [--pg postgres://user@host:port/db]
 */

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { ROOT, startParc } from '../test/support/parc-process.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const DEVICES = Number(args.get('devices') ?? 400);
const SENDERS = Number(args.get('senders') ?? 4);
const PG_URL = args.get('pg');
const SAMPLE = fs.readFileSync(
  path.join(ROOT, 'src/server/modules/inventory/fixtures/fusioninventory-2.6-inventory.xml'),
  'utf8',
);
const SOFTWARE_PER_DEVICE = (SAMPLE.match(/<SOFTWARES>/g) ?? []).length;

/** The sample as machine n: its own device id, host name, BIOS serial and MAC addresses. */
function machine(n: number): Buffer {
  const hex = n.toString(16).padStart(6, '0');
  const mac = `${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}`;
  const xml = SAMPLE.replace(
    /<DEVICEID>[^<]*<\/DEVICEID>/,
    `<DEVICEID>bench-${n}-2026-11-29-00-00-00</DEVICEID>`,
  )
    .replace(/<NAME>vm<\/NAME>/g, `<NAME>bench-${n}</NAME>`)
    .replace('<SSN></SSN>', `<SSN>BENCH-${n}</SSN>`)
    .replace(/<MACADDR>([0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}):[0-9a-f:]{8}<\/MACADDR>/g, (m, head: string) =>
      head === '00:00:00' ? m : `<MACADDR>${head}:${mac}</MACADDR>`,
    );
  return deflateSync(Buffer.from(xml));
}

async function run(
  url: string,
  bodies: Buffer[],
): Promise<{ perSecond: number; p50: number; p95: number; failed: number }> {
  const times: number[] = [];
  let next = 0;
  let failed = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      for (;;) {
        const i = next++;
        if (i >= bodies.length) return;
        const start = performance.now();
        const res = await fetch(`${url}/ocsinventory`, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-compress-zlib',
            'user-agent': 'FusionInventory-Agent_v2.6-3',
          },
          body: bodies[i],
        });
        await res.arrayBuffer();
        if (!res.ok) failed++;
        times.push(performance.now() - start);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  times.sort((a, b) => a - b);
  return {
    perSecond: bodies.length / seconds,
    p50: times[Math.floor(times.length * 0.5)]!,
    p95: times[Math.floor(times.length * 0.95)]!,
    failed,
  };
}

async function counts(dataDir: string, databaseUrl: string | undefined) {
  const sqlText = {
    devices: "SELECT count(*) AS n FROM inventory_device WHERE status = 'active' AND asset_id IS NOT NULL",
    assets: "SELECT count(*) AS n FROM asset WHERE name LIKE 'bench-%'",
    installations: 'SELECT count(*) AS n FROM software_installation',
  };
  const out: Record<string, number> = {};
  if (databaseUrl) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    for (const [k, q] of Object.entries(sqlText)) out[k] = Number((await client.query(q)).rows[0].n);
    await client.end();
  } else {
    const db = new BetterSqlite3(path.join(dataDir, 'parc.db'), { readonly: true });
    for (const [k, q] of Object.entries(sqlText)) out[k] = Number((db.prepare(q).get() as { n: number }).n);
    db.close();
  }
  return out as { devices: number; assets: number; installations: number };
}

async function main() {
  spawnSync(process.execPath, [path.join(ROOT, 'bin/parc.mjs'), '--help'], { stdio: 'ignore' });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parc-bench-inventory-'));
  let databaseUrl: string | undefined;
  let dbName: string | undefined;
  if (PG_URL) {
    dbName = `parc_bench_inv_${Date.now()}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const u = new URL(PG_URL);
    u.pathname = `/${dbName}`;
    databaseUrl = u.toString();
  }
  // One organisation: agents without a token are filed into it, as on a fresh install.
  const parc = await startParc({
    entry: path.join(ROOT, 'dist/parc.mjs'),
    dataDir,
    env: {
      PARC_ADMIN_EMAIL: 'bench@example.test',
      PARC_ADMIN_PASSWORD: 'bench password 1234',
      PARC_JOBS: 'false',
      ...(databaseUrl && { DATABASE_URL: databaseUrl }),
    },
  });
  await parc.ready();
  const bodies = Array.from({ length: DEVICES }, (_, i) => machine(i + 1));
  console.log(
    `${DEVICES} devices × ${SOFTWARE_PER_DEVICE} software, ${(SAMPLE.length / 1024).toFixed(0)} KB XML (${(bodies[0]!.length / 1024).toFixed(0)} KB zlib), ${SENDERS} concurrent senders, ${databaseUrl ? 'PostgreSQL' : 'SQLite'}`,
  );
  // A few requests first so the process is warm (JIT, prepared statements); they count in the totals.
  await run(parc.url, bodies.slice(0, 4));
  const fresh = await run(parc.url, bodies.slice(4));
  console.log(
    `  new devices:        ${fresh.perSecond.toFixed(1).padStart(6)} inventories/s   p50 ${fresh.p50.toFixed(0)} ms   p95 ${fresh.p95.toFixed(0)} ms   failed ${fresh.failed}   (target ≥ 50/s)`,
  );
  const same = await run(parc.url, bodies);
  console.log(
    `  unchanged again:    ${same.perSecond.toFixed(1).padStart(6)} inventories/s   p50 ${same.p50.toFixed(0)} ms   p95 ${same.p95.toFixed(0)} ms   failed ${same.failed}   (target ≥ 300/s)`,
  );
  const c = await counts(dataDir, databaseUrl);
  const expected = DEVICES * SOFTWARE_PER_DEVICE;
  console.log(
    `  count check: ${c.devices}/${DEVICES} devices with an asset, ${c.assets} assets, ${c.installations}/${expected} software installations: ${c.devices === DEVICES && c.assets === DEVICES && c.installations === expected ? 'all arrived' : 'MISSING DATA'}`,
  );
  await parc.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (dbName) {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE ${dbName}`);
    await admin.end();
  }
}

await main();
