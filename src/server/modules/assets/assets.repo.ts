import { sql } from 'kysely';
import type { AssetStatus, TAsset, THistoryEntry } from '../../../shared/schemas/assets.js';
import type { Ctx } from '../../context.js';
import { chunksOf, inChunks } from '../../db/batch.js';
import { keysetAfter, type OrgScope, whereOrg } from '../../db/scope.js';
import { fromJson } from '../../db/values.js';
import { updateVersioned } from '../../db/versioned.js';
import type { AssetHistoryTable, AssetRelationTable, AssetTable } from './assets.tables.js';

type DbCtx = Pick<Ctx, 'db' | 'dialect'>;

export function toAsset(row: AssetTable): TAsset {
  return {
    id: row.id,
    orgId: row.org_id,
    typeId: row.type_id,
    modelId: row.model_id,
    name: row.name,
    assetTag: row.asset_tag,
    serial: row.serial,
    status: row.status as AssetStatus,
    locationId: row.location_id,
    rackPosition: row.rack_position,
    rackHeight: row.rack_height,
    assignedUserId: row.assigned_user_id,
    supplierId: row.supplier_id,
    purchaseDate: row.purchase_date,
    warrantyEnd: row.warranty_end,
    contractEnd: row.contract_end,
    custom: fromJson<TAsset['custom']>(row.custom) ?? {},
    notes: row.notes,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

export async function findAsset(ctx: DbCtx, id: string): Promise<AssetTable | undefined> {
  return ctx.db
    .selectFrom('asset')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** The live asset of an organisation that already carries this tag or serial. */
export async function findByIdentifier(
  ctx: DbCtx,
  orgId: string,
  column: 'asset_tag' | 'serial',
  value: string,
): Promise<Pick<AssetTable, 'id' | 'name'> | undefined> {
  return ctx.db
    .selectFrom('asset')
    .select(['id', 'name'])
    .where('org_id', '=', orgId)
    .where(column, '=', value)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** The live assets of an organisation carrying any of these tags or serials. */
export async function findByIdentifiers(
  ctx: DbCtx,
  orgId: string,
  column: 'asset_tag' | 'serial',
  values: string[],
): Promise<AssetTable[]> {
  const out: AssetTable[] = [];
  for (const chunk of chunksOf(values, 500)) {
    out.push(
      ...(await ctx.db
        .selectFrom('asset')
        .selectAll()
        .where('org_id', '=', orgId)
        .where(column, 'in', chunk)
        .where('deleted_at', 'is', null)
        .execute()),
    );
  }
  return out;
}

/** A live asset of the rack occupying any U from `from` to `to` (an unset height is 1 U), but `selfId`. */
export async function findRackOccupant(
  ctx: DbCtx,
  rackId: string,
  range: { from: number; to: number },
  selfId?: string,
): Promise<{ id: string; name: string; from: number; to: number } | undefined> {
  const top = sql<number>`rack_position + coalesce(rack_height, 1) - 1`;
  let q = ctx.db
    .selectFrom('asset')
    .select(['id', 'name', 'rack_position', top.as('rack_top')])
    .where('location_id', '=', rackId)
    .where('deleted_at', 'is', null)
    .where('rack_position', 'is not', null)
    .where('rack_position', '<=', range.to)
    .where(top, '>=', range.from);
  if (selfId) q = q.where('id', '!=', selfId);
  const row = await q.orderBy('rack_position').orderBy('id').executeTakeFirst();
  return row
    ? { id: row.id, name: row.name, from: Number(row.rack_position), to: Number(row.rack_top) }
    : undefined;
}

export type AssetSort = 'name' | 'createdAt' | 'updatedAt';
const SORT_COLUMN = { name: 'name', createdAt: 'created_at', updatedAt: 'updated_at' } as const;

export type AssetFilter = {
  scope: OrgScope;
  orgId?: string | undefined;
  typeId?: string | undefined;
  status?: AssetStatus | undefined;
  locationPath?: string | undefined;
  assignedUserId?: string | undefined;
  warrantyBefore?: string | undefined;
  /** Already folded (lower case, no accents); every one must appear. */
  words?: string[] | undefined;
  sort: AssetSort;
  order: 'asc' | 'desc';
  after?: [string, string] | undefined;
  limit: number;
};

export function sortValue(row: AssetTable, sort: AssetSort): string {
  return row[SORT_COLUMN[sort]];
}

/**
 * Up to this many assets left by the other filters, their text is checked row by row; up to
 * TEXT_MATCHES text matches, the page is sorted from their ids (a common word's matches may all sort
 * last, so walking the sort index for them can read the whole table); beyond, the index is walked.
 */
const CANDIDATES = 2000;
const TEXT_MATCHES = 20_000;

export async function listAssets(ctx: DbCtx, f: AssetFilter): Promise<AssetTable[]> {
  const col = SORT_COLUMN[f.sort];
  let q = ctx.db.selectFrom('asset').selectAll().where('deleted_at', 'is', null);
  q = whereOrg(q, 'org_id', f.scope);
  if (f.orgId) q = q.where('org_id', '=', f.orgId);
  if (f.typeId) q = q.where('type_id', '=', f.typeId);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.assignedUserId) q = q.where('assigned_user_id', '=', f.assignedUserId);
  if (f.warrantyBefore) q = q.where('warranty_end', '<', f.warrantyBefore);
  if (f.locationPath) q = q.where(ctx.dialect.startsWith('location_path', f.locationPath));
  if (f.words && f.words.length > 0) {
    // A text search has no good plan in one statement: the text index's cost grows with the number of
    // matches (a common word matches thousands), and walking the sort index while checking the text
    // never stops when nothing matches. So first find how many assets are left, by the other filters
    // and then by the text index, each capped; those ids are sorted directly, and only a word found in
    // most of the fleet walks the sort index.
    const idsUpTo = async (query: typeof q, cap: number) => {
      const rows = await query
        .clearSelect()
        .select('asset.id')
        .limit(sql.lit(cap + 1))
        .execute();
      return rows.length <= cap ? rows.map((r) => r.id) : undefined;
    };
    const narrowed = !!(f.typeId || f.status || f.locationPath || f.assignedUserId || f.warrantyBefore);
    const text = ctx.dialect.containsWords('asset', 'search_text', f.words, { viaIndex: false });
    const ids =
      (narrowed ? await idsUpTo(q, CANDIDATES) : undefined) ??
      (await idsUpTo(
        q.where(ctx.dialect.containsWords('asset', 'search_text', f.words, { viaIndex: true })),
        TEXT_MATCHES,
      ));
    if (ids?.length === 0) return [];
    q = ids ? q.where(ctx.dialect.inList('asset.id', ids)).where(text) : q.where(text);
  }
  if (f.after) q = q.where(keysetAfter(col, 'id', f.after, f.order));
  // A literal LIMIT lets SQLite's planner walk the sort index and stop, instead of sorting everything.
  return q.orderBy(col, f.order).orderBy('id', f.order).limit(sql.lit(f.limit)).execute();
}

export async function insertAssets(ctx: DbCtx, rows: AssetTable[]): Promise<void> {
  await inChunks(rows, (chunk) => ctx.db.insertInto('asset').values(chunk).execute());
}

export async function updateAsset(
  ctx: DbCtx,
  id: string,
  version: number,
  set: Partial<Omit<AssetTable, 'id' | 'version' | 'org_id'>>,
): Promise<boolean> {
  return updateVersioned(ctx.db, 'asset', id, version, set);
}

// --- history -------------------------------------------------------------------------------------

export async function insertHistory(ctx: DbCtx, rows: AssetHistoryTable[]): Promise<void> {
  await inChunks(rows, (chunk) => ctx.db.insertInto('asset_history').values(chunk).execute());
}

export function toHistory(row: AssetHistoryTable): Omit<THistoryEntry, 'authorName'> {
  return {
    id: row.id,
    at: row.at,
    actorId: row.actor_id,
    actorLabel: row.actor_label,
    kind: row.kind,
    changes: fromJson<THistoryEntry['changes']>(row.changes) ?? [],
    note: row.note,
  };
}

/** Newest first, keyset-paged on (at, id). */
export async function listHistory(
  ctx: DbCtx,
  assetId: string,
  opts: { after?: [string, string] | undefined; limit: number },
): Promise<AssetHistoryTable[]> {
  let q = ctx.db.selectFrom('asset_history').selectAll().where('asset_id', '=', assetId);
  if (opts.after) q = q.where(keysetAfter('at', 'id', opts.after, 'desc'));
  return q.orderBy('at', 'desc').orderBy('id', 'desc').limit(opts.limit).execute();
}

// --- relations -----------------------------------------------------------------------------------

export async function insertRelation(ctx: DbCtx, row: AssetRelationTable): Promise<void> {
  await ctx.db.insertInto('asset_relation').values(row).execute();
}

export async function findRelation(ctx: DbCtx, id: string): Promise<AssetRelationTable | undefined> {
  return ctx.db.selectFrom('asset_relation').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function deleteRelation(ctx: DbCtx, id: string): Promise<void> {
  await ctx.db.deleteFrom('asset_relation').where('id', '=', id).execute();
}

export async function relationsOf(ctx: DbCtx, assetId: string): Promise<AssetRelationTable[]> {
  return ctx.db
    .selectFrom('asset_relation')
    .selectAll()
    .where((eb) => eb.or([eb('from_asset_id', '=', assetId), eb('to_asset_id', '=', assetId)]))
    .orderBy('created_at')
    .execute();
}

/** Relations touching any of these assets, for the impact walk (one query per level of the graph). */
export async function relationsTouching(ctx: DbCtx, assetIds: string[]): Promise<AssetRelationTable[]> {
  if (assetIds.length === 0) return [];
  return ctx.db
    .selectFrom('asset_relation')
    .selectAll()
    .where((eb) => eb.or([eb('from_asset_id', 'in', assetIds), eb('to_asset_id', 'in', assetIds)]))
    .execute();
}

/** Live assets of an organisation whose name is one of `names`, compared without case. */
export async function findByNames(
  ctx: DbCtx,
  orgId: string,
  names: string[],
): Promise<Array<Pick<AssetTable, 'id' | 'name'>>> {
  if (names.length === 0) return [];
  return ctx.db
    .selectFrom('asset')
    .select(['id', 'name'])
    .where('org_id', '=', orgId)
    .where('deleted_at', 'is', null)
    .where(
      sql<string>`lower(name)`,
      'in',
      names.map((n) => n.toLowerCase()),
    )
    .orderBy('name')
    .limit(50)
    .execute();
}

export async function namesOf(
  ctx: DbCtx,
  ids: string[],
): Promise<Array<Pick<AssetTable, 'id' | 'name' | 'status' | 'type_id'>>> {
  if (ids.length === 0) return [];
  return ctx.db
    .selectFrom('asset')
    .select(['id', 'name', 'status', 'type_id'])
    .where('id', 'in', ids)
    .where('deleted_at', 'is', null)
    .execute();
}
