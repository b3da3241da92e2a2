import type {
  TNetworkConfig,
  TWorkOrderDetail,
  TWorkOrderMissing,
} from '../../../shared/schemas/workorders.js';
import { type Ctx, inTransaction } from '../../context.js';
import { fromJson, toBool, toJson } from '../../db/values.js';
import { AppError, preconditionFailed } from '../../http/errors.js';
import { publish } from '../../jobs/outbox.js';
import { changeStatus, getAsset, updateAsset } from '../assets/index.js';
import { recordAudit } from '../audit/index.js';
import { closeReservation, getReservation } from '../stock/index.js';
import { actorOf, closedError, unprocessable, visibleWorkOrder } from './access.js';
import * as repo from './workorders.repo.js';
import { assertTransition, detailOf, releaseReservations } from './workorders.service.js';

/** The event of a missing item or an incomplete box: supervisors alerted, users told the new date. */
export const ITEMS_MISSING_EVENT = 'work_order.items_missing';

/**
 * Completes a work order in progress: every mandatory checklist item ticked (else 422 listing them),
 * the configuration applied recorded, the reservations consumed (stock `out` naming the work order),
 * the serialised units deployed at its location and assigned to the first affected user (their
 * history written by the assets module), all in one transaction.
 */
export async function completeWorkOrder(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  input: { configuration: TNetworkConfig; note: string },
): Promise<TWorkOrderDetail> {
  return inTransaction(ctx, async (tx) => {
    const row = await visibleWorkOrder(tx, id, 'workorder.manage');
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    assertTransition(row.status, 'done');
    const checks = await repo.checksOf(tx, id);
    const unchecked = checks
      .map((c, i) => ({ c, i }))
      .filter(({ c }) => toBool(c.mandatory) && !toBool(c.done));
    if (unchecked.length > 0)
      throw new AppError(
        'work_order.checklist_incomplete',
        422,
        { count: unchecked.length, labels: unchecked.map(({ c }) => c.label).join(', ') },
        { unchecked: unchecked.map(({ c }) => ({ id: c.id, kind: c.kind, label: c.label })) },
        unchecked.map(({ i }) => ({ path: `checklist.${i}`, code: 'unchecked' })),
      );
    const items = await repo.itemsOf(tx, id);
    const units = await repo.unitsOf(tx, id);
    const assignee = (fromJson<string[]>(row.affected_user_ids) ?? [])[0];
    for (const item of items) {
      if (item.reservation_id) {
        const r = await getReservation(tx, item.reservation_id);
        if (r.status === 'active') await closeReservation(tx, r.id, 'consume', { reason: row.reference });
      }
      for (const { asset_id: assetId } of units.filter((u) => u.item_id === item.id)) {
        const asset = await getAsset(tx, assetId);
        let version = asset.version;
        if (asset.status !== 'deployed') {
          version = (await changeStatus(tx, assetId, version, { status: 'deployed', note: row.reference }))
            .version;
        }
        await updateAsset(tx, assetId, version, {
          locationId: row.location_id,
          ...(assignee && { assignedUserId: assignee }),
        });
      }
    }
    // Deployed, the units are no longer promised to the work order.
    await repo.releaseUnits(tx, id);
    const now = tx.now.toISOString();
    const actor = actorOf(tx);
    const set = {
      status: 'done',
      configuration: toJson(input.configuration),
      outcome_note: input.note,
      completed_at: now,
      completed_by: actor.via === 'system' ? null : actor.userId,
      // The technician who completes is the one the report names.
      ...(!row.technician_id && actor.via !== 'system' && { technician_id: actor.userId }),
      updated_at: now,
    };
    if (!(await repo.updateWorkOrder(tx, id, expectedVersion, set))) throw preconditionFailed(row.version);
    const after = await detailOf(tx, { ...row, ...set, version: row.version + 1 });
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'work_order.done',
      entityType: 'work_order',
      entityId: id,
      before: { status: row.status },
      after: { status: 'done', configuration: input.configuration, note: input.note },
    });
    return after;
  });
}

/** A work order in progress that could not be carried out: its reservations go back to the stock. */
export async function failWorkOrder(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  reason: string,
): Promise<TWorkOrderDetail> {
  return inTransaction(ctx, async (tx) => {
    const row = await visibleWorkOrder(tx, id, 'workorder.manage');
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    assertTransition(row.status, 'failed');
    await releaseReservations(tx, row, `${row.reference}: ${reason}`);
    const now = tx.now.toISOString();
    const set = { status: 'failed', outcome_note: reason, completed_at: now, updated_at: now };
    if (!(await repo.updateWorkOrder(tx, id, expectedVersion, set))) throw preconditionFailed(row.version);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'work_order.failed',
      entityType: 'work_order',
      entityId: id,
      before: { status: row.status },
      after: { status: 'failed', reason },
    });
    return detailOf(tx, { ...row, ...set, version: row.version + 1 });
  });
}

/**
 * Items missing or a box incomplete: the items are marked, the work order gets its new expected date,
 * and one event tells the supervisors and the affected users (mailed from the outbox).
 */
export async function reportMissing(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  input: TWorkOrderMissing,
): Promise<TWorkOrderDetail> {
  return inTransaction(ctx, async (tx) => {
    const row = await visibleWorkOrder(tx, id, 'workorder.manage');
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    if (!['draft', 'planned', 'in_progress'].includes(row.status)) throw closedError(row.status);
    const items = await repo.itemsOf(tx, id);
    const checks = await repo.checksOf(tx, id);
    const errors: Array<{ path: string; code: string }> = [];
    input.itemIds.forEach((x, i) => {
      if (!items.some((it) => it.id === x)) errors.push({ path: `itemIds.${i}`, code: 'not_found' });
    });
    input.checkIds.forEach((x, i) => {
      if (!checks.some((c) => c.id === x && c.kind === 'box'))
        errors.push({ path: `checkIds.${i}`, code: 'not_found' });
    });
    if (input.itemIds.length + input.checkIds.length === 0)
      errors.push({ path: 'itemIds', code: 'required' });
    if (input.expectedDate < tx.now.toISOString().slice(0, 10))
      errors.push({ path: 'expectedDate', code: 'in_the_past' });
    if (errors.length > 0) throw unprocessable(errors);
    const now = tx.now.toISOString();
    await repo.markItemsMissing(tx, id, input.itemIds, now, input.note);
    for (const checkId of input.checkIds)
      await repo.setCheck(tx, { workOrderId: id, checkId }, { done: false, done_by: null, done_at: null });
    const set = { expected_date: input.expectedDate, updated_at: now };
    if (!(await repo.updateWorkOrder(tx, id, expectedVersion, set))) throw preconditionFailed(row.version);
    const missing = [
      ...items.filter((it) => input.itemIds.includes(it.id)).map((it) => `${it.label} × ${it.quantity}`),
      ...checks
        .filter((c) => input.checkIds.includes(c.id))
        .map((c) => (c.model_name ? `${c.model_name}: ${c.label}` : c.label)),
    ];
    await publish(tx, {
      type: ITEMS_MISSING_EVENT,
      orgId: row.org_id,
      payload: { workOrderId: id, missing, note: input.note, expectedDate: input.expectedDate },
    });
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'work_order.items_missing',
      entityType: 'work_order',
      entityId: id,
      before: { expectedDate: row.expected_date },
      after: { expectedDate: input.expectedDate, missing, note: input.note },
    });
    return detailOf(tx, { ...row, ...set, version: row.version + 1 });
  });
}
