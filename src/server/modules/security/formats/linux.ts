/**
 * Normalisers of Linux authentication lines, chosen by program name: sshd, sudo, su, PAM (any
 * program), the shadow utilities (useradd, usermod, groupadd, gpasswd, userdel) and kernel firewall
 * lines (iptables, nftables, UFW). Each reads the message with cheap prefix tests first, then one
 * precompiled regular expression.
 */
import { emptyEvent, resetEvent, type SecurityEvent, type SyslogRecord } from './event.js';

type Normaliser = (msg: string, ev: SecurityEvent) => boolean;

const SSH_FAILED = /^Failed (\S+) for (invalid user )?(.*?) from (\S+) port (\d+)/;
const SSH_ACCEPTED = /^Accepted (\S+) for (.*?) from (\S+) port (\d+)/;
const SSH_INVALID = /^Invalid user (.*?) from (\S+)(?: port (\d+))?/;
const SSH_MAX =
  /^error: maximum authentication attempts exceeded for (invalid user )?(.*?) from (\S+) port (\d+)/;
const SSH_PREAUTH = /(?:(?:authenticating|invalid) user (.*?) )?([0-9a-fA-F][0-9a-fA-F.:]*) port (\d+)/;
const SSH_CLOSED = /^Disconnected from user (.*?) (\S+) port (\d+)$/;
const PAM_KV = /(\w+)=(\S*)/g;
const PAM_MORE = /^PAM (\d+) more authentication failures?;(.*)$/;
const SU_TO = /^(?:(FAILED) SU )?\(to (\S+)\) (\S+) on (\S+)/;
const SU_FOR = /^(Successful|FAILED) su for (\S+) by (\S+)/;
const SU_OLD = /^([+-]) (\S+) (\S+):(\S+)$/;
const NEW_USER = /^new user: name=([^,]+),/;
const NEW_GROUP = /^new group: name=([^,]+),/;
const ADD_TO_GROUP = /^add '([^']+)' to group '([^']+)'/;
const GPASSWD_ADD = /^user (\S+) added by (\S+) to group (\S+)/;
const GPASSWD_SET = /^members of group (\S+) set by (\S+) to (.*)$/;
const USER_DEL = /^delete user '([^']+)'/;
const USERMOD = /^(?:change|lock|unlock) user (?:name )?'([^']+)'/;
const LOGIN_FAILED = /^FAILED LOGIN \(\d+\) on '([^']*)' (?:FROM '([^']*)' )?FOR '([^']*)', (.*)$/;

function port(s: string | undefined): number | null {
  return s === undefined ? null : Number(s);
}

const sshd: Normaliser = (msg, ev) => {
  const c = msg.charCodeAt(0);
  const m =
    c === 70 /* F */
      ? SSH_FAILED.exec(msg)
      : c === 65 /* A */
        ? SSH_ACCEPTED.exec(msg)
        : c === 73 /* I */
          ? SSH_INVALID.exec(msg)
          : c === 101 /* e */
            ? SSH_MAX.exec(msg)
            : null;
  if (m) {
    if (c === 70 || c === 65) {
      // Failed/Accepted <method> for [invalid user ]<user> from <ip> port <port>
      ev.action = 'login';
      ev.outcome = c === 70 ? 'failure' : 'success';
      ev.method = m[1]!;
      ev.user = c === 70 ? m[3]! : m[2]!;
      ev.srcIp = c === 70 ? m[4]! : m[3]!;
      ev.srcPort = port(c === 70 ? m[5] : m[4]);
    } else if (c === 73) {
      ev.action = 'invalid_user';
      ev.outcome = 'failure';
      ev.user = m[1]!;
      ev.srcIp = m[2]!;
      ev.srcPort = port(m[3]);
    } else {
      ev.action = 'max_auth_attempts';
      ev.outcome = 'failure';
      ev.user = m[2]!;
      ev.srcIp = m[3]!;
      ev.srcPort = port(m[4]);
    }
    return true;
  }
  if (c === 112 /* p */) return pam(msg, ev);
  if (c === 80 /* P */) {
    const more = PAM_MORE.exec(msg);
    if (more) {
      ev.action = 'pam_auth';
      ev.outcome = 'failure';
      ev.repeat = Number(more[1]);
      pamFields(more[2]!, ev);
      return true;
    }
  }
  if (msg.endsWith('[preauth]')) {
    ev.action = 'disconnect_preauth';
    ev.outcome = 'failure';
    const pre = SSH_PREAUTH.exec(msg);
    if (pre) {
      ev.user = pre[1] ?? null;
      ev.srcIp = pre[2]!;
      ev.srcPort = port(pre[3]);
    }
    return true;
  }
  if (c === 68 /* D */) {
    const closed = SSH_CLOSED.exec(msg);
    if (closed) {
      ev.action = 'session_close';
      ev.outcome = 'success';
      ev.user = closed[1]!;
      ev.srcIp = closed[2]!;
      ev.srcPort = port(closed[3]);
      return true;
    }
  }
  return false;
};

