import { currentLanguage } from '../i18n/index.js';

const locales = { fr: 'fr-FR', en: 'en-GB' } as const;

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locales[currentLanguage()], {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(date);
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locales[currentLanguage()], { dateStyle: 'medium' }).format(date);
}

/** A value of <input type="datetime-local"> (local time) as the API's UTC ISO string. */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "il y a 3 jours", "in 2 hours": the largest unit that fits, against `now`. */
export function formatRelative(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const seconds = Math.round((date.getTime() - now) / 1000);
  const format = new Intl.RelativeTimeFormat(locales[currentLanguage()], { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  return format.format(0, 'minute');
}

/**
 * A size in megabytes, in the largest unit that keeps it above 1: 1000-based as disks are sold, or
 * 1024-based for memory.
 */
export function formatMegabytes(mb: number | null | undefined, base: 1000 | 1024 = 1000): string {
  if (mb === null || mb === undefined || !Number.isFinite(mb)) return '—';
  const units = ['Mo', 'Go', 'To'] as const;
  const en = ['MB', 'GB', 'TB'] as const;
  let value = mb;
  let i = 0;
  while (value >= base && i < units.length - 1) {
    value /= base;
    i += 1;
  }
  const number = new Intl.NumberFormat(locales[currentLanguage()], {
    maximumFractionDigits: value >= 100 || i === 0 ? 0 : 1,
  }).format(value);
  return `${number} ${(currentLanguage() === 'en' ? en : units)[i]}`;
}
