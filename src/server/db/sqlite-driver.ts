import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * Kysely's SQLite dialect prepares every statement afresh, which costs about 3x on point lookups.
 * This wrapper keeps prepared statements by SQL text (bounded, least recently used out first) and
 * converts the values better-sqlite3 cannot bind: booleans become 0/1, Dates ISO strings.
 */
export function cachedSqlite(raw: BetterSqlite3.Database, capacity = 500): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => raw.close(),
    prepare(sql: string): SqliteStatement {
      const hit = cache.get(sql);
      if (hit) {
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const stmt = wrap(raw.prepare(sql));
      cache.set(sql, stmt);
      if (cache.size > capacity) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      return stmt;
    },
  };
}

function bindable(params: ReadonlyArray<unknown>): unknown[] {
  return params.map((v) => {
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (v instanceof Date) return v.toISOString();
    return v;
  });
}

function wrap(stmt: BetterSqlite3.Statement): SqliteStatement {
  return {
    reader: stmt.reader,
    all: (params) => stmt.all(...bindable(params)),
    run: (params) => stmt.run(...bindable(params)),
    iterate: (params) => stmt.iterate(...bindable(params)),
  };
}
