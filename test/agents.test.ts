import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ParcProcess, ROOT, startParc } from './support/parc-process.js';

/**
 * Real agents against a real Parc on loopback: Debian's fusioninventory-agent (installed by .ci/run;
 * with PARC_REQUIRE_AGENTS=1 its absence fails the test instead of skipping it) and the parc-agent bundle.
 */
const run = promisify(execFile);
const ADMIN = { email: 'agents@example.test', password: 'agents password 1234' };
const FUSION = '/usr/bin/fusioninventory-agent';
const hasFusion = fs.existsSync(FUSION);
if (!hasFusion && process.env.PARC_REQUIRE_AGENTS === '1') {
  throw new Error(`${FUSION} is missing: apt-get install fusioninventory-agent`);
}

let parc: ParcProcess;
let cookie = '';
let csrf = '';
let token = '';
let orgId = '';

async function api<T>(method: string, url: string, body?: object): Promise<T> {
  const res = await fetch(`${parc.url}/api/v1${url}`, {
    method,
    headers: { cookie, 'x-csrf-token': csrf, ...(body && { 'content-type': 'application/json' }) },
    ...(body && { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

type Device = { hostname: string; assetId: string | null; agentVersion: string | null };
const devices = () => api<{ items: Device[] }>('GET', '/inventory/devices?limit=200');

beforeAll(async () => {
  const built = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build-agent.mjs')], {
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`build-agent failed: ${built.stderr}`);
  parc = await startParc({ env: { PARC_ADMIN_EMAIL: ADMIN.email, PARC_ADMIN_PASSWORD: ADMIN.password } });
  await parc.ready();
  const login = await fetch(`${parc.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const me = await api<{ csrfToken: string; memberships: Array<{ orgId: string }> }>('GET', '/me');
  csrf = me.csrfToken;
  orgId = me.memberships[0]!.orgId;
  token = (await api<{ token: string }>('POST', '/inventory/tokens', { orgId, name: 'CI agents' })).token;
}, 180_000);
afterAll(async () => {
  await parc?.stop();
});

describe('real agents', () => {
  it.skipIf(!hasFusion)(
    'Debian’s fusioninventory-agent: this machine appears as an asset with its software',
    async () => {
      await run(
        FUSION,
        [
          '--server',
          `${parc.url}/ocsinventory?token=${token}`,
          '--force',
          '--tasks=inventory',
          '--no-category=printer,process,environment',
          '--logger=stderr',
        ],
        { timeout: 180_000 },
      );
      const device = (await devices()).items.find((d) => d.agentVersion?.startsWith('FusionInventory'));
      expect(device?.assetId).toBeTruthy();
      const software = await api<{ items: Array<{ name: string }> }>(
        'GET',
        `/assets/${device!.assetId}/software`,
      );
      // This machine is Debian: dpkg's own package is there.
      expect(software.items.map((s) => s.name)).toContain('dpkg');
    },
    240_000,
  );

  it('parc-agent: collects, sends with its token, and the machine is filed with its software', async () => {
    const state = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'parc-agent-')), 'state.json');
    const result = await run(
      process.execPath,
      [
        path.join(ROOT, 'dist/parc-agent.mjs'),
        '--server',
        parc.url,
        '--token',
        token,
        '--once',
        '--state',
        state,
      ],
      { timeout: 120_000 },
    );
    expect(result.stderr).not.toMatch(/error/i);
    const device = (await devices()).items.find((d) => d.agentVersion?.startsWith('Parc-Agent'));
    expect(device?.assetId).toBeTruthy();
    const software = await api<{ items: Array<{ name: string }> }>(
      'GET',
      `/assets/${device!.assetId}/software`,
    );
    expect(software.items.map((s) => s.name)).toContain('dpkg');
    // A second run with nothing changed on the machine changes nothing in the inventory.
    const before = await api<{ items: Array<{ kind: string }> }>('GET', `/assets/${device!.assetId}/history`);
    await run(
      process.execPath,
      [
        path.join(ROOT, 'dist/parc-agent.mjs'),
        '--server',
        parc.url,
        '--token',
        token,
        '--once',
        '--state',
        state,
      ],
      { timeout: 120_000 },
    );
    const after = await api<{ items: Array<{ kind: string }> }>('GET', `/assets/${device!.assetId}/history`);
    expect(after.items.length).toBeLessThanOrEqual(before.items.length + 1);
  }, 240_000);
});