/**
 * "logname=alice uid=1000 euid=0 tty=/dev/pts/0 ruser=alice rhost=1.2.3.4  user=root": `user` is who
 * authenticates for sshd, but for sudo and su the caller is ruser/logname and `user` the account wanted.
 */
function pamFields(text: string, ev: SecurityEvent) {
  PAM_KV.lastIndex = 0;
  let m: RegExpExecArray | null;
  let user: string | null = null;
  let caller: string | null = null;
  // biome-ignore lint/suspicious/noAssignInExpressions: the usual regex walk
  while ((m = PAM_KV.exec(text))) {
    const v = m[2]!;
    if (!v) continue;
    const k = m[1];
    if (k === 'user') user = v;
    else if (k === 'ruser' || (k === 'logname' && caller === null)) caller = v;
    else if (k === 'rhost') ev.srcIp = v;
  }
  if (caller) {
    ev.user = caller;
    if (user && user !== caller) ev.targetUser = user;
  } else ev.user = user;
}

/** "pam_unix(sshd:auth): text", read in place (cron alone writes two such lines a job). */
const pam: Normaliser = (msg, ev) => {
  if (!msg.startsWith('pam_')) return false;
  const open = msg.indexOf('(', 4);
  const colon = open < 0 ? -1 : msg.indexOf(':', open);
  const close = colon < 0 ? -1 : msg.indexOf('): ', colon);
  if (close < 0) return false;
  const kind = (k: string) => close - colon - 1 === k.length && msg.startsWith(k, colon + 1);
  const t = close + 3;
  ev.method = msg.slice(open + 1, colon);
  if (kind('session')) {
    const opened = msg.startsWith('session opened for user ', t);
    if (!opened && !msg.startsWith('session closed for user ', t)) return false;
    const u = t + 24;
    let e = u;
    while (e < msg.length) {
      const c = msg.charCodeAt(e);
      if (c === 40 /* ( */ || c === 32) break;
      e++;
    }
    if (e === u) return false;
    ev.action = opened ? 'session_open' : 'session_close';
    ev.outcome = 'success';
    ev.user = msg.slice(u, e);
    if (opened && (ev.program === 'sudo' || ev.program === 'su')) {
      const by = msg.indexOf(' by ', e);
      const paren = by < 0 ? -1 : msg.indexOf('(', by);
      if (by > 0 && paren > by + 4) {
        ev.targetUser = ev.user;
        ev.user = msg.slice(by + 4, paren);
      }
    }
    return true;
  }
  if (kind('auth')) {
    if (msg.startsWith('authentication failure', t)) {
      ev.action = 'pam_auth';
      ev.outcome = 'failure';
      pamFields(msg.slice(t), ev);
      return true;
    }
    if (msg.startsWith('check pass; user unknown', t)) {
      ev.action = 'pam_auth';
      ev.outcome = 'failure';
      return true;
    }
    const locked = msg.indexOf('Consecutive login failures for user ', t);
    if (msg.startsWith('pam_faillock(') && locked >= 0) {
      ev.action = 'account_locked';
      ev.outcome = 'success';
      ev.targetUser = msg.slice(locked + 36).split(' ')[0] ?? null;
      ev.user = ev.targetUser;
      return true;
    }
    return false;
  }
  if (kind('chauthtok') && msg.startsWith('password changed for ', t)) {
    ev.action = 'password_changed';
    ev.outcome = 'success';
    ev.targetUser = msg.slice(t + 21).trim();
    return true;
  }
  return false;
};

