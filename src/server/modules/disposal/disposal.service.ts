import { uuidv7 } from 'uuidv7';
import { type Action, can, orgsWhere } from '../../../shared/policy.js';
import type { TAsset } from '../../../shared/schemas/assets.js';
import type { Page } from '../../../shared/schemas/common.js';
import {
  DISPOSABLE_STATUSES,
  type DisposalChannel,
  type TDisposalBatch,
  type TDisposalBatchDetail,
  type TDisposalItem,
  type TWipe,
  type WipeMethod,
} from '../../../shared/schemas/disposal.js';
import { type Ctx, inTransaction, type Principal } from '../../context.js';
import { toBool } from '../../db/values.js';
import { AppError, forbidden, isUniqueViolation, notFound, preconditionFailed } from '../../http/errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { changeStatus, getAsset, listAssetTypes } from '../assets/index.js';
import { recordAudit } from '../audit/index.js';
import { nextReference } from '../orgs/index.js';
import * as repo from './disposal.repo.js';
import type { DataWipeTable, DisposalItemTable } from './disposal.tables.js';

/**
 * End of life. A batch gathers the hardware leaving through one channel; adding an asset puts it in
 * `awaiting_disposal`, removing it (or cancelling the batch) puts it back in stock, and closing the
 * batch (handed over, with the slip or certificate) disposes of every asset in it. A storage medium
 * leaves only with a successful data-wiping record: the GDPR evidence, never changed once written.
 */

/** Asset categories and type codes whose assets hold personal data unless told otherwise. */
const DATA_BEARING_CATEGORIES = new Set(['computer', 'server', 'phone']);
const DATA_BEARING_CODES = new Set(['disk']);

function actorOf(ctx: Ctx): Principal {
  if (!ctx.actor) throw new Error('this operation needs an authenticated actor');
  return ctx.actor;
}

const userIdOf = (actor: Principal) => (actor.via === 'system' ? null : actor.userId);

/** Another organisation's record answers 404; in one's own, lacking the action is 403. */
function assertAllowed(actor: Principal, action: Action, orgId: string, entity: string): void {
  if (!can(actor, 'disposal.read', { orgId })) throw notFound(entity);
  if (!can(actor, action, { orgId })) throw forbidden();
}

const kg = (grams: number | null) => (grams === null ? null : grams / 1000);
const grams = (weightKg: number | null | undefined) =>
  weightKg === null || weightKg === undefined ? null : Math.round(weightKg * 1000);

