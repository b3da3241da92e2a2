import { uuidv7 } from 'uuidv7';
import { can, orgsWhere } from '../../../shared/policy.js';
import type { TLocation, TRackContents } from '../../../shared/schemas/assets.js';
import type { Page } from '../../../shared/schemas/common.js';
import { type Ctx, inTransaction, requireActor } from '../../context.js';
import { AppError, forbidden, notFound, preconditionFailed } from '../../http/errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { recordAudit } from '../audit/index.js';
import { getOrganisation } from '../orgs/index.js';
import * as assetsRepo from './assets.repo.js';
import type { LocationTable } from './assets.tables.js';
import * as repo from './locations.repo.js';

type Kind = TLocation['kind'];

/** Where each kind may sit: null is the root of the tree. */
const ALLOWED_PARENTS: Record<Kind, ReadonlyArray<Kind | null>> = {
  site: [null],
  building: ['site'],
  floor: ['building'],
  room: ['floor', 'building'],
  rack: ['room'],
};

/** A room's contents list is a screen, not an export: past this many children, page /locations. */
const CONTENTS_CHILDREN_MAX = 500;

export type LocationInput = {
  orgId: string;
  parentId: string | null;
  kind: Kind;
  name: string;
  address: string | null;
  latitude: number | null;
  longitude: number | null;
  rackUnits: number | null;
};
export type LocationPatch = Partial<Omit<LocationInput, 'orgId' | 'kind'>>;

function assertParentKind(kind: Kind, parent: LocationTable | null): void {
  const allowed = ALLOWED_PARENTS[kind];
  if (allowed.includes(parent ? (parent.kind as Kind) : null)) return;
  const names = allowed.map((k) => k ?? 'root').join(', ');
  throw new AppError(
    'location.bad_parent',
    422,
    { kind, allowed: names },
    { allowedParentKinds: allowed.map((k) => k ?? 'root') },
    [{ path: 'parentId', code: 'bad_parent' }],
  );
}

/** The parent a location of `orgId` may hang under; one of another organisation does not exist. */
async function parentIn(ctx: Ctx, orgId: string, parentId: string | null): Promise<LocationTable | null> {
  if (parentId === null) return null;
  const parent = await repo.findLocation(ctx, parentId);
  if (!parent || parent.org_id !== orgId) {
    throw new AppError('location.parent_not_found', 422, {}, {}, [{ path: 'parentId', code: 'not_found' }]);
  }
  return parent;
}

async function toLocations(ctx: Ctx, rows: LocationTable[]): Promise<TLocation[]> {
  const crumbs = await repo.findCrumbs(ctx, rows);
  return rows.map((r) => repo.toLocation(r, crumbs));
}

async function visibleLocation(ctx: Ctx, id: string): Promise<{ row: LocationTable; location: TLocation }> {
  const actor = requireActor(ctx);
  const row = await repo.findLocation(ctx, id);
  if (!row || !can(actor, 'asset.read', { orgId: row.org_id })) throw notFound('location');
  const [location] = await toLocations(ctx, [row]);
  return { row, location: location! };
}

export async function listLocations(
  ctx: Ctx,
  q: {
    orgId?: string | undefined;
    parentId?: string | undefined;
    q?: string | undefined;
    limit: number;
    cursor?: string | undefined;
  },
): Promise<Page<TLocation>> {
  const actor = requireActor(ctx);
  if (!can(actor, 'asset.read')) throw forbidden();
  const rows = await repo.listLocations(ctx, {
    scope: orgsWhere(actor, 'asset.read'),
    orgId: q.orgId,
    parentId: q.parentId,
    q: q.q,
    after: decodeCursor(q.cursor, 2),
    limit: q.limit + 1,
  });
  const page = toPage(
    rows,
    q.limit,
    (r) => r,
    (r) => [r.name, r.id],
  );
  return { items: await toLocations(ctx, page.items), nextCursor: page.nextCursor };
}

export async function getLocation(ctx: Ctx, id: string): Promise<TLocation> {
  return (await visibleLocation(ctx, id)).location;
}

export async function getLocationContents(
  ctx: Ctx,
  id: string,
): Promise<{ children: TLocation[]; assetCount: number }> {
  const { row } = await visibleLocation(ctx, id);
  const children = await repo.listChildren(ctx, id, CONTENTS_CHILDREN_MAX);
  return {
    children: await toLocations(ctx, children),
    assetCount: await repo.countAssetsUnder(ctx, row.org_id, row.path),
  };
}

/** A rack's placed assets, U by U; any other kind of location has no U positions (422). */
export async function getRackContents(ctx: Ctx, id: string): Promise<TRackContents> {
  const { row } = await visibleLocation(ctx, id);
  if (row.kind !== 'rack') {
    throw new AppError('location.not_rack', 422, { kind: row.kind }, {}, [
      { path: 'params.id', code: 'not_rack' },
    ]);
  }
  return { rackUnits: row.rack_units, slots: await repo.listRackSlots(ctx, row.id) };
}

