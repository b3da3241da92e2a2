import { uuidv7 } from 'uuidv7';
import { can, orgsWhere } from '../../../shared/policy.js';
import type { Page } from '../../../shared/schemas/common.js';
import type { TStockTake, TStockTakeDetail } from '../../../shared/schemas/stock.js';
import { type Ctx, inTransaction } from '../../context.js';
import { AppError, forbidden, notFound, preconditionFailed } from '../../http/errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { recordAudit, recordAudits } from '../audit/index.js';
import { actorOf, assertAllowed, authorOf, visibleStockLocation } from './access.js';
import * as catalog from './catalog.repo.js';
import * as levels from './levels.repo.js';
import { bookMovement, toMovement } from './movements.service.js';
import * as repo from './orders.repo.js';
import type { StockTakeLineTable, StockTakeTable } from './stock.tables.js';

/**
 * A stock-taking: the quantities on hand at one stock location when it starts are the expected
 * figures; technicians enter what they count; booking writes each discrepancy as an adjustment
 * (a movement naming the count) and sets the level to what was counted.
 */

function toTake(row: StockTakeTable, locationName: string): TStockTake {
  return {
    id: row.id,
    orgId: row.org_id,
    stockLocationId: row.stock_location_id,
    stockLocationName: locationName,
    status: row.status as TStockTake['status'],
    notes: row.notes,
    createdBy: row.created_by,
    bookedBy: row.booked_by,
    bookedAt: row.booked_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

async function detail(ctx: Ctx, row: StockTakeTable): Promise<TStockTakeDetail> {
  const names = await catalog.stockLocationNames(ctx, [row.stock_location_id]);
  const lines = await repo.takeLines(ctx, row.id);
  return {
    ...toTake(row, names.get(row.stock_location_id) ?? ''),
    lines: lines.map((l) => ({
      articleId: l.article_id,
      articleName: l.article_name,
      reference: l.reference,
      unit: l.unit,
      expected: l.expected,
      counted: l.counted,
      discrepancy: l.counted === null ? null : l.counted - l.expected,
    })),
  };
}

async function visibleTake(ctx: Ctx, id: string, action: 'stock.read' | 'stock.manage') {
  const row = await repo.findTake(ctx, id);
  if (!row) throw notFound('stock_take');
  assertAllowed(actorOf(ctx), action, row.org_id, 'stock_take');
  return row;
}

async function openTake(tx: Ctx, id: string, expectedVersion: number) {
  const row = await visibleTake(tx, id, 'stock.manage');
  if (row.version !== expectedVersion) throw preconditionFailed(row.version);
  if (row.status !== 'open') throw new AppError('stock_take.closed', 409, { status: row.status });
  return row;
}

export async function listTakes(
  ctx: Ctx,
  q: {
    orgId?: string | undefined;
    stockLocationId?: string | undefined;
    status?: TStockTake['status'] | undefined;
    limit: number;
    cursor?: string | undefined;
  },
): Promise<Page<TStockTake>> {
  const actor = actorOf(ctx);
  if (!can(actor, 'stock.read')) throw forbidden();
  const rows = await repo.listTakes(ctx, {
    ...q,
    scope: orgsWhere(actor, 'stock.read'),
    after: decodeCursor(q.cursor, 2) as [string, string] | undefined,
    limit: q.limit + 1,
  });
  return toPage(
    rows,
    q.limit,
    (r) => toTake(r, r.location_name),
    (r) => [r.created_at, r.id],
  );
}

export async function getTake(ctx: Ctx, id: string): Promise<TStockTakeDetail> {
  return detail(ctx, await visibleTake(ctx, id, 'stock.read'));
}

/** Starts a count of every article stocked at the location; one open count per location. */
export async function createTake(
  ctx: Ctx,
  input: { stockLocationId: string; notes: string },
): Promise<TStockTakeDetail> {
  return inTransaction(ctx, async (tx) => {
    const loc = await visibleStockLocation(tx, input.stockLocationId, 'stock.manage');
    const open = await repo.listTakes(tx, {
      scope: 'all',
      stockLocationId: loc.id,
      status: 'open',
      limit: 1,
    });
    if (open.length > 0) throw new AppError('stock_take.already_open', 409, {}, { stockTakeId: open[0]!.id });
    const now = tx.now.toISOString();
    const row: StockTakeTable = {
      id: uuidv7(),
      org_id: loc.org_id,
      stock_location_id: loc.id,
      status: 'open',
      notes: input.notes,
      created_by: authorOf(tx).id,
      booked_by: null,
      booked_at: null,
      created_at: now,
      updated_at: now,
      version: 1,
      deleted_at: null,
    };
    const lines: StockTakeLineTable[] = (await levels.levelsAt(tx, loc.id)).map((l) => ({
      stock_take_id: row.id,
      article_id: l.article_id,
      expected: l.quantity,
      counted: null,
    }));
    await repo.insertTake(tx, row, lines);
    const after = await detail(tx, row);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'stock.take_started',
      entityType: 'stock_take',
      entityId: row.id,
      after: { ...toTake(row, loc.name), lines: lines.length },
    });
    return after;
  });
}

