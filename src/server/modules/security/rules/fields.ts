/**
 * The event fields a rule may name (snake_case in YAML) and how each is read from a SecurityEvent.
 * Numbers are compared as their decimal text; a missing value is null.
 */
import type { SecurityEvent } from '../formats/event.js';

export type FieldValue = string | null;
export type FieldReader = (ev: SecurityEvent) => FieldValue;

const num = (n: number | null): FieldValue => (n === null ? null : String(n));
const HOUR = 3_600_000;
const DAY = 86_400_000;
const NUMBERS = Array.from({ length: 24 }, (_, i) => String(i));

export const FIELDS: Record<string, FieldReader> = {
  host: (e) => e.host,
  program: (e) => e.program,
  pid: (e) => num(e.pid),
  user: (e) => e.user,
  src_ip: (e) => e.srcIp,
  src_port: (e) => num(e.srcPort),
  action: (e) => e.action,
  outcome: (e) => e.outcome,
  target_user: (e) => e.targetUser,
  group: (e) => e.group,
  method: (e) => e.method,
  detail: (e) => e.detail,
  event_id: (e) => num(e.eventId),
  raw: (e) => e.raw,
  /** Hour of the day (0-23, UTC), for "unusual hours" rules. */
  hour: (e) => NUMBERS[((Math.floor(e.time / HOUR) % 24) + 24) % 24]!,
  /** Day of the week, 0 = Sunday … 6 = Saturday (UTC; 1 January 1970 was a Thursday). */
  weekday: (e) => NUMBERS[(((Math.floor(e.time / DAY) + 4) % 7) + 7) % 7]!,
};

export const FIELD_NAMES = Object.keys(FIELDS);
