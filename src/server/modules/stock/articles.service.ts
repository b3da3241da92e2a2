import { uuidv7 } from 'uuidv7';
import { can, orgsWhere } from '../../../shared/policy.js';
import type { Page } from '../../../shared/schemas/common.js';
import type { TStockArticle, TStockArticleInput } from '../../../shared/schemas/stock.js';
import { foldText } from '../../../shared/text.js';
import { type Ctx, inTransaction } from '../../context.js';
import { AppError, forbidden, preconditionFailed } from '../../http/errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { findModel, findSupplier } from '../assets/index.js';
import { recordAudit } from '../audit/index.js';
import { getOrganisation } from '../orgs/index.js';
import { actorOf, assertAllowed, visibleArticle } from './access.js';
import * as repo from './catalog.repo.js';
import type { StockArticleTable } from './stock.tables.js';

type ListQuery = {
  orgId?: string | undefined;
  q?: string | undefined;
  limit: number;
  cursor?: string | undefined;
};

/** Consumables counted by quantity, with their default supplier and its lead time. */

export function toArticle(row: StockArticleTable): TStockArticle {
  return {
    id: row.id,
    orgId: row.org_id,
    name: row.name,
    reference: row.reference,
    unit: row.unit,
    modelId: row.model_id,
    supplierId: row.supplier_id,
    leadTimeDays: row.lead_time_days,
    notes: row.notes,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

export const articleSearchText = (a: { name: string; reference: string | null }) =>
  foldText([a.name, a.reference ?? ''].join(' ')).trim();

/** Model and supplier from the organisation's catalogue (assets module); every miss is listed. */
async function checkCatalogue(
  ctx: Ctx,
  orgId: string,
  refs: { modelId?: string | null | undefined; supplierId?: string | null | undefined },
): Promise<void> {
  const errors: Array<{ path: string; code: string }> = [];
  if (refs.modelId && !(await findModel(ctx, orgId, refs.modelId)))
    errors.push({ path: 'modelId', code: 'not_found' });
  if (refs.supplierId && !(await findSupplier(ctx, orgId, refs.supplierId)))
    errors.push({ path: 'supplierId', code: 'not_found' });
  if (errors.length > 0) throw new AppError('validation.failed', 422, {}, {}, errors);
}

export async function listArticles(ctx: Ctx, q: ListQuery): Promise<Page<TStockArticle>> {
  const actor = actorOf(ctx);
  if (!can(actor, 'stock.read')) throw forbidden();
  const rows = await repo.listArticles(ctx, {
    scope: orgsWhere(actor, 'stock.read'),
    orgId: q.orgId,
    words: q.q ? foldText(q.q).split(/\s+/).filter(Boolean).slice(0, 10) : [],
    after: decodeCursor(q.cursor, 2) as [string, string] | undefined,
    limit: q.limit + 1,
  });
  return toPage(rows, q.limit, toArticle, (r) => [r.name, r.id]);
}

export async function getArticle(ctx: Ctx, id: string): Promise<TStockArticle> {
  return toArticle(await visibleArticle(ctx, id));
}

export async function createArticle(ctx: Ctx, input: TStockArticleInput): Promise<TStockArticle> {
  const actor = actorOf(ctx);
  assertAllowed(actor, 'stock.manage', input.orgId, 'org');
  if (actor.globalAdmin) await getOrganisation(ctx, input.orgId);
  await checkCatalogue(ctx, input.orgId, input);
  return inTransaction(ctx, async (tx) => {
    const now = tx.now.toISOString();
    const row: StockArticleTable = {
      id: uuidv7(),
      org_id: input.orgId,
      name: input.name,
      reference: input.reference,
      unit: input.unit,
      model_id: input.modelId,
      supplier_id: input.supplierId,
      lead_time_days: input.leadTimeDays,
      notes: input.notes,
      search_text: articleSearchText(input),
      created_at: now,
      updated_at: now,
      version: 1,
      deleted_at: null,
    };
    await repo.insertArticle(tx, row);
    const after = toArticle(row);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'stock.article_created',
      entityType: 'stock_article',
      entityId: row.id,
      after,
    });
    return after;
  });
}

export async function updateArticle(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  patch: Partial<Omit<TStockArticleInput, 'orgId'>>,
): Promise<TStockArticle> {
  return inTransaction(ctx, async (tx) => {
    const row = await visibleArticle(tx, id, 'stock.manage');
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    await checkCatalogue(tx, row.org_id, {
      modelId: patch.modelId !== row.model_id ? patch.modelId : undefined,
      supplierId: patch.supplierId !== row.supplier_id ? patch.supplierId : undefined,
    });
    const merged = {
      name: patch.name ?? row.name,
      reference: patch.reference !== undefined ? patch.reference : row.reference,
    };
    const set = {
      name: merged.name,
      reference: merged.reference,
      ...(patch.unit !== undefined && { unit: patch.unit }),
      ...(patch.modelId !== undefined && { model_id: patch.modelId }),
      ...(patch.supplierId !== undefined && { supplier_id: patch.supplierId }),
      ...(patch.leadTimeDays !== undefined && { lead_time_days: patch.leadTimeDays }),
      ...(patch.notes !== undefined && { notes: patch.notes }),
      search_text: articleSearchText(merged),
      updated_at: tx.now.toISOString(),
    };
    if (!(await repo.updateArticle(tx, id, expectedVersion, set))) throw preconditionFailed(row.version);
    const after = toArticle({ ...row, ...set, version: row.version + 1 });
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'stock.article_updated',
      entityType: 'stock_article',
      entityId: id,
      before: toArticle(row),
      after,
    });
    return after;
  });
}

/** An article still on hand or on an open order stays. */
export async function deleteArticle(ctx: Ctx, id: string, expectedVersion: number): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const row = await visibleArticle(tx, id, 'stock.manage');
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    if (await repo.articleInUse(tx, id)) throw new AppError('stock_article.in_use', 409);
    const now = tx.now.toISOString();
    if (
      !(await repo.updateArticle(tx, id, expectedVersion, {
        deleted_at: now,
        updated_at: now,
      }))
    )
      throw preconditionFailed(row.version);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'stock.article_deleted',
      entityType: 'stock_article',
      entityId: id,
      before: toArticle(row),
    });
  });
}
