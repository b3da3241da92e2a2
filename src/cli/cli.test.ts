import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
let dataDir: string;

function parc(args: string[], env: NodeJS.ProcessEnv = {}) {
  const res = spawnSync(process.execPath, [path.join(ROOT, 'bin/parc.mjs'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, PARC_DATA_DIR: dataDir, PARC_LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: res.status, out: res.stdout, err: res.stderr };
}

// The real `parc` command: bin/parc.mjs compiles the server first when its build is stale.
beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parc-cli-'));
  const help = parc(['--help']);
  if (help.code !== 0) throw new Error(`parc --help failed: ${help.err}`);
}, 120_000);
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('parc CLI', () => {
  it('stops on a bad setting with one line naming the variable', () => {
    const r = parc(['migrate'], { PARC_PORT: 'eighty' });
    expect(r.code).toBe(1);
    expect(r.err.trim()).toBe(
      'parc: PARC_PORT: expected a TCP port number between 1 and 65535 (got "eighty")',
    );
  });

  it('stops when the data folder is not writable or the database unreachable', () => {
    const file = path.join(dataDir, 'not-a-folder');
    fs.writeFileSync(file, '');
    const r = parc(['migrate'], { PARC_DATA_DIR: file });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^parc: PARC_DATA_DIR: /);
    const pg = parc(['migrate'], { DATABASE_URL: 'postgres://nobody:secret@127.0.0.1:1/nothing' });
    expect(pg.code).toBe(1);
    expect(pg.err).toMatch(
      /^parc: DATABASE_URL: cannot connect to postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/nothing/,
    );
    expect(pg.err).not.toContain('secret');
  });

  it('migrates, creates users, mints tokens, lists users', () => {
    expect(parc(['migrate']).out).toMatch(/applied: 0001_foundation/);
    expect(parc(['migrate']).out).toMatch(/up to date/);
    // No organisation yet: the CLI says how to get one.
    const early = parc(['user', 'create', '--email', 'a@example.test']);
    expect(early.code).toBe(1);
    expect(early.err).toMatch(/no organisation yet/);
  });

  it('covers the first-start flow, user and token commands, audit verification and backup', async () => {
    // Bootstrap happens at serve; here we create the home organisation through the bootstrap path.
    const { bootstrap } = await import('../server/bootstrap.js');
    const { openRuntime } = await import('../server/runtime.js');
    const { loadConfig } = await import('../server/config.js');
    const config = loadConfig({
      PARC_DATA_DIR: dataDir,
      PARC_LOG_LEVEL: 'silent',
      PARC_ADMIN_EMAIL: 'root@example.test',
      PARC_ADMIN_PASSWORD: 'root password 123',
    });
    const rt = await openRuntime(config, { migrate: true });
    await bootstrap(
      { db: rt.handle.db, dialect: rt.handle.dialect, now: new Date(), log: rt.log, secrets: rt.secrets },
      config,
    );
    await rt.handle.close();

    const created = parc([
      'user',
      'create',
      '--email',
      'tech@example.test',
      '--name',
      'Tech',
      '--role',
      'technician',
      '--role',
      'supervisor',
    ]);
    expect(created.code).toBe(0);
    const user = JSON.parse(created.out) as { email: string; roles: string[]; temporaryPassword: string };
    expect(user).toMatchObject({ email: 'tech@example.test', roles: ['technician', 'supervisor'] });
    expect(user.temporaryPassword.length).toBeGreaterThanOrEqual(12);
    expect(parc(['user', 'create', '--email', 'x@example.test', '--role', 'wizard']).code).not.toBe(0);
    expect(parc(['user', 'create', '--email', 'tech@example.test']).err).toMatch(/conflict\.duplicate/);

    const list = parc(['user', 'list'])
      .out.trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { email: string });
    expect(list.map((u) => u.email)).toEqual(['root@example.test', 'tech@example.test']);

    const token = parc([
      'token',
      'create',
      '--email',
      'tech@example.test',
      '--role',
      'technician',
      '--name',
      'script',
    ]);
    expect(token.code).toBe(0);
    expect(token.out.trim()).toMatch(/^parc_[A-Za-z0-9]{8}_/);
    const notHeld = parc(['token', 'create', '--email', 'tech@example.test', '--role', 'admin']);
    expect(notHeld.code).toBe(1);
    expect(notHeld.err).toMatch(/auth\.role_not_held/);

    const reset = parc(['user', 'reset-password', 'tech@example.test']);
    expect(JSON.parse(reset.out).temporaryPassword).not.toBe(user.temporaryPassword);

    const verified = parc(['audit', 'verify']);
    expect(verified.code).toBe(0);
    expect(verified.out).toMatch(/audit trail intact: \d+ records/);

    const backupFile = path.join(dataDir, 'copy.db');
    const backup = parc(['db', 'backup', backupFile]);
    expect(backup.code).toBe(0);
    const copy = new BetterSqlite3(backupFile, { readonly: true });
    expect((copy.prepare('select count(*) as n from app_user').get() as { n: number }).n).toBe(2);
    copy.close();
    expect(parc(['db', 'backup', backupFile]).err).toMatch(/exists already/);

    const raw = new BetterSqlite3(path.join(dataDir, 'parc.db'));
    raw.exec('DROP TRIGGER audit_log_no_update');
    raw.prepare("UPDATE audit_log SET after = '{}' WHERE seq = 2").run();
    raw.close();
    const broken = parc(['audit', 'verify']);
    expect(broken.code).toBe(2);
    expect(broken.err).toMatch(/audit trail broken at record #2 \(.+\): its content was altered/);
  });

  it('files saved agent inventories as the HTTP path does, and prints a JSON summary', () => {
    // Runs after the first-start flow: one organisation, so agents without a token are filed into it.
    const fixtures = path.join(ROOT, 'src/server/modules/inventory/fixtures');
    const xml = path.join(dataDir, 'fusion.ocs');
    fs.writeFileSync(
      xml,
      zlib.deflateSync(fs.readFileSync(path.join(fixtures, 'fusioninventory-2.6-inventory.xml'))),
    );
    const bad = path.join(dataDir, 'bad.xml');
    fs.writeFileSync(bad, '<REQUEST><QUERY>INVENTORY');
    const missing = path.join(dataDir, 'missing.json');
    const first = parc(['inventory', 'import', xml, bad, missing]);
    expect(first.code).toBe(1);
    const summary = JSON.parse(first.out);
    expect(summary).toMatchObject({ created: 1, updated: 0, unchanged: 0, pending: 0 });
    expect(summary.rejected).toEqual([
      { file: bad, reason: 'malformed_xml', message: expect.stringContaining('XML') },
      { file: missing, reason: 'unreadable', message: expect.stringContaining('ENOENT') },
    ]);
    const again = parc(['inventory', 'import', xml]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({ created: 0, unchanged: 1, rejected: [] });
    // The GLPI agent's inventory of the same machine (same MAC addresses): the same asset, updated.
    const glpi = parc(['inventory', 'import', path.join(fixtures, 'glpi-agent-1.12-inventory.json')]);
    expect(JSON.parse(glpi.out)).toMatchObject({ created: 0, updated: 1, rejected: [] });
  });

  it('imports a security log for real: stored, detected, incidents opened, with a JSON summary', () => {
    const log = path.join(ROOT, 'src/server/modules/security/fixtures/auth.log');
    const missingOrg = parc(['security', 'import', log, '--org', 'nowhere', '--source', 'web1']);
    expect(missingOrg.code).toBe(1);
    expect(missingOrg.err).toMatch(/no organisation with slug "nowhere"/);
    const r = parc(['security', 'import', log, '--org', 'home', '--source', 'web1', '--year', '2026']);
    expect(r.code, r.err).toBe(0);
    const summary = JSON.parse(r.out);
    expect(summary).toMatchObject({
      source: 'web1',
      lines: { read: 51, rejected: 3 },
      rejected: { unparseable: 1, bad_timestamp: 1, future_timestamp: 1 },
      detections: { total: 5 },
      incidentsOpened: 5,
    });
    expect(summary.stored).toBe(summary.lines.parsed);
    expect(summary.detections.byRule.map((d: { rule: string }) => d.rule).sort()).toEqual([
      'admin-group-member',
      'new-account',
      'ssh-brute-force',
      'sudo-failure',
    ]);
    // The same attacks again within a day: appended to the open incidents, none opened.
    expect(
      JSON.parse(parc(['security', 'import', log, '--org', 'home', '--source', 'web1', '--year', '2026']).out)
        .incidentsOpened,
    ).toBe(0);
  });
});
