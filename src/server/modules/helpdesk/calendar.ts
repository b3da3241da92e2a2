// Business-hours calendars for helpdesk SLAs: pure functions, no database.
//
// Opening hours are local wall-clock times in the calendar's IANA time zone. Each open local date is
// turned into UTC intervals; time is counted in milliseconds and the API speaks whole minutes.
// Time-zone offsets come from Intl.DateTimeFormat once per (zone, year) and are then looked up in a
// small table of transitions, and long durations skip whole weeks between "irregular" days (holidays,
// exceptions, DST changes), so a deadline costs microseconds, not one step per minute.
//
// Local times that do not exist (the hour skipped in spring) map to the instant the clocks jump;
// local times that occur twice (the hour repeated in autumn) map to their first occurrence. An
// opening range therefore always lasts the real time between its wall-clock bounds (08:00–12:00 on a
// day of change: 3 or 5 hours if the change falls inside it).

/** 0 = Sunday. Ranges are local "HH:MM" (end may be "24:00"), sorted, non-overlapping; [] = closed. */
export type WeeklyHours = Record<0 | 1 | 2 | 3 | 4 | 5 | 6, Array<[start: string, end: string]>>;

export type BusinessCalendar = {
  /** IANA time zone, e.g. 'Europe/Paris'. */
  timeZone: string;
  hours: WeeklyHours;
  /** French public holidays are closed (metropolitan list, see frenchPublicHolidays). */
  frenchHolidays: boolean;
  /** Extra closed local dates 'YYYY-MM-DD'. They win over openDays. */
  closedDays: string[];
  /** Local dates open despite a French holiday; that weekday's normal hours apply (none → still closed). */
  openDays?: string[];
};

export type CalendarError = { path: string; code: string };

const MINUTE = 60_000;
const DAY = 86_400_000;
const WEEK = 7 * DAY;
/** addBusinessMinutes and nextOpening give up after this many days without any open time. */
const MAX_CLOSED_DAYS = 400;

/** Europe/Paris, Monday to Friday 08:30–12:30 and 13:30–17:30, French public holidays closed. */
export const DEFAULT_CALENDAR: BusinessCalendar = deepFreeze({
  timeZone: 'Europe/Paris',
  hours: {
    0: [],
    1: [
      ['08:30', '12:30'],
      ['13:30', '17:30'],
    ],
    2: [
      ['08:30', '12:30'],
      ['13:30', '17:30'],
    ],
    3: [
      ['08:30', '12:30'],
      ['13:30', '17:30'],
    ],
    4: [
      ['08:30', '12:30'],
      ['13:30', '17:30'],
    ],
    5: [
      ['08:30', '12:30'],
      ['13:30', '17:30'],
    ],
    6: [],
  },
  frenchHolidays: true,
  closedDays: [],
});

// ---------------------------------------------------------------------------------------------------
// Public API

/**
 * French public holidays of `year` as sorted, distinct 'YYYY-MM-DD': 1 Jan, Easter Monday, 1 May,
 * 8 May, Ascension (Easter + 39), Whit Monday (Easter + 50), 14 Jul, 15 Aug, 1 Nov, 11 Nov, 25 Dec.
 * Alsace-Moselle's extra days (Good Friday, 26 Dec) are not included: add them as closedDays.
 */
export function frenchPublicHolidays(year: number): string[] {
  if (!Number.isSafeInteger(year)) throw new RangeError(`Invalid year: ${year}`);
  return holidays(year).days.map(formatDay);
}

/** Whether `at` falls inside the calendar's business hours. */
export function isBusinessTime(cal: BusinessCalendar, at: Date): boolean {
  const t = instant(at, 'at');
  return walk(compile(cal), t, 0, t + 1) > 0;
}

/**
 * The instant `minutes` business minutes after `start` (start itself may be outside hours: counting
 * begins at the next opening, so 0 minutes gives nextOpening(start)). A deadline reached exactly at a
 * closing time is that closing time. Throws if the calendar has no open time for 400 days.
 */
export function addBusinessMinutes(cal: BusinessCalendar, start: Date, minutes: number): Date {
  if (!Number.isSafeInteger(minutes) || minutes < 0) {
    throw new RangeError(`minutes must be a non-negative integer, got ${minutes}`);
  }
  return new Date(walk(compile(cal), instant(start, 'start'), minutes * MINUTE, Number.POSITIVE_INFINITY));
}

