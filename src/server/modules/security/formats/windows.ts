/**
 * Windows Security events, exported as EVTX-XML (wevtutil qe Security /f:xml, Event Viewer "Save as
 * XML") or as JSON (winlogbeat, NXLog, PowerShell objects), for the logon and account-management ids
 * below. JSON lines that carry a syslog message (program + message) go to the Linux normalisers.
 */
import {
  emptyEvent,
  type RejectReason,
  type SecurityAction,
  type SecurityEvent,
  type SecurityOutcome,
} from './event.js';
import { normaliseSyslog } from './linux.js';
import { FUTURE_TOLERANCE_MS, parseIsoStamp } from './time.js';

type Fields = Record<string, string>;
type Mapping = { action: SecurityAction; outcome: SecurityOutcome; map(f: Fields, ev: SecurityEvent): void };

const val = (v: string | undefined): string | null => (v === undefined || v === '' || v === '-' ? null : v);

function logon(f: Fields, ev: SecurityEvent) {
  ev.user = val(f.TargetUserName);
  ev.srcIp = val(f.IpAddress);
  const p = Number(f.IpPort);
  ev.srcPort = p > 0 ? p : null;
  ev.method = val(f.LogonType);
  ev.detail = val(f.WorkstationName) ?? val(f.Status);
}

function subjectOnTarget(f: Fields, ev: SecurityEvent) {
  ev.user = val(f.SubjectUserName);
  ev.targetUser = val(f.TargetUserName);
}

/** "CN=Bob Martin,OU=Staff,DC=corp,DC=local" → "Bob Martin"; else the SID. */
function member(f: Fields): string | null {
  const dn = val(f.MemberName);
  if (dn) {
    const m = /^CN=((?:\\,|[^,])+)/i.exec(dn);
    return m ? m[1]!.replace(/\\,/g, ',') : dn;
  }
  return val(f.MemberSid);
}

function groupAdd(f: Fields, ev: SecurityEvent) {
  ev.user = val(f.SubjectUserName);
  ev.targetUser = member(f);
  ev.group = val(f.TargetUserName);
}

export const WINDOWS_EVENTS = new Map<number, Mapping>([
  [4624, { action: 'login', outcome: 'success', map: logon }],
  [4625, { action: 'login', outcome: 'failure', map: logon }],
  [
    4648,
    {
      action: 'explicit_credentials',
      outcome: 'success',
      map(f, ev) {
        subjectOnTarget(f, ev);
        ev.srcIp = val(f.IpAddress);
        const p = Number(f.IpPort);
        ev.srcPort = p > 0 ? p : null;
        ev.detail = val(f.TargetServerName);
      },
    },
  ],
  [4720, { action: 'user_created', outcome: 'success', map: subjectOnTarget }],
  [4722, { action: 'account_enabled', outcome: 'success', map: subjectOnTarget }],
  [4724, { action: 'password_reset', outcome: 'success', map: subjectOnTarget }],
  [4728, { action: 'group_member_added', outcome: 'success', map: groupAdd }],
  [4732, { action: 'group_member_added', outcome: 'success', map: groupAdd }],
  [4756, { action: 'group_member_added', outcome: 'success', map: groupAdd }],
  [
    4740,
    {
      action: 'account_locked',
      outcome: 'success',
      map(f, ev) {
        ev.user = val(f.TargetUserName);
        ev.targetUser = ev.user;
        // "Caller Computer Name": where the bad passwords came from
        ev.detail = val(f.TargetDomainName);
      },
    },
  ],
  [
    1102,
    {
      action: 'audit_log_cleared',
      outcome: 'success',
      map(f, ev) {
        ev.user = val(f.SubjectUserName);
      },
    },
  ],
]);

export type WindowsContext = { now: number };

const stampEnd = { end: 0 };

function windowsEvent(
  id: number,
  time: number,
  host: string | null,
  fields: Fields,
  raw: string,
  ref: number,
  ctx: WindowsContext,
): SecurityEvent | RejectReason | null {
  const mapping = WINDOWS_EVENTS.get(id);
  if (!mapping) return null;
  if (Number.isNaN(time)) return 'bad_timestamp';
  if (time > ctx.now + FUTURE_TOLERANCE_MS) return 'future_timestamp';
  const ev = emptyEvent(
    { time, host, program: 'Microsoft-Windows-Security-Auditing', pid: null, message: '' },
    raw,
    ref,
  );
  ev.eventId = id;
  ev.action = mapping.action;
  ev.outcome = mapping.outcome;
  mapping.map(fields, ev);
  return ev;
}

const XML_EVENT_ID = /<EventID(?:\s[^>]*)?>\s*(\d+)\s*<\/EventID>/;
const XML_TIME = /<TimeCreated\s+SystemTime\s*=\s*["']([^"']+)["']/;
const XML_COMPUTER = /<Computer>([^<]*)<\/Computer>/;
const XML_DATA = /<Data\s+Name\s*=\s*["']([^"']+)["']\s*(?:\/>|>([^<]*)<\/Data>)/g;
const XML_USER_DATA = /<UserData>([\s\S]*)<\/UserData>/;
const XML_LEAF = /<(\w+)>([^<]*)<\/\1>/g;

