import type { Ctx } from '../../context.js';
import { keysetAfter, type OrgScope, whereOrg } from '../../db/scope.js';
import { updateVersioned } from '../../db/versioned.js';
import type { StockMovementTable, StockReservationTable } from './stock.tables.js';

type DbCtx = Pick<Ctx, 'db' | 'dialect'>;

// --- movements -----------------------------------------------------------------------------------

export async function insertMovements(ctx: DbCtx, rows: StockMovementTable[]): Promise<void> {
  if (rows.length === 0) return;
  await ctx.db.insertInto('stock_movement').values(rows).execute();
}

export type MovementRow = StockMovementTable & { article_name: string };

type MovementFilter = {
  scope: OrgScope;
  orgId?: string | undefined;
  articleId?: string | undefined;
  stockLocationId?: string | undefined;
  kind?: string | undefined;
  documentKind?: string | undefined;
  documentId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  after?: readonly [string, string] | undefined;
  limit: number;
};

/**
 * Newest first, keyset-paged on (at, id). A store's movements are those leaving it and those arriving
 * there: two walks of their own index, each stopping at a page, merged here.
 */
export async function listMovements(ctx: DbCtx, f: MovementFilter): Promise<MovementRow[]> {
  if (!f.stockLocationId) return movementPage(ctx, f, undefined);
  const [left, arrived] = await Promise.all([
    movementPage(ctx, f, 'm.from_location_id'),
    movementPage(ctx, f, 'm.to_location_id'),
  ]);
  return [...left, ...arrived]
    .sort((a, b) => (a.at === b.at ? cmp(b.id, a.id) : cmp(b.at, a.at)))
    .slice(0, f.limit);
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function movementPage(
  ctx: DbCtx,
  f: MovementFilter,
  side: 'm.from_location_id' | 'm.to_location_id' | undefined,
): Promise<MovementRow[]> {
  let q = whereOrg(
    ctx.db
      .selectFrom('stock_movement as m')
      .innerJoin('stock_article as a', 'a.id', 'm.article_id')
      .selectAll('m')
      .select('a.name as article_name'),
    'm.org_id',
    f.scope,
  );
  if (f.orgId) q = q.where('m.org_id', '=', f.orgId);
  if (f.articleId) q = q.where('m.article_id', '=', f.articleId);
  if (side && f.stockLocationId) q = q.where(side, '=', f.stockLocationId);
  if (f.kind) q = q.where('m.kind', '=', f.kind);
  if (f.documentKind) q = q.where('m.document_kind', '=', f.documentKind);
  if (f.documentId) q = q.where('m.document_id', '=', f.documentId);
  if (f.from) q = q.where('m.at', '>=', f.from);
  if (f.to) q = q.where('m.at', '<', f.to);
  if (f.after) q = q.where(keysetAfter('m.at', 'm.id', f.after, 'desc'));
  return q.orderBy('m.at', 'desc').orderBy('m.id', 'desc').limit(f.limit).execute();
}

// --- reservations --------------------------------------------------------------------------------

export async function insertReservation(ctx: DbCtx, row: StockReservationTable): Promise<void> {
  await ctx.db.insertInto('stock_reservation').values(row).execute();
}

export async function findReservation(ctx: DbCtx, id: string): Promise<StockReservationTable | undefined> {
  return ctx.db
    .selectFrom('stock_reservation')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** The optimistic update: false when the reservation changed since `version` (or is gone). */
export async function updateReservation(
  ctx: DbCtx,
  id: string,
  version: number,
  set: Partial<Omit<StockReservationTable, 'id' | 'version' | 'org_id'>>,
): Promise<boolean> {
  return updateVersioned(ctx.db, 'stock_reservation', id, version, set);
}

export type ReservationRow = StockReservationTable & { article_name: string };

/** Newest first, keyset-paged on (created_at, id). */
export async function listReservations(
  ctx: DbCtx,
  f: {
    scope: OrgScope;
    orgId?: string | undefined;
    articleId?: string | undefined;
    ownerKind?: string | undefined;
    ownerId?: string | undefined;
    status?: string | undefined;
    after?: readonly [string, string] | undefined;
    limit: number;
  },
): Promise<ReservationRow[]> {
  let q = whereOrg(
    ctx.db
      .selectFrom('stock_reservation as r')
      .innerJoin('stock_article as a', 'a.id', 'r.article_id')
      .selectAll('r')
      .select('a.name as article_name')
      .where('r.deleted_at', 'is', null),
    'r.org_id',
    f.scope,
  );
  if (f.orgId) q = q.where('r.org_id', '=', f.orgId);
  if (f.articleId) q = q.where('r.article_id', '=', f.articleId);
  if (f.ownerKind) q = q.where('r.owner_kind', '=', f.ownerKind);
  if (f.ownerId) q = q.where('r.owner_id', '=', f.ownerId);
  if (f.status) q = q.where('r.status', '=', f.status);
  if (f.after) q = q.where(keysetAfter('r.created_at', 'r.id', f.after, 'desc'));
  return q.orderBy('r.created_at', 'desc').orderBy('r.id', 'desc').limit(f.limit).execute();
}
