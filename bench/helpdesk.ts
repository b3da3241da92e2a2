/**
 * Helpdesk benchmark (issue: helpdesk). Generates --tickets tickets (default 1,000,000) straight into a
 * fresh database, most of them closed, then measures over HTTP:
 * - p95 of a technician's queue (open tickets assigned to them or their groups, by SLA due time), target
 *   under 20 ms;
 * - p95 of creating a ticket with its SLA deadlines and recurrence check, target under 10 ms.
 * Usage: npm run bench:helpdesk -- [--tickets N] [--requests N] [--pg postgres://user@host:port/db]
 */

import path from 'node:path';
import { ROOT, startParc } from '../test/support/parc-process.js';
import { CATEGORIES, generateTickets, loginHeaders } from './tickets-data.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const TICKETS = Number(args.get('tickets') ?? 1_000_000);
const REQUESTS = Number(args.get('requests') ?? 200);
const PG_URL = args.get('pg');

async function main() {
  const data = await generateTickets({ tickets: TICKETS, pgUrl: PG_URL, label: 'helpdesk', dbLabel: 'hd' });
  const org = data.orgId;
  await data.close();

  const parc = await startParc({
    entry: path.join(ROOT, 'dist/parc.mjs'),
    dataDir: data.dataDir,
    env: data.env,
  });
  await parc.ready();
  const headers = await loginHeaders(parc.url);
  const measure = async (label: string, target: number, call: () => Promise<Response>) => {
    const times: number[] = [];
    let count = 0;
    for (let i = 0; i < REQUESTS + 10; i++) {
      const start = performance.now();
      const res = await call();
      const body = (await res.json()) as { items?: unknown[] };
      if (!res.ok) throw new Error(`${label}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
      if (i >= 10) times.push(performance.now() - start);
      count = body.items?.length ?? 1;
    }
    times.sort((a, b) => a - b);
    const p = (q: number) => times[Math.floor(times.length * q)]!.toFixed(1).padStart(6);
    console.log(
      `  ${label.padEnd(44)} p50 ${p(0.5)} ms   p95 ${p(0.95)} ms   (${count} rows; target p95 < ${target} ms)`,
    );
  };
  console.log(`p50 / p95 over ${REQUESTS} sequential requests:`);
  await measure('technician queue (mine + my groups, by SLA due)', 20, () =>
    fetch(`${parc.url}/api/v1/tickets?view=queue&limit=50`, { headers }),
  );
  let n = 0;
  await measure('create a ticket (SLA, recurrence, reference)', 10, () =>
    fetch(`${parc.url}/api/v1/tickets`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        orgId: org,
        title: `Bench ${n++} : poste lent`,
        categoryId: CATEGORIES[n % 6],
        impact: 'team',
        urgency: 'high',
      }),
    }),
  );
  await parc.stop();
  await data.drop();
}

await main();
