import { CompiledQuery, type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

/**
 * Every difference between the two databases lives here, so modules never branch on the dialect.
 */
export type DialectHelpers = {
  name: DialectName;
  /** Column types for migrations. */
  types: {
    timestamp: 'text' | 'timestamptz';
    boolean: 'integer' | 'boolean';
    json: 'text' | 'jsonb';
    bigint: 'integer' | 'bigint';
  };
  /** Case-insensitive "contains" for short text columns. */
  containsInsensitive(column: Expression<unknown>, needle: string): RawBuilder<SqlBool>;
  /** SQL that returns the true/false literal for this database. */
  bool(value: boolean): RawBuilder<boolean>;
  /**
   * `column` starts with `prefix` (an ASCII materialised path), in a form the database answers from
   * an index: a byte range on SQLite (its LIKE is case-insensitive and skips BINARY indexes), LIKE on
   * PostgreSQL (with a text_pattern_ops index).
   */
  startsWith(column: string, prefix: string): RawBuilder<SqlBool>;
  /**
   * Rows of `table` whose folded text column contains every word (substring match, any position).
   * Words are already folded (lower case, no accents). PostgreSQL's planner weighs its pg_trgm index
   * itself. SQLite has no statistics on LIKE: `viaIndex: true` goes through the FTS5 trigram table
   * `<table>_search` (few matches), `viaIndex: false` checks each row (walking another index).
   */
  containsWords(
    table: string,
    column: string,
    words: string[],
    opts?: { viaIndex: boolean },
  ): RawBuilder<SqlBool>;
  /** `column` is one of `values`, bound as one parameter (one statement text for any count). */
  inList(column: string, values: string[]): RawBuilder<SqlBool>;
  /**
   * Rows of text as a derived table with columns c0, c1…, bound as one parameter per column (unnest
   * over text arrays on PostgreSQL) or one in all (json_each on SQLite): one statement text for any
   * count, and no builder walking thousands of values.
   */
  rowSet(rows: ReadonlyArray<ReadonlyArray<string | null>>, width: number): RawBuilder<unknown>;
  /** A timestamp bound where PostgreSQL cannot infer its type (a SELECT list feeding an INSERT). */
  timestampValue(iso: string): RawBuilder<unknown>;
  /**
   * A lock on `key` held until the transaction ends, serialising the writers of one thing across
   * instances: an advisory lock on PostgreSQL; undefined on SQLite, whose writers take turns anyway.
   */
  transactionLock(key: string): RawBuilder<unknown> | undefined;
};

const rowColumns = (width: number) => Array.from({ length: width }, (_, i) => `c${i}`);

function likeAll(table: string, column: string, words: string[]): RawBuilder<SqlBool> {
  const parts = words.map(
    (w) => sql`${sql.ref(`${table}.${column}`)} LIKE ${`%${escapeLike(w)}%`} ESCAPE '\\'`,
  );
  return sql<SqlBool>`(${sql.join(parts, sql` AND `)})`;
}

/** The smallest string greater than every string starting with `prefix`. */
function prefixUpperBound(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

function escapeLike(needle: string): string {
  return needle.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function dialectHelpers(name: DialectName): DialectHelpers {
  if (name === 'postgres') {
    return {
      name,
      types: { timestamp: 'timestamptz', boolean: 'boolean', json: 'jsonb', bigint: 'bigint' },
      containsInsensitive: (column, needle) => sql<SqlBool>`${column} ILIKE ${`%${escapeLike(needle)}%`}`,
      bool: (value) => sql<boolean>`${sql.lit(value)}`,
      startsWith: (column, prefix) => sql<SqlBool>`${sql.ref(column)} LIKE ${`${escapeLike(prefix)}%`}`,
      containsWords: (table, column, words) => likeAll(table, column, words),
      inList: (column, values) => sql<SqlBool>`${sql.ref(column)} = ANY(${values}::text[])`,
      rowSet: (rows, width) => {
        const columns = rowColumns(width);
        const arrays = columns.map((_, i) => sql`${rows.map((r) => r[i] ?? null)}::text[]`);
        return sql`(SELECT * FROM unnest(${sql.join(arrays)}) AS t(${sql.raw(columns.join(', '))}))`;
      },
      timestampValue: (iso) => sql`CAST(${iso} AS timestamptz)`,
      transactionLock: (key) => sql`select pg_advisory_xact_lock(hashtext(${key}))`,
    };
  }
  return {
    name,
    types: { timestamp: 'text', boolean: 'integer', json: 'text', bigint: 'integer' },
    containsInsensitive: (column, needle) =>
      sql<SqlBool>`${column} LIKE ${`%${escapeLike(needle)}%`} ESCAPE '\\'`,
    bool: (value) => sql<boolean>`${sql.lit(value ? 1 : 0)}`,
    startsWith: (column, prefix) =>
      sql<SqlBool>`(${sql.ref(column)} >= ${prefix} AND ${sql.ref(column)} < ${prefixUpperBound(prefix)})`,
    containsWords: (table, column, words, opts = { viaIndex: true }) => {
      // The trigram index needs three characters; shorter words are checked on the row itself.
      const indexed = words.filter((w) => w.length >= 3);
      if (indexed.length === 0 || !opts.viaIndex) return likeAll(table, column, words);
      const match = indexed.map((w) => `"${w.replace(/"/g, '""')}"`).join(' AND ');
      const fts = sql`${sql.ref(`${table}.rowid`)} IN (SELECT rowid FROM ${sql.table(`${table}_search`)} WHERE ${sql.table(`${table}_search`)} MATCH ${match})`;
      const short = words.filter((w) => w.length < 3);
      return short.length === 0
        ? sql<SqlBool>`${fts}`
        : sql<SqlBool>`(${fts} AND ${likeAll(table, column, short)})`;
    },
    inList: (column, values) =>
      sql<SqlBool>`${sql.ref(column)} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`,
    rowSet: (rows, width) => {
      const select = rowColumns(width)
        .map((c, i) => `value ->> ${i} AS ${c}`)
        .join(', ');
      return sql`(SELECT ${sql.raw(select)} FROM json_each(${JSON.stringify(rows)}))`;
    },
    timestampValue: (iso) => sql`${iso}`,
    transactionLock: () => undefined,
  };
}

/**
 * A pre-written statement for the few hot paths (every request's session lookup): it skips Kysely's
 * query building, which costs more than the query itself. Write `?` placeholders; PostgreSQL gets $n.
 */
export function hotQuery<Row>(
  dialect: DialectName,
  text: string,
  params: readonly unknown[],
): CompiledQuery<Row> {
  let n = 0;
  const sqlText = dialect === 'postgres' ? text.replace(/\?/g, () => `$${++n}`) : text;
  return CompiledQuery.raw(sqlText, [...params]) as CompiledQuery<Row>;
}
