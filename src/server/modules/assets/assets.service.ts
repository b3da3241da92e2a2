import { uuidv7 } from 'uuidv7';
import { can, orgsWhere } from '../../../shared/policy.js';
import {
  type AssetStatus,
  STATUS_TRANSITIONS,
  type TAsset,
  type TAssetCreate,
  type THistoryEntry,
} from '../../../shared/schemas/assets.js';
import type { Page } from '../../../shared/schemas/common.js';
import { foldText } from '../../../shared/text.js';
import { type Ctx, inTransaction, type Principal, requireActor } from '../../context.js';
import { toJson } from '../../db/values.js';
import { AppError, forbidden, isUniqueViolation, notFound, preconditionFailed } from '../../http/errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { recordAudit, recordAudits } from '../audit/index.js';
import { membersOf, userDisplayNames } from '../orgs/index.js';
import * as repo from './assets.repo.js';
import type { AssetHistoryTable, AssetTable } from './assets.tables.js';
import { findAssetType, findModel, findSupplier } from './catalogue.service.js';
import { validateCustomValues } from './custom-fields.js';
import { findLocationForAsset, locationSubtreePath, lockRack } from './locations.service.js';

export type AssetInput = Omit<Required<TAssetCreate>, 'orgId' | 'status' | 'rackPosition' | 'rackHeight'> & {
  /** Left out: not placed (create) or unchanged (update, but a move to another location clears it). */
  rackPosition?: number | null | undefined;
  rackHeight?: number | null | undefined;
};

/** Fields whose changes the timeline shows, as (label in the diff, column). */
const TRACKED: Array<[keyof TAsset, keyof AssetTable]> = [
  ['name', 'name'],
  ['typeId', 'type_id'],
  ['modelId', 'model_id'],
  ['assetTag', 'asset_tag'],
  ['serial', 'serial'],
  ['status', 'status'],
  ['locationId', 'location_id'],
  ['rackPosition', 'rack_position'],
  ['rackHeight', 'rack_height'],
  ['assignedUserId', 'assigned_user_id'],
  ['supplierId', 'supplier_id'],
  ['purchaseDate', 'purchase_date'],
  ['warrantyEnd', 'warranty_end'],
  ['contractEnd', 'contract_end'],
  ['notes', 'notes'],
];

export function diffAssets(before: TAsset, after: TAsset): THistoryEntry['changes'] {
  const changes: THistoryEntry['changes'] = [];
  for (const [field] of TRACKED) {
    if (before[field] !== after[field]) changes.push({ field, from: before[field], to: after[field] });
  }
  const keys = new Set([...Object.keys(before.custom), ...Object.keys(after.custom)]);
  for (const key of [...keys].sort()) {
    const from = before.custom[key] ?? null;
    const to = after.custom[key] ?? null;
    if (from !== to) changes.push({ field: `custom.${key}`, from, to });
  }
  return changes;
}

function searchText(
  a: { name: string; assetTag: string | null; serial: string | null; notes: string },
  extra: string[],
): string {
  return foldText([a.name, a.assetTag, a.serial, ...extra, a.notes.slice(0, 500)].filter(Boolean).join(' '));
}