const sudo: Normaliser = (msg, ev) => {
  if (msg.charCodeAt(0) === 112 /* p */) return pam(msg, ev);
  const sep = msg.indexOf(' : ');
  if (sep < 0) return false;
  const cmd = msg.indexOf('COMMAND=', sep);
  const head = cmd < 0 ? msg.slice(sep + 3) : msg.slice(sep + 3, cmd);
  let reason: string | null = null;
  let tty: string | null = null;
  for (const part of head.split(' ; ')) {
    const p = part.trim();
    if (!p) continue;
    if (p.startsWith('USER=')) ev.targetUser = p.slice(5);
    else if (p.startsWith('TTY=')) tty = p.slice(4);
    else if (p.startsWith('PWD=') || p.startsWith('ENV=') || p.startsWith('TSID=') || p.startsWith('HOST=')) {
    } else if (reason === null) reason = p;
  }
  if (cmd < 0 && reason === null && tty === null) return false;
  ev.action = 'sudo';
  ev.user = msg.slice(0, sep).trim();
  ev.detail = cmd < 0 ? null : msg.slice(cmd + 8);
  ev.outcome = reason === null ? 'success' : 'failure';
  if (reason !== null) {
    ev.method = reason;
    const n = /^(\d+) incorrect password attempts?/.exec(reason);
    if (n) ev.repeat = Math.max(1, Number(n[1]));
  }
  return true;
};

const su: Normaliser = (msg, ev) => {
  if (msg.charCodeAt(0) === 112 /* p */) return pam(msg, ev);
  let m = SU_TO.exec(msg);
  if (m) {
    ev.action = 'su';
    ev.outcome = m[1] ? 'failure' : 'success';
    ev.targetUser = m[2]!;
    ev.user = m[3]!;
    ev.detail = m[4]!;
    return true;
  }
  m = SU_FOR.exec(msg);
  if (m) {
    ev.action = 'su';
    ev.outcome = m[1] === 'Successful' ? 'success' : 'failure';
    ev.targetUser = m[2]!;
    ev.user = m[3]!;
    return true;
  }
  m = SU_OLD.exec(msg);
  if (m) {
    ev.action = 'su';
    ev.outcome = m[1] === '+' ? 'success' : 'failure';
    ev.detail = m[2]!;
    ev.user = m[3]!;
    ev.targetUser = m[4]!;
    return true;
  }
  return false;
};

const accounts: Normaliser = (msg, ev) => {
  if (msg.charCodeAt(0) === 112 /* p */) return pam(msg, ev);
  ev.outcome = 'success';
  let m = NEW_USER.exec(msg);
  if (m) {
    ev.action = 'user_created';
    ev.targetUser = m[1]!;
    return true;
  }
  m = NEW_GROUP.exec(msg);
  if (m) {
    ev.action = 'group_created';
    ev.group = m[1]!;
    return true;
  }
  // useradd -G / usermod -aG log each group twice, "group" then "shadow group": the first is enough.
  m = ADD_TO_GROUP.exec(msg);
  if (m) {
    ev.action = 'group_member_added';
    ev.targetUser = m[1]!;
    ev.group = m[2]!;
    return true;
  }
  m = GPASSWD_ADD.exec(msg);
  if (m) {
    ev.action = 'group_member_added';
    ev.targetUser = m[1]!;
    ev.user = m[2]!;
    ev.group = m[3]!;
    return true;
  }
  m = GPASSWD_SET.exec(msg);
  if (m) {
    ev.action = 'group_member_added';
    ev.group = m[1]!;
    ev.user = m[2]!;
    ev.targetUser = m[3]!;
    return true;
  }
  m = USER_DEL.exec(msg);
  if (m) {
    ev.action = 'user_deleted';
    ev.targetUser = m[1]!;
    return true;
  }
  m = USERMOD.exec(msg);
  if (m) {
    ev.action = 'user_modified';
    ev.targetUser = m[1]!;
    ev.detail = msg;
    return true;
  }
  return false;
};