function toBatch(row: repo.BatchRow): TDisposalBatch {
  return {
    id: row.id,
    orgId: row.org_id,
    reference: row.reference,
    channel: row.channel as DisposalChannel,
    status: row.status as TDisposalBatch['status'],
    recipient: row.recipient,
    notes: row.notes,
    itemCount: Number(row.item_count ?? 0),
    weightKg: Number(row.weight_grams ?? 0) / 1000,
    handedOverOn: row.handed_over_on,
    certificateRef: row.certificate_ref,
    createdBy: row.created_by,
    closedBy: row.closed_by,
    closedAt: row.closed_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

function toWipe(row: DataWipeTable): TWipe {
  return {
    id: row.id,
    orgId: row.org_id,
    assetId: row.asset_id,
    method: row.method as WipeMethod,
    result: row.result as TWipe['result'],
    performedAt: row.performed_at,
    operator: row.operator,
    tool: row.tool,
    mediaSerial: row.media_serial,
    certificateRef: row.certificate_ref,
    notes: row.notes,
    recordedBy: row.recorded_by,
    recordedAt: row.recorded_at,
  };
}

async function visibleBatch(ctx: Ctx, id: string, action: Action): Promise<repo.BatchRow> {
  const row = await repo.findBatch(ctx, id);
  if (!row) throw notFound('disposal_batch');
  assertAllowed(actorOf(ctx), action, row.org_id, 'disposal_batch');
  return row;
}

/** The batch, for a change: current version and still open. */
async function openBatch(tx: Ctx, id: string, expectedVersion: number): Promise<repo.BatchRow> {
  const row = await visibleBatch(tx, id, 'disposal.manage');
  if (row.version !== expectedVersion) throw preconditionFailed(row.version);
  if (row.status !== 'open') throw new AppError('disposal_batch.not_open', 409, { status: row.status });
  return row;
}

/** Bumps the batch's version (its items changed) or refuses a concurrent change. */
async function touch(tx: Ctx, row: repo.BatchRow, set: Parameters<typeof repo.updateBatch>[3] = {}) {
  const changes = { ...set, updated_at: tx.now.toISOString() };
  if (!(await repo.updateBatch(tx, row.id, row.version, changes))) throw preconditionFailed(row.version);
}

async function detail(ctx: Ctx, id: string): Promise<TDisposalBatchDetail> {
  const row = await repo.findBatch(ctx, id);
  if (!row) throw notFound('disposal_batch');
  const items = await repo.itemsOf(ctx, id);
  const assets = await assetsById(
    ctx,
    items.map((i) => i.asset_id),
  );
  const wipes = await repo.lastWipes(
    ctx,
    items.map((i) => i.asset_id),
  );
  return {
    ...toBatch(row),
    items: items.map((i): TDisposalItem => {
      const a = assets.get(i.asset_id);
      const wipe = wipes.get(i.asset_id);
      return {
        assetId: i.asset_id,
        assetName: a?.name ?? '',
        assetTag: a?.assetTag ?? null,
        serial: a?.serial ?? null,
        typeId: i.type_id,
        weightKg: kg(i.weight_grams),
        holdsData: toBool(i.holds_data),
        wipe: wipe ? toWipe(wipe) : null,
        addedAt: i.added_at,
      };
    }),
  };
}

async function assetsById(ctx: Ctx, ids: string[]): Promise<Map<string, TAsset>> {
  const out = new Map<string, TAsset>();
  for (const id of ids) {
    try {
      out.set(id, await getAsset(ctx, id));
    } catch {
      // An asset the caller may not read shows without its name; the batch is still theirs.
    }
  }
  return out;
}

// --- batches ---------------------------------------------------------------------------------------

export async function listBatches(
  ctx: Ctx,
  q: {
    orgId?: string | undefined;
    status?: TDisposalBatch['status'] | undefined;
    channel?: DisposalChannel | undefined;
    q?: string | undefined;
    limit: number;
    cursor?: string | undefined;
  },
): Promise<Page<TDisposalBatch>> {
  const actor = actorOf(ctx);
  if (!can(actor, 'disposal.read', q.orgId ? { orgId: q.orgId } : {})) throw forbidden();
  const rows = await repo.listBatches(ctx, {
    ...q,
    scope: orgsWhere(actor, 'disposal.read'),
    after: decodeCursor(q.cursor, 2) as [string, string] | undefined,
    limit: q.limit + 1,
  });
  return toPage(rows, q.limit, toBatch, (r) => [r.created_at, r.id]);
}

export async function getBatch(ctx: Ctx, id: string): Promise<TDisposalBatchDetail> {
  await visibleBatch(ctx, id, 'disposal.read');
  return detail(ctx, id);
}

export async function createBatch(
  ctx: Ctx,
  input: { orgId: string; channel: DisposalChannel; recipient: string; notes: string },
): Promise<TDisposalBatchDetail> {
  const actor = actorOf(ctx);
  if (!can(actor, 'disposal.read', { orgId: input.orgId })) throw notFound('org');
  if (!can(actor, 'disposal.manage', { orgId: input.orgId })) throw forbidden();
  return inTransaction(ctx, async (tx) => {
    const now = tx.now.toISOString();
    const row = {
      id: uuidv7(),
      org_id: input.orgId,
      reference: await nextReference(tx, input.orgId, 'disposal_batch', 'DSP'),
      channel: input.channel,
      status: 'open',
      recipient: input.recipient,
      notes: input.notes,
      handed_over_on: null,
      certificate_ref: '',
      created_by: userIdOf(actor),
      closed_by: null,
      closed_at: null,
      created_at: now,
      updated_at: now,
      version: 1,
      deleted_at: null,
    };
    await repo.insertBatch(tx, row);
    const after = await detail(tx, row.id);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'disposal.batch_created',
      entityType: 'disposal_batch',
      entityId: row.id,
      after: toBatch({ ...row, item_count: 0, weight_grams: 0 }),
    });
    return after;
  });
}

