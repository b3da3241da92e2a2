import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../../..');
const FIXTURES = path.join(import.meta.dirname, 'fixtures');
let dir: string;

function parc(args: string[]) {
  const res = spawnSync(process.execPath, [path.join(ROOT, 'bin/parc.mjs'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, PARC_DATA_DIR: dir, PARC_LOG_LEVEL: 'warn', TZ: 'UTC' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: res.status, out: res.stdout, err: res.stderr };
}

// The real `parc` command, as src/cli/cli.test.ts runs it (bin/parc.mjs rebuilds a stale bundle first).
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parc-security-'));
  const help = parc(['security', '--help']);
  if (help.code !== 0) throw new Error(`parc security --help failed: ${help.err}`);
}, 180_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// Each case runs the real command several times: allow for a busy machine.
describe('parc security analyse', { timeout: 90_000 }, () => {
  it('prints the JSON summary of an auth.log: lines, refusals by reason, detections per rule', () => {
    const r = parc(['security', 'analyse', path.join(FIXTURES, 'auth.log'), '--year', '2026']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out);
    expect(summary).toMatchObject({
      format: 'syslog',
      compression: 'none',
      lines: { read: 51, parsed: 45, ignored: 3, rejected: 3 },
      rejected: { unparseable: 1, bad_timestamp: 1, future_timestamp: 1 },
      recovered: { invalid_utf8: 2 },
      timeSpan: { first: '2026-03-03T09:12:01.000Z', last: '2026-03-03T11:00:00.000Z' },
      detections: { total: 5 },
    });
    expect(summary.rules).toHaveLength(10);
    const byRule = Object.fromEntries(
      (summary.detections.byRule as { rule: string; detections: unknown[] }[]).map((r) => [r.rule, r]),
    );
    expect(Object.keys(byRule)).toEqual([
      'ssh-brute-force',
      'new-account',
      'admin-group-member',
      'sudo-failure',
    ]);
    expect(byRule['ssh-brute-force']).toEqual({
      rule: 'ssh-brute-force',
      title: 'SSH brute force',
      severity: 'high',
      count: 1,
      detections: [
        {
          group: { src_ip: '203.0.113.77' },
          sources: ['203.0.113.77'],
          users: ['admin', 'root'],
          hosts: ['web1'],
          first: '2026-03-03T10:01:11.000Z',
          last: '2026-03-03T10:01:30.000Z',
          events: 5,
          evidence: [12, 15, 16, 17],
        },
      ],
    });
    expect(byRule['sudo-failure']!.detections).toHaveLength(2);
  });

  it('infers the year of BSD stamps from the file date, or takes --year', () => {
    const copy = path.join(dir, 'auth-2027.log');
    fs.copyFileSync(path.join(FIXTURES, 'auth.log'), copy);
    // a file last written in January 2027: its March lines are from March 2026
    fs.utimesSync(copy, new Date('2027-01-10T00:00:00Z'), new Date('2027-01-10T00:00:00Z'));
    expect(JSON.parse(parc(['security', 'analyse', copy]).out).timeSpan.first).toBe(
      '2026-03-03T09:12:01.000Z',
    );
    expect(JSON.parse(parc(['security', 'analyse', copy, '--year', '2024']).out).timeSpan.first).toBe(
      '2024-03-03T09:12:01.000Z',
    );
  });

  it('reads gzip and EVTX-XML, and takes rule files', () => {
    const gz = path.join(dir, 'security.xml.gz');
    fs.writeFileSync(gz, gzipSync(fs.readFileSync(path.join(FIXTURES, 'security-events.xml'))));
    const rule = path.join(dir, 'rules.yml');
    fs.writeFileSync(
      rule,
      'id: windows-failed-logon\ntitle: Failed Windows logon\nseverity: low\ndetection:\n  f: {event_id: 4625}\n  condition: f\n',
    );
    const r = parc(['security', 'analyse', gz, '--rules', 'built-in', rule]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out);
    expect(summary).toMatchObject({
      format: 'evtx-xml',
      compression: 'gzip',
      lines: { read: 8, parsed: 6, ignored: 1, rejected: 1 },
      rejected: { invalid_xml: 1 },
    });
    expect(summary.rules).toContain('windows-failed-logon');
    expect(summary.detections.byRule.map((d: { rule: string }) => d.rule)).toEqual([
      'new-account',
      'admin-group-member',
      'audit-log-cleared',
      'windows-failed-logon',
    ]);
  });

  it('refuses a rule file with an error, naming its line and column', () => {
    const bad = path.join(dir, 'bad.yml');
    fs.writeFileSync(
      bad,
      'id: x\ntitle: t\nseverity: low\ndetection:\n  f: {user|contain: root}\n  condition: f\n',
    );
    const r = parc(['security', 'analyse', path.join(FIXTURES, 'auth.log'), '--rules', bad]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`parc: rule file refused:\n${bad}:5:7: user|contain: unknown modifier "contain"`);
    expect(r.out).toBe('');
  });

  it('tells a missing file, a bad year and corrupt gzip in one line', () => {
    expect(parc(['security', 'analyse', path.join(dir, 'nope.log')]).err).toMatch(/nope\.log: no such file/);
    expect(parc(['security', 'analyse', dir]).err).toMatch(/is a folder; give a log file/);
    expect(parc(['security', 'analyse', path.join(FIXTURES, 'auth.log'), '--year', '26']).err).toMatch(
      /expected a year such as 2025/,
    );
    const corrupt = path.join(dir, 'corrupt.gz');
    fs.writeFileSync(
      corrupt,
      Buffer.concat([gzipSync(Buffer.from('x'.repeat(1000))).subarray(0, 20), Buffer.alloc(50, 7)]),
    );
    const r = parc(['security', 'analyse', corrupt]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/corrupt\.gz: the gzip data is corrupt/);
  });
});