function unescapeXml(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(lt|gt|amp|quot|apos|#x[0-9a-fA-F]+|#\d+);/g, (_, e: string) => {
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'amp') return '&';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    const code = e[1] === 'x' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

/** One `<Event>…</Event>` element of an EVTX-XML export; null for an event id of no interest. */
export function parseEvtxXmlEvent(
  xml: string,
  ref: number,
  ctx: WindowsContext,
): SecurityEvent | RejectReason | null {
  const id = XML_EVENT_ID.exec(xml);
  const stamp = XML_TIME.exec(xml);
  if (!id || !stamp) return 'invalid_xml';
  const fields: Fields = {};
  XML_DATA.lastIndex = 0;
  let m: RegExpExecArray | null;
  // biome-ignore lint/suspicious/noAssignInExpressions: the usual regex walk
  while ((m = XML_DATA.exec(xml))) fields[m[1]!] = unescapeXml(m[2] ?? '');
  const userData = XML_USER_DATA.exec(xml);
  if (userData) {
    XML_LEAF.lastIndex = 0;
    // biome-ignore lint/suspicious/noAssignInExpressions: the usual regex walk
    while ((m = XML_LEAF.exec(userData[1]!))) fields[m[1]!] = unescapeXml(m[2]!);
  }
  const host = XML_COMPUTER.exec(xml);
  const s = stamp[1]!;
  let time = parseIsoStamp(s, 0, stampEnd);
  if (!Number.isNaN(time) && stampEnd.end !== s.length) time = Number.NaN;
  return windowsEvent(Number(id[1]), time, host ? unescapeXml(host[1]!) : null, fields, xml, ref, ctx);
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function pick(o: Json, ...keys: string[]): unknown {
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) return o[k];
  return undefined;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
}

/** ISO text, "/Date(ms)/" (PowerShell), or epoch seconds/milliseconds. */
function jsonTime(v: unknown): number {
  if (isObject(v)) return jsonTime(pick(v, 'SystemTime', 'DateTime', 'value'));
  if (typeof v === 'number') return v < 1e11 ? v * 1000 : v;
  if (typeof v !== 'string') return Number.NaN;
  const ms = /^\/Date\((-?\d+)[^)]*\)\/$/.exec(v);
  if (ms) return Number(ms[1]);
  const t = parseIsoStamp(v, 0, stampEnd);
  return stampEnd.end === v.length ? t : Number.NaN;
}

function flatFields(...sources: unknown[]): Fields {
  const out: Fields = {};
  for (const src of sources) {
    if (!isObject(src)) continue;
    for (const [k, v] of Object.entries(src)) {
      const s = str(v);
      if (s !== null) out[k] = s;
    }
  }
  return out;
}

export type JsonSyslogContext = WindowsContext & {
  /** Reads a syslog text line (when the JSON object only wraps one). */
  syslogLine(line: string, ref: number): SecurityEvent | RejectReason | null;
};

/**
 * One JSON line: a Windows event (winlogbeat `winlog.*`, NXLog's flat fields, or
 * `{EventID, TimeCreated, Computer, EventData}`), or a syslog message
 * (`{time, host, program, pid, message}`, or `{message}` holding a whole syslog line).
 */
export function parseJsonLine(
  line: string,
  ref: number,
  ctx: JsonSyslogContext,
): SecurityEvent | RejectReason | null {
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch {
    return 'invalid_json';
  }
  if (!isObject(o)) return 'invalid_json';
  const winlog = isObject(o.winlog) ? o.winlog : null;
  const id = winlog ? pick(winlog, 'event_id') : pick(o, 'EventID', 'EventId', 'Id', 'event_id');
  if (id !== undefined) {
    const n = Number(id);
    if (!Number.isInteger(n)) return 'invalid_json';
    const system = isObject(o.System) ? o.System : {};
    const time = jsonTime(
      winlog
        ? pick(o, '@timestamp')
        : (pick(o, 'TimeCreated', 'EventTime', 'TimeGenerated', '@timestamp') ?? pick(system, 'TimeCreated')),
    );
    const host = str(
      winlog
        ? (pick(winlog, 'computer_name') ?? (isObject(o.host) ? pick(o.host, 'name', 'hostname') : undefined))
        : pick(o, 'Computer', 'Hostname', 'MachineName', 'host'),
    );
    const fields = winlog
      ? flatFields(winlog.event_data, winlog.user_data)
      : flatFields(o, o.EventData, o.UserData);
    return windowsEvent(n, time, host, fields, line, ref, ctx);
  }
  const message = str(pick(o, 'message', 'msg', 'MESSAGE'));
  if (message === null) return 'unsupported_event';
  const program = str(pick(o, 'program', 'ident', 'app', 'appname', 'SYSLOG_IDENTIFIER'));
  if (program === null) return ctx.syslogLine(message, ref);
  const time = jsonTime(pick(o, 'time', 'timestamp', '@timestamp'));
  if (Number.isNaN(time)) return 'bad_timestamp';
  if (time > ctx.now + FUTURE_TOLERANCE_MS) return 'future_timestamp';
  const pid = Number(pick(o, 'pid', 'procid', '_PID'));
  return normaliseSyslog(
    {
      time,
      host: str(pick(o, 'host', 'hostname', '_HOSTNAME')),
      program,
      pid: Number.isInteger(pid) ? pid : null,
      message,
    },
    line,
    ref,
  );
}
