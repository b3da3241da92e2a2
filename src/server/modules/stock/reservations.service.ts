import { uuidv7 } from 'uuidv7';
import { can, orgsWhere } from '../../../shared/policy.js';
import type { Page } from '../../../shared/schemas/common.js';
import type { TStockReservation, TStockReservationInput } from '../../../shared/schemas/stock.js';
import { type Ctx, inTransaction } from '../../context.js';
import { AppError, forbidden, notFound, preconditionFailed } from '../../http/errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { recordAudit } from '../audit/index.js';
import { actorOf, assertAllowed, authorOf, visibleArticle } from './access.js';
import * as catalog from './catalog.repo.js';
import * as repo from './movements.repo.js';
import { bookMovement } from './movements.service.js';
import type { StockReservationTable } from './stock.tables.js';

/**
 * Reservations hold quantities at a stock location for an owner `{kind, id}` (a work order): the
 * items stay on hand but are no longer available. Released, they are available again; consumed, they
 * leave the stock (an `out` movement naming the owner).
 */

function toReservation(row: StockReservationTable, articleName: string): TStockReservation {
  return {
    id: row.id,
    orgId: row.org_id,
    articleId: row.article_id,
    articleName,
    stockLocationId: row.stock_location_id,
    quantity: row.quantity,
    owner: { kind: row.owner_kind, id: row.owner_id },
    status: row.status as TStockReservation['status'],
    note: row.note,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

/**
 * Reserves `quantity` of an article at a stock location; 409 `stock.insufficient` with the quantity
 * available and the article's lead time when there is not enough.
 */
export async function reserveStock(ctx: Ctx, input: TStockReservationInput): Promise<TStockReservation> {
  return inTransaction(ctx, async (tx) => {
    const article = await visibleArticle(tx, input.articleId, 'stock.manage');
    const loc = await catalog.findStockLocation(tx, input.stockLocationId);
    if (!loc || loc.org_id !== article.org_id)
      throw new AppError('validation.failed', 422, {}, {}, [{ path: 'stockLocationId', code: 'not_found' }]);
    const id = uuidv7();
    await bookMovement(tx, {
      article,
      kind: 'reservation',
      from: loc.id,
      quantity: input.quantity,
      reason: input.note,
      document: { kind: input.owner.kind, id: input.owner.id },
    });
    const now = tx.now.toISOString();
    const row: StockReservationTable = {
      id,
      org_id: article.org_id,
      article_id: article.id,
      stock_location_id: loc.id,
      quantity: input.quantity,
      owner_kind: input.owner.kind,
      owner_id: input.owner.id,
      status: 'active',
      note: input.note,
      created_by: authorOf(tx).id,
      created_at: now,
      updated_at: now,
      version: 1,
      deleted_at: null,
    };
    await repo.insertReservation(tx, row);
    const after = toReservation(row, article.name);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'stock.reserved',
      entityType: 'stock_reservation',
      entityId: id,
      after,
    });
    return after;
  });
}

async function activeReservation(tx: Ctx, id: string, expectedVersion: number | undefined) {
  const row = await repo.findReservation(tx, id);
  if (!row) throw notFound('stock_reservation');
  assertAllowed(actorOf(tx), 'stock.manage', row.org_id, 'stock_reservation');
  if (expectedVersion !== undefined && row.version !== expectedVersion) throw preconditionFailed(row.version);
  if (row.status !== 'active')
    throw new AppError('stock_reservation.not_active', 409, { status: row.status });
  const article = await catalog.findArticle(tx, row.article_id);
  if (!article) throw notFound('stock_article');
  return { row, article };
}

/**
 * Ends a reservation: `release` gives the items back to what is available, `consume` takes them out
 * of the stock. `expectedVersion` is the If-Match of a request (a module may leave it out).
 */
export async function closeReservation(
  ctx: Ctx,
  id: string,
  outcome: 'release' | 'consume',
  opts: { expectedVersion?: number | undefined; reason?: string | undefined } = {},
): Promise<TStockReservation> {
  return inTransaction(ctx, async (tx) => {
    const { row, article } = await activeReservation(tx, id, opts.expectedVersion);
    const status = outcome === 'release' ? 'released' : 'consumed';
    const set = { status, updated_at: tx.now.toISOString() };
    // The conditional update first: of two closings at once, one finds the version moved.
    if (!(await repo.updateReservation(tx, id, row.version, set))) throw preconditionFailed(row.version);
    await bookMovement(tx, {
      article,
      kind: outcome === 'release' ? 'release' : 'out',
      from: row.stock_location_id,
      quantity: row.quantity,
      reason: opts.reason ?? '',
      document: { kind: row.owner_kind, id: row.owner_id },
      consumesReservation: outcome === 'consume',
    });
    const after = toReservation({ ...row, ...set, version: row.version + 1 }, article.name);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: `stock.reservation_${status}`,
      entityType: 'stock_reservation',
      entityId: id,
      before: toReservation(row, article.name),
      after,
    });
    return after;
  });
}

export async function getReservation(ctx: Ctx, id: string): Promise<TStockReservation> {
  const row = await repo.findReservation(ctx, id);
  if (!row) throw notFound('stock_reservation');
  assertAllowed(actorOf(ctx), 'stock.read', row.org_id, 'stock_reservation');
  const article = await catalog.findArticle(ctx, row.article_id);
  return toReservation(row, article?.name ?? '');
}

export async function listReservations(
  ctx: Ctx,
  q: {
    orgId?: string | undefined;
    articleId?: string | undefined;
    ownerKind?: string | undefined;
    ownerId?: string | undefined;
    status?: TStockReservation['status'] | undefined;
    limit: number;
    cursor?: string | undefined;
  },
): Promise<Page<TStockReservation>> {
  const actor = actorOf(ctx);
  if (!can(actor, 'stock.read')) throw forbidden();
  const rows = await repo.listReservations(ctx, {
    ...q,
    scope: orgsWhere(actor, 'stock.read'),
    after: decodeCursor(q.cursor, 2) as [string, string] | undefined,
    limit: q.limit + 1,
  });
  return toPage(
    rows,
    q.limit,
    (r) => toReservation(r, r.article_name),
    (r) => [r.created_at, r.id],
  );
}