/**
 * Whole business minutes (rounded down) between two instants (0 if end <= start). `pauses` are
 * intervals [from, to) not counted (e.g. while waiting for the user); they may overlap each other or
 * be open-ended (to = null → until `end`).
 */
export function businessMinutesBetween(
  cal: BusinessCalendar,
  start: Date,
  end: Date,
  pauses: ReadonlyArray<{ from: Date; to: Date | null }> = [],
): number {
  const cc = compile(cal);
  const a = instant(start, 'start');
  const b = instant(end, 'end');
  const cuts: Array<[number, number]> = [];
  for (const [i, p] of pauses.entries()) {
    const from = Math.max(instant(p.from, `pauses.${i}.from`), a);
    const to = p.to === null ? b : Math.min(instant(p.to, `pauses.${i}.to`), b);
    if (to > from) cuts.push([from, to]);
  }
  if (b <= a) return 0;
  cuts.sort(byStart);
  let ms = 0;
  let t = a;
  for (const [from, to] of cuts) {
    if (from > t) ms += walk(cc, t, 0, from);
    if (to > t) t = to;
  }
  if (b > t) ms += walk(cc, t, 0, b);
  return Math.floor(ms / MINUTE);
}

/** The next instant business time starts at or after `at` (`at` itself when it is business time). */
export function nextOpening(cal: BusinessCalendar, at: Date): Date {
  return new Date(walk(compile(cal), instant(at, 'at'), 0, Number.POSITIVE_INFINITY));
}

/**
 * Checks an untrusted calendar (e.g. JSON from the API) and returns it normalised: missing weekdays
 * are closed, frenchHolidays defaults to true, closedDays to [], dates are sorted and distinct.
 * Error codes: not_object, required, bad_type, unknown_key, bad_time_zone, bad_range, bad_time,
 * start_not_before_end, unsorted, overlap, bad_date, conflict (a date both closed and open).
 */
export function validateCalendar(
  input: unknown,
): { ok: true; calendar: BusinessCalendar } | { ok: false; errors: CalendarError[] } {
  const errors: CalendarError[] = [];
  if (!isRecord(input)) return { ok: false, errors: [{ path: '', code: 'not_object' }] };
  for (const key of Object.keys(input)) {
    if (!['timeZone', 'hours', 'frenchHolidays', 'closedDays', 'openDays'].includes(key)) {
      errors.push({ path: key, code: 'unknown_key' });
    }
  }

  const { timeZone } = input;
  if (timeZone === undefined) errors.push({ path: 'timeZone', code: 'required' });
  else if (typeof timeZone !== 'string' || !isTimeZone(timeZone)) {
    errors.push({ path: 'timeZone', code: 'bad_time_zone' });
  }

  const hours = { 0: [], 1: [], 2: [], 3: [], 4: [], 5: [], 6: [] } as WeeklyHours;
  if (input.hours === undefined) errors.push({ path: 'hours', code: 'required' });
  else if (!isRecord(input.hours)) errors.push({ path: 'hours', code: 'not_object' });
  else {
    for (const [key, list] of Object.entries(input.hours)) {
      if (!/^[0-6]$/.test(key)) {
        errors.push({ path: `hours.${key}`, code: 'unknown_key' });
        continue;
      }
      const day = Number(key) as keyof WeeklyHours;
      if (list === undefined) continue;
      checkRanges(list, `hours.${key}`, errors);
      if (Array.isArray(list)) hours[day] = list.map((r) => (Array.isArray(r) ? [r[0], r[1]] : r));
    }
  }

  let frenchHolidays = true;
  if (input.frenchHolidays !== undefined) {
    if (typeof input.frenchHolidays === 'boolean') frenchHolidays = input.frenchHolidays;
    else errors.push({ path: 'frenchHolidays', code: 'bad_type' });
  }

  const closedDays = checkDates(input.closedDays, 'closedDays', errors);
  const openDays = input.openDays === undefined ? undefined : checkDates(input.openDays, 'openDays', errors);
  if (openDays !== undefined && Array.isArray(input.openDays)) {
    const closed = new Set(closedDays);
    input.openDays.forEach((d, i) => {
      if (typeof d === 'string' && closed.has(d)) errors.push({ path: `openDays.${i}`, code: 'conflict' });
    });
  }

  if (errors.length > 0) return { ok: false, errors };
  const calendar: BusinessCalendar = { timeZone: timeZone as string, hours, frenchHolidays, closedDays };
  if (openDays !== undefined) calendar.openDays = openDays;
  return { ok: true, calendar };
}

