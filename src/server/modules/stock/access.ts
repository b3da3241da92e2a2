import { type Action, can } from '../../../shared/policy.js';
import type { Ctx, Principal } from '../../context.js';
import { forbidden, notFound } from '../../http/errors.js';
import { findArticle, findStockLocation } from './catalog.repo.js';
import type { StockArticleTable, StockLocationTable } from './stock.tables.js';

/** The actor (a request's caller or the system) of a stock operation. */
export function actorOf(ctx: Ctx): Principal {
  if (!ctx.actor) throw new Error('this operation needs an authenticated actor');
  return ctx.actor;
}

/**
 * Records of another organisation answer 404 (as if absent); in one's own, lacking the action is 403.
 */
export function assertAllowed(actor: Principal, action: Action, orgId: string, entity: string): void {
  if (!can(actor, 'stock.read', { orgId })) throw notFound(entity);
  if (!can(actor, action, { orgId })) throw forbidden();
}

export async function visibleStockLocation(
  ctx: Ctx,
  id: string,
  action: Action = 'stock.read',
): Promise<StockLocationTable> {
  const row = await findStockLocation(ctx, id);
  if (!row) throw notFound('stock_location');
  assertAllowed(actorOf(ctx), action, row.org_id, 'stock_location');
  return row;
}

export async function visibleArticle(
  ctx: Ctx,
  id: string,
  action: Action = 'stock.read',
): Promise<StockArticleTable> {
  const row = await findArticle(ctx, id);
  if (!row) throw notFound('stock_article');
  assertAllowed(actorOf(ctx), action, row.org_id, 'stock_article');
  return row;
}

/** The author columns of a ledger row or a record. */
export function authorOf(ctx: Ctx): { id: string | null; label: string } {
  const actor = actorOf(ctx);
  return { id: actor.via === 'system' ? null : actor.userId, label: actor.email };
}

/** A calendar day `days` after `from` (UTC), as YYYY-MM-DD. */
export function dayAfter(from: Date, days: number): string {
  return new Date(from.getTime() + days * 24 * 3600_000).toISOString().slice(0, 10);
}
