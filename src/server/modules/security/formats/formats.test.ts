import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { SecurityEvent } from './event.js';
import {
  decompressed,
  FrameSplitter,
  LogParser,
  parseBsdStamp,
  parseSyslogLine,
  sniff,
  YearInference,
} from './index.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');
const NOW = Date.parse('2026-11-29T12:00:00Z');

function parse(input: Buffer | string, opts: { reference?: number; now?: number; chunk?: number } = {}) {
  const events: SecurityEvent[] = [];
  const parser = new LogParser({
    reference: opts.reference ?? NOW,
    now: opts.now ?? NOW,
    onEvent: (ev) => events.push(ev),
  });
  const buf = typeof input === 'string' ? Buffer.from(input) : input;
  const step = opts.chunk ?? buf.length;
  for (let i = 0; i < buf.length; i += step) parser.push(buf.subarray(i, i + step));
  parser.end();
  return { events, counters: parser.counters, format: parser.format };
}

const iso = (t: number) => new Date(t).toISOString();
const header = (line: string) => parseSyslogLine(line, { years: new YearInference(NOW), now: NOW });

describe('syslog headers', () => {
  it('reads Debian auth.log lines (no PRI, space-padded day)', () => {
    const r = header(
      'Mar  3 09:14:22 web1 sshd[20402]: Accepted publickey for alice from 10.0.4.21 port 53122 ssh2',
    );
    expect(r).toEqual({
      time: Date.parse('2026-03-03T09:14:22Z'),
      host: 'web1',
      program: 'sshd',
      pid: 20402,
      message: 'Accepted publickey for alice from 10.0.4.21 port 53122 ssh2',
    });
  });

  it('reads RFC 3164 with a PRI, with or without the host', () => {
    expect(header('<38>Oct 11 22:14:15 mymachine su: FAILED su for root by bob')).toMatchObject({
      host: 'mymachine',
      program: 'su',
      pid: null,
      message: 'FAILED su for root by bob',
    });
    expect(header("<34>Oct 11 22:14:15 su[77]: 'su root' failed for lonvick on /dev/pts/8")).toMatchObject({
      host: null,
      program: 'su',
      pid: 77,
    });
  });

  it('reads rsyslog RFC 3339 stamps with their offset', () => {
    const r = header(
      '2026-03-03T10:50:00.123456+01:00 web2 sshd[3001]: Failed password for root from 203.0.113.99 port 22022 ssh2',
    );
    expect(typeof r === 'object' && iso(r.time)).toBe('2026-03-03T09:50:00.123Z');
  });

  it('reads RFC 5424 with structured data, nil values and a BOM', () => {
    const r = header(
      '<86>1 2026-03-03T10:00:00.000Z web3 sshd 4242 - [meta sequenceId="1" note="a \\"quoted\\" ] bracket"][origin ip="10.0.0.1"] \uFEFFFailed password for root from 192.0.2.1 port 2222 ssh2',
    );
    expect(r).toEqual({
      time: Date.parse('2026-03-03T10:00:00Z'),
      host: 'web3',
      program: 'sshd',
      pid: 4242,
      message: 'Failed password for root from 192.0.2.1 port 2222 ssh2',
    });
    expect(header('<13>1 2026-03-03T10:00:00Z - - - - - hello')).toMatchObject({
      host: null,
      program: null,
      pid: null,
      message: 'hello',
    });
  });

  it('refuses what is not a syslog line, with a reason', () => {
    expect(header('hello world')).toBe('unparseable');
    expect(header('<999999>garbage')).toBe('unparseable');
    expect(header('Foo  3 09:14:22 web1 sshd[1]: x')).toBe('bad_timestamp');
    expect(header('2026-13-03T10:00:00Z web1 sshd[1]: x')).toBe('bad_timestamp');
    expect(header('<13>1 2099-01-01T00:00:00Z h a - - - far future')).toBe('future_timestamp');
    expect(header('2026-11-30T13:00:00Z web1 sshd[1]: a day and an hour ahead')).toBe('future_timestamp');
    expect(typeof header('2026-11-30T11:00:00Z web1 sshd[1]: within a day of clock skew')).toBe('object');
  });
});

