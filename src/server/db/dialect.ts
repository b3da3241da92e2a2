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
};

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
    };
  }
  return {
    name,
    types: { timestamp: 'text', boolean: 'integer', json: 'text', bigint: 'integer' },
    containsInsensitive: (column, needle) =>
      sql<SqlBool>`${column} LIKE ${`%${escapeLike(needle)}%`} ESCAPE '\\'`,
    bool: (value) => sql<boolean>`${sql.lit(value ? 1 : 0)}`,
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