const login: Normaliser = (msg, ev) => {
  if (msg.charCodeAt(0) === 112 /* p */) return pam(msg, ev);
  const m = LOGIN_FAILED.exec(msg);
  if (!m) return false;
  ev.action = 'login';
  ev.outcome = 'failure';
  ev.method = 'console';
  ev.detail = m[1]!;
  ev.srcIp = m[2] || null;
  ev.user = m[3]!;
  return true;
};

function kv(msg: string, key: string): string | null {
  const i = msg.indexOf(key);
  if (i < 0) return null;
  const start = i + key.length;
  const sp = msg.indexOf(' ', start);
  const v = sp < 0 ? msg.slice(start) : msg.slice(start, sp);
  return v || null;
}

const BLOCK = /BLOCK|DROP|REJECT|DENY/i;
const ALLOW = /ALLOW|ACCEPT|PASS/i;

/** iptables/nftables LOG targets and UFW: "[UFW BLOCK] IN=eth0 OUT= MAC=… SRC=… DST=… PROTO=TCP SPT=… DPT=…" */
const kernel: Normaliser = (msg, ev) => {
  const inAt = msg.indexOf('IN=');
  if (inAt < 0) return false;
  const src = kv(msg, ' SRC=');
  if (!src) return false;
  const prefix = msg.slice(0, inAt);
  ev.action = BLOCK.test(prefix) ? 'firewall_block' : ALLOW.test(prefix) ? 'firewall_allow' : 'firewall_log';
  ev.outcome =
    ev.action === 'firewall_block' ? 'failure' : ev.action === 'firewall_allow' ? 'success' : 'unknown';
  ev.srcIp = src;
  const spt = kv(msg, ' SPT=');
  ev.srcPort = spt ? Number(spt) : null;
  const proto = kv(msg, ' PROTO=');
  const dst = kv(msg, ' DST=');
  const dpt = kv(msg, ' DPT=');
  ev.detail = `${proto ?? '?'} ${dst ?? '?'}${dpt ? `:${dpt}` : ''}`;
  ev.method = prefix.replace(/^\[\s*\d+\.\d+\]\s*/, '').trim() || null;
  return true;
};

const NORMALISERS = new Map<string, Normaliser>([
  ['sshd', sshd],
  ['sshd-session', sshd],
  ['sudo', sudo],
  ['su', su],
  ['useradd', accounts],
  ['usermod', accounts],
  ['userdel', accounts],
  ['groupadd', accounts],
  ['groupdel', accounts],
  ['groupmod', accounts],
  ['gpasswd', accounts],
  ['passwd', accounts],
  ['chpasswd', accounts],
  ['login', login],
  ['kernel', kernel],
]);

const scratch = emptyEvent({ time: 0, host: null, program: null, pid: null, message: '' }, '', 0);

const REPEATED = /^message repeated (\d+) times: \[ ?(.*)\]$/;

/** Whether `ev` is the normalisers' scratch event, lent for counting only (see normaliseSyslog). */
export function isTransient(ev: SecurityEvent): boolean {
  return ev === scratch;
}

/**
 * The security event a syslog line stands for, or null when it is of no security interest. When
 * `wanted` is given, an event of another action comes back as the shared scratch event
 * (`isTransient`): to be counted, not kept; rules that cannot use it cost no allocation.
 */
export function normaliseSyslog(
  rec: SyslogRecord,
  raw: string,
  ref: number,
  wanted: ReadonlySet<string> | null = null,
): SecurityEvent | null {
  let msg = rec.message;
  let repeat = 1;
  if (msg.charCodeAt(0) === 109 /* m */ && msg.startsWith('message repeated ')) {
    const m = REPEATED.exec(msg);
    if (m) {
      repeat = Number(m[1]);
      msg = m[2]!;
    }
  }
  const fn = rec.program ? NORMALISERS.get(rec.program) : undefined;
  if (!fn && (msg.charCodeAt(0) !== 112 || !msg.startsWith('pam_'))) return null;
  // Normalisers fill a scratch event; only lines that are events get an object of their own.
  resetEvent(scratch, rec, raw, ref);
  if (!(fn ?? pam)(msg, scratch)) return null;
  if (wanted !== null && !wanted.has(scratch.action)) return scratch;
  const ev = { ...scratch };
  if (repeat > 1) ev.repeat *= repeat;
  return ev;
}
