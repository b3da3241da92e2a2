import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT, parseArgs, UsageError } from './cli.js';
import { mapWindowsAntivirus } from './collect/security.js';
import { mapWindowsSoftwares, parseDpkgStatus, parseRpmQuery } from './collect/software.js';
import { parseAptSimulation, parseDnfCheckUpdate, parseDnfSecurityList } from './collect/updates.js';
import type { GlpiInventory } from './glpi.js';
import { collectInventory, SECTIONS } from './inventory.js';
import { backoffDelay, inventoryUrl, parseRetryAfter, SendError, sendInventory } from './send.js';
import { loadOrCreateState, StateError } from './state.js';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'parc-agent-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

type Received = { headers: http.IncomingHttpHeaders; body: Buffer; url: string };
type Reply = { status: number; headers?: Record<string, string>; body?: string };

/** A real HTTP server answering each request with the next reply (the last one repeats). */
async function startServer(replies: Reply[]) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks), url: req.url ?? '' });
      const reply = replies[Math.min(received.length - 1, replies.length - 1)] ?? { status: 200 };
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.body ?? '{"status":"ok"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const SAMPLE: GlpiInventory = {
  action: 'inventory',
  deviceid: 'test-2026-01-01-00-00-00',
  itemtype: 'Computer',
  content: { versionclient: 'Parc-Agent_vtest', hardware: { name: 'test' } },
};