/** Records counts (null clears one); an article found on the shelf but not listed is added. */
export async function setCounts(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  counts: Array<{ articleId: string; counted: number | null }>,
): Promise<TStockTakeDetail> {
  return inTransaction(ctx, async (tx) => {
    const row = await openTake(tx, id, expectedVersion);
    const articles = new Set(
      (
        await catalog.findArticles(
          tx,
          counts.map((c) => c.articleId),
        )
      )
        .filter((a) => a.org_id === row.org_id)
        .map((a) => a.id),
    );
    const errors = counts.flatMap((c, i) =>
      articles.has(c.articleId) ? [] : [{ path: `counts.${i}.articleId`, code: 'not_found' }],
    );
    if (errors.length > 0) throw new AppError('validation.failed', 422, {}, {}, errors);
    const lines: StockTakeLineTable[] = [];
    for (const c of counts) {
      const level = await levels.findLevel(tx, {
        articleId: c.articleId,
        stockLocationId: row.stock_location_id,
      });
      lines.push({
        stock_take_id: id,
        article_id: c.articleId,
        expected: level?.quantity ?? 0,
        counted: c.counted,
      });
    }
    await repo.upsertCounts(tx, lines);
    const set = { updated_at: tx.now.toISOString() };
    if (!(await repo.updateTake(tx, id, expectedVersion, set))) throw preconditionFailed(row.version);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'stock.take_counted',
      entityType: 'stock_take',
      entityId: id,
      after: { counts },
    });
    return detail(tx, { ...row, ...set, version: row.version + 1 });
  });
}

/**
 * Books the counted lines: each level is held, its quantity on hand becomes the expected figure, and
 * a discrepancy is an adjustment to what was counted. A count below what is reserved there is refused
 * (409 listing the articles): release those reservations first. Lines never counted change nothing.
 */
export async function bookTake(ctx: Ctx, id: string, expectedVersion: number): Promise<TStockTakeDetail> {
  return inTransaction(ctx, async (tx) => {
    const row = await openTake(tx, id, expectedVersion);
    const lines = (await repo.takeLines(tx, id)).filter((l) => l.counted !== null);
    const belowReserved: Array<{ articleId: string; counted: number; reserved: number }> = [];
    const audits = [];
    for (const line of lines) {
      const key = { articleId: line.article_id, stockLocationId: row.stock_location_id };
      await levels.lockLevel(tx, key);
      const level = await levels.findLevel(tx, key);
      const onHand = level?.quantity ?? 0;
      const counted = line.counted!;
      if (level && counted < level.reserved) {
        belowReserved.push({ articleId: line.article_id, counted, reserved: level.reserved });
        continue;
      }
      await repo.setExpected(tx, id, line.article_id, onHand);
      if (counted === onHand) continue;
      const article = await catalog.findArticle(tx, line.article_id);
      if (!article) continue;
      const m = await bookMovement(tx, {
        article,
        kind: 'adjustment',
        ...(counted > onHand ? { to: row.stock_location_id } : { from: row.stock_location_id }),
        quantity: Math.abs(counted - onHand),
        reason: row.notes,
        document: { kind: 'stock_take', id },
      });
      audits.push({
        orgId: row.org_id,
        action: 'stock.adjustment',
        entityType: 'stock_movement',
        entityId: m.id,
        after: toMovement(m, article.name),
      });
    }
    if (belowReserved.length > 0) {
      const first = belowReserved[0]!;
      throw new AppError(
        'stock_take.below_reserved',
        409,
        { counted: first.counted, reserved: first.reserved },
        { lines: belowReserved },
      );
    }
    const now = tx.now.toISOString();
    const set = { status: 'booked', booked_by: authorOf(tx).id, booked_at: now, updated_at: now };
    if (!(await repo.updateTake(tx, id, expectedVersion, set))) throw preconditionFailed(row.version);
    await recordAudits(tx, [
      ...audits,
      {
        orgId: row.org_id,
        action: 'stock.take_booked',
        entityType: 'stock_take',
        entityId: id,
        before: { status: 'open' },
        after: { status: 'booked', adjustments: audits.length },
      },
    ]);
    return detail(tx, { ...row, ...set, version: row.version + 1 });
  });
}

export async function cancelTake(ctx: Ctx, id: string, expectedVersion: number): Promise<TStockTakeDetail> {
  return inTransaction(ctx, async (tx) => {
    const row = await openTake(tx, id, expectedVersion);
    const set = { status: 'cancelled', updated_at: tx.now.toISOString() };
    if (!(await repo.updateTake(tx, id, expectedVersion, set))) throw preconditionFailed(row.version);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'stock.take_cancelled',
      entityType: 'stock_take',
      entityId: id,
      before: { status: 'open' },
      after: { status: 'cancelled' },
    });
    return detail(tx, { ...row, ...set, version: row.version + 1 });
  });
}
