import { uuidv7 } from 'uuidv7';
import { can, orgsWhere } from '../../../shared/policy.js';
import type { TModel } from '../../../shared/schemas/assets.js';
import type { Page } from '../../../shared/schemas/common.js';
import type {
  PurchaseOrderStatus,
  TPurchaseOrder,
  TPurchaseOrderInput,
  TPurchaseOrderSummary,
} from '../../../shared/schemas/stock.js';
import { type Ctx, inTransaction } from '../../context.js';
import { AppError, forbidden, notFound, preconditionFailed } from '../../http/errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { findModel, findSupplier } from '../assets/index.js';
import { recordAudit } from '../audit/index.js';
import { nextReference } from '../orgs/index.js';
import { actorOf, assertAllowed, authorOf, dayAfter } from './access.js';
import * as catalog from './catalog.repo.js';
import * as repo from './orders.repo.js';
import type { PurchaseOrderLineTable, PurchaseOrderTable, StockArticleTable } from './stock.tables.js';

type LineInput = TPurchaseOrderInput['lines'][number];
type Refs = { articles: Map<string, StockArticleTable>; models: Map<string, TModel> };

const unprocessable = (errors: Array<{ path: string; code: string }>) =>
  new AppError('validation.failed', 422, {}, {}, errors);

/** The articles and models of the lines, each checked to be of the organisation. */
async function resolveLines(ctx: Ctx, orgId: string, lines: LineInput[]): Promise<Refs> {
  const errors: Array<{ path: string; code: string }> = [];
  const found = await catalog.findArticles(
    ctx,
    lines.flatMap((l) => (l.articleId ? [l.articleId] : [])),
  );
  const articles = new Map(found.filter((a) => a.org_id === orgId).map((a) => [a.id, a]));
  const models = new Map<string, TModel>();
  for (const [i, line] of lines.entries()) {
    if (line.articleId && !articles.has(line.articleId))
      errors.push({ path: `lines.${i}.articleId`, code: 'not_found' });
    if (line.modelId && !models.has(line.modelId)) {
      const model = await findModel(ctx, orgId, line.modelId);
      if (model) models.set(model.id, model);
      else errors.push({ path: `lines.${i}.modelId`, code: 'not_found' });
    }
  }
  if (errors.length > 0) throw unprocessable(errors);
  return { articles, models };
}

async function checkHeader(ctx: Ctx, orgId: string, h: { supplierId?: string; stockLocationId?: string }) {
  const errors: Array<{ path: string; code: string }> = [];
  if (h.supplierId && !(await findSupplier(ctx, orgId, h.supplierId)))
    errors.push({ path: 'supplierId', code: 'not_found' });
  if (h.stockLocationId) {
    const loc = await catalog.findStockLocation(ctx, h.stockLocationId);
    if (!loc || loc.org_id !== orgId) errors.push({ path: 'stockLocationId', code: 'not_found' });
  }
  if (errors.length > 0) throw unprocessable(errors);
}

const lineRows = (orderId: string, lines: LineInput[]): PurchaseOrderLineTable[] =>
  lines.map((l, i) => ({
    id: uuidv7(),
    order_id: orderId,
    position: i + 1,
    article_id: l.articleId ?? null,
    model_id: l.modelId ?? null,
    quantity: l.quantity,
    received_quantity: 0,
  }));

/** The order day plus the longest lead time of its articles (models have none: the order's own). */
const expectedFrom = (now: Date, refs: Refs) =>
  dayAfter(now, Math.max(0, ...[...refs.articles.values()].map((a) => a.lead_time_days)));