// ---------------------------------------------------------------------------------------------------
// Validation helpers (shared by validateCalendar and compile)

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** "HH:MM" (00:00–23:59, or 24:00) → milliseconds since local midnight; -1 if malformed. */
function parseTime(v: unknown): number {
  if (typeof v !== 'string' || v.length !== 5 || v.charCodeAt(2) !== 58) return -1; // 58 = ':'
  const h = digitAt(v, 0) * 10 + digitAt(v, 1);
  const m = digitAt(v, 3) * 10 + digitAt(v, 4);
  if (Number.isNaN(h) || Number.isNaN(m)) return -1;
  if (m > 59 || h > 24 || (h === 24 && m !== 0)) return -1;
  return (h * 60 + m) * MINUTE;
}

function digitAt(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : Number.NaN;
}

/** Checks one weekday's ranges; returns them flat in local ms [s0, e0, s1, e1, …]. */
function checkRanges(list: unknown, path: string, errors: CalendarError[]): number[] {
  const flat: number[] = [];
  if (!Array.isArray(list)) {
    errors.push({ path, code: 'bad_type' });
    return flat;
  }
  let prevStart = -1;
  let prevEnd = -1;
  for (let i = 0; i < list.length; i++) {
    const range: unknown = list[i];
    if (!Array.isArray(range) || range.length !== 2) {
      errors.push({ path: `${path}.${i}`, code: 'bad_range' });
      continue;
    }
    const s = parseTime(range[0]);
    const e = parseTime(range[1]);
    if (s < 0 || e < 0) {
      if (s < 0) errors.push({ path: `${path}.${i}.0`, code: 'bad_time' });
      if (e < 0) errors.push({ path: `${path}.${i}.1`, code: 'bad_time' });
    } else if (s >= e) errors.push({ path: `${path}.${i}`, code: 'start_not_before_end' });
    else if (s < prevStart) errors.push({ path: `${path}.${i}`, code: 'unsorted' });
    else if (s < prevEnd) errors.push({ path: `${path}.${i}`, code: 'overlap' });
    else {
      flat.push(s, e);
      prevStart = s;
      prevEnd = e;
    }
  }
  return flat;
}

/** Checks a list of 'YYYY-MM-DD'; returns the valid ones sorted and distinct. */
function checkDates(v: unknown, path: string, errors: CalendarError[]): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    errors.push({ path, code: 'bad_type' });
    return [];
  }
  const ok = new Set<string>();
  v.forEach((d: unknown, i) => {
    if (typeof d === 'string' && !Number.isNaN(parseDay(d))) ok.add(d);
    else errors.push({ path: `${path}.${i}`, code: 'bad_date' });
  });
  return [...ok].sort();
}

function instant(d: Date, what: string): number {
  const t = d instanceof Date ? d.getTime() : Number.NaN;
  if (Number.isNaN(t)) throw new RangeError(`Invalid date for ${what}`);
  return t;
}

function deepFreeze<T>(v: T): T {
  if (isRecord(v)) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

// ---------------------------------------------------------------------------------------------------
// Civil dates as day numbers (days since 1970-01-01, proleptic Gregorian; H. Hinnant's algorithms)

function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(days: number): [year: number, month: number, day: number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, doy - Math.floor((153 * mp + 2) / 5) + 1];
}

function yearOfDay(days: number): number {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  return yoe + era * 400 + (doy >= 306 ? 1 : 0); // day of year counted from 1 March
}

