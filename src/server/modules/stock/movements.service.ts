import { uuidv7 } from 'uuidv7';
import { can, orgsWhere } from '../../../shared/policy.js';
import type { Page } from '../../../shared/schemas/common.js';
import type { MovementKind, TStockMovement, TStockMovementCreate } from '../../../shared/schemas/stock.js';
import { type Ctx, inTransaction } from '../../context.js';
import { AppError, forbidden, invalid } from '../../http/errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { publish } from '../../jobs/outbox.js';
import { recordAudit } from '../audit/index.js';
import { actorOf, authorOf, dayAfter, visibleArticle } from './access.js';
import * as catalog from './catalog.repo.js';
import * as repo from './levels.repo.js';
import * as ledger from './movements.repo.js';
import type { StockArticleTable, StockLevelTable, StockMovementTable } from './stock.tables.js';

/** The event published when a level falls to or below its minimum. */
export const REORDER_EVENT = 'stock.reorder_needed';

export type MovementSpec = {
  article: StockArticleTable;
  kind: MovementKind;
  /** Where items leave (out, transfer, adjustment down) or are held (reservation, release, consume). */
  from?: string | null;
  /** Where items arrive (in, transfer, adjustment up). */
  to?: string | null;
  quantity: number;
  reason: string;
  document?: { kind: string; id: string } | null;
  /** An `out` of reserved items: the reservation's quantity leaves. */
  consumesReservation?: boolean;
};

// --- the one path every stock change takes --------------------------------------------------------

/**
 * Books one movement in the caller's transaction: changes the levels with conditional statements
 * (refused with 409 when not enough is available), writes the ledger row, publishes the reorder event
 * when a level falls to its minimum. The caller records the audit.
 */
export async function bookMovement(tx: Ctx, m: MovementSpec): Promise<StockMovementTable> {
  const key = (stockLocationId: string) => ({
    articleId: m.article.id,
    stockLocationId,
    orgId: m.article.org_id,
  });
  const decrease = async (loc: string, change: repo.LevelChange) => {
    const after = await repo.changeLevel(tx, key(loc), change, m.quantity);
    if (!after) throw await insufficient(tx, m.article, loc, m.quantity, change);
    // What was available before: a reservation or a take lowered it by the quantity; a release or a
    // consumption of reserved items leaves it unchanged.
    const lowered = change === 'take' || change === 'reserve';
    await alertIfLow(tx, after, lowered ? m.quantity : 0);
  };
  switch (m.kind) {
    case 'in':
      await repo.addToLevel(tx, key(m.to!), m.quantity);
      break;
    case 'out':
      await decrease(m.from!, m.consumesReservation ? 'consume' : 'take');
      break;
    case 'transfer':
      // Both rows held in one order (by id), so two transfers in opposite directions cannot deadlock.
      for (const loc of [m.from!, m.to!].sort())
        await repo.lockLevel(tx, { articleId: m.article.id, stockLocationId: loc });
      await decrease(m.from!, 'take');
      await repo.addToLevel(tx, key(m.to!), m.quantity);
      break;
    case 'adjustment':
      if (m.to) await repo.addToLevel(tx, key(m.to), m.quantity);
      else await decrease(m.from!, 'take');
      break;
    case 'reservation':
      await decrease(m.from!, 'reserve');
      break;
    case 'release':
      await decrease(m.from!, 'release');
      break;
  }
  const author = authorOf(tx);
  const row: StockMovementTable = {
    id: uuidv7(),
    org_id: m.article.org_id,
    article_id: m.article.id,
    kind: m.kind,
    from_location_id: m.from ?? null,
    to_location_id: m.to ?? null,
    quantity: m.quantity,
    reason: m.reason,
    document_kind: m.document?.kind ?? null,
    document_id: m.document?.id ?? null,
    author_id: author.id,
    author_label: author.label,
    at: tx.now.toISOString(),
  };
  await ledger.insertMovements(tx, [row]);
  return row;
}

/**
 * 409 with what is available at that location and the article's lead time (and the day it would
 * arrive if ordered today), so the caller can order or pick another store.
 */
async function insufficient(
  ctx: Ctx,
  article: StockArticleTable,
  stockLocationId: string,
  requested: number,
  change: repo.LevelChange,
): Promise<AppError> {
  const level = await repo.findLevel(ctx, { articleId: article.id, stockLocationId });
  if (change === 'release' || change === 'consume') {
    return new AppError('stock.reservation_mismatch', 409, {}, { reserved: level?.reserved ?? 0, requested });
  }
  const available = level ? level.quantity - level.reserved : 0;
  return new AppError(
    'stock.insufficient',
    409,
    { unit: article.unit },
    {
      articleId: article.id,
      stockLocationId,
      requested,
      available,
      leadTimeDays: article.lead_time_days,
      expectedDate: dayAfter(ctx.now, article.lead_time_days),
    },
  );
}

