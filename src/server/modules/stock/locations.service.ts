import { uuidv7 } from 'uuidv7';
import { can, orgsWhere } from '../../../shared/policy.js';
import type { Page } from '../../../shared/schemas/common.js';
import type { TStockLocation, TStockLocationInput } from '../../../shared/schemas/stock.js';
import { type Ctx, inTransaction } from '../../context.js';
import { AppError, forbidden, preconditionFailed } from '../../http/errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { getLocation } from '../assets/index.js';
import { recordAudit } from '../audit/index.js';
import { getOrganisation } from '../orgs/index.js';
import { actorOf, assertAllowed, visibleStockLocation } from './access.js';
import * as repo from './catalog.repo.js';
import type { StockLocationTable } from './stock.tables.js';

type ListQuery = {
  orgId?: string | undefined;
  q?: string | undefined;
  limit: number;
  cursor?: string | undefined;
};

/** Store rooms and cabinets, each in a CMDB location of the assets module. */

/** The CMDB location's names from the site down ("Lyon › Bâtiment A › Réserve"); its id if unreadable. */
async function locationPaths(ctx: Ctx, rows: StockLocationTable[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const id of new Set(rows.map((r) => r.location_id))) {
    try {
      const loc = await getLocation(ctx, id);
      out.set(id, loc.breadcrumb.map((c) => c.name).join(' › '));
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      out.set(id, '');
    }
  }
  return out;
}

function toStockLocation(row: StockLocationTable, paths: Map<string, string>): TStockLocation {
  return {
    id: row.id,
    orgId: row.org_id,
    locationId: row.location_id,
    locationPath: paths.get(row.location_id) ?? '',
    kind: row.kind as TStockLocation['kind'],
    name: row.name,
    notes: row.notes,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

/** A CMDB location of the organisation (assets module), else 422 on `locationId`. */
async function checkCmdbLocation(ctx: Ctx, orgId: string, locationId: string): Promise<void> {
  const loc = await getLocation(ctx, locationId).catch((err) => {
    if (err instanceof AppError && err.status === 404) return undefined;
    throw err;
  });
  if (!loc || loc.orgId !== orgId) {
    throw new AppError('validation.failed', 422, {}, {}, [{ path: 'locationId', code: 'not_found' }]);
  }
}

export async function listStockLocations(ctx: Ctx, q: ListQuery): Promise<Page<TStockLocation>> {
  const actor = actorOf(ctx);
  if (!can(actor, 'stock.read')) throw forbidden();
  const rows = await repo.listStockLocations(ctx, {
    scope: orgsWhere(actor, 'stock.read'),
    orgId: q.orgId,
    q: q.q,
    after: decodeCursor(q.cursor, 2) as [string, string] | undefined,
    limit: q.limit + 1,
  });
  const page = toPage(
    rows,
    q.limit,
    (r) => r,
    (r) => [r.name, r.id],
  );
  const paths = await locationPaths(ctx, page.items);
  return { items: page.items.map((r) => toStockLocation(r, paths)), nextCursor: page.nextCursor };
}

export async function getStockLocation(ctx: Ctx, id: string): Promise<TStockLocation> {
  const row = await visibleStockLocation(ctx, id);
  return toStockLocation(row, await locationPaths(ctx, [row]));
}

export async function createStockLocation(ctx: Ctx, input: TStockLocationInput): Promise<TStockLocation> {
  const actor = actorOf(ctx);
  assertAllowed(actor, 'stock.manage', input.orgId, 'org');
  if (actor.globalAdmin) await getOrganisation(ctx, input.orgId);
  await checkCmdbLocation(ctx, input.orgId, input.locationId);
  return inTransaction(ctx, async (tx) => {
    const now = tx.now.toISOString();
    const row: StockLocationTable = {
      id: uuidv7(),
      org_id: input.orgId,
      location_id: input.locationId,
      kind: input.kind,
      name: input.name,
      notes: input.notes,
      created_at: now,
      updated_at: now,
      version: 1,
      deleted_at: null,
    };
    await repo.insertStockLocation(tx, row);
    const after = toStockLocation(row, await locationPaths(tx, [row]));
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'stock.location_created',
      entityType: 'stock_location',
      entityId: row.id,
      after,
    });
    return after;
  });
}

export async function updateStockLocation(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  patch: Partial<Omit<TStockLocationInput, 'orgId'>>,
): Promise<TStockLocation> {
  return inTransaction(ctx, async (tx) => {
    const row = await visibleStockLocation(tx, id, 'stock.manage');
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    if (patch.locationId && patch.locationId !== row.location_id)
      await checkCmdbLocation(tx, row.org_id, patch.locationId);
    const set = {
      ...(patch.locationId !== undefined && { location_id: patch.locationId }),
      ...(patch.kind !== undefined && { kind: patch.kind }),
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.notes !== undefined && { notes: patch.notes }),
      updated_at: tx.now.toISOString(),
    };
    if (!(await repo.updateStockLocation(tx, id, expectedVersion, set)))
      throw preconditionFailed(row.version);
    const updated = { ...row, ...set, version: row.version + 1 };
    const paths = await locationPaths(tx, [row, updated]);
    const after = toStockLocation(updated, paths);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'stock.location_updated',
      entityType: 'stock_location',
      entityId: id,
      before: toStockLocation(row, paths),
      after,
    });
    return after;
  });
}

/** Only an empty stock location goes (no quantity on hand, no open order or count). */
export async function deleteStockLocation(ctx: Ctx, id: string, expectedVersion: number): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const row = await visibleStockLocation(tx, id, 'stock.manage');
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    if (await repo.stockLocationInUse(tx, id)) throw new AppError('stock_location.in_use', 409);
    const now = tx.now.toISOString();
    if (
      !(await repo.updateStockLocation(tx, id, expectedVersion, {
        deleted_at: now,
        updated_at: now,
      }))
    )
      throw preconditionFailed(row.version);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'stock.location_deleted',
      entityType: 'stock_location',
      entityId: id,
      before: toStockLocation(row, new Map()),
    });
  });
}
