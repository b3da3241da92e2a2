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
import { recordAudit } from '../audit/index.js';
import { membersOf } from '../orgs/index.js';
import * as repo from './assets.repo.js';
import type { AssetTable } from './assets.tables.js';
import { findAssetType, findModel, findSupplier } from './catalogue.service.js';
import { validateCustomValues } from './custom-fields.js';
import { findLocationForAsset, locationSubtreePath } from './locations.service.js';

export type AssetInput = Omit<Required<TAssetCreate>, 'orgId' | 'status'>;

/** Fields whose changes the timeline shows, as (label in the diff, column). */
const TRACKED: Array<[keyof TAsset, keyof AssetTable]> = [
  ['name', 'name'],
  ['typeId', 'type_id'],
  ['modelId', 'model_id'],
  ['assetTag', 'asset_tag'],
  ['serial', 'serial'],
  ['status', 'status'],
  ['locationId', 'location_id'],
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

/** Checks references (type, model, location, supplier, user) within the organisation; returns derived columns. */
async function resolveReferences(ctx: Ctx, orgId: string, input: AssetInput, selfId?: string) {
  const errors: Array<{ path: string; code: string }> = [];
  const type = await findAssetType(ctx, orgId, input.typeId);
  if (!type) errors.push({ path: 'typeId', code: 'not_found' });
  const model = input.modelId ? await findModel(ctx, orgId, input.modelId) : undefined;
  if (input.modelId && !model) errors.push({ path: 'modelId', code: 'not_found' });
  if (model && type && model.typeId !== type.id)
    errors.push({ path: 'modelId', code: 'model_type_mismatch' });
  const location = input.locationId ? await findLocationForAsset(ctx, orgId, input.locationId) : undefined;
  if (input.locationId && !location) errors.push({ path: 'locationId', code: 'not_found' });
  if (input.supplierId && !(await findSupplier(ctx, orgId, input.supplierId)))
    errors.push({ path: 'supplierId', code: 'not_found' });
  if (
    input.assignedUserId &&
    !(await membersOf(ctx, orgId, [input.assignedUserId])).has(input.assignedUserId)
  ) {
    errors.push({ path: 'assignedUserId', code: 'not_found' });
  }
  if (errors.length > 0) throw new AppError('validation.failed', 422, {}, {}, errors);
  const custom = validateCustomValues(type!.customFields, input.custom);
  for (const field of ['assetTag', 'serial'] as const) {
    const value = input[field];
    if (!value) continue;
    const existing = await repo.findByIdentifier(
      ctx,
      orgId,
      field === 'assetTag' ? 'asset_tag' : 'serial',
      value,
    );
    if (existing && existing.id !== selfId) throw duplicate(field, existing);
  }
  return {
    custom,
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
  const actor = requireActor(ctx);
  await repo.insertHistory(ctx, {
    id: uuidv7(),
    org_id: asset.orgId,
    asset_id: asset.id,
    at: ctx.now.toISOString(),
    actor_id: actor.via === 'system' ? null : actor.userId,
    actor_label: actor.email,
    kind,
    changes: toJson(changes),
    note,
  });
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

export async function createAsset(
  ctx: Ctx,
  input: AssetInput & { orgId: string; status: AssetStatus },
): Promise<TAsset> {
  const actor = requireActor(ctx);
  if (!can(actor, 'asset.read', { orgId: input.orgId })) throw notFound('org');
  if (!can(actor, 'asset.manage', { orgId: input.orgId })) throw forbidden();
  return inTransaction(ctx, async (tx) => {
    const refs = await resolveReferences(tx, input.orgId, input);
    const now = tx.now.toISOString();
    const row: AssetTable = {
      id: uuidv7(),
      org_id: input.orgId,
      type_id: input.typeId,
      model_id: input.modelId,
      name: input.name,
      asset_tag: input.assetTag,
      serial: input.serial,
      status: input.status,
      location_id: input.locationId,
      location_path: refs.locationPath,
      assigned_user_id: input.assignedUserId,
      supplier_id: input.supplierId,
      purchase_date: input.purchaseDate,
      warranty_end: input.warrantyEnd,
      contract_end: input.contractEnd,
      custom: toJson(refs.custom),
      notes: input.notes,
      search_text: searchText(input, refs.extra),
      created_at: now,
      updated_at: now,
      version: 1,
      deleted_at: null,
    };
    try {
      await repo.insertAsset(tx, row);
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
    const asset = repo.toAsset(row);
    await writeHistory(tx, asset, 'created', []);
    await recordAudit(tx, {
      orgId: asset.orgId,
      action: 'asset.created',
      entityType: 'asset',
      entityId: asset.id,
      after: asset,
    });
    return asset;
  });
}

export async function updateAsset(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  patch: Partial<AssetInput>,
): Promise<TAsset> {
  const actor = requireActor(ctx);
  return inTransaction(ctx, async (tx) => {
    const row = await visibleAsset(tx, actor, id);
    if (!can(actor, 'asset.manage', { orgId: row.org_id })) throw forbidden();
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    const before = repo.toAsset(row);
    const merged: AssetInput = { ...before, ...patch };
    const refs = await resolveReferences(tx, row.org_id, merged, id);
    const set = {
      type_id: merged.typeId,
      model_id: merged.modelId,
      name: merged.name,
      asset_tag: merged.assetTag,
      serial: merged.serial,
      location_id: merged.locationId,
      location_path: refs.locationPath,
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
    const set = { status: input.status, updated_at: tx.now.toISOString() };
    if (!(await repo.updateAsset(tx, id, expectedVersion, set))) throw preconditionFailed(row.version);
    const before = repo.toAsset(row);
    const after = repo.toAsset({ ...row, ...set, version: row.version + 1 });
    await writeHistory(
      tx,
      after,
      'status',
      [{ field: 'status', from, to: input.status }],
      input.note ?? null,
    );
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
  return toPage(rows, q.limit, repo.toHistory, (r) => [r.at, r.id]);
}