/** Publishes the reorder event when this change crossed the minimum (from above to at or below). */
async function alertIfLow(ctx: Ctx, level: StockLevelTable, lowered: number): Promise<void> {
  const after = level.quantity - level.reserved;
  if (level.min_quantity <= 0 || after > level.min_quantity || after + lowered <= level.min_quantity) return;
  await publishReorder(ctx, level);
}

export async function publishReorder(ctx: Ctx, level: StockLevelTable): Promise<void> {
  await publish(ctx, {
    type: REORDER_EVENT,
    orgId: level.org_id,
    payload: {
      articleId: level.article_id,
      stockLocationId: level.stock_location_id,
      quantity: level.quantity,
      reserved: level.reserved,
      available: level.quantity - level.reserved,
      minQuantity: level.min_quantity,
    },
  });
}

// --- movements by hand ---------------------------------------------------------------------------

export function toMovement(row: StockMovementTable, articleName: string): TStockMovement {
  return {
    id: row.id,
    orgId: row.org_id,
    articleId: row.article_id,
    articleName,
    kind: row.kind as MovementKind,
    fromLocationId: row.from_location_id,
    toLocationId: row.to_location_id,
    quantity: row.quantity,
    reason: row.reason,
    document: row.document_kind && row.document_id ? { kind: row.document_kind, id: row.document_id } : null,
    authorId: row.author_id,
    authorLabel: row.author_label,
    at: row.at,
  };
}

/** A stock location of the article's organisation, else 422 on `path`. */
async function sameOrgLocation(ctx: Ctx, orgId: string, id: string, path: string): Promise<string> {
  const loc = await catalog.findStockLocation(ctx, id);
  if (!loc || loc.org_id !== orgId)
    throw new AppError('validation.failed', 422, {}, {}, [{ path, code: 'not_found' }]);
  return loc.id;
}

/** In, out, transfer or adjustment, booked by a technician. */
export async function createMovement(ctx: Ctx, input: TStockMovementCreate): Promise<TStockMovement> {
  return inTransaction(ctx, async (tx) => {
    const article = await visibleArticle(tx, input.articleId, 'stock.manage');
    const orgId = article.org_id;
    let spec: MovementSpec;
    switch (input.kind) {
      case 'in':
        spec = {
          article,
          kind: 'in',
          to: await sameOrgLocation(tx, orgId, input.toLocationId, 'toLocationId'),
          quantity: input.quantity,
          reason: input.reason,
        };
        break;
      case 'out':
        spec = {
          article,
          kind: 'out',
          from: await sameOrgLocation(tx, orgId, input.fromLocationId, 'fromLocationId'),
          quantity: input.quantity,
          reason: input.reason,
        };
        break;
      case 'transfer': {
        if (input.fromLocationId === input.toLocationId)
          throw invalid([{ path: 'toLocationId', code: 'same_location' }]);
        const from = await sameOrgLocation(tx, orgId, input.fromLocationId, 'fromLocationId');
        const to = await sameOrgLocation(tx, orgId, input.toLocationId, 'toLocationId');
        spec = { article, kind: 'transfer', from, to, quantity: input.quantity, reason: input.reason };
        break;
      }
      case 'adjustment': {
        const loc = await sameOrgLocation(tx, orgId, input.stockLocationId, 'stockLocationId');
        spec = {
          article,
          kind: 'adjustment',
          ...(input.delta > 0 ? { to: loc } : { from: loc }),
          quantity: Math.abs(input.delta),
          reason: input.reason,
        };
        break;
      }
    }
    const row = await bookMovement(tx, spec);
    const movement = toMovement(row, article.name);
    await recordAudit(tx, {
      orgId,
      action: `stock.${row.kind}`,
      entityType: 'stock_movement',
      entityId: row.id,
      after: movement,
    });
    return movement;
  });
}

export async function listMovements(
  ctx: Ctx,
  q: {
    orgId?: string | undefined;
    articleId?: string | undefined;
    stockLocationId?: string | undefined;
    kind?: MovementKind | undefined;
    documentKind?: string | undefined;
    documentId?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
    limit: number;
    cursor?: string | undefined;
  },
): Promise<Page<TStockMovement>> {
  const actor = actorOf(ctx);
  if (!can(actor, 'stock.read')) throw forbidden();
  const rows = await ledger.listMovements(ctx, {
    ...q,
    scope: orgsWhere(actor, 'stock.read'),
    after: decodeCursor(q.cursor, 2) as [string, string] | undefined,
    limit: q.limit + 1,
  });
  return toPage(
    rows,
    q.limit,
    (r) => toMovement(r, r.article_name),
    (r) => [r.at, r.id],
  );
}