/** 0 = Sunday (1970-01-01 was a Thursday). */
function weekday(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

/** 'YYYY-MM-DD' → day number, NaN if not a real date. */
function parseDay(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return Number.NaN;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return Number.NaN;
  const days = daysFromCivil(y, mo, d);
  return civilFromDays(days)[2] === d ? days : Number.NaN;
}

function formatDay(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------------
// French public holidays, cached per year

const holidayCache = new Map<number, { days: number[]; set: Set<number> }>();

/** Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher), as a day number. */
function easter(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const n = h + l - 7 * m + 114;
  return daysFromCivil(year, Math.floor(n / 31), (n % 31) + 1);
}

function holidays(year: number): { days: number[]; set: Set<number> } {
  let cached = holidayCache.get(year);
  if (cached === undefined) {
    const e = easter(year);
    const fixed = [
      [1, 1],
      [5, 1],
      [5, 8],
      [7, 14],
      [8, 15],
      [11, 1],
      [11, 11],
      [12, 25],
    ].map(([m, d]) => daysFromCivil(year, m!, d!));
    const set = new Set([...fixed, e + 1, e + 39, e + 50]); // Ascension may fall on 1 or 8 May
    cached = { days: [...set].sort(byNumber), set };
    holidayCache.set(year, cached);
  }
  return cached;
}

function isFrenchHoliday(days: number): boolean {
  return holidays(yearOfDay(days)).set.has(days);
}

function nextFrenchHoliday(days: number): number {
  const year = yearOfDay(days);
  for (const d of holidays(year).days) if (d >= days) return d;
  return holidays(year + 1).days[0]!;
}

// ---------------------------------------------------------------------------------------------------
// Time zones: UTC offsets per year from Intl, then table look-ups

const INTL_DATE = /^(\d+)\/(\d+)\/(\d+)\D+(\d+):(\d+):(\d+)$/;

type YearOffsets = { from: number; to: number; start: number; trans: number[]; offs: number[] };

class Zone {
  readonly #fmt: Intl.DateTimeFormat;
  readonly #years = new Map<number, YearOffsets>();
  #last: YearOffsets | undefined;
  /** Memo of nextTransitionAfter: any t in [#askedFrom, #next) has the answer #next. */
  #askedFrom = Number.POSITIVE_INFINITY;
  #next = Number.NEGATIVE_INFINITY;

  constructor(timeZone: string) {
    this.#fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** Offset (local − UTC, ms) in force at instant `t`. */
  offset(t: number): number {
    let y = this.#last;
    if (y === undefined || t < y.from || t >= y.to) {
      y = this.#year(yearOfDay(Math.floor(t / DAY)));
      this.#last = y;
    }
    let o = y.start;
    for (let i = 0; i < y.trans.length && t >= y.trans[i]!; i++) o = y.offs[i]!;
    return o;
  }

  /** The first offset change after `t`, or (if none within two years) a point no earlier than the next one. */
  nextTransitionAfter(t: number): number {
    if (t >= this.#askedFrom && t < this.#next) return this.#next;
    const y0 = yearOfDay(Math.floor(t / DAY));
    let next = daysFromCivil(y0 + 3, 1, 1) * DAY;
    search: for (let y = y0; y <= y0 + 2; y++) {
      for (const x of this.#year(y).trans) {
        if (x > t) {
          next = x;
          break search;
        }
      }
    }
    this.#askedFrom = t;
    this.#next = next;
    return next;
  }

  /** Asks Intl: "3/29/2026, 03:00:00" in en-US (format is 5× faster than formatToParts). */
  #intlOffset(t: number): number {
    const s = Math.floor(t / 1000) * 1000;
    const m = INTL_DATE.exec(this.#fmt.format(s));
    if (m === null) throw new RangeError(`Unsupported instant for time zones: ${new Date(s).toISOString()}`);
    const [mo, d, y, h, mi, se] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as number[];
    return daysFromCivil(y!, mo!, d!) * DAY + ((h! * 60 + mi!) * 60 + se!) * 1000 - s;
  }

  /** Samples the year weekly and bisects each change to the second (zones change at most once a week). */
  #year(year: number): YearOffsets {
    const cached = this.#years.get(year);
    if (cached !== undefined) return cached;
    const from = daysFromCivil(year, 1, 1) * DAY;
    const to = daysFromCivil(year + 1, 1, 1) * DAY;
    const y: YearOffsets = { from, to, start: this.#intlOffset(from), trans: [], offs: [] };
    let lo = from;
    let cur = y.start;
    for (let p = Math.min(from + WEEK, to); ; p = Math.min(p + WEEK, to)) {
      let o = this.#intlOffset(p);
      while (o !== cur) {
        let hi = p; // offset(lo) === cur, offset(hi) !== cur
        while (hi - lo > 1000) {
          const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
          if (this.#intlOffset(mid) === cur) lo = mid;
          else hi = mid;
        }
        cur = this.#intlOffset(hi);
        y.trans.push(hi);
        y.offs.push(cur);
        lo = hi;
        o = this.#intlOffset(p);
      }
      if (p === to) break;
      lo = p;
    }
    this.#years.set(year, y);
    return y;
  }
}

const zones = new Map<string, Zone>();

function zoneOf(timeZone: string): Zone {
  let z = zones.get(timeZone);
  if (z === undefined) {
    if (typeof timeZone !== 'string' || !isTimeZone(timeZone)) {
      throw new RangeError(`Invalid business calendar: unknown time zone ${String(timeZone)}`);
    }
    z = new Zone(timeZone);
    zones.set(timeZone, z);
  }
  return z;
}

/** The local date (day number) of instant `t`. */
function localDay(z: Zone, t: number): number {
  return Math.floor((t + z.offset(t)) / DAY);
}

/** The instant of local wall-clock time `local` (ms, as if UTC): gap → the jump, repeated → the first. */
function localToUtc(z: Zone, local: number): number {
  const before = z.offset(local - DAY);
  const after = z.offset(local + DAY);
  const a = local - before;
  if (z.offset(a) === before) return a;
  const b = local - after;
  if (z.offset(b) === after) return b;
  return z.nextTransitionAfter(b);
}

// ---------------------------------------------------------------------------------------------------
// Compiled calendar and the walk over business time

type Compiled = {
  zone: Zone;
  /** Per weekday, ranges in local ms since midnight, flat [s0, e0, s1, e1, …]. */
  ranges: number[][];
  /** Per weekday, nominal business ms (a day without DST change). */
  dayLen: number[];
  weekLen: number;
  holidays: boolean;
  closed: Set<number>;
  open: Set<number>;
  /** Sorted day numbers of closedDays ∪ openDays. */
  specials: number[];
};

/** Parses a calendar for the walk (cheap: a few µs); throws a clear Error if it is malformed. */
function compile(cal: BusinessCalendar): Compiled {
  if (!isRecord(cal) || !isRecord(cal.hours)) throw new TypeError('Invalid business calendar: not an object');
  const errors: CalendarError[] = [];
  const ranges: number[][] = [];
  for (let wd = 0; wd < 7; wd++) {
    const list = cal.hours[wd as keyof WeeklyHours];
    ranges.push(list === undefined ? [] : checkRanges(list, `hours.${wd}`, errors));
  }
  const closed = dayNumbers(cal.closedDays, 'closedDays', errors);
  const open = dayNumbers(cal.openDays, 'openDays', errors);
  if (errors.length > 0) {
    throw new Error(`Invalid business calendar: ${errors.map(describeError).join(', ')}`);
  }
  const dayLen: number[] = [];
  let weekLen = 0;
  for (const r of ranges) {
    let len = 0;
    for (let i = 0; i < r.length; i += 2) len += r[i + 1]! - r[i]!;
    dayLen.push(len);
    weekLen += len;
  }
  const specials = closed.length + open.length === 0 ? [] : [...new Set([...closed, ...open])].sort(byNumber);
  return {
    zone: zoneOf(cal.timeZone),
    ranges,
    dayLen,
    weekLen,
    holidays: cal.frenchHolidays !== false,
    closed: new Set(closed),
    open: new Set(open),
    specials,
  };
}

function describeError(e: CalendarError): string {
  return `${e.path} ${e.code}`;
}

function byNumber(a: number, b: number): number {
  return a - b;
}

function byStart(a: [number, number], b: [number, number]): number {
  return a[0] - b[0];
}

/** Day numbers of a list of 'YYYY-MM-DD' (errors for the invalid ones). */
function dayNumbers(list: unknown, path: string, errors: CalendarError[]): number[] {
  const out: number[] = [];
  if (list === undefined) return out;
  if (!Array.isArray(list)) {
    errors.push({ path, code: 'bad_type' });
    return out;
  }
  for (let i = 0; i < list.length; i++) {
    const d: unknown = list[i];
    const n = typeof d === 'string' ? parseDay(d) : Number.NaN;
    if (Number.isNaN(n)) errors.push({ path: `${path}.${i}`, code: 'bad_date' });
    else out.push(n);
  }
  return out;
}

function isOpenDay(cc: Compiled, days: number): boolean {
  if (cc.dayLen[weekday(days)] === 0 || cc.closed.has(days)) return false;
  return !(cc.holidays && isFrenchHoliday(days) && !cc.open.has(days));
}

/** Writes the business intervals of local date `days` as UTC instants into `out`; returns their count × 2. */
function dayBounds(cc: Compiled, days: number, out: number[]): number {
  if (!isOpenDay(cc, days)) return 0;
  const r = cc.ranges[weekday(days)]!;
  const base = days * DAY;
  const z = cc.zone;
  if (z.nextTransitionAfter(base - DAY) > base + 2 * DAY) {
    const o = z.offset(base);
    for (let i = 0; i < r.length; i++) out[i] = base + r[i]! - o;
  } else {
    for (let i = 0; i < r.length; i++) out[i] = localToUtc(z, base + r[i]!);
  }
  return r.length;
}

/**
 * The first day ≥ `days` that is not "regular": a closed/open exception, a French holiday (when
 * observed) or within two days of an offset change. Regular days last their nominal length.
 */
function nextIrregularDay(cc: Compiled, days: number): number {
  let h = Math.floor(cc.zone.nextTransitionAfter(days * DAY - 3 * DAY) / DAY) - 2;
  const sp = cc.specials;
  let lo = 0;
  let hi = sp.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sp[mid]! < days) lo = mid + 1;
    else hi = mid;
  }
  if (lo < sp.length) h = Math.min(h, sp[lo]!);
  if (cc.holidays) h = Math.min(h, nextFrenchHoliday(days));
  return Math.max(h, days);
}

/**
 * Walks business time forward from `from`.
 * - `until` finite: returns the business ms in [from, until).
 * - `until` infinite: returns the instant at which `budget` business ms have elapsed (with budget 0,
 *   the next opening); throws after MAX_CLOSED_DAYS days without open time.
 * Whole weeks of regular days are skipped in one step.
 */
function walk(cc: Compiled, from: number, budget: number, until: number): number {
  const counting = Number.isFinite(until);
  if (!counting && cc.weekLen === 0)
    throw new Error('Business calendar is never open: it has no opening hours');
  const z = cc.zone;
  const bounds: number[] = [];
  let remaining = budget;
  let used = 0;
  let t = from;
  let days = localDay(z, from) - 1; // the previous local date too: its hours may reach past midnight in a fold
  const lastDay = counting ? localDay(z, until) + 1 : Number.POSITIVE_INFINITY;
  let lastOpen = days;
  let horizon = Number.NEGATIVE_INFINITY;
  for (; days <= lastDay; days++) {
    if (cc.weekLen > 0 && (counting ? until - t > WEEK : remaining > cc.weekLen)) {
      if (days >= horizon) horizon = nextIrregularDay(cc, days);
      const weeks = Math.floor((horizon - days) / 7);
      if (weeks > 0) {
        const o = z.offset(days * DAY); // constant over the regular stretch
        const dayStart = days * DAY - o;
        if (t <= dayStart) {
          const k = counting
            ? Math.min(weeks, Math.floor((until - dayStart) / WEEK))
            : Math.min(weeks, Math.floor((remaining - 1) / cc.weekLen));
          if (k > 0) {
            if (counting) used += k * cc.weekLen;
            else remaining -= k * cc.weekLen;
            days += 7 * k;
            t = days * DAY - o;
            lastOpen = days;
          }
        }
      }
    }
    const n = dayBounds(cc, days, bounds);
    for (let i = 0; i < n; i += 2) {
      const s = Math.max(bounds[i]!, t);
      const e = counting ? Math.min(bounds[i + 1]!, until) : bounds[i + 1]!;
      if (e <= s) continue;
      if (counting) used += e - s;
      else {
        if (remaining <= e - s) return s + remaining;
        remaining -= e - s;
        lastOpen = days;
      }
      t = e;
    }
    if (!counting && days - lastOpen > MAX_CLOSED_DAYS) {
      throw new Error(
        `Business calendar has no open hour in the ${MAX_CLOSED_DAYS} days after ${new Date(from).toISOString()}`,
      );
    }
  }
  return used;
}
