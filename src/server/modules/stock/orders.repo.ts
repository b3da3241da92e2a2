import { sql } from 'kysely';
import type { Ctx } from '../../context.js';
import { inChunks } from '../../db/batch.js';
import { keysetAfter, type OrgScope, whereOrg } from '../../db/scope.js';
import { updateVersioned } from '../../db/versioned.js';
import type {
  PurchaseOrderLineTable,
  PurchaseOrderTable,
  StockTakeLineTable,
  StockTakeTable,
} from './stock.tables.js';

type DbCtx = Pick<Ctx, 'db' | 'dialect'>;

// --- purchase orders -----------------------------------------------------------------------------

export async function findOrder(ctx: DbCtx, id: string): Promise<PurchaseOrderTable | undefined> {
  return ctx.db
    .selectFrom('purchase_order')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** The optimistic update: false when the order changed since `version` (or is gone). */
export async function updateOrder(
  ctx: DbCtx,
  id: string,
  version: number,
  set: Partial<Omit<PurchaseOrderTable, 'id' | 'version' | 'org_id'>>,
): Promise<boolean> {
  return updateVersioned(ctx.db, 'purchase_order', id, version, set);
}

/** Holds the order's row until the transaction ends: receptions of one order take turns. */
export async function lockOrder(ctx: DbCtx, id: string): Promise<void> {
  await ctx.db
    .updateTable('purchase_order')
    .set({ version: sql<number>`version` })
    .where('id', '=', id)
    .execute();
}

export async function insertOrder(
  ctx: DbCtx,
  row: PurchaseOrderTable,
  lines: PurchaseOrderLineTable[],
): Promise<void> {
  const db = ctx.db;
  await db.insertInto('purchase_order').values(row).execute();
  await db.insertInto('purchase_order_line').values(lines).execute();
}

export async function replaceLines(
  ctx: DbCtx,
  orderId: string,
  lines: PurchaseOrderLineTable[],
): Promise<void> {
  const db = ctx.db;
  await db.deleteFrom('purchase_order_line').where('order_id', '=', orderId).execute();
  await db.insertInto('purchase_order_line').values(lines).execute();
}

export async function linesOf(ctx: DbCtx, orderId: string): Promise<PurchaseOrderLineTable[]> {
  return ctx.db
    .selectFrom('purchase_order_line')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('position')
    .execute();
}

/**
 * Adds a delivery to a line; unless `allowOver`, only while the total stays within what was ordered
 * (checked by the statement itself, so two receptions at once cannot both pass).
 */
export async function receiveOnLine(
  ctx: DbCtx,
  lineId: string,
  n: number,
  allowOver: boolean,
): Promise<boolean> {
  let q = ctx.db
    .updateTable('purchase_order_line')
    .set({ received_quantity: sql<number>`received_quantity + ${n}` })
    .where('id', '=', lineId);
  if (!allowOver) q = q.where(sql`received_quantity + ${n}`, '<=', sql.ref('quantity'));
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export type OrderRow = PurchaseOrderTable & { line_count: number };

/** Newest first, keyset-paged on (created_at, id). */
export async function listOrders(
  ctx: DbCtx,
  f: {
    scope: OrgScope;
    orgId?: string | undefined;
    status?: string | undefined;
    supplierId?: string | undefined;
    q?: string | undefined;
    after?: readonly [string, string] | undefined;
    limit: number;
  },
): Promise<OrderRow[]> {
  let q = whereOrg(
    ctx.db
      .selectFrom('purchase_order as o')
      .selectAll('o')
      .select((eb) =>
        eb
          .selectFrom('purchase_order_line as l')
          .select(sql<number>`count(*)`.as('n'))
          .whereRef('l.order_id', '=', 'o.id')
          .as('line_count'),
      )
      .where('o.deleted_at', 'is', null),
    'o.org_id',
    f.scope,
  );
  if (f.orgId) q = q.where('o.org_id', '=', f.orgId);
  if (f.status) q = q.where('o.status', '=', f.status);
  if (f.supplierId) q = q.where('o.supplier_id', '=', f.supplierId);
  if (f.q) q = q.where(ctx.dialect.containsInsensitive(sql.ref('o.reference'), f.q));
  if (f.after) q = q.where(keysetAfter('o.created_at', 'o.id', f.after, 'desc'));
  const rows = await q.orderBy('o.created_at', 'desc').orderBy('o.id', 'desc').limit(f.limit).execute();
  return rows.map((r) => ({ ...r, line_count: Number(r.line_count ?? 0) }));
}

// --- stock-takings -------------------------------------------------------------------------------

export async function findTake(ctx: DbCtx, id: string): Promise<StockTakeTable | undefined> {
  return ctx.db
    .selectFrom('stock_take')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** The optimistic update: false when the stock-taking changed since `version` (or is gone). */
export async function updateTake(
  ctx: DbCtx,
  id: string,
  version: number,
  set: Partial<Omit<StockTakeTable, 'id' | 'version' | 'org_id'>>,
): Promise<boolean> {
  return updateVersioned(ctx.db, 'stock_take', id, version, set);
}

export async function insertTake(
  ctx: DbCtx,
  row: StockTakeTable,
  lines: StockTakeLineTable[],
): Promise<void> {
  const db = ctx.db;
  await db.insertInto('stock_take').values(row).execute();
  await inChunks(lines, (chunk) => db.insertInto('stock_take_line').values(chunk).execute());
}

export async function takeLines(
  ctx: DbCtx,
  takeId: string,
): Promise<Array<StockTakeLineTable & { article_name: string; reference: string | null; unit: string }>> {
  return ctx.db
    .selectFrom('stock_take_line as t')
    .innerJoin('stock_article as a', 'a.id', 't.article_id')
    .selectAll('t')
    .select(['a.name as article_name', 'a.reference', 'a.unit'])
    .where('t.stock_take_id', '=', takeId)
    .orderBy('a.name')
    .orderBy('t.article_id')
    .execute();
}

/** Records counts; an article not listed yet is added with what is on hand as expected. */
export async function upsertCounts(ctx: DbCtx, lines: StockTakeLineTable[]): Promise<void> {
  const db = ctx.db;
  for (const line of lines) {
    await db
      .insertInto('stock_take_line')
      .values(line)
      .onConflict((oc) => oc.columns(['stock_take_id', 'article_id']).doUpdateSet({ counted: line.counted }))
      .execute();
  }
}

export async function setExpected(
  ctx: DbCtx,
  takeId: string,
  articleId: string,
  expected: number,
): Promise<void> {
  await ctx.db
    .updateTable('stock_take_line')
    .set({ expected })
    .where('stock_take_id', '=', takeId)
    .where('article_id', '=', articleId)
    .execute();
}

/** Newest first, keyset-paged on (created_at, id). */
export async function listTakes(
  ctx: DbCtx,
  f: {
    scope: OrgScope;
    orgId?: string | undefined;
    stockLocationId?: string | undefined;
    status?: string | undefined;
    after?: readonly [string, string] | undefined;
    limit: number;
  },
): Promise<Array<StockTakeTable & { location_name: string }>> {
  let q = whereOrg(
    ctx.db
      .selectFrom('stock_take as t')
      .innerJoin('stock_location as sl', 'sl.id', 't.stock_location_id')
      .selectAll('t')
      .select('sl.name as location_name')
      .where('t.deleted_at', 'is', null),
    't.org_id',
    f.scope,
  );
  if (f.orgId) q = q.where('t.org_id', '=', f.orgId);
  if (f.stockLocationId) q = q.where('t.stock_location_id', '=', f.stockLocationId);
  if (f.status) q = q.where('t.status', '=', f.status);
  if (f.after) q = q.where(keysetAfter('t.created_at', 't.id', f.after, 'desc'));
  return q.orderBy('t.created_at', 'desc').orderBy('t.id', 'desc').limit(f.limit).execute();
}
