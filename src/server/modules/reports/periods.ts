import type { ReportPeriod } from '../../../shared/schemas/reports.js';

/** A report period in the organisation's time zone: days inclusive, instants [from, to). */
export type Period = {
  kind: ReportPeriod;
  firstDay: string;
  lastDay: string;
  from: Date;
  to: Date;
  trend: { unit: 'day' | 'week'; bounds: Date[] };
};

const DAY_MS = 24 * 3600_000;
const formats = new Map<string, Intl.DateTimeFormat>();

function format(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** The wall-clock time of `t` in `timeZone`, read as if it were UTC (ms). */
function wallClock(timeZone: string, t: number): number {
  const p = Object.fromEntries(
    format(timeZone)
      .formatToParts(new Date(t))
      .map((x) => [x.type, x.value]),
  );
  return Date.UTC(
    Number(p.year),
    Number(p.month) - 1,
    Number(p.day),
    Number(p.hour),
    Number(p.minute),
    Number(p.second),
  );
}

/** The calendar day (YYYY-MM-DD) of an instant in `timeZone`. */
export function dayIn(timeZone: string, at: Date): string {
  return new Date(wallClock(timeZone, at.getTime())).toISOString().slice(0, 10);
}

/** The instant a day starts in `timeZone` (its local midnight). */
export function startOfDay(timeZone: string, day: string): Date {
  const wall = Date.parse(`${day}T00:00:00Z`);
  let t = wall - (wallClock(timeZone, wall) - wall);
  // Once more: the offset at the guess may differ from the offset at midnight (a DST change between).
  t = wall - (wallClock(timeZone, t) - t);
  return new Date(t);
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function addMonths(day: string, months: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1)).toISOString().slice(0, 10);
}

/** Monday of the ISO week holding `day`. */
function monday(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return addDays(day, -((weekday + 6) % 7));
}

const daysBetween = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / DAY_MS);

/** First and last day of the period of `kind` holding `day` (custom: `day` to `last`). */
function span(kind: ReportPeriod, day: string, last?: string): [string, string] {
  if (kind === 'week') return [monday(day), addDays(monday(day), 6)];
  if (kind === 'month') {
    const first = `${day.slice(0, 7)}-01`;
    return [first, addDays(addMonths(first, 1), -1)];
  }
  if (kind === 'quarter') {
    const month = Number(day.slice(5, 7));
    const first = `${day.slice(0, 4)}-${String(month - ((month - 1) % 3)).padStart(2, '0')}-01`;
    return [first, addDays(addMonths(first, 3), -1)];
  }
  return [day, last ?? day];
}

function build(kind: ReportPeriod, timeZone: string, firstDay: string, lastDay: string): Period {
  const from = startOfDay(timeZone, firstDay);
  const to = startOfDay(timeZone, addDays(lastDay, 1));
  // Days up to two months, weeks (from Mondays) beyond.
  const unit = daysBetween(firstDay, lastDay) < 62 ? 'day' : 'week';
  const bounds = [from];
  let day = unit === 'day' ? addDays(firstDay, 1) : addDays(monday(firstDay), 7);
  while (day <= lastDay) {
    bounds.push(startOfDay(timeZone, day));
    day = addDays(day, unit === 'day' ? 1 : 7);
  }
  bounds.push(to);
  return { kind, firstDay, lastDay, from, to, trend: { unit, bounds } };
}

/**
 * The period asked for: the week, month or quarter holding `from` (default: today's), or the custom
 * days `from` to `to`; and the one before it, of the same kind (custom: as many days, just before).
 */
export function resolvePeriods(
  q: { period: ReportPeriod; from?: string | undefined; to?: string | undefined },
  timeZone: string,
  now: Date,
): { current: Period; previous: Period } {
  const [first, last] = span(q.period, q.from ?? dayIn(timeZone, now), q.to);
  const current = build(q.period, timeZone, first, last);
  const [pFirst, pLast] =
    q.period === 'custom'
      ? [addDays(first, -(daysBetween(first, last) + 1)), addDays(first, -1)]
      : span(q.period, addDays(first, -1));
  return { current, previous: build(q.period, timeZone, pFirst, pLast) };
}

/** The last complete period of `kind` before `now`, as a query (a schedule's report). */
export function lastCompleteFrom(kind: 'week' | 'month', timeZone: string, now: Date): string {
  const [first] = span(kind, dayIn(timeZone, now));
  return addDays(first, -1);
}