export async function updateBatch(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  patch: {
    channel?: DisposalChannel | undefined;
    recipient?: string | undefined;
    notes?: string | undefined;
  },
): Promise<TDisposalBatchDetail> {
  return inTransaction(ctx, async (tx) => {
    const row = await openBatch(tx, id, expectedVersion);
    const set = {
      ...(patch.channel !== undefined && { channel: patch.channel }),
      ...(patch.recipient !== undefined && { recipient: patch.recipient }),
      ...(patch.notes !== undefined && { notes: patch.notes }),
    };
    await touch(tx, row, set);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'disposal.batch_updated',
      entityType: 'disposal_batch',
      entityId: id,
      before: toBatch(row),
      after: set,
    });
    return detail(tx, id);
  });
}

/**
 * Adds assets of the batch's organisation: each must be in a status the CMDB lets go to
 * `awaiting_disposal` and in no other batch. All are checked before anything is written, and every
 * problem is named (`items.<i>.assetId`).
 */
export async function addItems(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  items: Array<{ assetId: string; weightKg?: number | null | undefined; holdsData?: boolean | undefined }>,
): Promise<TDisposalBatchDetail> {
  return inTransaction(ctx, async (tx) => {
    const batch = await openBatch(tx, id, expectedVersion);
    if (!can(actorOf(tx), 'asset.manage', { orgId: batch.org_id })) throw forbidden();
    const errors: Array<{ path: string; code: string }> = [];
    const seen = new Set<string>();
    const assets: TAsset[] = [];
    for (const [i, item] of items.entries()) {
      const path = `items.${i}.assetId`;
      if (seen.has(item.assetId)) {
        errors.push({ path, code: 'duplicate' });
        continue;
      }
      seen.add(item.assetId);
      const asset = await getAsset(tx, item.assetId).catch(() => undefined);
      if (!asset || asset.orgId !== batch.org_id) errors.push({ path, code: 'not_found' });
      else if (!(DISPOSABLE_STATUSES as readonly string[]).includes(asset.status))
        errors.push({ path, code: 'not_disposable' });
      else assets.push(asset);
    }
    if (errors.length > 0) throw new AppError('validation.failed', 422, {}, {}, errors);
    const taken = await repo.batchesOfAssets(
      tx,
      assets.map((a) => a.id),
    );
    if (taken.length > 0) {
      throw new AppError(
        'disposal.already_in_batch',
        409,
        { reference: taken[0]!.reference },
        { assets: taken.map((t) => ({ assetId: t.asset_id, batchId: t.batch_id, reference: t.reference })) },
      );
    }
    const types = new Map(
      (await listAssetTypes(tx, { orgId: batch.org_id })).items.map((t) => [t.id, t] as const),
    );
    const now = tx.now.toISOString();
    const byId = new Map(items.map((it) => [it.assetId, it]));
    const rows: DisposalItemTable[] = assets.map((a) => {
      const type = types.get(a.typeId);
      const item = byId.get(a.id)!;
      const bearing =
        !!type && (DATA_BEARING_CATEGORIES.has(type.category) || DATA_BEARING_CODES.has(type.code));
      return {
        asset_id: a.id,
        batch_id: batch.id,
        org_id: batch.org_id,
        type_id: a.typeId,
        weight_grams: grams(item.weightKg),
        holds_data: item.holdsData ?? bearing,
        added_by: userIdOf(actorOf(tx)),
        added_at: now,
      };
    });
    try {
      await repo.insertItems(tx, rows);
    } catch (err) {
      // Another batch took one of them meanwhile.
      if (isUniqueViolation(err)) throw new AppError('disposal.already_in_batch', 409, { reference: '?' });
      throw err;
    }
    for (const a of assets) {
      if (a.status === 'awaiting_disposal') continue;
      await changeStatus(tx, a.id, a.version, {
        status: 'awaiting_disposal',
        note: `${batch.reference}`,
      });
    }
    await touch(tx, batch);
    await recordAudit(tx, {
      orgId: batch.org_id,
      action: 'disposal.items_added',
      entityType: 'disposal_batch',
      entityId: batch.id,
      after: { assets: rows.map((r) => ({ assetId: r.asset_id, weightGrams: r.weight_grams })) },
    });
    return detail(tx, batch.id);
  });
}

