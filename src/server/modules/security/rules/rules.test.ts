import { describe, expect, it } from 'vitest';
import type { SecurityEvent } from '../formats/event.js';
import { LogParser } from '../formats/index.js';
import { builtinRules } from './builtin.js';
import { type Detection, DetectionEngine } from './engine.js';
import { loadRules, RuleFileError } from './load.js';

const NOW = Date.parse('2026-11-29T12:00:00Z');
const T0 = Date.parse('2026-03-03T10:00:00Z');

/** Events from syslog lines stamped T0 + offset (seconds): `[offset, "host program[pid]: message"]`. */
function events(lines: [number, string][]): SecurityEvent[] {
  const out: SecurityEvent[] = [];
  const parser = new LogParser({ reference: NOW, now: NOW, onEvent: (e) => out.push(e) });
  const text = lines.map(([s, rest]) => `${new Date(T0 + s * 1000).toISOString()} ${rest}`).join('\n');
  parser.push(Buffer.from(text));
  parser.end();
  expect(out).toHaveLength(lines.length);
  return out;
}

function run(rulesOrIds: string | string[], evs: SecurityEvent[]): Detection[] {
  const rules = Array.isArray(rulesOrIds)
    ? builtinRules().filter((r) => rulesOrIds.includes(r.id))
    : loadRules(rulesOrIds, 'test.yml');
  const engine = new DetectionEngine(rules);
  for (const e of evs) engine.process(e);
  return engine.detections();
}

const fail = (ip: string, user = 'root') =>
  `web1 sshd[100]: Failed password for ${user} from ${ip} port 40000 ssh2`;
const accept = (ip: string, user = 'alice') =>
  `web1 sshd[101]: Accepted password for ${user} from ${ip} port 40001 ssh2`;

function problems(text: string) {
  try {
    loadRules(text, 'mine.yml');
  } catch (err) {
    if (err instanceof RuleFileError) return err.problems.map((p) => `${p.line}:${p.col} ${p.message}`);
    throw err;
  }
  return [];
}

describe('rule files', () => {
  it('refuses a YAML syntax error with its line and column', () => {
    const p = problems(
      'id: x\ntitle: t\nseverity: low\ndetection:\n  sel: {action: login\n  condition: sel\n',
    );
    expect(p.length).toBeGreaterThan(0);
    expect(p[0]).toMatch(/^[56]:\d+ /);
  });

  it('lists every schema problem with line and column', () => {
    const text = [
      'id: Bad Id', // 1
      'title: t', // 2
      'severity: urgent', // 3
      'colour: red', // 4
      'detection:', // 5
      '  sel:', // 6
      '    actoin: login', // 7
      '    user|contain: x', // 8
      '    src_ip|cidr: 10.0.0.0/33', // 9
      "    raw|re: '(unclosed'", // 10
      '  condition: sel and not missing', // 11
      'correlation:', // 12
      '  type: event_count', // 13
      '  group-by: [src_ip, nope]', // 14
      '  timespan: ten minutes', // 15
      '  condition: {gte: 0}', // 16
    ].join('\n');
    expect(problems(text)).toEqual([
      '4:1 unknown key "colour"; expected id, title, description, severity, level, enabled, tags, detection, correlation, author, references, status, falsepositives',
      '1:5 id: lower-case letters, digits, ".", "_" and "-" only',
      '3:11 severity: expected one of low, medium, high, critical',
      expect.stringMatching(/^7:5 actoin: unknown field "actoin"; fields: host, program/),
      expect.stringMatching(/^8:5 user\|contain: unknown modifier "contain"; modifiers: contains/),
      '9:18 src_ip|cidr: "10.0.0.0/33" is not an IP address range (10.0.0.0/8, 2001:db8::/32)',
      expect.stringMatching(/^10:13 raw\|re: invalid regular expression/),
      '11:26 condition: unknown selection "missing"',
      expect.stringMatching(/^14:22 correlation: group-by: unknown field "nope"/),
      '15:13 correlation: timespan: expected a duration such as 90s, 10m, 6h or 2d',
      '16:20 correlation: condition: gte must be a whole number ≥ 1',
    ]);
  });

  it('tells a missing part, a bad condition and a duplicate id', () => {
    expect(problems('id: a\ntitle: t\nseverity: low\n')).toEqual(['1:1 "detection" is missing']);
    expect(
      problems('id: a\ntitle: t\nseverity: low\ndetection:\n  s: {action: login}\n  condition: "s and (s"\n'),
    ).toEqual(['6:23 condition: expected ")" at the end']);
    const one = 'id: a\ntitle: t\nseverity: low\ndetection:\n  s: {action: login}\n  condition: s\n';
    expect(problems(`${one}---\n${one}`)).toEqual(['1:1 rule id "a" is used twice']);
  });

  it('every built-in rule loads', () => {
    expect(builtinRules().map((r) => r.id)).toEqual([
      'ssh-brute-force',
      'password-spraying',
      'success-after-failures',
      'login-unusual-hours',
      'login-new-source',
      'new-account',
      'admin-group-member',
      'sudo-failure',
      'audit-log-cleared',
      'lockout-storm',
    ]);
  });
});

