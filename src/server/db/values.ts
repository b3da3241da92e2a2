/**
 * Row value conversions, the only place that knows how each type is stored:
 * booleans are 0/1 in SQLite and boolean in PostgreSQL; JSON is TEXT in SQLite and jsonb in PostgreSQL
 * (pg parses it); timestamps are ISO-8601 strings in both (a pg type parser normalises timestamptz).
 */
export type DbBool = boolean | number;
export type DbJson = string | object | null;

export function toBool(value: DbBool | null | undefined): boolean {
  return value === true || value === 1;
}

export function toJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

export function fromJson<T>(value: DbJson | undefined): T {
  if (value === null || value === undefined) return null as T;
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** Canonical timestamp string: UTC, milliseconds, Z. */
export function iso(date: Date): string {
  return date.toISOString();
}

export function toIso(value: string | Date | null): string | null {
  if (value === null) return null;
  return typeof value === 'string' ? new Date(value).toISOString() : value.toISOString();
}
