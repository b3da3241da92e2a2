/**
 * The one normalised shape of every security log line, whatever its origin (syslog, auth.log,
 * Windows Security events): what happened (`action`, `outcome`), to whom (`user`, `targetUser`,
 * `group`), from where (`srcIp`, `srcPort`) on which machine (`host`, `program`, `pid`), with the
 * original line kept in `raw`.
 */
export type SecurityOutcome = 'success' | 'failure' | 'unknown';

export const SECURITY_ACTIONS = [
  /** an interactive or remote logon attempt: sshd password/publickey, Windows 4624/4625 */
  'login',
  /** sshd: a connection named a user that does not exist */
  'invalid_user',
  /** sshd: too many authentication attempts on one connection */
  'max_auth_attempts',
  /** sshd: the client went away before authenticating */
  'disconnect_preauth',
  /** PAM: an authentication check (its service is `pamService`) */
  'pam_auth',
  'session_open',
  'session_close',
  /** sudo: a command run (success) or refused (failure) */
  'sudo',
  /** su: switching to another user (`targetUser`) */
  'su',
  'user_created',
  'user_deleted',
  'user_modified',
  'group_created',
  /** `targetUser` was added to `group` (usermod -aG, gpasswd -a, Windows 4728/4732/4756) */
  'group_member_added',
  'password_changed',
  /** Windows 4724: an administrator reset another account's password */
  'password_reset',
  /** Windows 4722 */
  'account_enabled',
  /** Windows 4740 */
  'account_locked',
  /** Windows 4648: a logon with explicit credentials */
  'explicit_credentials',
  /** Windows 1102 */
  'audit_log_cleared',
  'firewall_block',
  'firewall_allow',
  'firewall_log',
] as const;
export type SecurityAction = (typeof SECURITY_ACTIONS)[number];

export type SecurityEvent = {
  /** When it happened, epoch milliseconds (UTC). */
  time: number;
  host: string | null;
  program: string | null;
  pid: number | null;
  /** The account acting or authenticating. */
  user: string | null;
  srcIp: string | null;
  srcPort: number | null;
  action: SecurityAction;
  outcome: SecurityOutcome;
  /** The account acted upon: the new account, the member added, the su/sudo target. */
  targetUser: string | null;
  group: string | null;
  /** Authentication method (password, publickey, keyboard-interactive) or Windows logon type. */
  method: string | null;
  /** sudo's command, or the firewall's protocol and destination port. */
  detail: string | null;
  /** Windows event id; null for syslog lines. */
  eventId: number | null;
  /** How many occurrences this line stands for ("message repeated N times"). */
  repeat: number;
  /** Where the line came from (line number in a file, sequence on a stream): the evidence reference. */
  ref: number;
  raw: string;
};

/** A syslog line's header: what the normalisers dispatch on. */
export type SyslogRecord = {
  time: number;
  host: string | null;
  program: string | null;
  pid: number | null;
  message: string;
};

export function emptyEvent(rec: SyslogRecord, raw: string, ref: number): SecurityEvent {
  const ev = {} as SecurityEvent;
  resetEvent(ev, rec, raw, ref);
  return ev;
}

/** Sets every field (always in the same order, so every event has the same shape). */
export function resetEvent(ev: SecurityEvent, rec: SyslogRecord, raw: string, ref: number): void {
  ev.time = rec.time;
  ev.host = rec.host;
  ev.program = rec.program;
  ev.pid = rec.pid;
  ev.user = null;
  ev.srcIp = null;
  ev.srcPort = null;
  ev.action = 'login';
  ev.outcome = 'unknown';
  ev.targetUser = null;
  ev.group = null;
  ev.method = null;
  ev.detail = null;
  ev.eventId = null;
  ev.repeat = 1;
  ev.ref = ref;
  ev.raw = raw;
}

/** Why a line was refused; every refusal is counted under one of these. */
export type RejectReason =
  | 'too_long'
  | 'unparseable'
  | 'bad_timestamp'
  | 'future_timestamp'
  | 'invalid_json'
  | 'invalid_xml'
  | 'unsupported_event';

/** Counters of a parsing run: what was read, turned into events, skipped as irrelevant, refused. */
export type ParseCounters = {
  read: number;
  /** Lines (or Windows events) that became a SecurityEvent. */
  parsed: number;
  /** Well-formed lines of no security interest (cron's messages, systemd…). */
  ignored: number;
  rejected: Partial<Record<RejectReason, number>>;
  /** Lines read despite a defect: invalid UTF-8 is decoded as Latin-1 rather than refused. */
  recovered: { invalid_utf8: number };
};

export function newCounters(): ParseCounters {
  return { read: 0, parsed: 0, ignored: 0, rejected: {}, recovered: { invalid_utf8: 0 } };
}

export function countReject(c: ParseCounters, reason: RejectReason) {
  c.rejected[reason] = (c.rejected[reason] ?? 0) + 1;
}

/** 64 KiB: the longest line accepted (RFC 5426 allows 64 KiB datagrams; longer is junk or an attack). */
export const MAX_LINE_BYTES = 64 * 1024;