export async function toOrder(
  ctx: Ctx,
  row: PurchaseOrderTable,
  lines?: PurchaseOrderLineTable[],
  suppliers: Map<string, Promise<string>> = new Map(),
): Promise<TPurchaseOrder> {
  const ls = lines ?? (await repo.linesOf(ctx, row.id));
  const articles = new Map(
    (
      await catalog.findArticles(
        ctx,
        ls.flatMap((l) => (l.article_id ? [l.article_id] : [])),
      )
    ).map((a) => [a.id, a]),
  );
  const models = new Map<string, TModel | undefined>();
  for (const l of ls)
    if (l.model_id && !models.has(l.model_id))
      models.set(l.model_id, await findModel(ctx, row.org_id, l.model_id));
  // A page of orders names few suppliers: each is read once.
  let supplierName = suppliers.get(row.supplier_id);
  if (!supplierName) {
    supplierName = findSupplier(ctx, row.org_id, row.supplier_id).then((p) => p?.name ?? '');
    suppliers.set(row.supplier_id, supplierName);
  }
  return {
    id: row.id,
    orgId: row.org_id,
    reference: row.reference,
    supplierId: row.supplier_id,
    supplierName: await supplierName,
    stockLocationId: row.stock_location_id,
    status: row.status as PurchaseOrderStatus,
    orderedAt: row.ordered_at,
    expectedDate: row.expected_date,
    notes: row.notes,
    lines: ls.map((l) => ({
      id: l.id,
      articleId: l.article_id,
      modelId: l.model_id,
      label: l.article_id ? (articles.get(l.article_id)?.name ?? '') : (models.get(l.model_id!)?.name ?? ''),
      serialised: l.model_id !== null,
      quantity: l.quantity,
      receivedQuantity: l.received_quantity,
    })),
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

export async function visibleOrder(
  ctx: Ctx,
  id: string,
  action: 'stock.read' | 'stock.manage' | 'purchase.manage',
) {
  const row = await repo.findOrder(ctx, id);
  if (!row) throw notFound('purchase_order');
  assertAllowed(actorOf(ctx), action, row.org_id, 'purchase_order');
  return row;
}

// --- reading -------------------------------------------------------------------------------------

export async function listOrders(
  ctx: Ctx,
  q: {
    orgId?: string | undefined;
    status?: PurchaseOrderStatus | undefined;
    supplierId?: string | undefined;
    q?: string | undefined;
    limit: number;
    cursor?: string | undefined;
  },
): Promise<Page<TPurchaseOrderSummary>> {
  const actor = actorOf(ctx);
  if (!can(actor, 'stock.read')) throw forbidden();
  const rows = await repo.listOrders(ctx, {
    ...q,
    scope: orgsWhere(actor, 'stock.read'),
    after: decodeCursor(q.cursor, 2) as [string, string] | undefined,
    limit: q.limit + 1,
  });
  const page = toPage(
    rows,
    q.limit,
    (r) => r,
    (r) => [r.created_at, r.id],
  );
  const items: TPurchaseOrderSummary[] = [];
  const suppliers = new Map<string, Promise<string>>();
  for (const r of page.items) {
    const { lines: _, ...order } = await toOrder(ctx, r, [], suppliers);
    items.push({ ...order, lineCount: r.line_count });
  }
  return { items, nextCursor: page.nextCursor };
}

export async function getOrder(ctx: Ctx, id: string): Promise<TPurchaseOrder> {
  return toOrder(ctx, await visibleOrder(ctx, id, 'stock.read'));
}

// --- writing -------------------------------------------------------------------------------------

export async function createOrder(ctx: Ctx, input: TPurchaseOrderInput): Promise<TPurchaseOrder> {
  assertAllowed(actorOf(ctx), 'purchase.manage', input.orgId, 'org');
  await checkHeader(ctx, input.orgId, input);
  const refs = await resolveLines(ctx, input.orgId, input.lines);
  return inTransaction(ctx, async (tx) => {
    const now = tx.now.toISOString();
    const row: PurchaseOrderTable = {
      id: uuidv7(),
      org_id: input.orgId,
      reference: await nextReference(tx, input.orgId, 'purchase_order', 'PO'),
      supplier_id: input.supplierId,
      stock_location_id: input.stockLocationId,
      status: 'ordered',
      ordered_at: now,
      expected_date: input.expectedDate ?? expectedFrom(tx.now, refs),
      notes: input.notes,
      created_by: authorOf(tx).id,
      created_at: now,
      updated_at: now,
      version: 1,
      deleted_at: null,
    };
    const lines = lineRows(row.id, input.lines);
    await repo.insertOrder(tx, row, lines);
    const after = await toOrder(tx, row, lines);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'purchase_order.created',
      entityType: 'purchase_order',
      entityId: row.id,
      after,
    });
    return after;
  });
}

/** Supplier, store and lines change only while nothing is received; the date and notes until closed. */
export async function updateOrder(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  patch: Partial<Omit<TPurchaseOrderInput, 'orgId'>>,
): Promise<TPurchaseOrder> {
  return inTransaction(ctx, async (tx) => {
    const row = await visibleOrder(tx, id, 'purchase.manage');
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    if (row.status === 'received' || row.status === 'cancelled')
      throw new AppError('purchase_order.closed', 409, { status: row.status });
    const structural =
      patch.supplierId !== undefined || patch.stockLocationId !== undefined || patch.lines !== undefined;
    if (structural && row.status !== 'ordered') throw new AppError('purchase_order.already_received', 409);
    await checkHeader(tx, row.org_id, patch);
    const before = await toOrder(tx, row);
    let lines: PurchaseOrderLineTable[] | undefined;
    const expected = patch.expectedDate;
    if (patch.lines) {
      await resolveLines(tx, row.org_id, patch.lines);
      lines = lineRows(id, patch.lines);
      await repo.replaceLines(tx, id, lines);
    }
    const set = {
      ...(patch.supplierId !== undefined && { supplier_id: patch.supplierId }),
      ...(patch.stockLocationId !== undefined && { stock_location_id: patch.stockLocationId }),
      ...(expected !== undefined && { expected_date: expected }),
      ...(patch.notes !== undefined && { notes: patch.notes }),
      updated_at: tx.now.toISOString(),
    };
    if (!(await repo.updateOrder(tx, id, expectedVersion, set))) throw preconditionFailed(row.version);
    const after = await toOrder(tx, { ...row, ...set, version: row.version + 1 }, lines);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'purchase_order.updated',
      entityType: 'purchase_order',
      entityId: id,
      before,
      after,
    });
    return after;
  });
}

/** What is not received yet is no longer expected; what was received stays. */
export async function cancelOrder(ctx: Ctx, id: string, expectedVersion: number): Promise<TPurchaseOrder> {
  return inTransaction(ctx, async (tx) => {
    const row = await visibleOrder(tx, id, 'purchase.manage');
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    if (row.status === 'received' || row.status === 'cancelled')
      throw new AppError('purchase_order.closed', 409, { status: row.status });
    const set = { status: 'cancelled', updated_at: tx.now.toISOString() };
    if (!(await repo.updateOrder(tx, id, expectedVersion, set))) throw preconditionFailed(row.version);
    const after = await toOrder(tx, { ...row, ...set, version: row.version + 1 });
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'purchase_order.cancelled',
      entityType: 'purchase_order',
      entityId: id,
      before: { status: row.status },
      after: { status: 'cancelled' },
    });
    return after;
  });
}
