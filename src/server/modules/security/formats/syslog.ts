/**
 * Syslog headers, written by hand for speed: RFC 3164 / Debian auth.log ("Mmm dd hh:mm:ss host
 * tag[pid]: msg", the <PRI> optional), rsyslog's RFC 3339 variant ("2024-03-01T10:00:00.123+01:00 host
 * tag[pid]: msg") and RFC 5424 ("<PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD] MSG").
 */
import type { RejectReason, SyslogRecord } from './event.js';
import {
  type BsdStamp,
  FUTURE_TOLERANCE_MS,
  parseBsdStamp,
  parseIsoStamp,
  type YearInference,
} from './time.js';

export type HeaderContext = { years: YearInference; now: number };

const end = { end: 0 };
const bsd: BsdStamp = { month: 0, day: 0, ms: 0 };

/**
 * Parses one line (no trailing newline) into `out` (a new record by default; the reader passes the
 * same one for every line); a reason when it is not a syslog line.
 */
export function parseSyslogLine(
  line: string,
  ctx: HeaderContext,
  out: SyslogRecord = { time: 0, host: null, program: null, pid: null, message: '' },
): SyslogRecord | RejectReason {
  let pos = 0;
  if (line.charCodeAt(0) === 60 /* < */) {
    const close = line.indexOf('>', 1);
    if (close < 2 || close > 4) return 'unparseable';
    for (let i = 1; i < close; i++) {
      const c = line.charCodeAt(i);
      if (c < 48 || c > 57) return 'unparseable';
    }
    pos = close + 1;
    if (line.charCodeAt(pos) === 49 && line.charCodeAt(pos + 1) === 32)
      return parse5424(line, pos + 2, ctx, out);
  }
  let time: number;
  const c0 = line.charCodeAt(pos);
  if (c0 >= 48 && c0 <= 57) {
    time = parseIsoStamp(line, pos, end);
    if (Number.isNaN(time)) return 'bad_timestamp';
    if (time > ctx.now + FUTURE_TOLERANCE_MS) return 'future_timestamp';
    pos = end.end;
  } else {
    if (!parseBsdStamp(line, pos, bsd))
      return c0 >= 65 && c0 <= 90 && line.length > pos + 15 ? 'bad_timestamp' : 'unparseable';
    time = ctx.years.resolve(bsd.month, bsd.day, bsd.ms);
    if (Number.isNaN(time)) return 'bad_timestamp';
    pos += 15;
  }
  if (line.charCodeAt(pos) !== 32) return 'unparseable';
  pos++;
  // host, unless the next word is already the tag (RFC 3164 senders may leave the host out)
  let sp = line.indexOf(' ', pos);
  if (sp < 0) return 'unparseable';
  let host: string | null = hostName(line, pos, sp);
  const last = host.charCodeAt(host.length - 1);
  if (last === 58 /* : */ || (last === 93 /* ] */ && host.includes('['))) {
    host = null;
    sp = pos - 1;
  }
  return parseTag(line, sp + 1, time, host, out);
}

/** The hosts of the last lines: a file or a source mostly repeats a few, matched in place. */
const recentHosts: string[] = [];

function hostName(line: string, start: number, end: number): string {
  const len = end - start;
  for (const h of recentHosts) if (h.length === len && line.startsWith(h, start)) return h;
  // a copy: the host outlives the line in detections
  const h = ` ${line.slice(start, end)}`.slice(1);
  if (recentHosts.length >= 16) recentHosts.shift();
  recentHosts.push(h);
  return h;
}

/** Programs seen in every auth.log: matched in place, so the common lines allocate no program name. */
const COMMON_PROGRAMS = [
  'sshd',
  'sshd-session',
  'sudo',
  'su',
  'CRON',
  'cron',
  'systemd-logind',
  'systemd',
  'kernel',
  'login',
  'useradd',
  'usermod',
  'groupadd',
  'gpasswd',
  'passwd',
  'polkitd',
  'dbus-daemon',
];

function parseTag(
  line: string,
  pos: number,
  time: number,
  host: string | null,
  out: SyslogRecord,
): SyslogRecord {
  let i = pos;
  const n = line.length;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c === 58 || c === 91 || c === 32) break;
    i++;
  }
  let program: string | null = null;
  let pid: number | null = null;
  let msgStart = pos;
  const c = line.charCodeAt(i);
  if (c === 91 /* [ */) {
    let p = 0;
    let j = i + 1;
    for (; j < n; j++) {
      const d = line.charCodeAt(j) - 48;
      if (d < 0 || d > 9) break;
      p = p * 10 + d;
    }
    if (line.charCodeAt(j) === 93 /* ] */ && line.charCodeAt(j + 1) === 58 && j > i + 1) {
      program = programName(line, pos, i);
      pid = p;
      msgStart = j + 2;
    } else {
      const close = line.indexOf(']', i);
      if (close > i && line.charCodeAt(close + 1) === 58) {
        program = programName(line, pos, i);
        msgStart = close + 2;
      }
    }
  } else if (c === 58 && i > pos) {
    program = programName(line, pos, i);
    msgStart = i + 1;
  }
  if (line.charCodeAt(msgStart) === 32) msgStart++;
  out.time = time;
  out.host = host;
  out.program = program;
  out.pid = pid;
  out.message = line.slice(msgStart);
  return out;
}

function programName(line: string, start: number, end: number): string {
  const len = end - start;
  for (const p of COMMON_PROGRAMS) if (p.length === len && line.startsWith(p, start)) return p;
  return line.slice(start, end);
}

function nil(s: string): string | null {
  return s === '-' ? null : s;
}

function parse5424(
  line: string,
  pos: number,
  ctx: HeaderContext,
  out: SyslogRecord,
): SyslogRecord | RejectReason {
  const fields: string[] = [];
  let i = pos;
  for (let k = 0; k < 5; k++) {
    const sp = line.indexOf(' ', i);
    if (sp < 0) {
      if (k < 4) return 'unparseable';
      fields.push(line.slice(i));
      i = line.length;
      break;
    }
    fields.push(line.slice(i, sp));
    i = sp + 1;
  }
  const [stamp, host, app, procid] = fields as [string, string, string, string, string];
  let time: number;
  if (stamp === '-') time = ctx.now;
  else {
    time = parseIsoStamp(stamp, 0, end);
    if (Number.isNaN(time) || end.end !== stamp.length) return 'bad_timestamp';
    if (time > ctx.now + FUTURE_TOLERANCE_MS) return 'future_timestamp';
  }
  // structured data: "-" or one or more [id param="value" …] where \] and \" are escaped
  if (line.charCodeAt(i) === 45 /* - */) i++;
  else if (line.charCodeAt(i) === 91) {
    let quoted = false;
    while (i < line.length) {
      const ch = line.charCodeAt(i);
      if (ch === 92 /* \ */ && quoted) i++;
      else if (ch === 34) quoted = !quoted;
      else if (ch === 93 && !quoted && line.charCodeAt(i + 1) !== 91) {
        i++;
        break;
      }
      i++;
    }
  }
  if (line.charCodeAt(i) === 32) i++;
  let message = line.slice(i);
  if (message.charCodeAt(0) === 0xfeff) message = message.slice(1);
  const pid = procid === '-' ? null : Number(procid);
  out.time = time;
  out.host = nil(host);
  out.program = nil(app);
  out.pid = pid !== null && Number.isInteger(pid) ? pid : null;
  out.message = message;
  return out;
}