describe('selections and conditions', () => {
  const rule = (detection: string) =>
    `id: t\ntitle: t\nseverity: low\ndetection:\n${detection
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n')}\n`;
  const evs = events([
    [0, fail('192.0.2.10', 'admin')],
    [1, fail('10.1.2.3', 'Administrator')],
    [2, accept('2001:db8::5', 'bob')],
    [3, 'web2 sudo:    carol : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx'],
  ]);
  const hits = (detection: string) => run(rule(detection), evs).map((d) => d.evidence[0]);

  it('compares text without regard to case, lists meaning any', () => {
    expect(hits('s: {user: ADMIN}\ncondition: s')).toEqual([1]);
    expect(hits('s: {user: [admin, bob]}\ncondition: s')).toEqual([1, 3]);
    expect(hits('s: {target_user: null, action: login}\ncondition: s')).toEqual([1, 2, 3]);
  });

  it('applies contains, startswith, endswith, re, cidr and all', () => {
    expect(hits('s: {user|startswith: admin}\ncondition: s')).toEqual([1, 2]);
    expect(hits('s: {user|endswith: ISTRATOR}\ncondition: s')).toEqual([2]);
    expect(hits('s: {detail|contains: nginx}\ncondition: s')).toEqual([4]);
    expect(hits("s: {raw|re: 'for [a-z]+ from'}\ncondition: s")).toEqual([1, 3]);
    expect(hits("s: {raw|re: '(?i)FOR ADMIN'}\ncondition: s")).toEqual([1, 2]);
    expect(hits('s: {src_ip|cidr: [10.0.0.0/8, "2001:db8::/32"]}\ncondition: s')).toEqual([2, 3]);
    expect(hits('s: {raw|contains|all: [Failed, for admin from]}\ncondition: s')).toEqual([1]);
    expect(hits('s: [restart, Administrator]\ncondition: s')).toEqual([2, 4]);
  });

  it('evaluates and, or, not, parentheses, "1 of", "all of" and "them"', () => {
    const sels = 'f_fail: {outcome: failure}\nf_admin: {user|startswith: admin}\nok: {outcome: success}';
    expect(hits(`${sels}\ncondition: f_fail and not f_admin`)).toEqual([]);
    expect(hits(`${sels}\ncondition: all of f_*`)).toEqual([1, 2]);
    expect(hits(`${sels}\ncondition: 1 of f_* and not (ok or f_admin)`)).toEqual([]);
    expect(hits(`${sels}\ncondition: ok and not (f_fail or f_admin)`)).toEqual([3, 4]);
    expect(hits(`${sels}\ncondition: 1 of them`)).toEqual([1, 2, 3, 4]);
    expect(hits(`${sels}\ncondition: not 1 of f_*`)).toEqual([3, 4]);
    expect(hits(`${sels}\ncondition: 2 of them`)).toEqual([1, 2]);
  });
});