describe('year inference for stamps without a year', () => {
  const ref = Date.parse('2026-01-05T08:00:00Z');
  const at = (stamp: string, reference = ref) => {
    const out = { month: 0, day: 0, ms: 0 };
    expect(parseBsdStamp(stamp, 0, out)).toBe(true);
    return iso(new YearInference(reference).resolve(out.month, out.day, out.ms));
  };

  it('puts a stamp up to a day after the reference in the reference year', () => {
    expect(at('Jan  5 07:00:00')).toBe('2026-01-05T07:00:00.000Z');
    expect(at('Jan  6 07:59:59')).toBe('2026-01-06T07:59:59.000Z');
  });

  it('puts a stamp in the "future" in the year before (a log spanning New Year)', () => {
    expect(at('Dec 31 23:59:59')).toBe('2025-12-31T23:59:59.000Z');
    expect(at('Jan  6 08:00:01')).toBe('2025-01-06T08:00:01.000Z');
    expect(at('Mar  3 10:00:00')).toBe('2025-03-03T10:00:00.000Z');
  });

  it('finds the leap year of Feb 29', () => {
    expect(at('Feb 29 12:00:00', Date.parse('2025-06-01T00:00:00Z'))).toBe('2024-02-29T12:00:00.000Z');
  });

  it('applies to whole files: a December-January auth.log read in January', () => {
    const { events } = parse(
      [
        'Dec 31 23:59:58 h sshd[1]: Failed password for root from 192.0.2.7 port 1 ssh2',
        'Jan  1 00:00:02 h sshd[1]: Failed password for root from 192.0.2.7 port 1 ssh2',
      ].join('\n'),
      { reference: Date.parse('2026-01-02T00:00:00Z') },
    );
    expect(events.map((e) => iso(e.time))).toEqual(['2025-12-31T23:59:58.000Z', '2026-01-01T00:00:02.000Z']);
  });
});