/** Names of live assets by id, for other modules' lists (an id of a deleted asset is left out). */
export async function assetNames(ctx: Ctx, ids: string[]): Promise<Map<string, string>> {
  const rows = await repo.namesOf(ctx, [...new Set(ids)]);
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Live assets of an organisation named one of `names` (any case), for other modules' matching (alerts). */
export async function findAssetsByName(
  ctx: Ctx,
  orgId: string,
  names: string[],
): Promise<Array<{ id: string; name: string }>> {
  return repo.findByNames(ctx, orgId, [...new Set(names.filter((n) => n.length > 0))]);
}

/** The live asset of an organisation carrying this tag or serial, for other modules' matching. */
export async function findAssetByIdentifier(
  ctx: Ctx,
  orgId: string,
  field: 'assetTag' | 'serial',
  value: string,
): Promise<TAsset | undefined> {
  const hit = await repo.findByIdentifier(ctx, orgId, field === 'assetTag' ? 'asset_tag' : 'serial', value);
  const row = hit ? await repo.findAsset(ctx, hit.id) : undefined;
  return row && can(requireActor(ctx), 'asset.read', { orgId }) ? repo.toAsset(row) : undefined;
}

export async function visibleAsset(ctx: Ctx, actor: Principal, id: string): Promise<AssetTable> {
  const row = await repo.findAsset(ctx, id);
  if (!row || !can(actor, 'asset.read', { orgId: row.org_id })) throw notFound('asset');
  return row;
}

function duplicate(field: 'assetTag' | 'serial', existing: { id: string; name: string }): AppError {
  return new AppError(
    'asset.duplicate',
    409,
    { field, name: existing.name },
    { existing: { id: existing.id, name: existing.name } },
    [{ path: field, code: 'duplicate' }],
  );
}

/** The U an asset occupies in a rack, from its lowest to its highest. */
type RackSpan = { rackId: string; from: number; to: number; id: string; name: string };

/**
 * Where the asset sits in its rack, checked when the placement changes (`before` is the asset being
 * edited): it must fit below the rack's top and lie over no other asset of the rack, whether stored
 * or placed earlier in the same batch (`batch`). Returns the span it takes, if placed.
 */
async function checkRackPlacement(
  ctx: Ctx,
  rack: { id: string; rackUnits: number | null } | undefined,
  input: AssetInput & { id: string },
  before?: TAsset,
  batch: RackSpan[] = [],
): Promise<RackSpan | undefined> {
  const position = input.rackPosition ?? null;
  const height = input.rackHeight ?? null;
  if (!rack || position === null) return undefined;
  const span = {
    rackId: rack.id,
    from: position,
    to: position + (height ?? 1) - 1,
    id: input.id,
    name: input.name,
  };
  const unchanged =
    before &&
    before.locationId === input.locationId &&
    before.rackPosition === position &&
    before.rackHeight === height;
  if (unchanged) return span;
  // A rack whose height was never given still holds at most the tallest rack the schema allows.
  const units = rack.rackUnits ?? 60;
  if (span.to > units) {
    throw new AppError('asset.beyond_rack', 422, { rackUnits: units, top: span.to }, { rackUnits: units }, [
      { path: 'rackPosition', code: 'beyond_rack' },
    ]);
  }
  await lockRack(ctx, rack.id);
  const occupant =
    batch.find((o) => o.rackId === rack.id && o.from <= span.to && o.to >= span.from) ??
    (await repo.findRackOccupant(ctx, rack.id, span, before?.id));
  if (occupant) {
    throw new AppError(
      'asset.rack_slot_taken',
      409,
      { name: occupant.name, from: occupant.from, to: occupant.to },
      { existing: { id: occupant.id, name: occupant.name, position: occupant.from, top: occupant.to } },
      [{ path: 'rackPosition', code: 'slot_taken' }],
    );
  }
  return span;
}

/**
 * Lookups of the references a batch of writes shares (the same types, models, locations and users
 * over 10,000 imported rows), kept for one transaction.
 */
export type ReferenceCache = Map<string, Promise<unknown>>;

function cached<T>(cache: ReferenceCache | undefined, key: string, load: () => Promise<T>): Promise<T> {
  if (!cache) return load();
  let hit = cache.get(key) as Promise<T> | undefined;
  if (!hit) {
    hit = load();
    cache.set(key, hit);
  }
  return hit;
}

/**
 * Checks references (type, model, location, supplier, user) within the organisation; returns derived
 * columns. `identifiersChecked` skips the tag and serial lookups when the caller has checked them in bulk.
 */
async function resolveReferences(
  ctx: Ctx,
  orgId: string,
  input: AssetInput,
  opts: { selfId?: string; cache?: ReferenceCache; identifiersChecked?: boolean } = {},
) {
  const { cache } = opts;
  const errors: Array<{ path: string; code: string }> = [];
  const type = await cached(cache, `type:${input.typeId}`, () => findAssetType(ctx, orgId, input.typeId));
  if (!type) errors.push({ path: 'typeId', code: 'not_found' });
  const modelId = input.modelId;
  const model = modelId
    ? await cached(cache, `model:${modelId}`, () => findModel(ctx, orgId, modelId))
    : undefined;
  if (modelId && !model) errors.push({ path: 'modelId', code: 'not_found' });
  if (model && type && model.typeId !== type.id)
    errors.push({ path: 'modelId', code: 'model_type_mismatch' });
  const locationId = input.locationId;
  const location = locationId
    ? await cached(cache, `location:${locationId}`, () => findLocationForAsset(ctx, orgId, locationId))
    : undefined;
  if (locationId && !location) errors.push({ path: 'locationId', code: 'not_found' });
  // Only a rack has U positions (an unknown location is reported as such, not twice).
  const rack = location?.kind === 'rack' ? location : undefined;
  if (!rack && !(locationId && !location)) {
    for (const field of ['rackPosition', 'rackHeight'] as const) {
      if (input[field] !== undefined && input[field] !== null)
        errors.push({ path: field, code: 'not_in_rack' });
    }
  }
  const supplierId = input.supplierId;
  if (
    supplierId &&
    !(await cached(cache, `supplier:${supplierId}`, () => findSupplier(ctx, orgId, supplierId)))
  )
    errors.push({ path: 'supplierId', code: 'not_found' });
  const userId = input.assignedUserId;
  if (
    userId &&
    !(await cached(cache, `member:${userId}`, async () =>
      (await membersOf(ctx, orgId, [userId])).has(userId),
    ))
  ) {
    errors.push({ path: 'assignedUserId', code: 'not_found' });
  }
  if (errors.length > 0) throw new AppError('validation.failed', 422, {}, {}, errors);
  const custom = validateCustomValues(type!.customFields, input.custom);
  for (const field of opts.identifiersChecked ? [] : (['assetTag', 'serial'] as const)) {
    const value = input[field];
    if (!value) continue;
    const existing = await repo.findByIdentifier(
      ctx,
      orgId,
      field === 'assetTag' ? 'asset_tag' : 'serial',
      value,
    );
    if (existing && existing.id !== opts.selfId) throw duplicate(field, existing);
  }
  return {
    custom,
    rack,
    locationPath: location?.path ?? null,
    extra: [type!.name.fr, type!.name.en, model?.name ?? '', model?.manufacturerName ?? ''],
  };
}

export async function writeHistory(
  ctx: Ctx,
  asset: { id: string; orgId: string },
  kind: string,
  changes: THistoryEntry['changes'],
  note: string | null = null,
): Promise<void> {
  await repo.insertHistory(ctx, [historyRow(ctx, asset, kind, changes, note)]);
}

function historyRow(
  ctx: Ctx,
  asset: { id: string; orgId: string },
  kind: string,
  changes: THistoryEntry['changes'],
  note: string | null,
): AssetHistoryTable {
  const actor = requireActor(ctx);
  return {
    id: uuidv7(),
    org_id: asset.orgId,
    asset_id: asset.id,
    at: ctx.now.toISOString(),
    actor_id: actor.via === 'system' ? null : actor.userId,
    actor_label: actor.email,
    kind,
    changes: toJson(changes),
    note,
  };
}

export async function listAssets(
  ctx: Ctx,
  q: {
    q?: string | undefined;
    orgId?: string | undefined;
    typeId?: string | undefined;
    status?: AssetStatus | undefined;
    locationId?: string | undefined;
    assignedUserId?: string | undefined;
    warrantyBefore?: string | undefined;
    sort: repo.AssetSort;
    order: 'asc' | 'desc';
    limit: number;
    cursor?: string | undefined;
  },
): Promise<Page<TAsset>> {
  const actor = requireActor(ctx);
  if (!can(actor, 'asset.read')) throw forbidden();
  let locationPath: string | undefined;
  if (q.locationId) {
    locationPath = await locationSubtreePath(ctx, q.locationId);
    if (!locationPath) return { items: [], nextCursor: null };
  }
  const rows = await repo.listAssets(ctx, {
    ...q,
    scope: orgsWhere(actor, 'asset.read'),
    locationPath,
    words: q.q ? foldText(q.q).split(/\s+/).filter(Boolean).slice(0, 10) : undefined,
    after: decodeCursor(q.cursor, 2) as [string, string] | undefined,
    limit: q.limit + 1,
  });
  return toPage(rows, q.limit, repo.toAsset, (r) => [repo.sortValue(r, q.sort), r.id]);
}

export async function getAsset(ctx: Ctx, id: string): Promise<TAsset> {
  return repo.toAsset(await visibleAsset(ctx, requireActor(ctx), id));
}

export type NewAsset = AssetInput & { orgId: string; status: AssetStatus };

export async function createAsset(ctx: Ctx, input: NewAsset): Promise<TAsset> {
  const [result] = await createAssets(ctx, input.orgId, [input]);
  if (result instanceof AppError) throw result;
  return result!;
}

/**
 * Creates assets of one organisation in one transaction with one statement per chunk of rows: each
 * input is checked as `createAsset` would, and its refusal is returned in its place; the valid ones
 * are written with their history and audit records. Tags and serials are checked against the
 * inventory in bulk and against each other.
 */
export async function createAssets(
  ctx: Ctx,
  orgId: string,
  inputs: NewAsset[],
  opts: { cache?: ReferenceCache } = {},
): Promise<Array<TAsset | AppError>> {
  const actor = requireActor(ctx);
  if (!can(actor, 'asset.read', { orgId })) throw notFound('org');
  if (!can(actor, 'asset.manage', { orgId })) throw forbidden();
  const cache = opts.cache ?? new Map();
  return inTransaction(ctx, async (tx) => {
    const taken = {
      assetTag: await takenIdentifiers(tx, orgId, 'assetTag', inputs),
      serial: await takenIdentifiers(tx, orgId, 'serial', inputs),
    };
    const now = tx.now.toISOString();
    const rows: AssetTable[] = [];
    const results: Array<TAsset | AppError> = [];
    const placed: RackSpan[] = [];
    for (const input of inputs) {
      try {
        if (input.orgId !== orgId) throw notFound('org');
        const refs = await resolveReferences(tx, orgId, input, { cache, identifiersChecked: true });
        for (const field of ['assetTag', 'serial'] as const) {
          const value = input[field];
          const existing = value ? taken[field].get(value) : undefined;
          if (existing) throw duplicate(field, existing);
        }
        const id = uuidv7();
        const span = await checkRackPlacement(tx, refs.rack, { ...input, id }, undefined, placed);
        if (span) placed.push(span);
        const row: AssetTable = {
          id,
          org_id: orgId,
          type_id: input.typeId,
          model_id: input.modelId,
          name: input.name,
          asset_tag: input.assetTag,
          serial: input.serial,
          status: input.status,
          location_id: input.locationId,
          location_path: refs.locationPath,
          rack_position: input.rackPosition ?? null,
          rack_height: input.rackHeight ?? null,
          assigned_user_id: input.assignedUserId,
          supplier_id: input.supplierId,
          purchase_date: input.purchaseDate,
          warranty_end: input.warrantyEnd,
          contract_end: input.contractEnd,
          custom: toJson(refs.custom),
          notes: input.notes,
          search_text: searchText(input, refs.extra),
          confidentiality: null,
          integrity: null,
          availability: null,
          created_at: now,
          updated_at: now,
          version: 1,
          deleted_at: null,
        };
        for (const field of ['assetTag', 'serial'] as const) {
          const value = input[field];
          if (value) taken[field].set(value, { id: row.id, name: row.name });
        }
        rows.push(row);
        results.push(repo.toAsset(row));
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        results.push(err);
      }
    }
    try {
      await repo.insertAssets(tx, rows);
    } catch (err) {
      // Another insert won the race after the check above; the transaction is aborted, so name the field only.
      if (isUniqueViolation(err)) {
        const field = /serial/.test(
          String((err as { constraint?: string }).constraint ?? (err as Error).message),
        )
          ? 'serial'
          : 'assetTag';
        throw new AppError('conflict.duplicate', 409, { field }, {}, [{ path: field, code: 'duplicate' }]);
      }
      throw err;
    }
    const created = results.filter((r): r is TAsset => !(r instanceof AppError));
    await repo.insertHistory(
      tx,
      created.map((asset) => historyRow(tx, asset, 'created', [], null)),
    );
    await recordAudits(
      tx,
      created.map((asset) => ({
        orgId,
        action: 'asset.created',
        entityType: 'asset',
        entityId: asset.id,
        after: asset,
      })),
    );
    return results;
  });
}

/** The live assets already carrying the inputs' tags or serials, by value. */
async function takenIdentifiers(
  ctx: Ctx,
  orgId: string,
  field: 'assetTag' | 'serial',
  inputs: Array<Pick<AssetInput, 'assetTag' | 'serial'>>,
): Promise<Map<string, { id: string; name: string }>> {
  const values = [...new Set(inputs.flatMap((i) => (i[field] ? [i[field]] : [])))];
  const column = field === 'assetTag' ? 'asset_tag' : 'serial';
  const rows = await repo.findByIdentifiers(ctx, orgId, column, values);
  return new Map(rows.map((r) => [r[column]!, { id: r.id, name: r.name }]));
}

export async function updateAsset(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  patch: Partial<AssetInput>,
  opts: { cache?: ReferenceCache } = {},
): Promise<TAsset> {
  const actor = requireActor(ctx);
  return inTransaction(ctx, async (tx) => {
    const row = await visibleAsset(tx, actor, id);
    if (!can(actor, 'asset.manage', { orgId: row.org_id })) throw forbidden();
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    const before = repo.toAsset(row);
    const merged: AssetInput = { ...before, ...patch };
    // A position belongs to one rack: moving elsewhere clears it, unless the edit places the asset anew.
    if (merged.locationId !== before.locationId) {
      merged.rackPosition = patch.rackPosition ?? null;
      merged.rackHeight = patch.rackHeight ?? null;
    }
    const refs = await resolveReferences(tx, row.org_id, merged, { selfId: id, ...opts });
    await checkRackPlacement(tx, refs.rack, { ...merged, id }, before);
    const set = {
      type_id: merged.typeId,
      model_id: merged.modelId,
      name: merged.name,
      asset_tag: merged.assetTag,
      serial: merged.serial,
      location_id: merged.locationId,
      location_path: refs.locationPath,
      rack_position: merged.rackPosition ?? null,
      rack_height: merged.rackHeight ?? null,
      assigned_user_id: merged.assignedUserId,
      supplier_id: merged.supplierId,
      purchase_date: merged.purchaseDate,
      warranty_end: merged.warrantyEnd,
      contract_end: merged.contractEnd,
      custom: toJson(refs.custom),
      notes: merged.notes,
      search_text: searchText(merged, refs.extra),
      updated_at: tx.now.toISOString(),
    };
    // Nothing differs: nothing is written, and the version stays (an edit that changes nothing is no change).
    if (diffAssets(before, repo.toAsset({ ...row, ...set })).length === 0) return before;
    if (!(await repo.updateAsset(tx, id, expectedVersion, set))) throw preconditionFailed(row.version);
    const after = repo.toAsset({ ...row, ...set, version: row.version + 1 });
    await writeHistory(tx, after, 'updated', diffAssets(before, after));
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'asset.updated',
      entityType: 'asset',
      entityId: id,
      before,
      after,
    });
    return after;
  });
}

