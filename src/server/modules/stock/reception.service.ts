import type { TPurchaseOrder, TPurchaseOrderReception } from '../../../shared/schemas/stock.js';
import { type Ctx, inTransaction } from '../../context.js';
import { AppError, notFound, preconditionFailed } from '../../http/errors.js';
import { createAssets, findModel, type NewAsset } from '../assets/index.js';
import { recordAudits } from '../audit/index.js';
import * as catalog from './catalog.repo.js';
import { bookMovement, toMovement } from './movements.service.js';
import * as repo from './orders.repo.js';
import { toOrder, visibleOrder } from './orders.service.js';
import type { PurchaseOrderLineTable } from './stock.tables.js';

const unprocessable = (errors: Array<{ path: string; code: string }>) =>
  new AppError('validation.failed', 422, {}, {}, errors);

/**
 * Receives a delivery: consumable lines add their quantities to the order's stock location (an `in`
 * movement naming the order), serialised lines create one CMDB asset per serial, in stock at that
 * location. More than ordered is refused (409 with the figures) unless `confirmOverReceipt`.
 */
export async function receiveOrder(
  ctx: Ctx,
  id: string,
  input: TPurchaseOrderReception,
): Promise<{ order: TPurchaseOrder; assetIds: string[] }> {
  return inTransaction(ctx, async (tx) => {
    const first = await visibleOrder(tx, id, 'stock.manage');
    await repo.lockOrder(tx, id);
    const row = (await repo.findOrder(tx, id)) ?? first;
    if (row.status === 'received' || row.status === 'cancelled')
      throw new AppError('purchase_order.closed', 409, { status: row.status });
    const lines = new Map((await repo.linesOf(tx, id)).map((l) => [l.id, l]));
    checkReception(input, lines);
    const location = await catalog.findStockLocation(tx, row.stock_location_id);
    if (!location) throw notFound('stock_location');
    const document = { kind: 'purchase_order', id };
    const reason = input.note || row.reference;
    const audits = [];
    const newAssets: NewAsset[] = [];
    const assetPaths: string[] = [];
    for (const [i, r] of input.lines.entries()) {
      const line = lines.get(r.lineId)!;
      if (!(await repo.receiveOnLine(tx, line.id, r.quantity, input.confirmOverReceipt)))
        throw overReceipt([line], input);
      line.received_quantity += r.quantity;
      if (line.article_id) {
        const article = await catalog.findArticle(tx, line.article_id);
        if (!article) throw unprocessable([{ path: `lines.${i}.lineId`, code: 'not_found' }]);
        const m = await bookMovement(tx, {
          article,
          kind: 'in',
          to: location.id,
          quantity: r.quantity,
          reason,
          document,
        });
        audits.push({
          orgId: row.org_id,
          action: 'stock.in',
          entityType: 'stock_movement',
          entityId: m.id,
          after: toMovement(m, article.name),
        });
      } else {
        const model = await findModel(tx, row.org_id, line.model_id!);
        if (!model) throw unprocessable([{ path: `lines.${i}.lineId`, code: 'not_found' }]);
        for (const [j, serial] of (r.serials ?? []).entries()) {
          assetPaths.push(`lines.${i}.serials.${j}`);
          newAssets.push({
            orgId: row.org_id,
            typeId: model.typeId,
            modelId: model.id,
            name: model.name,
            assetTag: null,
            serial,
            status: 'in_stock',
            locationId: location.location_id,
            assignedUserId: null,
            supplierId: row.supplier_id,
            purchaseDate: tx.now.toISOString().slice(0, 10),
            warrantyEnd: null,
            contractEnd: null,
            custom: {},
            notes: row.reference,
          });
        }
      }
    }
    const created = await createAssets(tx, row.org_id, newAssets);
    const refused = created.flatMap((c, k) =>
      c instanceof AppError ? [{ path: assetPaths[k]!, code: c.fieldErrors[0]?.code ?? c.code }] : [],
    );
    if (refused.length > 0) throw unprocessable(refused);
    const all = [...lines.values()];
    const status = all.every((l) => l.received_quantity >= l.quantity) ? 'received' : 'partly_received';
    const set = { status, updated_at: tx.now.toISOString() };
    if (!(await repo.updateOrder(tx, id, row.version, set))) throw preconditionFailed(row.version);
    const order = await toOrder(tx, { ...row, ...set, version: row.version + 1 }, all);
    const assetIds = created.flatMap((c) => (c instanceof AppError ? [] : [c.id]));
    await recordAudits(tx, [
      ...audits,
      {
        orgId: row.org_id,
        action: 'purchase_order.received',
        entityType: 'purchase_order',
        entityId: id,
        before: { status: row.status },
        after: {
          status,
          lines: input.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity })),
          assetIds,
        },
      },
    ]);
    return { order, assetIds };
  });
}

/** Every problem of a reception at once: unknown or repeated lines, serials missing or repeated. */
function checkReception(input: TPurchaseOrderReception, lines: Map<string, PurchaseOrderLineTable>): void {
  const errors: Array<{ path: string; code: string }> = [];
  const seen = new Set<string>();
  const serials = new Set<string>();
  for (const [i, r] of input.lines.entries()) {
    const line = lines.get(r.lineId);
    if (!line) {
      errors.push({ path: `lines.${i}.lineId`, code: 'not_found' });
      continue;
    }
    if (seen.has(r.lineId)) errors.push({ path: `lines.${i}.lineId`, code: 'duplicate' });
    seen.add(r.lineId);
    if (line.model_id) {
      if ((r.serials?.length ?? 0) !== r.quantity)
        errors.push({ path: `lines.${i}.serials`, code: 'serials_count' });
      for (const [j, s] of (r.serials ?? []).entries()) {
        if (serials.has(s)) errors.push({ path: `lines.${i}.serials.${j}`, code: 'duplicate' });
        serials.add(s);
      }
    } else if (r.serials?.length) {
      errors.push({ path: `lines.${i}.serials`, code: 'not_serialised' });
    }
  }
  if (errors.length > 0) throw unprocessable(errors);
  const over = input.lines.flatMap((r) => {
    const line = lines.get(r.lineId)!;
    return line.received_quantity + r.quantity > line.quantity ? [line] : [];
  });
  if (over.length > 0 && !input.confirmOverReceipt) throw overReceipt(over, input);
}

function overReceipt(over: PurchaseOrderLineTable[], input: TPurchaseOrderReception): AppError {
  const lines = over.map((l) => ({
    lineId: l.id,
    ordered: l.quantity,
    received: l.received_quantity,
    receiving: input.lines.find((r) => r.lineId === l.id)?.quantity ?? 0,
  }));
  const first = lines[0]!;
  return new AppError(
    'purchase_order.over_receipt',
    409,
    { ordered: first.ordered, received: first.received, receiving: first.receiving },
    { lines },
  );
}