describe('normalisation of the auth.log fixture', () => {
  const { events, counters, format } = parse(fs.readFileSync(path.join(FIXTURES, 'auth.log')), {
    reference: Date.parse('2026-11-29T00:00:00Z'),
    chunk: 97,
  });
  const byRef = new Map(events.map((e) => [e.ref, e]));
  const ev = (ref: number) => {
    const e = byRef.get(ref);
    if (!e) throw new Error(`no event for line ${ref}`);
    const { raw: _raw, time, ...rest } = e;
    return { ...rest, time: iso(time) };
  };

  it('counts what was read, parsed, ignored and refused', () => {
    expect(format).toBe('syslog');
    expect(counters).toEqual({
      read: 51,
      parsed: 45,
      ignored: 3,
      rejected: { unparseable: 1, bad_timestamp: 1, future_timestamp: 1 },
      recovered: { invalid_utf8: 2 },
    });
  });

  it('sshd: accepted, failed, invalid user, max attempts, preauth disconnects, repeats', () => {
    expect(ev(3)).toMatchObject({
      time: '2026-03-03T09:14:22.000Z',
      host: 'web1',
      program: 'sshd',
      pid: 20402,
      action: 'login',
      outcome: 'success',
      user: 'alice',
      srcIp: '10.0.4.21',
      srcPort: 53122,
      method: 'publickey',
    });
    expect(ev(9)).toMatchObject({
      action: 'invalid_user',
      outcome: 'failure',
      user: 'admin',
      srcIp: '203.0.113.77',
    });
    expect(ev(12)).toMatchObject({ action: 'login', outcome: 'failure', user: 'admin', method: 'password' });
    expect(ev(15)).toMatchObject({ action: 'login', outcome: 'failure', user: 'root', srcPort: 41830 });
    expect(ev(17)).toMatchObject({ action: 'login', outcome: 'failure', user: 'root', repeat: 2 });
    expect(ev(18)).toMatchObject({ action: 'max_auth_attempts', outcome: 'failure', user: 'root' });
    expect(ev(19)).toMatchObject({ action: 'disconnect_preauth', user: 'root', srcIp: '203.0.113.77' });
    expect(ev(13)).toMatchObject({ action: 'disconnect_preauth', user: 'admin', srcIp: '203.0.113.77' });
    expect(ev(21)).toMatchObject({
      action: 'disconnect_preauth',
      user: null,
      srcIp: '198.51.100.9',
      srcPort: 60214,
    });
    expect(ev(23)).toMatchObject({ action: 'disconnect_preauth', srcIp: '198.51.100.10' });
    expect(ev(44)).toMatchObject({ action: 'session_close', user: 'bob', srcIp: '10.0.4.22' });
    expect(ev(47)).toMatchObject({
      program: 'sshd-session',
      action: 'login',
      outcome: 'success',
      user: 'deploy',
    });
  });

  it('PAM: authentication failures, sessions, password changes', () => {
    expect(ev(1)).toMatchObject({ program: 'CRON', action: 'session_open', user: 'root', method: 'cron' });
    expect(ev(2)).toMatchObject({ action: 'session_close', user: 'root' });
    expect(ev(7)).toMatchObject({
      action: 'session_open',
      user: 'alice',
      targetUser: 'root',
      method: 'sudo',
    });
    expect(ev(28)).toMatchObject({
      action: 'session_open',
      user: 'alice',
      targetUser: 'root',
      method: 'su-l',
    });
    expect(ev(14)).toMatchObject({
      action: 'pam_auth',
      outcome: 'failure',
      user: 'root',
      srcIp: '203.0.113.77',
    });
    expect(ev(20)).toMatchObject({ action: 'pam_auth', outcome: 'failure', repeat: 5 });
    expect(ev(26)).toMatchObject({ program: 'sudo', action: 'pam_auth', outcome: 'failure', user: 'bob' });
    expect(ev(29)).toMatchObject({ program: 'su', action: 'pam_auth', user: 'bob', targetUser: 'root' });
    expect(ev(38)).toMatchObject({ action: 'password_changed', targetUser: 'mallory' });
  });

  it('sudo and su: commands run and refused', () => {
    expect(ev(6)).toMatchObject({
      action: 'sudo',
      outcome: 'success',
      user: 'alice',
      targetUser: 'root',
      detail: '/usr/bin/apt update',
    });
    expect(ev(24)).toMatchObject({
      action: 'sudo',
      outcome: 'failure',
      user: 'bob',
      method: '3 incorrect password attempts',
      repeat: 3,
      detail: '/bin/bash',
    });
    expect(ev(25)).toMatchObject({
      action: 'sudo',
      outcome: 'failure',
      user: 'eve',
      method: 'user NOT in sudoers',
    });
    expect(ev(27)).toMatchObject({ action: 'su', outcome: 'success', user: 'alice', targetUser: 'root' });
    expect(ev(30)).toMatchObject({ action: 'su', outcome: 'failure', user: 'bob', targetUser: 'root' });
  });

  it('accounts and groups: useradd, usermod, gpasswd, groupadd, userdel (shadow duplicates skipped)', () => {
    expect(ev(31)).toMatchObject({ action: 'group_created', group: 'mallory' });
    expect(ev(32)).toMatchObject({ action: 'user_created', targetUser: 'mallory' });
    expect(ev(33)).toMatchObject({ action: 'group_member_added', targetUser: 'mallory', group: 'sudo' });
    expect(byRef.has(34)).toBe(false);
    expect(ev(35)).toMatchObject({
      action: 'group_member_added',
      targetUser: 'mallory',
      group: 'adm',
      user: 'root',
    });
    expect(byRef.has(36)).toBe(false);
    expect(ev(37)).toMatchObject({ action: 'group_created', group: 'deploy' });
    expect(ev(39)).toMatchObject({ action: 'user_deleted', targetUser: 'olduser' });
  });

  it('firewall lines: UFW, iptables and nftables', () => {
    expect(ev(40)).toMatchObject({
      action: 'firewall_block',
      outcome: 'failure',
      srcIp: '192.0.2.44',
      srcPort: 51515,
      detail: 'TCP 10.0.4.5:3389',
      method: '[UFW BLOCK]',
    });
    expect(ev(41)).toMatchObject({
      action: 'firewall_block',
      srcIp: '192.0.2.45',
      detail: 'UDP 10.0.4.5:161',
    });
    expect(ev(42)).toMatchObject({ action: 'firewall_allow', outcome: 'success', srcIp: '10.0.4.21' });
  });

  it('keeps the raw line, reads invalid UTF-8 as Latin-1, and refuses garbage and impossible stamps', () => {
    expect(byRef.get(3)!.raw).toMatch(/^Mar {2}3 09:14:22 web1 sshd\[20402\]: Accepted publickey/);
    expect(ev(48)).toMatchObject({ user: 'josé', srcIp: '203.0.113.5' });
    expect(byRef.has(49)).toBe(false);
    expect(ev(45)).toMatchObject({ program: 'login', action: 'login', outcome: 'failure', user: 'root' });
    expect(ev(46)).toMatchObject({ time: '2026-03-03T09:50:00.123Z', host: 'web2' });
  });
});

