import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { freePort, ROOT, startParc } from '../../test/support/parc-process.js';

const ADMIN = { email: 'ops@example.test', password: 'operations password 1' };

beforeAll(() => {
  // Builds the server bundle if stale, outside the timed part of the tests.
  spawnSync(process.execPath, [path.join(ROOT, 'bin/parc.mjs'), '--help']);
}, 120_000);

describe('parc serve', () => {
  it('creates the first admin, serves, and on SIGTERM finishes the requests in flight before exiting', async () => {
    const parc = await startParc({
      env: { PARC_LOG_LEVEL: 'debug', PARC_ADMIN_EMAIL: ADMIN.email, PARC_ADMIN_PASSWORD: ADMIN.password },
    });
    await parc.ready();
    const login = (password: string) =>
      fetch(`${parc.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: ADMIN.email, password }),
      });
    const me = await login(ADMIN.password);
    expect(me.status).toBe(200);
    expect(((await me.json()) as { mustChangePassword: boolean }).mustChangePassword).toBe(false);

    // Six wrong-password logins, each ~30 ms of hashing: once the server has logged all six as
    // received, most are still being worked on when the signal arrives. Every one must be answered.
    const received = () =>
      parc
        .output()
        .split('\n')
        .filter((l) => l.includes('"url":"/api/v1/auth/login"') && l.includes('request received')).length;
    const before = received();
    const burst = Array.from({ length: 6 }, () =>
      login('wrong but well formed').then(
        (r) => r.status,
        (e: { cause?: { code?: string } }) => String(e.cause?.code ?? e),
      ),
    );
    while (received() < before + 6) await new Promise((r) => setTimeout(r, 2));
    const stopped = parc.stop();
    const statuses = await Promise.all(burst);
    // 401 for a wrong password, 429 once the lockout starts: answered, none cut off.
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    expect(await stopped).toBe(0);
    expect(parc.output()).toMatch(/shutting down/);
  });

  it('starts the syslog listener with the server, records a sender for triage, and writes it on SIGTERM', async () => {
    const syslogPort = await freePort();
    const parc = await startParc({ env: { PARC_SYSLOG_PORT: String(syslogPort) } });
    await parc.ready();
    const sent = spawnSync(
      '/usr/bin/logger',
      [
        '--server',
        '127.0.0.1',
        '--port',
        String(syslogPort),
        '--tcp',
        '--rfc5424',
        '-t',
        'sshd',
        'Failed password for root from 192.0.2.1 port 22 ssh2',
      ],
      { encoding: 'utf8' },
    );
    expect(sent.status, sent.stderr).toBe(0);
    expect(await parc.stop({ keepData: true })).toBe(0);
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(path.join(parc.dataDir, 'parc.db'), { readonly: true });
    const source = db.prepare(`SELECT id, org_id FROM security_source WHERE ip = '127.0.0.1'`).get() as {
      id: string;
      org_id: string | null;
    };
    expect(source.org_id).toBeNull();
    const counters = db
      .prepare('SELECT name, count FROM security_source_counter WHERE source_id = ?')
      .all(source.id);
    expect(counters).toEqual(
      expect.arrayContaining([
        { name: 'received', count: 1 },
        { name: 'rejected:unknown_source', count: 1 },
      ]),
    );
    db.close();
    fs.rmSync(parc.dataDir, { recursive: true, force: true });
  });

  it('says in one line that the port is taken', async () => {
    const port = await freePort();
    const blocker = net.createServer().listen(port, '127.0.0.1');
    try {
      const parc = await startParc({ port });
      const code = await new Promise<number | null>((resolve) => parc.child.once('exit', resolve));
      expect(code).toBe(1);
      expect(parc.output()).toMatch(/parc: PARC_PORT: port \d+ is already in use/);
      await parc.stop();
    } finally {
      blocker.close();
    }
  });
});
