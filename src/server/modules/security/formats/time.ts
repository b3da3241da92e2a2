/**
 * Timestamps of log lines. BSD syslog (RFC 3164) and auth.log stamps carry no year and no zone: they
 * are read as UTC, in the year that puts them at or before the reference time (a stamp that would be
 * more than a day after the reference belongs to the year before). Stamps with a year (RFC 3339/5424,
 * Windows) are refused when they lie more than a day after `now`.
 */
const DAY = 86_400_000;

/** A stamp up to this far after `now` (clock skew, a zone mistaken for UTC) is accepted. */
export const FUTURE_TOLERANCE_MS = DAY;

export type TimeContext = {
  /** The reference of year inference (a file's modification time, or now). */
  reference: number;
  /** Later than now + FUTURE_TOLERANCE_MS is refused as `future_timestamp`. */
  now: number;
};

// "Jan".."Dec" keyed by their three char codes packed in one number.
const MONTHS = new Map<number, number>();
['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].forEach((m, i) => {
  MONTHS.set((m.charCodeAt(0) << 16) | (m.charCodeAt(1) << 8) | m.charCodeAt(2), i);
});

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

function two(s: string, i: number): number {
  const a = digit(s, i);
  const b = digit(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

/** Resolves year-less stamps against one reference; caches the start of each day seen. */
export class YearInference {
  private readonly refYear: number;
  private readonly limit: number;
  private readonly days = new Map<number, number>();

  constructor(reference: number) {
    this.refYear = new Date(reference).getUTCFullYear();
    this.limit = reference + DAY;
  }

  /** Epoch ms of month (0-11) / day at `secondOfDay`, or NaN for an impossible date (Feb 30). */
  resolve(month: number, day: number, msOfDay: number): number {
    const key = month * 32 + day;
    let start = this.days.get(key);
    if (start === undefined) {
      start = this.dayStart(this.refYear, month, day);
      const prev = this.dayStart(this.refYear - 1, month, day);
      // Feb 29 only exists in leap years: fall back to the year before when it does not.
      if (Number.isNaN(start)) start = prev;
      this.days.set(key, start);
    }
    let t = start + msOfDay;
    if (t > this.limit) t = this.dayStart(this.refYear - 1, month, day) + msOfDay;
    return t;
  }

  private dayStart(year: number, month: number, day: number): number {
    const t = Date.UTC(year, month, day);
    return new Date(t).getUTCDate() === day ? t : Number.NaN;
  }
}

/** A BSD stamp read by parseBsdStamp: month (0-11), day, milliseconds of the day. */
export type BsdStamp = { month: number; day: number; ms: number };

/**
 * Reads "Mmm dd hh:mm:ss" (day space-padded or zero-padded) at `pos` into `out` (one object reused
 * line after line); false when it is not such a stamp.
 */
export function parseBsdStamp(s: string, pos: number, out: BsdStamp): boolean {
  if (s.length < pos + 15) return false;
  const month = MONTHS.get((s.charCodeAt(pos) << 16) | (s.charCodeAt(pos + 1) << 8) | s.charCodeAt(pos + 2));
  if (month === undefined || s.charCodeAt(pos + 3) !== 32) return false;
  const d1 = s.charCodeAt(pos + 4) === 32 ? 0 : digit(s, pos + 4);
  const d2 = digit(s, pos + 5);
  if (d1 < 0 || d2 < 0) return false;
  const day = d1 * 10 + d2;
  if (day < 1 || day > 31 || s.charCodeAt(pos + 6) !== 32) return false;
  const h = two(s, pos + 7);
  const m = two(s, pos + 10);
  const sec = two(s, pos + 13);
  if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 60) return false;
  if (s.charCodeAt(pos + 9) !== 58 || s.charCodeAt(pos + 12) !== 58) return false;
  out.month = month;
  out.day = day;
  out.ms = ((h * 60 + m) * 60 + sec) * 1000;
  return true;
}

/**
 * Reads an RFC 3339 stamp at `pos` ("2024-03-01T10:00:00Z", "…00.123456+01:00"); a space may stand for
 * the T and a missing zone means UTC (NXLog, Windows exports). Sets `end` to the index after it.
 */
export function parseIsoStamp(s: string, pos: number, out: { end: number }): number {
  const y = two(s, pos) * 100 + two(s, pos + 2);
  if (y < 0 || s.charCodeAt(pos + 4) !== 45 || s.charCodeAt(pos + 7) !== 45) return Number.NaN;
  const mo = two(s, pos + 5);
  const d = two(s, pos + 8);
  const sep = s.charCodeAt(pos + 10);
  if (sep !== 84 && sep !== 32 && sep !== 116) return Number.NaN;
  const h = two(s, pos + 11);
  const mi = two(s, pos + 14);
  const sec = two(s, pos + 17);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60)
    return Number.NaN;
  if (s.charCodeAt(pos + 13) !== 58 || s.charCodeAt(pos + 16) !== 58) return Number.NaN;
  let i = pos + 19;
  let ms = 0;
  if (s.charCodeAt(i) === 46) {
    i++;
    let scale = 100;
    while (digit(s, i) >= 0) {
      ms += digit(s, i) * scale;
      scale /= 10;
      i++;
    }
    ms = Math.floor(ms);
  }
  let offset = 0;
  const z = s.charCodeAt(i);
  if (z === 90 || z === 122) i++;
  else if (z === 43 || z === 45) {
    const oh = two(s, i + 1);
    const colon = s.charCodeAt(i + 3) === 58 ? 1 : 0;
    const om = two(s, i + 3 + colon);
    if (oh < 0 || om < 0) return Number.NaN;
    offset = (z === 45 ? -1 : 1) * (oh * 60 + om) * 60_000;
    i += 5 + colon;
  }
  const day = Date.UTC(y, mo - 1, d);
  if (new Date(day).getUTCDate() !== d) return Number.NaN;
  out.end = i;
  return day + ((h * 60 + mi) * 60 + sec) * 1000 + ms - offset;
}