describe('bad input', () => {
  it('refuses lines over 64 KiB without buffering them, and goes on', () => {
    const long = `Mar  3 10:00:00 h sshd[1]: ${'x'.repeat(70_000)}`;
    const ok = 'Mar  3 10:00:01 h sshd[1]: Failed password for root from 192.0.2.1 port 1 ssh2';
    // in small chunks (the line is skipped as it streams) and in one piece (decoded at once)
    for (const chunk of [4096, 1 << 20]) {
      const { events, counters } = parse([ok, long, ok, long, ok].join('\n'), { chunk });
      expect(events.map((e) => e.ref)).toEqual([1, 3, 5]);
      expect(counters.rejected).toEqual({ too_long: 2 });
      expect(counters.read).toBe(5);
    }
  });

  it('survives random bytes', () => {
    let seed = 7;
    const bytes = Buffer.alloc(200_000);
    for (let i = 0; i < bytes.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      bytes[i] = seed >>> 24;
    }
    const { counters } = parse(bytes, { chunk: 1000 });
    expect(counters.read).toBeGreaterThan(0);
    expect(counters.parsed).toBe(0);
    const refused = Object.values(counters.rejected).reduce((a, b) => a + (b ?? 0), 0);
    expect(refused + counters.ignored).toBe(counters.read);
  });

  it('reads octet-counted frames (RFC 6587) across chunk boundaries and skips an oversized one', () => {
    const msg = (s: string) => `${Buffer.byteLength(s)} ${s}`;
    const a = '<38>Mar  3 10:00:00 h sshd[1]: Failed password for root from 192.0.2.1 port 1 ssh2';
    const big = `<38>Mar  3 10:00:00 h sshd[1]: ${'y'.repeat(70_000)}`;
    const b = '<38>1 2026-03-03T10:00:02Z h sshd 1 - - Accepted password for root from 192.0.2.1 port 1 ssh2';
    const { events, counters } = parse(msg(a) + msg(big) + msg(b), { chunk: 13 });
    expect(events.map((e) => e.outcome)).toEqual(['failure', 'success']);
    expect(counters.rejected).toEqual({ too_long: 1 });
  });

  it('splits newline frames with CRLF endings', () => {
    const frames: string[] = [];
    const splitter = new FrameSplitter({
      frame: (buf, s, e) => frames.push(buf.toString('utf8', s, e)),
      text: (line) => frames.push(line),
      refused: () => frames.push('!'),
    });
    for (const part of ['one\r\ntw', 'o\n\nthr', 'ee']) splitter.push(Buffer.from(part));
    splitter.end();
    expect(frames).toEqual(['one', 'two', 'three']);
  });
});

