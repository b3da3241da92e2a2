import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Ctx } from '../../context.js';
import { type OrgScope, whereOrg } from '../../db/scope.js';
import type { StockLevelTable } from './stock.tables.js';

type DbCtx = Pick<Ctx, 'db' | 'dialect'>;
type Key = { articleId: string; stockLocationId: string };

// --- levels: every change is one conditional statement -------------------------------------------

/**
 * The changes a movement makes to one level. Each is a single UPDATE whose WHERE states what must hold
 * (enough available, enough reserved): it is checked against the row as it is when written, so two
 * technicians taking the last item at once cannot both succeed (PostgreSQL re-checks the condition
 * on the row the first one committed; SQLite writers take turns). No row back means "refused".
 */
const CHANGES = {
  /** Out, transfer out, adjustment down: from what is not reserved. */
  take: (n: number) => ({
    set: { quantity: sql<number>`quantity - ${n}` },
    when: sql<SqlBool>`quantity - reserved >= ${n}`,
  }),
  reserve: (n: number) => ({
    set: { reserved: sql<number>`reserved + ${n}` },
    when: sql<SqlBool>`quantity - reserved >= ${n}`,
  }),
  release: (n: number) => ({
    set: { reserved: sql<number>`reserved - ${n}` },
    when: sql<SqlBool>`reserved >= ${n}`,
  }),
  /** A reservation used: the items leave, and are no longer reserved. */
  consume: (n: number) => ({
    set: { quantity: sql<number>`quantity - ${n}`, reserved: sql<number>`reserved - ${n}` },
    when: sql<SqlBool>`reserved >= ${n}`,
  }),
} as const;
export type LevelChange = keyof typeof CHANGES;

export async function changeLevel(
  ctx: DbCtx & Pick<Ctx, 'now'>,
  key: Key,
  change: LevelChange,
  n: number,
): Promise<StockLevelTable | undefined> {
  const { set, when } = CHANGES[change](n);
  return ctx.db
    .updateTable('stock_level')
    .set({ ...set, updated_at: ctx.now.toISOString() })
    .where('article_id', '=', key.articleId)
    .where('stock_location_id', '=', key.stockLocationId)
    .where(when)
    .returningAll()
    .executeTakeFirst();
}