export async function updateItem(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  assetId: string,
  patch: { weightKg?: number | null | undefined; holdsData?: boolean | undefined },
): Promise<TDisposalBatchDetail> {
  return inTransaction(ctx, async (tx) => {
    const batch = await openBatch(tx, id, expectedVersion);
    const set = {
      ...(patch.weightKg !== undefined && { weight_grams: grams(patch.weightKg) }),
      ...(patch.holdsData !== undefined && { holds_data: patch.holdsData }),
    };
    if (Object.keys(set).length > 0 && !(await repo.updateItem(tx, id, assetId, set)))
      throw notFound('disposal_item');
    await touch(tx, batch);
    await recordAudit(tx, {
      orgId: batch.org_id,
      action: 'disposal.item_updated',
      entityType: 'disposal_batch',
      entityId: id,
      after: { assetId, ...patch },
    });
    return detail(tx, id);
  });
}

/** Takes assets out of an open batch (all of them when cancelling): they go back in stock. */
async function release(tx: Ctx, batch: repo.BatchRow, assetIds: string[]): Promise<void> {
  await repo.deleteItems(tx, batch.id, assetIds);
  for (const assetId of assetIds) {
    const asset = await getAsset(tx, assetId);
    if (asset.status === 'awaiting_disposal')
      await changeStatus(tx, asset.id, asset.version, { status: 'in_stock', note: batch.reference });
  }
}

export async function removeItem(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  assetId: string,
): Promise<TDisposalBatchDetail> {
  return inTransaction(ctx, async (tx) => {
    const batch = await openBatch(tx, id, expectedVersion);
    const items = await repo.itemsOf(tx, id);
    if (!items.some((i) => i.asset_id === assetId)) throw notFound('disposal_item');
    await release(tx, batch, [assetId]);
    await touch(tx, batch);
    await recordAudit(tx, {
      orgId: batch.org_id,
      action: 'disposal.item_removed',
      entityType: 'disposal_batch',
      entityId: id,
      after: { assetId },
    });
    return detail(tx, id);
  });
}

export async function cancelBatch(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
): Promise<TDisposalBatchDetail> {
  return inTransaction(ctx, async (tx) => {
    const batch = await openBatch(tx, id, expectedVersion);
    const items = await repo.itemsOf(tx, id);
    await release(
      tx,
      batch,
      items.map((i) => i.asset_id),
    );
    await touch(tx, batch, { status: 'cancelled' });
    await recordAudit(tx, {
      orgId: batch.org_id,
      action: 'disposal.batch_cancelled',
      entityType: 'disposal_batch',
      entityId: id,
      before: toBatch(batch),
    });
    return detail(tx, id);
  });
}

/**
 * The batch leaves: every data-bearing item needs a successful wipe done by then (422 naming the
 * items without one), and every asset becomes `disposed` (its history says which batch took it).
 */
