import { sql } from 'kysely';
import type { Ctx } from '../../context.js';
import { keysetAfter, type OrgScope, whereOrg } from '../../db/scope.js';
import { updateVersioned } from '../../db/versioned.js';
import type { StockArticleTable, StockLocationTable } from './stock.tables.js';

type DbCtx = Pick<Ctx, 'db' | 'dialect'>;

// --- stock locations -----------------------------------------------------------------------------

export async function findStockLocation(ctx: DbCtx, id: string): Promise<StockLocationTable | undefined> {
  return ctx.db
    .selectFrom('stock_location')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function insertStockLocation(ctx: DbCtx, row: StockLocationTable): Promise<void> {
  await ctx.db.insertInto('stock_location').values(row).execute();
}

/** The optimistic update: false when the stock location changed since `version` (or is gone). */
export async function updateStockLocation(
  ctx: DbCtx,
  id: string,
  version: number,
  set: Partial<Omit<StockLocationTable, 'id' | 'version' | 'org_id'>>,
): Promise<boolean> {
  return updateVersioned(ctx.db, 'stock_location', id, version, set);
}

/** By name, keyset-paged on (name, id). */
export async function listStockLocations(
  ctx: DbCtx,
  f: {
    scope: OrgScope;
    orgId?: string | undefined;
    q?: string | undefined;
    after?: readonly [string, string] | undefined;
    limit: number;
  },
): Promise<StockLocationTable[]> {
  let q = whereOrg(ctx.db.selectFrom('stock_location').selectAll(), 'org_id', f.scope).where(
    'deleted_at',
    'is',
    null,
  );
  if (f.orgId) q = q.where('org_id', '=', f.orgId);
  if (f.q) q = q.where(ctx.dialect.containsInsensitive(sql.ref('name'), f.q));
  if (f.after) q = q.where(keysetAfter('name', 'id', f.after));
  return q.orderBy('name').orderBy('id').limit(f.limit).execute();
}

/** Whether anything still refers to the stock location: quantities on hand, open orders or counts. */
export async function stockLocationInUse(ctx: DbCtx, id: string): Promise<boolean> {
  const db = ctx.db;
  const level = await db
    .selectFrom('stock_level')
    .select('article_id')
    .where('stock_location_id', '=', id)
    .where('quantity', '>', 0)
    .limit(1)
    .executeTakeFirst();
  if (level) return true;
  const order = await db
    .selectFrom('purchase_order')
    .select('id')
    .where('stock_location_id', '=', id)
    .where('status', 'in', ['ordered', 'partly_received'])
    .where('deleted_at', 'is', null)
    .limit(1)
    .executeTakeFirst();
  if (order) return true;
  const take = await db
    .selectFrom('stock_take')
    .select('id')
    .where('stock_location_id', '=', id)
    .where('status', '=', 'open')
    .limit(1)
    .executeTakeFirst();
  return !!take;
}

/** Every live store and article of an organisation, names only (the matrix of all levels). */
export async function namesOfOrg(
  ctx: DbCtx,
  orgId: string,
): Promise<{
  locations: Array<{ id: string; name: string }>;
  articles: Array<{ id: string; name: string; unit: string }>;
}> {
  const db = ctx.db;
  const locations = await db
    .selectFrom('stock_location')
    .select(['id', 'name'])
    .where('org_id', '=', orgId)
    .where('deleted_at', 'is', null)
    .orderBy('name')
    .orderBy('id')
    .execute();
  const articles = await db
    .selectFrom('stock_article')
    .select(['id', 'name', 'unit'])
    .where('org_id', '=', orgId)
    .where('deleted_at', 'is', null)
    .orderBy('name')
    .orderBy('id')
    .execute();
  return { locations, articles };
}

export async function stockLocationNames(ctx: DbCtx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await ctx.db
    .selectFrom('stock_location')
    .select(['id', 'name'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

// --- articles ------------------------------------------------------------------------------------

export async function findArticle(ctx: DbCtx, id: string): Promise<StockArticleTable | undefined> {
  return ctx.db
    .selectFrom('stock_article')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function findArticles(ctx: DbCtx, ids: string[]): Promise<StockArticleTable[]> {
  if (ids.length === 0) return [];
  return ctx.db
    .selectFrom('stock_article')
    .selectAll()
    .where('id', 'in', [...new Set(ids)])
    .where('deleted_at', 'is', null)
    .execute();
}

export async function insertArticle(ctx: DbCtx, row: StockArticleTable): Promise<void> {
  await ctx.db.insertInto('stock_article').values(row).execute();
}

/** The optimistic update: false when the article changed since `version` (or is gone). */
export async function updateArticle(
  ctx: DbCtx,
  id: string,
  version: number,
  set: Partial<Omit<StockArticleTable, 'id' | 'version' | 'org_id'>>,
): Promise<boolean> {
  return updateVersioned(ctx.db, 'stock_article', id, version, set);
}

/** By name, keyset-paged on (name, id); `words` are folded and must all appear in name or reference. */
export async function listArticles(
  ctx: DbCtx,
  f: {
    scope: OrgScope;
    orgId?: string | undefined;
    words: string[];
    after?: readonly [string, string] | undefined;
    limit: number;
  },
): Promise<StockArticleTable[]> {
  let q = whereOrg(ctx.db.selectFrom('stock_article').selectAll(), 'org_id', f.scope).where(
    'deleted_at',
    'is',
    null,
  );
  if (f.orgId) q = q.where('org_id', '=', f.orgId);
  for (const w of f.words) q = q.where(ctx.dialect.containsInsensitive(sql.ref('search_text'), w));
  if (f.after) q = q.where(keysetAfter('name', 'id', f.after));
  return q.orderBy('name').orderBy('id').limit(f.limit).execute();
}

/** Whether the article is still on hand somewhere or on an order not fully received. */
export async function articleInUse(ctx: DbCtx, id: string): Promise<boolean> {
  const db = ctx.db;
  const level = await db
    .selectFrom('stock_level')
    .select('article_id')
    .where('article_id', '=', id)
    .where('quantity', '>', 0)
    .limit(1)
    .executeTakeFirst();
  if (level) return true;
  const line = await db
    .selectFrom('purchase_order_line as l')
    .innerJoin('purchase_order as o', 'o.id', 'l.order_id')
    .select('l.id')
    .where('l.article_id', '=', id)
    .where('o.status', 'in', ['ordered', 'partly_received'])
    .limit(1)
    .executeTakeFirst();
  return !!line;
}