export async function createLocation(ctx: Ctx, input: LocationInput): Promise<TLocation> {
  const actor = requireActor(ctx);
  if (!can(actor, 'org.read', { orgId: input.orgId })) throw notFound('org');
  if (!can(actor, 'catalogue.manage', { orgId: input.orgId })) throw forbidden();
  return inTransaction(ctx, async (tx) => {
    await getOrganisation(tx, input.orgId);
    const parent = await parentIn(tx, input.orgId, input.parentId);
    assertParentKind(input.kind, parent);
    const now = tx.now.toISOString();
    const id = uuidv7();
    const row: LocationTable = {
      id,
      org_id: input.orgId,
      parent_id: parent?.id ?? null,
      kind: input.kind,
      name: input.name,
      path: `${parent?.path ?? '/'}${id}/`,
      address: input.address,
      latitude: input.latitude,
      longitude: input.longitude,
      rack_units: input.rackUnits,
      created_at: now,
      updated_at: now,
      version: 1,
      deleted_at: null,
    };
    await repo.insertLocation(tx, row);
    const [location] = await toLocations(tx, [row]);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'location.created',
      entityType: 'location',
      entityId: id,
      after: location,
    });
    return location!;
  });
}

/** Edits a location; a new parent moves its whole subtree, assets included, in the same transaction. */
export async function updateLocation(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  patch: LocationPatch,
): Promise<TLocation> {
  const actor = requireActor(ctx);
  return inTransaction(ctx, async (tx) => {
    const { row, location: before } = await visibleLocation(tx, id);
    if (!can(actor, 'catalogue.manage', { orgId: row.org_id })) throw forbidden();
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    const moving = patch.parentId !== undefined && patch.parentId !== row.parent_id;
    let path = row.path;
    if (moving) {
      const parent = await parentIn(tx, row.org_id, patch.parentId ?? null);
      if (parent?.path.startsWith(row.path)) {
        throw new AppError('location.cycle', 422, {}, {}, [{ path: 'parentId', code: 'cycle' }]);
      }
      assertParentKind(row.kind as Kind, parent);
      path = `${parent?.path ?? '/'}${row.id}/`;
    }
    if (typeof patch.rackUnits === 'number' && patch.rackUnits < (row.rack_units ?? 60)) {
      // A rack cannot shrink below what it holds.
      const above = await assetsRepo.findRackOccupant(tx, id, { from: patch.rackUnits + 1, to: 10_000 });
      if (above) {
        throw new AppError(
          'location.rack_too_small',
          409,
          { name: above.name, top: above.to, rackUnits: patch.rackUnits },
          { existing: { id: above.id, name: above.name } },
          [{ path: 'rackUnits', code: 'slot_taken' }],
        );
      }
    }
    const set = {
      ...(moving && { parent_id: patch.parentId ?? null, path }),
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.address !== undefined && { address: patch.address }),
      ...(patch.latitude !== undefined && { latitude: patch.latitude }),
      ...(patch.longitude !== undefined && { longitude: patch.longitude }),
      ...(patch.rackUnits !== undefined && { rack_units: patch.rackUnits }),
      updated_at: tx.now.toISOString(),
    };
    if (!(await repo.updateLocation(tx, id, expectedVersion, set))) throw preconditionFailed(row.version);
    const moved = moving
      ? await repo.rewriteSubtree(tx, { orgId: row.org_id, from: row.path, to: path })
      : null;
    const [after] = await toLocations(tx, [{ ...row, ...set, version: row.version + 1 }]);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: moving ? 'location.moved' : 'location.updated',
      entityType: 'location',
      entityId: id,
      before,
      after: moved ? { ...after, moved } : after,
    });
    return after!;
  });
}

/** Soft delete, refused while anything (a live child location or asset) is still inside. */
export async function deleteLocation(ctx: Ctx, id: string, expectedVersion: number): Promise<void> {
  const actor = requireActor(ctx);
  await inTransaction(ctx, async (tx) => {
    const { row, location } = await visibleLocation(tx, id);
    if (!can(actor, 'catalogue.manage', { orgId: row.org_id })) throw forbidden();
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    const children = await repo.countChildren(tx, id);
    const assets = await repo.countAssetsUnder(tx, row.org_id, row.path);
    if (children > 0 || assets > 0) {
      throw new AppError('location.not_empty', 409, { children, assets }, { children, assets });
    }
    const now = tx.now.toISOString();
    if (!(await repo.updateLocation(tx, id, expectedVersion, { deleted_at: now, updated_at: now }))) {
      throw preconditionFailed(row.version);
    }
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'location.deleted',
      entityType: 'location',
      entityId: id,
      before: location,
    });
  });
}

// --- for the assets service: no permission check, the caller checks ---------------------------------

/** A live location of `orgId`, to place an asset in; undefined when it is elsewhere or gone. */
export async function findLocationForAsset(
  ctx: Ctx,
  orgId: string,
  locationId: string,
): Promise<{ id: string; path: string; kind: Kind; rackUnits: number | null } | undefined> {
  const row = await repo.findLocation(ctx, locationId);
  return row && row.org_id === orgId
    ? { id: row.id, path: row.path, kind: row.kind as Kind, rackUnits: row.rack_units }
    : undefined;
}

/**
 * Holds the rack's row until the transaction ends, so two placements in one rack take turns and the
 * second one's overlap check sees the first (a no-op on SQLite, where writers already take turns).
 */
export async function lockRack(ctx: Ctx, rackId: string): Promise<void> {
  await repo.lockLocation(ctx, rackId);
}

/** The path of a location the actor may read, to filter assets "in this location and below". */
export async function locationSubtreePath(ctx: Ctx, locationId: string): Promise<string | undefined> {
  const actor = requireActor(ctx);
  const row = await repo.findLocation(ctx, locationId);
  return row && can(actor, 'asset.read', { orgId: row.org_id }) ? row.path : undefined;
}