describe('Windows Security events', () => {
  it('reads EVTX-XML exports', () => {
    const { events, counters, format } = parse(fs.readFileSync(path.join(FIXTURES, 'security-events.xml')), {
      chunk: 300,
    });
    expect(format).toBe('evtx-xml');
    expect(counters).toMatchObject({ read: 8, parsed: 6, ignored: 1, rejected: { invalid_xml: 1 } });
    const [failed, logon, created, member, locked, cleared] = events;
    expect(failed).toMatchObject({
      eventId: 4625,
      time: Date.parse('2026-03-03T08:00:01.456Z'),
      host: 'DC01.corp.example',
      action: 'login',
      outcome: 'failure',
      user: 'administrator',
      srcIp: '198.51.100.23',
      srcPort: 49152,
      method: '3',
    });
    expect(logon).toMatchObject({
      eventId: 4624,
      outcome: 'success',
      user: 'j.dupont',
      srcPort: null,
      method: '10',
    });
    expect(created).toMatchObject({ action: 'user_created', user: 'admin.martin', targetUser: 'svc-backup' });
    expect(member).toMatchObject({
      action: 'group_member_added',
      targetUser: 'Svc Backup, Ops',
      group: 'Administrators',
    });
    expect(locked).toMatchObject({ action: 'account_locked', targetUser: 'j.dupont', detail: 'PC-042' });
    expect(cleared).toMatchObject({ eventId: 1102, action: 'audit_log_cleared', user: 'admin.martin' });
    expect(failed!.raw).toMatch(/^<Event xmlns=.*<\/Event>$/);
  });

  it('reads JSON lines: winlogbeat, NXLog, PowerShell, and syslog messages', () => {
    const { events, counters, format } = parse(fs.readFileSync(path.join(FIXTURES, 'security-events.jsonl')));
    expect(format).toBe('json');
    expect(counters).toEqual({
      read: 14,
      parsed: 8,
      ignored: 1,
      rejected: { future_timestamp: 1, bad_timestamp: 1, invalid_json: 2, unsupported_event: 1 },
      recovered: { invalid_utf8: 0 },
    });
    expect(events.map((e) => [e.eventId, e.action, e.user, e.targetUser, e.group])).toEqual([
      [4625, 'login', 'm.leroy', null, null],
      [4648, 'explicit_credentials', 'j.dupont', 'administrator', null],
      [4724, 'password_reset', 'admin.martin', 'j.dupont', null],
      [4722, 'account_enabled', 'admin.martin', 'svc-backup', null],
      [4728, 'group_member_added', 'admin.martin', 'Eve', 'Domain Admins'],
      [4756, 'group_member_added', 'admin.martin', 'S-1-5-21-1-2-3-1700', 'Enterprise Admins'],
      [null, 'login', 'root', null, null],
      [null, 'login', 'root', null, null],
    ]);
    expect(iso(events[2]!.time)).toBe('2026-03-03T08:22:00.000Z');
    expect(events[6]).toMatchObject({
      host: 'web3',
      program: 'sshd',
      pid: 77,
      srcIp: '203.0.113.8',
      outcome: 'failure',
    });
    expect(events[7]).toMatchObject({ host: 'web3', pid: 78, outcome: 'success' });
  });

  it('tells formats and compression from the first bytes', async () => {
    expect(sniff(Buffer.from('\uFEFF  <?xml version="1.0"?><Events>'))).toBe('evtx-xml');
    expect(sniff(Buffer.from('<34>Oct 11 22:14:15 h su: x'))).toBe('syslog');
    expect(sniff(Buffer.from('\n{"EventID":4625}'))).toBe('json');
    expect(sniff(Buffer.from('Mar  3 10:00:00 h'))).toBe('syslog');
    const text = 'Mar  3 10:00:00 h sshd[1]: Failed password for root from 192.0.2.1 port 1 ssh2\n';
    const info = { compression: 'none' as 'gzip' | 'none' };
    const chunks: Buffer[] = [];
    const gz = gzipSync(Buffer.from(text.repeat(3)));
    async function* source() {
      for (let i = 0; i < gz.length; i += 5) yield gz.subarray(i, i + 5);
    }
    for await (const c of decompressed(source(), info)) chunks.push(c);
    expect(info.compression).toBe('gzip');
    expect(Buffer.concat(chunks).toString()).toBe(text.repeat(3));
  });
});