describe('collection on this machine', () => {
  it('returns a GLPI inventory with the device id, OS, CPU, network and dpkg software', async () => {
    const statePath = path.join(tmp, 'collect', 'state.json');
    const { inventory, errors, newDevice } = await collectInventory({ statePath, tag: 'lab' });
    expect(newDevice).toBe(true);
    expect(inventory.action).toBe('inventory');
    expect(inventory.itemtype).toBe('Computer');
    expect(inventory.tag).toBe('lab');
    expect(inventory.deviceid).toMatch(/^[A-Za-z0-9_-]+-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}$/);
    const c = inventory.content;
    expect(c.versionclient).toMatch(/^Parc-Agent_v\d+\.\d+\.\d+/);
    expect(c.hardware?.name).toBeTruthy();
    expect(c.hardware?.memory).toBeGreaterThan(0);
    expect(c.operatingsystem?.name).toMatch(/Debian/);
    expect(c.operatingsystem?.kernel_name).toBe('linux');
    expect(c.cpus?.length).toBeGreaterThanOrEqual(1);
    expect(c.cpus?.[0]?.core).toBeGreaterThanOrEqual(1);
    expect(c.networks?.some((n) => n.ipaddress === '127.0.0.1' && n.virtualdev)).toBe(true);
    expect(c.networks?.every((n) => n.status === 'up' || n.status === 'down')).toBe(true);
    const bash = c.softwares?.find((s) => s.name === 'bash');
    expect(bash).toMatchObject({ from: 'deb', publisher: 'Debian' });
    expect(bash?.version).toMatch(/^\d/);
    // apt-get is installed here: pending updates are a list (possibly empty), unless that section failed.
    if (!errors.some((e) => e.section === 'updates')) expect(Array.isArray(c.updates)).toBe(true);
    for (const e of errors) expect(SECTIONS).toContain(e.section);
    expect(c.hardware?.etime).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('keeps the device id across runs with the same state file', async () => {
    const statePath = path.join(tmp, 'stable.json');
    const skip = SECTIONS.filter((s) => s !== 'operatingsystem');
    const first = await collectInventory({ statePath, skip });
    const second = await collectInventory({ statePath, skip });
    expect(first.newDevice).toBe(true);
    expect(second.newDevice).toBe(false);
    expect(second.inventory.deviceid).toBe(first.inventory.deviceid);
    expect(JSON.parse(fs.readFileSync(statePath, 'utf8')).deviceid).toBe(first.inventory.deviceid);
    expect(second.inventory.content.softwares).toBeUndefined();
  });

  it('refuses a damaged state file instead of making a new device', async () => {
    const statePath = path.join(tmp, 'broken.json');
    fs.writeFileSync(statePath, '{not json');
    await expect(loadOrCreateState(statePath)).rejects.toThrow(StateError);
    await expect(loadOrCreateState(statePath)).rejects.toThrow(/repair it, or delete it/);
  });
});

describe('sending', () => {
  it('posts the gzip-compressed JSON with the bearer token', async () => {
    const server = await startServer([{ status: 200 }]);
    try {
      const result = await sendInventory(SAMPLE, { server: server.url, token: 'parc_secret' });
      expect(result).toMatchObject({ status: 200, attempts: 1 });
      expect(server.received).toHaveLength(1);
      const req = server.received[0]!;
      expect(req.url).toBe('/api/v1/inventory/agent');
      expect(req.headers['content-type']).toBe('application/json');
      expect(req.headers.authorization).toBe('Bearer parc_secret');
      expect(req.headers['user-agent']).toMatch(/^Parc-Agent_v/);
      expect([req.body[0], req.body[1]]).toEqual([0x1f, 0x8b]);
      expect(JSON.parse(gunzipSync(req.body).toString('utf8'))).toEqual(SAMPLE);
    } finally {
      await server.close();
    }
  });

  it('retries 503 and 429 (honouring Retry-After), then succeeds', async () => {
    const server = await startServer([
      { status: 503, body: '{"title":"Service Unavailable"}' },
      { status: 429, headers: { 'retry-after': '1' } },
      { status: 200 },
    ]);
    const lines: string[] = [];
    try {
      const started = Date.now();
      const result = await sendInventory(SAMPLE, {
        server: `${server.url}/`,
        path: '/custom/inventory',
        baseDelayMs: 20,
        log: (l) => lines.push(l),
      });
      expect(result).toMatchObject({ status: 200, attempts: 3 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
      expect(server.received.map((r) => r.url)).toEqual(Array(3).fill('/custom/inventory'));
      expect(lines[0]).toMatch(/HTTP 503 \(Service Unavailable\).*attempt 2\/6/);
      expect(lines[1]).toMatch(/HTTP 429.*retrying in 1 s/);
    } finally {
      await server.close();
    }
  });

  it('does not retry a 401 and surfaces the problem details', async () => {
    const server = await startServer([
      {
        status: 401,
        headers: { 'content-type': 'application/problem+json' },
        body: JSON.stringify({
          title: 'Authentication required',
          detail: 'Unknown enrolment token.',
          status: 401,
        }),
      },
    ]);
    try {
      const error = await sendInventory(SAMPLE, { server: server.url, token: 'bad', baseDelayMs: 10 }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(SendError);
      const e = error as SendError;
      expect(e.kind).toBe('rejected');
      expect(e.status).toBe(401);
      expect(e.message).toContain('Authentication required: Unknown enrolment token.');
      expect(e.message).toContain('--token');
      expect(server.received).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('gives up on an unreachable server after the attempts', async () => {
    const server = await startServer([]);
    const url = server.url;
    await server.close();
    const error = await sendInventory(SAMPLE, { server: url, attempts: 3, baseDelayMs: 5 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SendError);
    expect((error as SendError).kind).toBe('unavailable');
    expect((error as SendError).message).toMatch(/after 3 attempts: .*ECONNREFUSED/);
  });

  it('builds the endpoint URL and the delays', () => {
    expect(inventoryUrl('https://parc.example.com').href).toBe(
      'https://parc.example.com/api/v1/inventory/agent',
    );
    expect(inventoryUrl('https://example.com/parc/').href).toBe(
      'https://example.com/parc/api/v1/inventory/agent',
    );
    expect(inventoryUrl('https://parc.example.com/api/v1/inventory/agent').pathname).toBe(
      '/api/v1/inventory/agent',
    );
    expect(parseRetryAfter('120')).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', Date.parse('2026-01-01T00:00:00Z'))).toBe(60_000);
    expect(backoffDelay(1, 1000, 60_000, () => 0)).toBe(500);
    expect(backoffDelay(3, 1000, 60_000, () => 1)).toBe(4000);
    expect(backoffDelay(20, 1000, 60_000, () => 1)).toBe(60_000);
  });
});

describe('parsers', () => {
  it('reads apt simulations, with the security origin', () => {
    const text = [
      'Reading package lists...',
      'Inst bash [5.2.15-2+b8] (5.2.15-2+b13 Debian:12.15/oldstable [amd64])',
      'Inst libgcrypt20-dev [1.10.1-3] (1.10.1-3+deb12u1 Debian:12.15/oldstable, Debian-Security:12/oldstable-security [amd64]) []',
      'Inst newpkg (1.0-1 Debian:12.15/oldstable [all])',
      'Conf bash (5.2.15-2+b13 Debian:12.15/oldstable [amd64])',
    ].join('\n');
    expect(parseAptSimulation(text)).toEqual([
      { name: 'bash', version: '5.2.15-2+b13', security: false, source: 'apt' },
      { name: 'libgcrypt20-dev', version: '1.10.1-3+deb12u1', security: true, source: 'apt' },
      { name: 'newpkg', version: '1.0-1', security: false, source: 'apt' },
    ]);
  });

  it('reads dpkg status, installed packages only', () => {
    const text = [
      'Package: adduser',
      'Status: install ok installed',
      'Installed-Size: 686',
      'Maintainer: Debian Adduser Developers <adduser@packages.debian.org>',
      'Architecture: all',
      'Version: 3.134',
      'Description: add and remove users',
      ' Version: not a field',
      '',
      'Package: gone',
      'Status: deinstall ok config-files',
      'Version: 1.0',
      '',
      'Package: google-cloud-cli',
      'Status: hold ok installed',
      'Maintainer: Google Cloud SDK <https://code.google.com/p/google-cloud-sdk/>',
      'Section: misc',
      'Version: 500.0.0-0',
    ].join('\n');
    expect(parseDpkgStatus(text)).toEqual([
      {
        name: 'adduser',
        version: '3.134',
        arch: 'all',
        publisher: 'Debian',
        from: 'deb',
        filesize: 702464,
        system_category: undefined,
      },
      {
        name: 'google-cloud-cli',
        version: '500.0.0-0',
        arch: undefined,
        publisher: 'Google Cloud SDK',
        from: 'deb',
        filesize: undefined,
        system_category: 'misc',
      },
    ]);
  });

  it('reads rpm and dnf output', () => {
    const rpm = parseRpmQuery(
      'bash\t5.1.8-6.el9\tx86_64\tRed Hat, Inc.\t1700000000\t7738634\tUnspecified\ngpg-pubkey\t1-2\t(none)\t(none)\t0\t0\t(none)\n',
    );
    expect(rpm).toHaveLength(1);
    expect(rpm[0]).toMatchObject({
      name: 'bash',
      version: '5.1.8-6.el9',
      publisher: 'Red Hat, Inc.',
      from: 'rpm',
    });
    expect(rpm[0]?.install_date).toMatch(/^2023-11-1[45]$/);
    const dnf = parseDnfCheckUpdate(
      [
        '',
        'kernel.x86_64                 5.14.0-362.13.1.el9_3     baseos',
        'a-very-long-package-name-that-wraps.noarch',
        '                              2.0-1.el9                 appstream',
        'Obsoleting Packages',
        'grub2-tools.x86_64            1:2.06-70.el9             baseos',
      ].join('\n'),
    );
    expect(dnf).toEqual([
      { name: 'kernel', arch: 'x86_64', version: '5.14.0-362.13.1.el9_3' },
      { name: 'a-very-long-package-name-that-wraps', arch: 'noarch', version: '2.0-1.el9' },
    ]);
    expect(
      parseDnfSecurityList('RHSA-2024:0001 Important/Sec. kernel-5.14.0-362.13.1.el9_3.x86_64\n'),
    ).toEqual(new Set(['kernel']));
  });

  it('maps the Windows PowerShell answers', () => {
    // ConvertTo-Json writes a lone object for a list of one.
    expect(
      mapWindowsSoftwares({
        name: '7-Zip 23.01 (x64)',
        version: '23.01',
        publisher: 'Igor Pavlov',
        installDate: '20240115',
        guid: '7-Zip',
        size: 5734,
        arch: 'x86_64',
      }),
    ).toEqual([
      {
        name: '7-Zip 23.01 (x64)',
        version: '23.01',
        publisher: 'Igor Pavlov',
        arch: 'x86_64',
        from: 'registry',
        guid: '7-Zip',
        install_date: '2024-01-15',
        filesize: 5871616,
        comments: undefined,
      },
    ]);
    expect(
      mapWindowsAntivirus([
        { name: 'Windows Defender', guid: '{D68DDC3A}', productState: 397568 },
        { name: 'Microsoft Defender Antivirus', defender: true, version: '4.18.1', baseVersion: '1.401.1' },
      ]),
    ).toEqual([
      {
        name: 'Windows Defender',
        guid: '{D68DDC3A}',
        enabled: true,
        uptodate: true,
        company: 'Microsoft Corporation',
        version: '4.18.1',
        base_version: '1.401.1',
      },
    ]);
  });
});

describe('command line', () => {
  it('reads options and the environment, options first', () => {
    const parsed = parseArgs(
      ['--server=https://a.example', '--tag', 'site-1', '--daemon', '--interval', '12h'],
      {
        PARC_AGENT_SERVER: 'https://b.example',
        PARC_AGENT_TOKEN: 'parc_env',
      },
    );
    expect(parsed).toMatchObject({
      kind: 'run',
      options: {
        server: 'https://a.example',
        token: 'parc_env',
        tag: 'site-1',
        mode: 'daemon',
        intervalMs: 43_200_000,
      },
    });
  });

  it('refuses bad arguments with one line saying the fix', () => {
    const bad = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
      try {
        parseArgs(argv, env);
      } catch (e) {
        expect(e).toBeInstanceOf(UsageError);
        return (e as Error).message;
      }
      throw new Error(`accepted ${argv.join(' ')}`);
    };
    expect(bad([])).toMatch(/--server URL or set PARC_AGENT_SERVER/);
    expect(bad(['--server', 'parc.example.com'])).toMatch(/http\(s\) URL such as https:\/\/parc.example.com/);
    expect(bad(['--server', 'https://x', '--once', '--daemon'])).toMatch(/exclude each other/);
    expect(bad(['--server', 'https://x', '--daemon', '--interval', '6x'])).toMatch(/duration such as 90s/);
    expect(bad(['--server', 'https://x', '--interval', '6h'])).toMatch(/only applies with --daemon/);
    expect(bad(['--server'])).toMatch(/needs a value, e.g. --server https/);
    expect(bad(['--dry-run', '--frobnicate'])).toMatch(/unknown option --frobnicate/);
    expect(bad(['--dry-run', '--skip', 'disks'])).toMatch(/unknown section "disks"/);
    for (const message of [bad([]), bad(['--dry-run', '--skip', 'disks'])])
      expect(message).not.toContain('\n');
  });
});

describe('the bundle', () => {
  let bundle: string;

  beforeAll(async () => {
    await run(process.execPath, [path.join(root, 'scripts/build-agent.mjs')], { cwd: root });
    // Run it away from node_modules: it must carry everything it needs.
    bundle = path.join(tmp, 'bin', 'parc-agent.mjs');
    fs.mkdirSync(path.dirname(bundle), { recursive: true });
    fs.copyFileSync(path.join(root, 'dist/parc-agent.mjs'), bundle);
  }, 60_000);

  it('prints the inventory as JSON with --dry-run, and writes it with --output', async () => {
    const statePath = path.join(tmp, 'bundle-state.json');
    const output = path.join(tmp, 'inventory.json');
    const { stdout, stderr } = await run(
      process.execPath,
      [bundle, '--dry-run', '--state', statePath, '--skip', 'updates', '--output', output],
      { cwd: tmp, maxBuffer: 64 * 1024 * 1024 },
    );
    const inventory = JSON.parse(stdout) as GlpiInventory;
    expect(JSON.parse(fs.readFileSync(output, 'utf8'))).toEqual(inventory);
    expect(inventory.deviceid).toBe(JSON.parse(fs.readFileSync(statePath, 'utf8')).deviceid);
    expect(inventory.content.softwares?.length).toBeGreaterThan(0);
    expect(inventory.content.versionclient).toBe(
      `Parc-Agent_v${JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version}`,
    );
    expect(stderr).toMatch(/inventory of .* collected in/);
  }, 30_000);

  it('sends once to a server, the token from the environment', async () => {
    const server = await startServer([{ status: 200 }]);
    try {
      const { stderr } = await run(
        process.execPath,
        [bundle, '--once', '--state', path.join(tmp, 'bundle-send.json'), '--skip', 'updates,softwares'],
        {
          cwd: tmp,
          env: { ...process.env, PARC_AGENT_SERVER: server.url, PARC_AGENT_TOKEN: 'parc_env_token' },
        },
      );
      expect(stderr).toMatch(
        /inventory sent to http:\/\/127\.0\.0\.1:\d+\/api\/v1\/inventory\/agent \(HTTP 200\)/,
      );
      expect(server.received[0]?.headers.authorization).toBe('Bearer parc_env_token');
      const sent = JSON.parse(gunzipSync(server.received[0]!.body).toString('utf8')) as GlpiInventory;
      expect(sent.content.operatingsystem?.name).toBeTruthy();
    } finally {
      await server.close();
    }
  }, 30_000);

  it('exits 2 on a bad argument and 3 when the server refuses', async () => {
    const usage = await run(process.execPath, [bundle, '--interval', '6h'], { cwd: tmp }).catch((e) => e);
    expect(usage.code).toBe(EXIT.usage);
    expect(usage.stderr.trim().split('\n')).toHaveLength(1);
    const server = await startServer([
      { status: 403, body: '{"title":"Forbidden","detail":"Token revoked."}' },
    ]);
    try {
      const refused = await run(
        process.execPath,
        [
          bundle,
          '--server',
          server.url,
          '--state',
          path.join(tmp, 'bundle-send.json'),
          '--skip',
          SECTIONS.join(','),
        ],
        { cwd: tmp },
      ).catch((e) => e);
      expect(refused.code).toBe(EXIT.rejected);
      expect(refused.stderr).toContain('Forbidden: Token revoked.');
      expect(server.received).toHaveLength(1);
    } finally {
      await server.close();
    }
  }, 30_000);
});
