import { describe, expect, it } from 'vitest';
import {
  addBusinessMinutes,
  type BusinessCalendar,
  businessMinutesBetween,
  DEFAULT_CALENDAR,
  frenchPublicHolidays,
  isBusinessTime,
  nextOpening,
  validateCalendar,
  type WeeklyHours,
} from './calendar.js';

// Every instant is written with its explicit offset (Paris: +01:00 in winter, +02:00 in summer), so
// the tests do not depend on the process time zone.
const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();
const add = (cal: BusinessCalendar, start: string, minutes: number) =>
  iso(addBusinessMinutes(cal, at(start), minutes));

const same = (ranges: Array<[string, string]>): WeeklyHours => ({
  0: ranges,
  1: ranges,
  2: ranges,
  3: ranges,
  4: ranges,
  5: ranges,
  6: ranges,
});
const calendar = (over: Partial<BusinessCalendar>): BusinessCalendar => ({ ...DEFAULT_CALENDAR, ...over });
const ALWAYS = calendar({ hours: same([['00:00', '24:00']]), frenchHolidays: false });

/** Deterministic PRNG (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('frenchPublicHolidays', () => {
  it('lists the eleven holidays of 2024, 2025 and 2026, sorted', () => {
    expect(frenchPublicHolidays(2024)).toEqual([
      '2024-01-01',
      '2024-04-01',
      '2024-05-01',
      '2024-05-08',
      '2024-05-09',
      '2024-05-20',
      '2024-07-14',
      '2024-08-15',
      '2024-11-01',
      '2024-11-11',
      '2024-12-25',
    ]);
    expect(frenchPublicHolidays(2025)).toEqual([
      '2025-01-01',
      '2025-04-21',
      '2025-05-01',
      '2025-05-08',
      '2025-05-29',
      '2025-06-09',
      '2025-07-14',
      '2025-08-15',
      '2025-11-01',
      '2025-11-11',
      '2025-12-25',
    ]);
    const h2026 = frenchPublicHolidays(2026);
    expect(h2026).toHaveLength(11);
    expect(h2026).toContain('2026-04-06'); // Easter Monday
    expect(h2026).toContain('2026-05-14'); // Ascension
    expect(h2026).toContain('2026-05-25'); // Whit Monday
    expect([...h2026].sort()).toEqual(h2026);
  });

  it('computes Easter for early and late years and keeps dates distinct', () => {
    expect(frenchPublicHolidays(2019)).toContain('2019-04-22'); // Easter 21 April
    expect(frenchPublicHolidays(2038)).toContain('2038-04-26'); // Easter 25 April, the latest
    expect(frenchPublicHolidays(2285)).toContain('2285-03-23'); // Easter 22 March, the earliest
    // 2008: Ascension fell on 1 May.
    expect(frenchPublicHolidays(2008)).toEqual([
      '2008-01-01',
      '2008-03-24',
      '2008-05-01',
      '2008-05-08',
      '2008-05-12',
      '2008-07-14',
      '2008-08-15',
      '2008-11-01',
      '2008-11-11',
      '2008-12-25',
    ]);
    expect(() => frenchPublicHolidays(2026.5)).toThrow(RangeError);
  });
});

describe('addBusinessMinutes with the default calendar', () => {
  const C = DEFAULT_CALENDAR;

  it('carries a Friday 16:30 ticket with 4 business hours over to Monday 11:30', () => {
    expect(add(C, '2026-01-16T16:30:00+01:00', 240)).toBe(iso(at('2026-01-19T11:30:00+01:00')));
  });

  it('starts counting at the next opening: at night, on Sunday, during lunch', () => {
    expect(add(C, '2026-01-13T22:00:00+01:00', 60)).toBe(iso(at('2026-01-14T09:30:00+01:00')));
    expect(add(C, '2026-01-14T06:00:00+01:00', 60)).toBe(iso(at('2026-01-14T09:30:00+01:00')));
    expect(add(C, '2026-01-18T10:00:00+01:00', 30)).toBe(iso(at('2026-01-19T09:00:00+01:00')));
    expect(add(C, '2026-01-17T10:00:00+01:00', 30)).toBe(iso(at('2026-01-19T09:00:00+01:00')));
    expect(add(C, '2026-01-13T12:45:00+01:00', 30)).toBe(iso(at('2026-01-13T14:00:00+01:00')));
  });

  it('ends at a closing time rather than the next opening, and 0 minutes is the next opening', () => {
    expect(add(C, '2026-01-13T08:30:00+01:00', 240)).toBe(iso(at('2026-01-13T12:30:00+01:00')));
    expect(add(C, '2026-01-13T16:30:00+01:00', 60)).toBe(iso(at('2026-01-13T17:30:00+01:00')));
    expect(add(C, '2026-01-13T12:30:00+01:00', 0)).toBe(iso(at('2026-01-13T13:30:00+01:00')));
    expect(add(C, '2026-01-13T10:00:00+01:00', 0)).toBe(iso(at('2026-01-13T10:00:00+01:00')));
    expect(add(C, '2026-01-13T10:00:00.250+01:00', 1)).toBe(iso(at('2026-01-13T10:01:00.250+01:00')));
  });

  it('counts long durations: 40 and 1000 business hours', () => {
    // 40 h = 5 days of 8 h: Monday 08:30 → the next Monday 08:30 is the end of Friday 17:30.
    expect(add(C, '2026-01-12T08:30:00+01:00', 40 * 60)).toBe(iso(at('2026-01-16T17:30:00+01:00')));
    // 1000 h = 125 working days from Monday 5 January 2026, with Easter Monday, 1 and 8 May,
    // Ascension and Whit Monday on the way (and the DST change of 29 March).
    const end = addBusinessMinutes(C, at('2026-01-05T08:30:00+01:00'), 1000 * 60);
    expect(iso(end)).toBe(iso(at('2026-07-03T17:30:00+02:00')));
    expect(businessMinutesBetween(C, at('2026-01-05T08:30:00+01:00'), end)).toBe(60_000);
  });

  it('lands at the right wall-clock time across the DST changes of 2026', () => {
    // 29 March: 02:00 → 03:00. Friday 16:30 (+01:00) + 4 h → Monday 11:30 (+02:00).
    expect(add(C, '2026-03-27T16:30:00+01:00', 240)).toBe(iso(at('2026-03-30T11:30:00+02:00')));
    // 25 October: 03:00 → 02:00. Friday 16:30 (+02:00) + 4 h → Monday 11:30 (+01:00).
    expect(add(C, '2026-10-23T16:30:00+02:00', 240)).toBe(iso(at('2026-10-26T11:30:00+01:00')));
    // A whole week across each change is still 5 × 8 h.
    expect(businessMinutesBetween(C, at('2026-03-23T08:00:00+01:00'), at('2026-03-30T08:00:00+02:00'))).toBe(
      2400,
    );
    expect(businessMinutesBetween(C, at('2026-10-19T08:00:00+02:00'), at('2026-10-26T08:00:00+01:00'))).toBe(
      2400,
    );
    expect(isBusinessTime(C, at('2026-03-30T08:30:00+02:00'))).toBe(true);
    expect(isBusinessTime(C, at('2026-03-30T08:29:59+02:00'))).toBe(false);
    expect(isBusinessTime(C, at('2026-10-26T08:30:00+01:00'))).toBe(true);
    expect(isBusinessTime(C, at('2026-10-26T08:29:59+01:00'))).toBe(false);
  });

  it('skips Christmas, the weekend and New Year', () => {
    // Thursday 24 December 16:00: 1.5 h, then Friday 25 (holiday), weekend, Monday 28: 6.5 h.
    expect(add(C, '2026-12-24T16:00:00+01:00', 480)).toBe(iso(at('2026-12-28T16:00:00+01:00')));
    // Thursday 31 December 17:00: 0.5 h, then 1 January (Friday), weekend, Monday 4 January 2027.
    expect(add(C, '2026-12-31T17:00:00+01:00', 60)).toBe(iso(at('2027-01-04T09:00:00+01:00')));
    expect(businessMinutesBetween(C, at('2026-12-24T08:30:00+01:00'), at('2027-01-04T08:30:00+01:00'))).toBe(
      5 * 480,
    );
    expect(iso(nextOpening(C, at('2026-12-24T18:00:00+01:00')))).toBe(iso(at('2026-12-28T08:30:00+01:00')));
  });

  it('counts a year of business time', () => {
    // 2026: 261 weekdays, 9 holidays on weekdays (15 August and 1 November fall on a weekend).
    expect(businessMinutesBetween(C, at('2026-01-01T00:00:00+01:00'), at('2027-01-01T00:00:00+01:00'))).toBe(
      252 * 480,
    );
  });
});

describe('holidays and exceptions', () => {
  it('closes holidays that fall on a weekend without moving them', () => {
    const saturdays = calendar({ hours: { ...DEFAULT_CALENDAR.hours, 6: [['09:00', '12:00']] } });
    expect(isBusinessTime(saturdays, at('2026-08-15T10:00:00+02:00'))).toBe(false); // Saturday 15 August
    expect(isBusinessTime(saturdays, at('2026-08-22T10:00:00+02:00'))).toBe(true);
    expect(isBusinessTime(saturdays, at('2026-08-17T10:00:00+02:00'))).toBe(true); // no substitute day
    // Sunday 1 November 2026: Monday 2 November is a normal day.
    expect(add(DEFAULT_CALENDAR, '2026-10-30T17:00:00+01:00', 60)).toBe(iso(at('2026-11-02T09:00:00+01:00')));
  });

  it('can ignore French holidays', () => {
    const noHolidays = calendar({ frenchHolidays: false });
    expect(add(noHolidays, '2026-12-24T17:00:00+01:00', 60)).toBe(iso(at('2026-12-25T09:00:00+01:00')));
  });

  it('closes an extra closed day', () => {
    // Ascension Thursday 14 May 2026 and the bridge Friday 15 May.
    const bridge = calendar({ closedDays: ['2026-05-15'] });
    expect(add(bridge, '2026-05-13T17:00:00+02:00', 60)).toBe(iso(at('2026-05-18T09:00:00+02:00')));
    expect(add(DEFAULT_CALENDAR, '2026-05-13T17:00:00+02:00', 60)).toBe(iso(at('2026-05-15T09:00:00+02:00')));
  });

  it('opens a holiday listed in openDays with its normal weekday hours', () => {
    // Whit Monday 25 May 2026 worked (journée de solidarité).
    const solidarity = calendar({ openDays: ['2026-05-25'] });
    expect(add(solidarity, '2026-05-22T17:00:00+02:00', 60)).toBe(iso(at('2026-05-25T09:00:00+02:00')));
    expect(add(DEFAULT_CALENDAR, '2026-05-22T17:00:00+02:00', 60)).toBe(iso(at('2026-05-26T09:00:00+02:00')));
    // A Saturday holiday listed in openDays has no Saturday hours: still closed.
    const saturday = calendar({ openDays: ['2026-08-15'] });
    expect(isBusinessTime(saturday, at('2026-08-15T10:00:00+02:00'))).toBe(false);
    // closedDays wins over openDays.
    const both = calendar({ openDays: ['2026-05-25'], closedDays: ['2026-05-25'] });
    expect(add(both, '2026-05-22T17:00:00+02:00', 60)).toBe(iso(at('2026-05-26T09:00:00+02:00')));
  });
});

describe('wall-clock hours on the days of a DST change', () => {
  it('a 24-hour calendar has 23 hours on 29 March 2026 and 25 hours on 25 October 2026', () => {
    const day = (from: string, to: string) => businessMinutesBetween(ALWAYS, at(from), at(to)) / 60;
    expect(day('2026-03-29T00:00:00+01:00', '2026-03-30T00:00:00+02:00')).toBe(23);
    expect(day('2026-10-25T00:00:00+02:00', '2026-10-26T00:00:00+01:00')).toBe(25);
    expect(add(ALWAYS, '2026-03-29T00:00:00+01:00', 24 * 60)).toBe(iso(at('2026-03-30T01:00:00+02:00')));
    expect(add(ALWAYS, '2026-10-25T00:00:00+02:00', 24 * 60)).toBe(iso(at('2026-10-25T23:00:00+01:00')));
  });

  it('counts the real time between wall-clock bounds that span the change', () => {
    const night = calendar({ hours: { ...DEFAULT_CALENDAR.hours, 0: [['01:00', '04:00']] } });
    const sunday = (from: string, to: string) => businessMinutesBetween(night, at(from), at(to));
    // 01:00–02:00, then 03:00–04:00 (02:00–03:00 does not exist).
    expect(sunday('2026-03-29T00:00:00+01:00', '2026-03-29T12:00:00+02:00')).toBe(120);
    // 01:00 (+02:00) to 04:00 (+01:00): four real hours, 02:00–03:00 twice.
    expect(sunday('2026-10-25T00:00:00+02:00', '2026-10-25T12:00:00+01:00')).toBe(240);
    expect(add(night, '2026-03-29T01:30:00+01:00', 60)).toBe(iso(at('2026-03-29T03:30:00+02:00')));
    expect(add(night, '2026-10-25T01:30:00+02:00', 90)).toBe(iso(at('2026-10-25T02:00:00+01:00')));
    // Hours entirely inside the skipped hour do not exist that day.
    const gap = calendar({ hours: { ...same([]), 0: [['02:15', '02:45']] } });
    expect(add(gap, '2026-03-28T12:00:00+01:00', 10)).toBe(iso(at('2026-04-05T02:25:00+02:00')));
  });
});

describe('businessMinutesBetween', () => {
  const C = DEFAULT_CALENDAR;
  const tuesday = (time: string) => at(`2026-01-13T${time}:00+01:00`);

  it('counts business minutes and returns 0 when end <= start', () => {
    expect(businessMinutesBetween(C, tuesday('09:00'), tuesday('17:00'))).toBe(420);
    expect(businessMinutesBetween(C, tuesday('17:00'), tuesday('09:00'))).toBe(0);
    expect(businessMinutesBetween(C, tuesday('09:00'), tuesday('09:00'))).toBe(0);
    expect(businessMinutesBetween(C, tuesday('12:40'), tuesday('13:20'))).toBe(0);
    // Whole minutes, rounded down.
    expect(businessMinutesBetween(C, tuesday('09:00'), at('2026-01-13T09:01:59+01:00'))).toBe(1);
  });

  it('leaves out pauses, overlapping or open-ended', () => {
    const pauses = [
      { from: tuesday('10:00'), to: tuesday('11:00') },
      { from: tuesday('10:30'), to: tuesday('12:00') },
    ];
    expect(businessMinutesBetween(C, tuesday('09:00'), tuesday('17:00'), pauses)).toBe(300);
    const waiting = [...pauses, { from: tuesday('16:00'), to: null }];
    expect(businessMinutesBetween(C, tuesday('09:00'), tuesday('17:00'), waiting)).toBe(240);
    // Pauses outside the interval, empty, or covering it all.
    expect(
      businessMinutesBetween(C, tuesday('09:00'), tuesday('17:00'), [
        { from: tuesday('07:00'), to: tuesday('09:30') },
        { from: tuesday('16:30'), to: tuesday('18:00') },
        { from: tuesday('15:00'), to: tuesday('14:00') },
      ]),
    ).toBe(360);
    expect(
      businessMinutesBetween(C, tuesday('09:00'), tuesday('17:00'), [{ from: tuesday('08:00'), to: null }]),
    ).toBe(0);
    // A pause over the weekend changes nothing; one over Monday does.
    const friday = at('2026-01-16T17:00:00+01:00');
    const tuesdayNext = at('2026-01-20T09:00:00+01:00');
    expect(businessMinutesBetween(C, friday, tuesdayNext)).toBe(30 + 480 + 30);
    expect(
      businessMinutesBetween(C, friday, tuesdayNext, [
        { from: at('2026-01-19T00:00:00+01:00'), to: tuesdayNext },
      ]),
    ).toBe(30);
  });

  it('agrees with addBusinessMinutes on random starts and durations', () => {
    const rnd = random(20260329);
    const calendars = [
      DEFAULT_CALENDAR,
      calendar({
        closedDays: ['2026-05-15', '2026-12-24', '2027-08-16'],
        openDays: ['2026-05-25', '2027-05-17'],
      }),
      calendar({ hours: { ...DEFAULT_CALENDAR.hours, 0: [['01:00', '04:00']], 6: [['00:00', '24:00']] } }),
      calendar({ timeZone: 'America/New_York', hours: same([['07:00', '19:00']]), frenchHolidays: false }),
    ];
    const from = Date.parse('2025-01-01T00:00:00Z');
    const span = Date.parse('2028-01-01T00:00:00Z') - from;
    for (let i = 0; i < 400; i++) {
      const cal = calendars[i % calendars.length]!;
      const start = new Date(from + Math.floor(rnd() * span));
      const minutes = i % 5 === 0 ? Math.floor(rnd() * 150_000) : Math.floor(rnd() * 3_000);
      const end = addBusinessMinutes(cal, start, minutes);
      expect(businessMinutesBetween(cal, start, end)).toBe(minutes);
      if (minutes > 0) expect(isBusinessTime(cal, new Date(end.getTime() - 1))).toBe(true);
      const opening = nextOpening(cal, start);
      expect(isBusinessTime(cal, opening)).toBe(true);
      expect(iso(addBusinessMinutes(cal, start, 0))).toBe(iso(opening));
      expect(businessMinutesBetween(cal, start, opening)).toBe(0);
      // And the other way round: the minutes counted to a random end fit before it (and one more does not).
      const other = new Date(start.getTime() + Math.floor(rnd() * 30 * 86_400_000));
      const counted = businessMinutesBetween(cal, start, other);
      if (counted > 0)
        expect(addBusinessMinutes(cal, start, counted).getTime()).toBeLessThanOrEqual(other.getTime());
      expect(addBusinessMinutes(cal, start, counted + 1).getTime()).toBeGreaterThan(other.getTime());
    }
  });
});

describe('isBusinessTime against Intl in several time zones', () => {
  it('matches the local wall-clock time of random instants', () => {
    const hours: WeeklyHours = {
      0: [],
      1: [
        ['07:15', '11:45'],
        ['13:00', '24:00'],
      ],
      2: [['08:00', '18:00']],
      3: [['05:30', '23:59']],
      4: [['08:00', '18:00']],
      5: [['12:00', '24:00']],
      6: [['06:00', '09:00']],
    };
    const zones = [
      'Europe/Paris',
      'America/New_York',
      'America/Santiago',
      'Australia/Lord_Howe',
      'Pacific/Chatham',
      'Asia/Kolkata',
      'UTC',
    ];
    const rnd = random(42);
    const from = Date.parse('2020-01-01T00:00:00Z');
    const span = Date.parse('2031-01-01T00:00:00Z') - from;
    for (const timeZone of zones) {
      const cal: BusinessCalendar = { timeZone, hours, frenchHolidays: true, closedDays: ['2026-06-03'] };
      const fmt = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
      });
      for (let i = 0; i < 300; i++) {
        const t = new Date(from + Math.floor(rnd() * span));
        const p = Object.fromEntries(fmt.formatToParts(t).map((x) => [x.type, x.value]));
        const date = `${p.year}-${p.month}-${p.day}`;
        const hhmm = `${p.hour}:${p.minute}`;
        const wd = new Date(`${date}T00:00:00Z`).getUTCDay() as keyof WeeklyHours;
        const closed = date === '2026-06-03' || frenchPublicHolidays(Number(p.year)).includes(date);
        const expected = !closed && hours[wd].some(([s, e]) => hhmm >= s && hhmm < e);
        expect(isBusinessTime(cal, t), `${timeZone} ${date} ${hhmm}`).toBe(expected);
      }
    }
  });
});

describe('a calendar that is never open', () => {
  it('throws instead of looping', () => {
    const never = calendar({ hours: same([]) });
    expect(() => addBusinessMinutes(never, at('2026-01-13T09:00:00+01:00'), 60)).toThrow(/never open/);
    expect(() => nextOpening(never, at('2026-01-13T09:00:00+01:00'))).toThrow(/never open/);
    expect(isBusinessTime(never, at('2026-01-13T09:00:00+01:00'))).toBe(false);
    expect(businessMinutesBetween(never, at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'))).toBe(0);

    const closedDays: string[] = [];
    for (
      let d = Date.parse('2026-01-01T00:00:00Z');
      d < Date.parse('2027-03-01T00:00:00Z');
      d += 86_400_000
    ) {
      closedDays.push(new Date(d).toISOString().slice(0, 10));
    }
    const shut = calendar({ closedDays });
    expect(() => addBusinessMinutes(shut, at('2026-01-01T09:00:00+01:00'), 60)).toThrow(
      /no open hour in the 400 days/,
    );
    expect(
      iso(nextOpening(calendar({ closedDays: closedDays.slice(0, 300) }), at('2026-01-01T00:00:00Z'))),
    ).toBe(iso(at('2026-10-28T08:30:00+01:00')));
  });
});

describe('argument checks', () => {
  it('refuses bad minutes, invalid dates and malformed calendars', () => {
    const C = DEFAULT_CALENDAR;
    const t = at('2026-01-13T09:00:00+01:00');
    expect(() => addBusinessMinutes(C, t, -1)).toThrow(RangeError);
    expect(() => addBusinessMinutes(C, t, 1.5)).toThrow(RangeError);
    expect(() => addBusinessMinutes(C, new Date(Number.NaN), 1)).toThrow(RangeError);
    expect(() => businessMinutesBetween(C, t, t, [{ from: new Date(Number.NaN), to: null }])).toThrow(
      RangeError,
    );
    const bad = calendar({ hours: { ...C.hours, 1: [['12:00', '08:00']] } });
    expect(() => addBusinessMinutes(bad, t, 1)).toThrow(/hours\.1\.0 start_not_before_end/);
    expect(() => isBusinessTime(calendar({ timeZone: 'Mars/Olympus' }), t)).toThrow(/time zone/);
  });

  it('keeps DEFAULT_CALENDAR frozen', () => {
    expect(Object.isFrozen(DEFAULT_CALENDAR)).toBe(true);
    expect(Object.isFrozen(DEFAULT_CALENDAR.hours[1])).toBe(true);
  });
});

describe('validateCalendar', () => {
  it('accepts the default calendar and normalises what is left out', () => {
    expect(validateCalendar(DEFAULT_CALENDAR)).toEqual({ ok: true, calendar: DEFAULT_CALENDAR });
    const r = validateCalendar({
      timeZone: 'Europe/Paris',
      hours: { 1: [['00:00', '24:00']] },
      closedDays: ['2026-05-15', '2026-01-02', '2026-05-15'],
      openDays: ['2026-05-25'],
    });
    expect(r).toEqual({
      ok: true,
      calendar: {
        timeZone: 'Europe/Paris',
        hours: { 0: [], 1: [['00:00', '24:00']], 2: [], 3: [], 4: [], 5: [], 6: [] },
        frenchHolidays: true,
        closedDays: ['2026-01-02', '2026-05-15'],
        openDays: ['2026-05-25'],
      },
    });
  });

  it('rejects bad input with the path of each error', () => {
    const r = validateCalendar({
      timeZone: 'Europe/Pariss',
      hours: {
        1: [
          ['12:00', '08:30'],
          ['8:30', '25:00'],
        ],
        2: [
          ['08:00', '12:00'],
          ['11:00', '14:00'],
        ],
        3: [
          ['14:00', '16:00'],
          ['08:00', '12:00'],
        ],
        4: [['08:00', '12:60'], ['08:00'], 'x'],
        5: 'closed',
        7: [],
      },
      frenchHolidays: 'yes',
      closedDays: ['2026-02-30', '2026-13-01', 20260101, '2026-05-15'],
      openDays: ['2026-05-15', '26-05-25'],
      extra: 1,
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual(
      expect.arrayContaining([
        { path: 'extra', code: 'unknown_key' },
        { path: 'timeZone', code: 'bad_time_zone' },
        { path: 'hours.1.0', code: 'start_not_before_end' },
        { path: 'hours.1.1.0', code: 'bad_time' },
        { path: 'hours.1.1.1', code: 'bad_time' },
        { path: 'hours.2.1', code: 'overlap' },
        { path: 'hours.3.1', code: 'unsorted' },
        { path: 'hours.4.0.1', code: 'bad_time' },
        { path: 'hours.4.1', code: 'bad_range' },
        { path: 'hours.4.2', code: 'bad_range' },
        { path: 'hours.5', code: 'bad_type' },
        { path: 'hours.7', code: 'unknown_key' },
        { path: 'frenchHolidays', code: 'bad_type' },
        { path: 'closedDays.0', code: 'bad_date' },
        { path: 'closedDays.1', code: 'bad_date' },
        { path: 'closedDays.2', code: 'bad_date' },
        { path: 'openDays.0', code: 'conflict' },
        { path: 'openDays.1', code: 'bad_date' },
      ]),
    );
    expect(r.errors).toHaveLength(18);
  });

  it('rejects a missing or non-object calendar', () => {
    expect(validateCalendar(null)).toEqual({ ok: false, errors: [{ path: '', code: 'not_object' }] });
    expect(validateCalendar({})).toEqual({
      ok: false,
      errors: [
        { path: 'timeZone', code: 'required' },
        { path: 'hours', code: 'required' },
      ],
    });
    expect(validateCalendar({ timeZone: 'UTC', hours: { 1: [['24:00', '24:00']] } })).toEqual({
      ok: false,
      errors: [{ path: 'hours.1.0', code: 'start_not_before_end' }],
    });
  });
});

describe('speed', () => {
  it('runs a small timing loop (not asserted)', () => {
    const start = Date.parse('2026-01-05T10:00:00+01:00');
    let last = 0;
    for (let i = 0; i < 2_000; i++) {
      last = addBusinessMinutes(
        DEFAULT_CALENDAR,
        new Date(start + i * 3_600_000),
        i % 2 ? 2_400 : 100_000,
      ).getTime();
    }
    expect(last).toBeGreaterThan(start);
  });
});