export async function closeBatch(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  input: { handedOverOn: string; certificateRef: string; recipient?: string | undefined },
): Promise<TDisposalBatchDetail> {
  return inTransaction(ctx, async (tx) => {
    const batch = await openBatch(tx, id, expectedVersion);
    const items = await repo.itemsOf(tx, id);
    if (items.length === 0) throw new AppError('disposal_batch.empty', 422);
    const recipient = input.recipient ?? batch.recipient;
    if (!recipient) {
      throw new AppError('validation.failed', 422, {}, {}, [{ path: 'recipient', code: 'required' }]);
    }
    const wipes = await repo.lastWipes(
      tx,
      items.map((i) => i.asset_id),
    );
    const unwiped = items.filter((i) => toBool(i.holds_data) && !wipes.has(i.asset_id));
    if (unwiped.length > 0) {
      const names = await assetsById(
        tx,
        unwiped.map((i) => i.asset_id),
      );
      const assets = unwiped.map((i) => ({
        assetId: i.asset_id,
        name: names.get(i.asset_id)?.name ?? i.asset_id,
      }));
      throw new AppError(
        'disposal_batch.unwiped',
        422,
        { count: unwiped.length, names: assets.map((a) => a.name).join(', ') },
        { assets },
      );
    }
    for (const item of items) {
      const asset = await getAsset(tx, item.asset_id);
      await changeStatus(tx, asset.id, asset.version, {
        status: 'disposed',
        note: `${batch.reference} (${batch.channel}) → ${recipient}`,
      });
    }
    const actor = actorOf(tx);
    const set = {
      status: 'closed',
      recipient,
      handed_over_on: input.handedOverOn,
      certificate_ref: input.certificateRef,
      closed_by: userIdOf(actor),
      closed_at: tx.now.toISOString(),
    };
    await touch(tx, batch, set);
    await recordAudit(tx, {
      orgId: batch.org_id,
      action: 'disposal.batch_closed',
      entityType: 'disposal_batch',
      entityId: id,
      before: toBatch(batch),
      after: { ...set, assets: items.map((i) => i.asset_id) },
    });
    return detail(tx, id);
  });
}

// --- data wiping -----------------------------------------------------------------------------------

export async function recordWipe(
  ctx: Ctx,
  input: {
    assetId: string;
    method: WipeMethod;
    result: TWipe['result'];
    performedAt: string;
    operator: string;
    tool: string;
    mediaSerial: string;
    certificateRef: string;
    notes: string;
  },
): Promise<TWipe> {
  const actor = actorOf(ctx);
  return inTransaction(ctx, async (tx) => {
    const asset = await getAsset(tx, input.assetId);
    assertAllowed(actor, 'disposal.manage', asset.orgId, 'asset');
    if (Date.parse(input.performedAt) > tx.now.getTime() + 5 * 60_000) {
      throw new AppError('validation.failed', 422, {}, {}, [{ path: 'performedAt', code: 'in_future' }]);
    }
    const row: DataWipeTable = {
      id: uuidv7(),
      org_id: asset.orgId,
      asset_id: asset.id,
      method: input.method,
      result: input.result,
      performed_at: new Date(input.performedAt).toISOString(),
      operator: input.operator,
      tool: input.tool,
      media_serial: input.mediaSerial,
      certificate_ref: input.certificateRef,
      notes: input.notes,
      recorded_by: userIdOf(actor),
      recorded_at: tx.now.toISOString(),
    };
    await repo.insertWipe(tx, row);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'disposal.wipe_recorded',
      entityType: 'asset',
      entityId: asset.id,
      after: toWipe(row),
    });
    return toWipe(row);
  });
}

export async function listWipes(
  ctx: Ctx,
  q: { orgId?: string | undefined; assetId?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<Page<TWipe>> {
  const actor = actorOf(ctx);
  if (!can(actor, 'disposal.read', q.orgId ? { orgId: q.orgId } : {})) throw forbidden();
  const rows = await repo.listWipes(ctx, {
    ...q,
    scope: orgsWhere(actor, 'disposal.read'),
    after: decodeCursor(q.cursor, 2) as [string, string] | undefined,
    limit: q.limit + 1,
  });
  return toPage(rows, q.limit, toWipe, (r) => [r.recorded_at, r.id]);
}