/** Adds `n` on hand, creating the level on the first arrival. */
export async function addToLevel(
  ctx: DbCtx & Pick<Ctx, 'now'>,
  key: Key & { orgId: string },
  n: number,
): Promise<StockLevelTable> {
  const now = ctx.now.toISOString();
  return ctx.db
    .insertInto('stock_level')
    .values({
      article_id: key.articleId,
      stock_location_id: key.stockLocationId,
      org_id: key.orgId,
      quantity: n,
      reserved: 0,
      min_quantity: 0,
      updated_at: now,
      version: 1,
    })
    .onConflict((oc) =>
      oc.columns(['article_id', 'stock_location_id']).doUpdateSet({
        quantity: sql<number>`stock_level.quantity + ${n}`,
        updated_at: now,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Holds the level's row until the transaction ends (a count is booked against a stable figure). */
export async function lockLevel(ctx: DbCtx, key: Key): Promise<void> {
  await ctx.db
    .updateTable('stock_level')
    .set({ version: sql<number>`version` })
    .where('article_id', '=', key.articleId)
    .where('stock_location_id', '=', key.stockLocationId)
    .execute();
}

export async function findLevel(ctx: DbCtx, key: Key): Promise<StockLevelTable | undefined> {
  return ctx.db
    .selectFrom('stock_level')
    .selectAll()
    .where('article_id', '=', key.articleId)
    .where('stock_location_id', '=', key.stockLocationId)
    .executeTakeFirst();
}

export async function levelsAt(ctx: DbCtx, stockLocationId: string): Promise<StockLevelTable[]> {
  return ctx.db
    .selectFrom('stock_level')
    .selectAll()
    .where('stock_location_id', '=', stockLocationId)
    .execute();
}

/** Sets the minimum (If-Match on the level's version; version 0: the level does not exist yet). */
export async function setMinimum(
  ctx: DbCtx & Pick<Ctx, 'now'>,
  key: Key & { orgId: string },
  expectedVersion: number,
  minQuantity: number,
): Promise<StockLevelTable | undefined> {
  const now = ctx.now.toISOString();
  const db = ctx.db;
  if (expectedVersion === 0) {
    return db
      .insertInto('stock_level')
      .values({
        article_id: key.articleId,
        stock_location_id: key.stockLocationId,
        org_id: key.orgId,
        quantity: 0,
        reserved: 0,
        min_quantity: minQuantity,
        updated_at: now,
        version: 1,
      })
      .onConflict((oc) => oc.columns(['article_id', 'stock_location_id']).doNothing())
      .returningAll()
      .executeTakeFirst();
  }
  return db
    .updateTable('stock_level')
    .set({ min_quantity: minQuantity, updated_at: now, version: expectedVersion + 1 })
    .where('article_id', '=', key.articleId)
    .where('stock_location_id', '=', key.stockLocationId)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
}

// --- level lists ---------------------------------------------------------------------------------

export type LevelRow = StockLevelTable & {
  article_name: string;
  reference: string | null;
  unit: string;
  lead_time_days: number;
  location_name: string;
};

export type LevelSort = 'article' | 'location' | 'available';

/** The sort key of a row, then the level's own key as tie-break: the list's keyset. */
export function levelSortKey(row: LevelRow, sort: LevelSort): Array<string | number> {
  const head =
    sort === 'article'
      ? [row.article_name]
      : sort === 'location'
        ? [row.location_name, row.article_name]
        : [row.quantity - row.reserved];
  return [...head, row.article_id, row.stock_location_id];
}

const SORT_COLUMNS: Record<LevelSort, RawBuilder<unknown>[]> = {
  article: [sql`a.name`],
  location: [sql`sl.name`, sql`a.name`],
  available: [sql`(l.quantity - l.reserved)`],
};

const toReorder = sql<SqlBool>`(l.min_quantity > 0 AND l.quantity - l.reserved <= l.min_quantity)`;

export type LevelFilter = {
  scope: OrgScope;
  orgId?: string | undefined;
  stockLocationId?: string | undefined;
  articleId?: string | undefined;
  words: string[];
  toReorder?: boolean | undefined;
};

/** The live levels a filter keeps (articles and stock locations not deleted): the list and its count. */
function filteredLevels(ctx: DbCtx, f: LevelFilter) {
  let q = whereOrg(
    ctx.db
      .selectFrom('stock_level as l')
      .innerJoin('stock_article as a', 'a.id', 'l.article_id')
      .innerJoin('stock_location as sl', 'sl.id', 'l.stock_location_id')
      .where('a.deleted_at', 'is', null)
      .where('sl.deleted_at', 'is', null),
    'l.org_id',
    f.scope,
  );
  if (f.orgId) q = q.where('l.org_id', '=', f.orgId);
  if (f.stockLocationId) q = q.where('l.stock_location_id', '=', f.stockLocationId);
  if (f.articleId) q = q.where('l.article_id', '=', f.articleId);
  for (const w of f.words) q = q.where(ctx.dialect.containsInsensitive(sql.ref('a.search_text'), w));
  if (f.toReorder === true) q = q.where(toReorder);
  if (f.toReorder === false) q = q.where(sql<SqlBool>`NOT ${toReorder}`);
  return q;
}

export async function listLevels(
  ctx: DbCtx,
  f: LevelFilter & {
    sort: LevelSort;
    order: 'asc' | 'desc';
    after?: ReadonlyArray<string | number | null> | undefined;
    limit: number;
  },
): Promise<LevelRow[]> {
  let q = filteredLevels(ctx, f)
    .selectAll('l')
    .select([
      'a.name as article_name',
      'a.reference',
      'a.unit',
      'a.lead_time_days',
      'sl.name as location_name',
    ]);
  const columns = [...SORT_COLUMNS[f.sort], sql`l.article_id`, sql`l.stock_location_id`];
  if (f.after) {
    const cmp = f.order === 'asc' ? sql`>` : sql`<`;
    q = q.where(sql<SqlBool>`(${sql.join(columns)}) ${cmp} (${sql.join([...f.after])})`);
  }
  for (const c of columns) q = q.orderBy(c, f.order);
  return (await q.limit(f.limit).execute()) as LevelRow[];
}

/** How many levels the list would show with the same filter. */
export async function countLevels(ctx: DbCtx, f: LevelFilter): Promise<number> {
  const row = await filteredLevels(ctx, f)
    .select(sql<number | string>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every level of an organisation, for the matrix: ids and figures only. */
export async function allLevels(
  ctx: DbCtx,
  orgId: string,
  max: number,
): Promise<
  Array<Pick<StockLevelTable, 'article_id' | 'stock_location_id' | 'quantity' | 'reserved' | 'min_quantity'>>
> {
  return ctx.db
    .selectFrom('stock_level')
    .select(['article_id', 'stock_location_id', 'quantity', 'reserved', 'min_quantity'])
    .where('org_id', '=', orgId)
    .limit(max)
    .execute();
}
