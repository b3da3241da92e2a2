import { type RawBuilder, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';

/** The organisations a query may see: every one, or a list (possibly empty). */
export type OrgScope = 'all' | readonly string[];

/**
 * The organisation scoping every module uses: restricts a query to the rows of the organisations in
 * `scope`, which comes from `orgsWhere(actor, action)`. An empty scope matches nothing.
 */
export function whereOrg<DB, TB extends keyof DB, O>(
  qb: SelectQueryBuilder<DB, TB, O>,
  column: string,
  scope: OrgScope,
): SelectQueryBuilder<DB, TB, O> {
  if (scope === 'all') return qb;
  if (scope.length === 0) return qb.where(sql<SqlBool>`1 = 0`);
  return qb.where(sql.ref(column), 'in', scope as string[]);
}

export function inScope(scope: OrgScope, orgId: string | null | undefined): boolean {
  if (scope === 'all') return true;
  return !!orgId && scope.includes(orgId);
}

/**
 * Keyset condition "after this row" for a list sorted on (column, id): a row-value comparison, which
 * both databases answer from an index on those columns. Every paged list uses it with its cursor.
 */
export function keysetAfter(
  column: string,
  idColumn: string,
  after: readonly [unknown, unknown],
  direction: 'asc' | 'desc' = 'asc',
): RawBuilder<SqlBool> {
  const cmp = direction === 'asc' ? sql`>` : sql`<`;
  return sql<SqlBool>`(${sql.ref(column)}, ${sql.ref(idColumn)}) ${cmp} (${after[0]}, ${after[1]})`;
}