/** Moves an asset along its lifecycle; a forbidden move gets 422 with the allowed ones. */
export async function changeStatus(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  input: { status: AssetStatus; note?: string | undefined },
): Promise<TAsset> {
  const actor = requireActor(ctx);
  return inTransaction(ctx, async (tx) => {
    const row = await visibleAsset(tx, actor, id);
    if (!can(actor, 'asset.manage', { orgId: row.org_id })) throw forbidden();
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    const from = row.status as AssetStatus;
    const allowed = STATUS_TRANSITIONS[from];
    if (!allowed.includes(input.status)) {
      throw new AppError(
        'asset.bad_transition',
        422,
        { from, to: input.status, allowed: allowed.join(', ') || '—' },
        { allowed },
        [{ path: 'status', code: 'bad_transition' }],
      );
    }
    // Disposed hardware has left the building: its rack space is free again.
    const leavesRack = input.status === 'disposed' && row.rack_position !== null;
    const set = {
      status: input.status,
      updated_at: tx.now.toISOString(),
      ...(leavesRack && { rack_position: null, rack_height: null }),
    };
    if (!(await repo.updateAsset(tx, id, expectedVersion, set))) throw preconditionFailed(row.version);
    const before = repo.toAsset(row);
    const after = repo.toAsset({ ...row, ...set, version: row.version + 1 });
    await writeHistory(tx, after, 'status', diffAssets(before, after), input.note ?? null);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'asset.status_changed',
      entityType: 'asset',
      entityId: id,
      before,
      after,
    });
    return after;
  });
}

