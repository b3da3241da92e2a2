import { can, orgsWhere } from '../../../shared/policy.js';
import type { Page } from '../../../shared/schemas/common.js';
import { STOCK_MATRIX_MAX_CELLS, type TStockLevel } from '../../../shared/schemas/stock.js';
import { foldText } from '../../../shared/text.js';
import { type Ctx, inTransaction } from '../../context.js';
import { AppError, forbidden, notFound, preconditionFailed } from '../../http/errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { recordAudit } from '../audit/index.js';
import { actorOf, assertAllowed, visibleArticle, visibleStockLocation } from './access.js';
import * as catalog from './catalog.repo.js';
import * as repo from './levels.repo.js';
import { publishReorder } from './movements.service.js';

/** Levels per article and stock location: lists, one level, the reorder point, every level at once. */

// --- levels --------------------------------------------------------------------------------------

function toLevel(row: repo.LevelRow): TStockLevel {
  const available = row.quantity - row.reserved;
  return {
    articleId: row.article_id,
    articleName: row.article_name,
    reference: row.reference,
    unit: row.unit,
    stockLocationId: row.stock_location_id,
    stockLocationName: row.location_name,
    orgId: row.org_id,
    quantity: row.quantity,
    reserved: row.reserved,
    available,
    minQuantity: row.min_quantity,
    toReorder: row.min_quantity > 0 && available <= row.min_quantity,
    leadTimeDays: row.lead_time_days,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

export async function listLevels(
  ctx: Ctx,
  q: {
    orgId?: string | undefined;
    stockLocationId?: string | undefined;
    articleId?: string | undefined;
    q?: string | undefined;
    toReorder?: boolean | undefined;
    sort: repo.LevelSort;
    order: 'asc' | 'desc';
    limit: number;
    cursor?: string | undefined;
  },
): Promise<Page<TStockLevel>> {
  const actor = actorOf(ctx);
  if (!can(actor, 'stock.read')) throw forbidden();
  const arity = q.sort === 'location' ? 4 : 3;
  const rows = await repo.listLevels(ctx, {
    ...q,
    scope: orgsWhere(actor, 'stock.read'),
    words: q.q ? foldText(q.q).split(/\s+/).filter(Boolean).slice(0, 10) : [],
    after: decodeCursor(q.cursor, arity),
    limit: q.limit + 1,
  });
  return toPage(rows, q.limit, toLevel, (r) => repo.levelSortKey(r, q.sort));
}

/**
 * The levels of an organisation at or below their minimum (the "to reorder" list): how many, and the
 * first `first` of them in the list's default order (by article). For the dashboards.
 */
export async function reorderSummary(
  ctx: Ctx,
  orgId: string,
  first = 5,
): Promise<{ count: number; first: TStockLevel[] }> {
  assertAllowed(actorOf(ctx), 'stock.read', orgId, 'org');
  const f = { scope: [orgId], orgId, words: [], toReorder: true };
  const count = await repo.countLevels(ctx, f);
  const rows =
    count === 0
      ? []
      : await repo.listLevels(ctx, { ...f, sort: 'article', order: 'asc', limit: Math.min(first, 100) });
  return { count, first: rows.map(toLevel) };
}

/** One level, also when nothing was ever stocked there (zero, version 0). */
export async function getLevel(ctx: Ctx, articleId: string, stockLocationId: string): Promise<TStockLevel> {
  const article = await visibleArticle(ctx, articleId);
  const loc = await visibleStockLocation(ctx, stockLocationId);
  if (loc.org_id !== article.org_id) throw notFound('stock_level');
  const row = await repo.findLevel(ctx, { articleId, stockLocationId });
  return toLevel({
    ...(row ?? {
      article_id: articleId,
      stock_location_id: stockLocationId,
      org_id: article.org_id,
      quantity: 0,
      reserved: 0,
      min_quantity: 0,
      updated_at: article.created_at,
      version: 0,
    }),
    article_name: article.name,
    reference: article.reference,
    unit: article.unit,
    lead_time_days: article.lead_time_days,
    location_name: loc.name,
  });
}

/** Sets the reorder point (If-Match; "v0" for a level never stocked). */
export async function setMinimum(
  ctx: Ctx,
  articleId: string,
  stockLocationId: string,
  expectedVersion: number,
  minQuantity: number,
): Promise<TStockLevel> {
  return inTransaction(ctx, async (tx) => {
    const before = await getLevel(tx, articleId, stockLocationId);
    assertAllowed(actorOf(tx), 'stock.manage', before.orgId, 'stock_level');
    if (before.version !== expectedVersion) throw preconditionFailed(before.version);
    const key = { articleId, stockLocationId, orgId: before.orgId };
    const row = await repo.setMinimum(tx, key, expectedVersion, minQuantity);
    if (!row) throw preconditionFailed(before.version);
    const after = await getLevel(tx, articleId, stockLocationId);
    // A minimum raised above what is available asks for an order just as a movement would.
    if (after.toReorder && !before.toReorder) await publishReorder(tx, row);
    await recordAudit(tx, {
      orgId: before.orgId,
      action: 'stock.minimum_set',
      entityType: 'stock_level',
      entityId: `${articleId}:${stockLocationId}`,
      before: { minQuantity: before.minQuantity },
      after: { minQuantity },
    });
    return after;
  });
}

/** Every level of an organisation in one compact answer (the overview of all stores). */
export async function levelMatrix(ctx: Ctx, orgId: string) {
  assertAllowed(actorOf(ctx), 'stock.read', orgId, 'org');
  const rows = await repo.allLevels(ctx, orgId, STOCK_MATRIX_MAX_CELLS + 1);
  if (rows.length > STOCK_MATRIX_MAX_CELLS)
    throw new AppError('stock.matrix_too_large', 422, { limit: STOCK_MATRIX_MAX_CELLS });
  // The names by organisation (its index), not by the ids of the rows: one short read each.
  const { locations, articles } = await catalog.namesOfOrg(ctx, orgId);
  const articleIndex = new Map(articles.map((a, i) => [a.id, i]));
  const locationIndex = new Map(locations.map((l, i) => [l.id, i]));
  const cells: Array<[number, number, number, number, number]> = [];
  for (const r of rows) {
    const a = articleIndex.get(r.article_id);
    const l = locationIndex.get(r.stock_location_id);
    if (a !== undefined && l !== undefined) cells.push([a, l, r.quantity, r.reserved, r.min_quantity]);
  }
  return {
    locations,
    articles,
    cells,
  };
}
