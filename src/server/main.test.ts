import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ADMIN = { email: 'ops@example.test', password: 'operations password 1' };
let dataDir: string;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function start(port: number, env: NodeJS.ProcessEnv = {}): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/parc.mjs'), 'serve'], {
    env: {
      PATH: process.env.PATH,
      PARC_DATA_DIR: dataDir,
      PARC_PORT: String(port),
      PARC_HOST: '127.0.0.1',
      PARC_LOG_LEVEL: 'warn',
      PARC_ADMIN_EMAIL: ADMIN.email,
      PARC_ADMIN_PASSWORD: ADMIN.password,
      ...env,
    },
  });
  child.stdout?.on('data', (d) => {
    output += String(d);
  });
  child.stderr?.on('data', (d) => {
    output += String(d);
  });
  return { child, output: () => output };
}

async function ready(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error('server exited');
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server not ready');
}

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parc-serve-'));
  // Builds the server bundle if stale, outside the timed part of the tests.
  spawnSync(process.execPath, [path.join(ROOT, 'bin/parc.mjs'), '--help']);
}, 120_000);
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('parc serve', () => {
  it('creates the first admin, serves, and on SIGTERM finishes the requests in flight before exiting', async () => {
    const port = await freePort();
    const { child, output } = start(port, { PARC_LOG_LEVEL: 'debug' });
    await ready(port, child);
    const me = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { mustChangePassword: boolean }).mustChangePassword).toBe(false);

    // Six wrong-password logins, each ~30 ms of hashing: once the server has logged all six as
    // received, most are still being worked on when the signal arrives. Every one must be answered.
    const received = () =>
      output()
        .split('\n')
        .filter((l) => l.includes('"url":"/api/v1/auth/login"') && l.includes('request received')).length;
    const before = received();
    const burst = Array.from({ length: 6 }, () =>
      fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: ADMIN.email, password: 'wrong but well formed' }),
      }).then(
        (r) => r.status,
        (e: { cause?: { code?: string } }) => String(e.cause?.code ?? e),
      ),
    );
    while (received() < before + 6) await new Promise((r) => setTimeout(r, 2));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const statuses = await Promise.all(burst);
    // 401 for a wrong password, 429 once the lockout starts: answered, none cut off.
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    const code = await exited;
    expect(code).toBe(0);
    expect(output()).toMatch(/shutting down/);
  });

  it('says in one line that the port is taken', async () => {
    const port = await freePort();
    const blocker = net.createServer().listen(port, '127.0.0.1');
    try {
      const { child, output } = start(port);
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(1);
      expect(output()).toMatch(/parc: PARC_PORT: port \d+ is already in use/);
    } finally {
      blocker.close();
    }
  });
});
