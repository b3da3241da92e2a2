import { sql } from 'kysely';
import type { TLocation, TRackContents } from '../../../shared/schemas/assets.js';
import type { Ctx } from '../../context.js';
import { keysetAfter, type OrgScope, whereOrg } from '../../db/scope.js';
import { updateVersioned } from '../../db/versioned.js';
import type { LocationTable } from './assets.tables.js';

type DbCtx = Pick<Ctx, 'db' | 'dialect'>;
type Cursor = Array<string | number | null> | undefined;
export type Crumb = TLocation['breadcrumb'][number];

/** The ids of a materialised path "/<root id>/…/<own id>/", from the root down. */
export function pathIds(path: string): string[] {
  return path.split('/').filter(Boolean);
}

export function toLocation(row: LocationTable, crumbs: Map<string, Crumb>): TLocation {
  return {
    id: row.id,
    orgId: row.org_id,
    parentId: row.parent_id,
    kind: row.kind as TLocation['kind'],
    name: row.name,
    breadcrumb: pathIds(row.path).flatMap((id) => {
      const c = id === row.id ? { id, name: row.name, kind: row.kind as Crumb['kind'] } : crumbs.get(id);
      return c ? [c] : [];
    }),
    address: row.address,
    latitude: row.latitude,
    longitude: row.longitude,
    rackUnits: row.rack_units,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

/** Names and kinds of every ancestor of `rows`, in one query. */
export async function findCrumbs(ctx: DbCtx, rows: LocationTable[]): Promise<Map<string, Crumb>> {
  const ids = [...new Set(rows.flatMap((r) => pathIds(r.path)))];
  const map = new Map<string, Crumb>();
  if (ids.length === 0) return map;
  const found = await ctx.db
    .selectFrom('location')
    .select(['id', 'name', 'kind'])
    .where('id', 'in', ids)
    .execute();
  for (const c of found) map.set(c.id, { id: c.id, name: c.name, kind: c.kind as Crumb['kind'] });
  return map;
}

export async function findLocation(ctx: DbCtx, id: string): Promise<LocationTable | undefined> {
  return ctx.db
    .selectFrom('location')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function listLocations(
  ctx: DbCtx,
  f: {
    scope: OrgScope;
    orgId?: string | undefined;
    parentId?: string | undefined;
    q?: string | undefined;
    after: Cursor;
    limit: number;
  },
): Promise<LocationTable[]> {
  let qb = ctx.db.selectFrom('location').selectAll().where('deleted_at', 'is', null);
  qb = whereOrg(qb, 'org_id', f.scope);
  if (f.orgId) qb = qb.where('org_id', '=', f.orgId);
  if (f.parentId === 'root') qb = qb.where('parent_id', 'is', null);
  else if (f.parentId) qb = qb.where('parent_id', '=', f.parentId);
  if (f.q) {
    const q = f.q;
    qb = qb.where((eb) => ctx.dialect.containsInsensitive(eb.ref('name'), q));
  }
  if (f.after) qb = qb.where(keysetAfter('name', 'id', f.after as [string, string]));
  return qb.orderBy('name').orderBy('id').limit(f.limit).execute();
}

export async function listChildren(ctx: DbCtx, parentId: string, limit: number): Promise<LocationTable[]> {
  return ctx.db
    .selectFrom('location')
    .selectAll()
    .where('parent_id', '=', parentId)
    .where('deleted_at', 'is', null)
    .orderBy('name')
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function countChildren(ctx: DbCtx, parentId: string): Promise<number> {
  const row = await ctx.db
    .selectFrom('location')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('parent_id', '=', parentId)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Live assets anywhere in the subtree at `path` (the asset table is read here, never written but for paths). */
export async function countAssetsUnder(ctx: DbCtx, orgId: string, path: string): Promise<number> {
  const row = await ctx.db
    .selectFrom('asset')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_id', '=', orgId)
    .where(ctx.dialect.startsWith('location_path', path))
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The placed live assets of a rack, lowest first; an unset height counts as 1 U. */
export async function listRackSlots(ctx: DbCtx, rackId: string): Promise<TRackContents['slots']> {
  const rows = await ctx.db
    .selectFrom('asset')
    .select(['id', 'name', 'asset_tag', 'type_id', 'rack_position', 'rack_height'])
    .where('location_id', '=', rackId)
    .where('rack_position', 'is not', null)
    .where('deleted_at', 'is', null)
    .orderBy('rack_position')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    assetId: r.id,
    name: r.name,
    assetTag: r.asset_tag,
    typeId: r.type_id,
    position: r.rack_position ?? 1,
    height: r.rack_height ?? 1,
  }));
}

/** Takes the row lock of a location for the rest of the transaction, changing nothing. */
export async function lockLocation(ctx: DbCtx, id: string): Promise<void> {
  await ctx.db.updateTable('location').set({ version: sql<number>`version` }).where('id', '=', id).execute();
}

export async function insertLocation(ctx: DbCtx, row: LocationTable): Promise<void> {
  await ctx.db.insertInto('location').values(row).execute();
}

/** Optimistic update: returns false when the version moved on (or the row is gone). */
export async function updateLocation(
  ctx: DbCtx,
  id: string,
  version: number,
  set: Partial<Omit<LocationTable, 'id' | 'version'>>,
): Promise<boolean> {
  return updateVersioned(ctx.db, 'location', id, version, set);
}

/**
 * Re-roots a moved subtree: every location and asset path starting with `from` now starts with `to`.
 * Paths are derived data, so the descendants' versions stay as they are.
 */
export async function rewriteSubtree(
  ctx: DbCtx,
  f: { orgId: string; from: string; to: string },
): Promise<{ locations: number; assets: number }> {
  const rest = sql<number>`cast(${f.from.length + 1} as integer)`;
  const to = sql<string>`cast(${f.to} as text)`;
  const loc = await ctx.db
    .updateTable('location')
    .set({ path: sql<string>`${to} || substr(path, ${rest})` })
    .where('org_id', '=', f.orgId)
    .where(ctx.dialect.startsWith('path', f.from))
    .executeTakeFirst();
  const assets = await ctx.db
    .updateTable('asset')
    .set({ location_path: sql<string>`${to} || substr(location_path, ${rest})` })
    .where('org_id', '=', f.orgId)
    .where(ctx.dialect.startsWith('location_path', f.from))
    .executeTakeFirst();
  return { locations: Number(loc.numUpdatedRows), assets: Number(assets.numUpdatedRows) };
}