export async function deleteAsset(ctx: Ctx, id: string, expectedVersion: number): Promise<void> {
  const actor = requireActor(ctx);
  await inTransaction(ctx, async (tx) => {
    const row = await visibleAsset(tx, actor, id);
    if (!can(actor, 'asset.manage', { orgId: row.org_id })) throw forbidden();
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    const now = tx.now.toISOString();
    if (!(await repo.updateAsset(tx, id, expectedVersion, { deleted_at: now, updated_at: now })))
      throw preconditionFailed(row.version);
    await writeHistory(tx, repo.toAsset(row), 'deleted', []);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'asset.deleted',
      entityType: 'asset',
      entityId: id,
      before: repo.toAsset(row),
    });
  });
}

export async function assetHistory(
  ctx: Ctx,
  id: string,
  q: { limit: number; cursor?: string | undefined },
): Promise<Page<THistoryEntry>> {
  await visibleAsset(ctx, requireActor(ctx), id);
  const rows = await repo.listHistory(ctx, id, {
    after: decodeCursor(q.cursor, 2) as [string, string] | undefined,
    limit: q.limit + 1,
  });
  const page = toPage(rows, q.limit, repo.toHistory, (r) => [r.at, r.id]);
  const names = await userDisplayNames(
    ctx,
    page.items.flatMap((e) => (e.actorId ? [e.actorId] : [])),
  );
  return {
    items: page.items.map((e) => ({ ...e, authorName: e.actorId ? (names.get(e.actorId) ?? null) : null })),
    nextCursor: page.nextCursor,
  };
}