describe('built-in rules', () => {
  const burst = (ip: string, n: number, every: number, start = 0) =>
    Array.from({ length: n }, (_, i) => [start + i * every, fail(ip)] as [number, string]);

  it('SSH brute force: 5 failures within 10 minutes fire, an exact sliding window', () => {
    // 5 failures over exactly 600 s: fires.
    expect(run(['ssh-brute-force'], events(burst('192.0.2.1', 5, 150)))).toHaveLength(1);
    // The same 5 spread over 601 s: the window never holds 5.
    expect(run(['ssh-brute-force'], events(burst('192.0.2.1', 5, 150.25)))).toHaveLength(0);
    // 4 failures: below the threshold.
    expect(run(['ssh-brute-force'], events(burst('192.0.2.1', 4, 1)))).toHaveLength(0);
    // 5 failures from 5 sources: no single source reaches it.
    const spread = events([1, 2, 3, 4, 5].map((i) => [i, fail(`192.0.2.${i}`)] as [number, string]));
    expect(run(['ssh-brute-force'], spread)).toHaveLength(0);
  });

  it('one attacker in one window is one detection, extended by the following events', () => {
    const ds = run(
      ['ssh-brute-force'],
      events([...burst('192.0.2.1', 30, 20), ...burst('192.0.2.1', 5, 1, 30 * 20 + 601)]),
    );
    expect(ds).toHaveLength(2);
    expect(ds[0]).toMatchObject({
      ruleId: 'ssh-brute-force',
      severity: 'high',
      group: { src_ip: '192.0.2.1' },
      count: 30,
      first: T0,
      last: T0 + 29 * 20_000,
      sources: ['192.0.2.1'],
      users: ['root'],
      hosts: ['web1'],
    });
    expect(ds[0]!.evidence).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(ds[1]).toMatchObject({
      count: 5,
      first: T0 + (30 * 20 + 601) * 1000,
      evidence: [31, 32, 33, 34, 35],
    });
  });

  it('"message repeated N times" counts N failures', () => {
    const evs = events([
      [0, fail('192.0.2.1')],
      [
        5,
        `web1 sshd[100]: message repeated 4 times: [ Failed password for root from 192.0.2.1 port 40000 ssh2]`,
      ],
    ]);
    expect(run(['ssh-brute-force'], evs)).toMatchObject([{ count: 5, evidence: [1, 2] }]);
  });

  it('password spraying: 10 distinct users from one source within 6 hours, however slow', () => {
    const users = (n: number, every: number) =>
      Array.from({ length: n }, (_, i) => [i * every, fail('198.51.100.7', `user${i}`)] as [number, string]);
    // one attempt every 35 minutes: no brute force, but spraying
    const slow = events(users(10, 35 * 60));
    expect(run(['password-spraying'], slow)).toMatchObject([
      { group: { src_ip: '198.51.100.7' }, count: 10 },
    ]);
    expect(run(['ssh-brute-force'], slow)).toHaveLength(0);
    expect(run(['password-spraying'], events(users(9, 60)))).toHaveLength(0);
    // 10 users over 6 h + 1 s: never 10 in the window
    expect(run(['password-spraying'], events(users(10, 2400.12)))).toHaveLength(0);
    // the same user 20 times is not spraying
    expect(run(['password-spraying'], events(burst('198.51.100.7', 20, 60)))).toHaveLength(0);
  });

  it('success after failures: 5 failures then a success from the same source', () => {
    const evs = events([...burst('203.0.113.9', 5, 10), [60, accept('203.0.113.9', 'root')]]);
    expect(run(['success-after-failures'], evs)).toMatchObject([
      { severity: 'critical', group: { src_ip: '203.0.113.9' }, count: 6, evidence: [1, 2, 3, 4, 5, 6] },
    ]);
    // 4 failures then success: a mistyped password
    expect(
      run(['success-after-failures'], events([...burst('203.0.113.9', 4, 10), [60, accept('203.0.113.9')]])),
    ).toHaveLength(0);
    // success before the failures: not this sequence
    expect(
      run(
        ['success-after-failures'],
        events([[0, accept('203.0.113.9')], ...burst('203.0.113.9', 5, 10, 1)]),
      ),
    ).toHaveLength(0);
    // the success comes 30 min 1 s after the first failure
    expect(
      run(
        ['success-after-failures'],
        events([...burst('203.0.113.9', 5, 10), [1801, accept('203.0.113.9')]]),
      ),
    ).toHaveLength(0);
  });

  it('login at unusual hours: 22:00-05:59 UTC, interactive logins only', () => {
    // T0 is 10:00 UTC: 19 h later is 05:00, 20 h later 06:00
    const at5 = events([[19 * 3600 + 59 * 60, accept('10.0.0.8', 'alice')]]);
    expect(run(['login-unusual-hours'], at5)).toMatchObject([{ group: { host: 'web1', user: 'alice' } }]);
    expect(run(['login-unusual-hours'], events([[20 * 3600, accept('10.0.0.8', 'alice')]]))).toHaveLength(0);
    expect(run(['login-unusual-hours'], events([[12 * 3600, accept('10.0.0.8', 'alice')]]))).toMatchObject([
      {},
    ]);
    expect(
      run(['login-unusual-hours'], events([[11 * 3600 + 59 * 60 + 59, accept('10.0.0.8')]])),
    ).toHaveLength(0);
  });

  it('login from a never-seen source, after a day of learning', () => {
    const day = 86_400;
    const evs = events([
      [0, accept('10.0.0.8', 'alice')],
      [3600, accept('10.0.0.9', 'alice')],
      [day + 10, accept('10.0.0.8', 'alice')],
      [day + 20, accept('10.0.0.9', 'alice')],
      [day + 30, accept('203.0.113.50', 'alice')],
      [day + 40, accept('203.0.113.50', 'alice')],
      [day + 50, accept('10.0.0.8', 'bob')],
    ]);
    expect(run(['login-new-source'], evs)).toMatchObject([
      { group: { user: 'alice', src_ip: '203.0.113.50' }, count: 2, evidence: [5, 6] },
      { group: { user: 'bob', src_ip: '10.0.0.8' }, count: 1 },
    ]);
  });

  it('new account and new member of an administrators group', () => {
    const evs = events([
      [
        0,
        'web1 useradd[5]: new user: name=mallory, UID=1005, GID=1005, home=/home/mallory, shell=/bin/bash, from=/dev/pts/0',
      ],
      [5, "web1 usermod[6]: add 'mallory' to group 'sudo'"],
      [6, "web1 usermod[6]: add 'mallory' to group 'docker'"],
      [7, 'web1 gpasswd[7]: user mallory added by root to group adm'],
    ]);
    expect(run(['new-account'], evs)).toMatchObject([{ group: { host: 'web1', target_user: 'mallory' } }]);
    expect(run(['admin-group-member'], evs)).toMatchObject([
      { severity: 'high', group: { host: 'web1', target_user: 'mallory', group: 'sudo' } },
    ]);
    expect(run(['admin-group-member'], evs.slice(2))).toHaveLength(0);
  });

  it('sudo refused, but not a successful sudo after a typo', () => {
    const refused = events([
      [
        0,
        'web1 sudo:      bob : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/home/bob ; USER=root ; COMMAND=/bin/bash',
      ],
      [
        9,
        'web1 sudo:      bob : user NOT in sudoers ; TTY=pts/1 ; PWD=/home/bob ; USER=root ; COMMAND=/bin/sh',
      ],
    ]);
    expect(run(['sudo-failure'], refused)).toMatchObject([
      { group: { host: 'web1', user: 'bob' }, count: 4 },
    ]);
    const typo = events([
      [
        0,
        'web1 sudo: pam_unix(sudo:auth): authentication failure; logname=bob uid=1001 euid=0 tty=/dev/pts/1 ruser=bob rhost=  user=bob',
      ],
      [5, 'web1 sudo:      bob : TTY=pts/1 ; PWD=/home/bob ; USER=root ; COMMAND=/usr/bin/id'],
    ]);
    expect(run(['sudo-failure'], typo)).toHaveLength(0);
  });

  it('audit log cleared (1102) and lockout storms (4740)', () => {
    const winEvent = (id: number, time: string, data: string) =>
      `<Event><System><EventID>${id}</EventID><TimeCreated SystemTime="${time}"/><Computer>DC01</Computer></System>${data}</Event>`;
    const parseXml = (xml: string) => {
      const out: SecurityEvent[] = [];
      const p = new LogParser({ reference: NOW, now: NOW, onEvent: (e) => out.push(e) });
      p.push(Buffer.from(xml));
      p.end();
      return out;
    };
    const cleared = parseXml(
      winEvent(
        1102,
        '2026-03-03T10:00:00Z',
        '<UserData><LogFileCleared><SubjectUserName>eve</SubjectUserName></LogFileCleared></UserData>',
      ),
    );
    expect(run(['audit-log-cleared'], cleared)).toMatchObject([{ severity: 'critical', users: ['eve'] }]);
    const lockouts = (n: number, everySeconds: number) =>
      parseXml(
        Array.from({ length: n }, (_, i) =>
          winEvent(
            4740,
            new Date(T0 + i * everySeconds * 1000).toISOString(),
            `<EventData><Data Name="TargetUserName">user${i}</Data><Data Name="TargetDomainName">PC-1</Data></EventData>`,
          ),
        ).join('\n'),
      );
    expect(run(['lockout-storm'], lockouts(5, 60))).toMatchObject([{ group: { host: 'DC01' }, count: 5 }]);
    expect(run(['lockout-storm'], lockouts(4, 60))).toHaveLength(0);
    expect(run(['lockout-storm'], lockouts(5, 225.25))).toHaveLength(0);
    expect(run(['audit-log-cleared'], lockouts(5, 60))).toHaveLength(0);
  });
});

describe('correlation types', () => {
  it('temporal: every step within the span, in any order', () => {
    const rule = `
id: t
title: t
severity: low
detection:
  created: {action: user_created}
  added: {action: group_member_added}
  condition: created or added
correlation:
  type: temporal
  group-by: [target_user]
  timespan: 5m
  sequence: [added, created]
`;
    const evs = events([
      [0, 'web1 useradd[5]: new user: name=mallory, UID=1005, GID=1005, home=/home/mallory, shell=/bin/bash'],
      [10, "web1 usermod[6]: add 'mallory' to group 'sudo'"],
    ]);
    expect(run(rule, evs)).toMatchObject([{ evidence: [1, 2] }]);
    expect(run(rule.replace('type: temporal', 'type: temporal_ordered'), evs)).toHaveLength(0);
  });
});
