import { uuidv7 } from 'uuidv7';
import { can, orgsWhere } from '../../../shared/policy.js';
import type { TModel } from '../../../shared/schemas/assets.js';
import type { Page } from '../../../shared/schemas/common.js';
import {
  type TWorkOrder,
  type TWorkOrderDetail,
  type TWorkOrderInput,
  type TWorkOrderListQuery,
  type TWorkOrderPatch,
  WORK_ORDER_OPEN,
  WORK_ORDER_TRANSITIONS,
  type WorkOrderStatus,
} from '../../../shared/schemas/workorders.js';
import { type Ctx, inTransaction } from '../../context.js';
import { fromJson, toJson } from '../../db/values.js';
import { AppError, forbidden, isUniqueViolation, preconditionFailed } from '../../http/errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { findModel, getAsset, getLocation } from '../assets/index.js';
import { recordAudit } from '../audit/index.js';
import { membersOf, nextReference } from '../orgs/index.js';
import {
  closeReservation,
  getArticle,
  getReservation,
  getStockLocation,
  reserveStock,
} from '../stock/index.js';
import {
  actorOf,
  assertAllowed,
  closedError,
  namesFor,
  OWNER_KIND,
  searchTextOf,
  sortDayOf,
  testRow,
  toCheck,
  toTest,
  toWorkOrder,
  unprocessable,
  visibleWorkOrder,
} from './access.js';
import { bookingConflicts } from './planning.service.js';
import { setReminder } from './reminder-due.js';
import * as repo from './workorders.repo.js';
import type {
  WorkOrderCheckTable,
  WorkOrderItemTable,
  WorkOrderTable,
  WorkOrderTestTable,
  WorkOrderUnitTable,
} from './workorders.tables.js';

type Errors = Array<{ path: string; code: string }>;

/** One spelling of instants (`toISOString`), so stored strings compare as instants on both databases. */
const isoOrNull = (s: string | null) => (s ? new Date(s).toISOString() : null);

/** The references a work order names (location, people, store), each checked to be of its organisation. */
async function checkReferences(
  ctx: Ctx,
  orgId: string,
  f: {
    locationId?: string | undefined;
    technicianId?: string | null | undefined;
    affectedUserIds?: string[] | undefined;
    stockLocationId?: string | null | undefined;
  },
  errors: Errors,
): Promise<void> {
  if (f.locationId) {
    const loc = await getLocation(ctx, f.locationId).catch(() => undefined);
    if (loc?.orgId !== orgId) errors.push({ path: 'locationId', code: 'not_found' });
  }
  const people = [...(f.technicianId ? [f.technicianId] : []), ...(f.affectedUserIds ?? [])];
  if (people.length > 0) {
    const members = await membersOf(ctx, orgId, people);
    if (f.technicianId && !members.has(f.technicianId))
      errors.push({ path: 'technicianId', code: 'not_found' });
    for (const [i, u] of (f.affectedUserIds ?? []).entries())
      if (!members.has(u)) errors.push({ path: `affectedUserIds.${i}`, code: 'not_found' });
  }
  if (f.stockLocationId) {
    const store = await getStockLocation(ctx, f.stockLocationId).catch(() => undefined);
    if (store?.orgId !== orgId) errors.push({ path: 'stockLocationId', code: 'not_found' });
  }
}

type Built = {
  items: WorkOrderItemTable[];
  units: WorkOrderUnitTable[];
  tests: WorkOrderTestTable[];
  checks: WorkOrderCheckTable[];
};

/**
 * Items, tests and the checklist: each model's box contents ("box complete: …") and installation
 * steps, one mandatory check per validation test (ticked by its passing run), then the extra checks.
 */
async function buildParts(
  ctx: Ctx,
  workOrderId: string,
  input: TWorkOrderInput,
  errors: Errors,
): Promise<Built> {
  const items: WorkOrderItemTable[] = [];
  const units: WorkOrderUnitTable[] = [];
  const held = new Map(
    (
      await repo.heldUnits(
        ctx,
        input.items.flatMap((it) => it.assetIds),
      )
    ).map((u) => [u.asset_id, u.reference]),
  );
  const models: TModel[] = [];
  const addModel = (m: TModel) => {
    if (!models.some((x) => x.id === m.id)) models.push(m);
  };
  const seenAssets = new Set<string>();
  for (const [i, it] of input.items.entries()) {
    let label = '';
    let model: TModel | undefined;
    if (it.articleId) {
      const article = await getArticle(ctx, it.articleId).catch(() => undefined);
      if (article?.orgId !== input.orgId) {
        errors.push({ path: `items.${i}.articleId`, code: 'not_found' });
        continue;
      }
      label = article.name;
      if (article.modelId) model = await findModel(ctx, input.orgId, article.modelId);
      if (!input.stockLocationId) errors.push({ path: 'stockLocationId', code: 'required' });
    } else if (it.modelId) {
      model = await findModel(ctx, input.orgId, it.modelId);
      if (!model) {
        errors.push({ path: `items.${i}.modelId`, code: 'not_found' });
        continue;
      }
      label = model.name;
    }
    if (model) addModel(model);
    for (const [j, assetId] of it.assetIds.entries()) {
      const asset = await getAsset(ctx, assetId).catch(() => undefined);
      const path = `items.${i}.assetIds.${j}`;
      if (asset?.orgId !== input.orgId) errors.push({ path, code: 'not_found' });
      else if (asset.status !== 'in_stock') errors.push({ path, code: 'not_in_stock' });
      else if (model && asset.modelId !== model.id) errors.push({ path, code: 'other_model' });
      else if (seenAssets.has(assetId)) errors.push({ path, code: 'duplicate' });
      else if (held.has(assetId)) errors.push({ path, code: 'held_by_work_order' });
      seenAssets.add(assetId);
    }
    const itemId = uuidv7();
    for (const assetId of it.assetIds)
      units.push({ work_order_id: workOrderId, item_id: itemId, asset_id: assetId, held: true });
    items.push({
      id: itemId,
      work_order_id: workOrderId,
      position: i + 1,
      article_id: it.articleId ?? null,
      model_id: it.modelId ?? model?.id ?? null,
      label,
      quantity: it.modelId && it.assetIds.length > 0 ? it.assetIds.length : it.quantity,
      reservation_id: null,
      missing_since: null,
      missing_note: '',
    });
  }
  const tests = input.tests.map((t, i) => testRow(workOrderId, i + 1, t));
  const checks: WorkOrderCheckTable[] = [];
  const check = (c: Pick<WorkOrderCheckTable, 'kind' | 'label' | 'model_name' | 'test_id' | 'mandatory'>) =>
    checks.push({
      ...c,
      id: uuidv7(),
      work_order_id: workOrderId,
      position: checks.length + 1,
      done: false,
      done_by: null,
      done_at: null,
    });
  for (const m of models) {
    for (const content of m.boxContents)
      check({ kind: 'box', label: content, model_name: m.name, test_id: null, mandatory: true });
    for (const step of m.installSteps)
      check({ kind: 'step', label: step, model_name: m.name, test_id: null, mandatory: true });
  }
  for (const t of tests)
    check({ kind: 'test', label: t.label, model_name: null, test_id: t.id, mandatory: true });
  for (const c of input.checklist)
    check({ kind: 'custom', label: c.label, model_name: null, test_id: null, mandatory: c.mandatory });
  return { items, units, tests, checks };
}

export async function getWorkOrder(ctx: Ctx, id: string): Promise<TWorkOrderDetail> {
  return detailOf(ctx, await visibleWorkOrder(ctx, id));
}

export async function detailOf(ctx: Ctx, row: WorkOrderTable): Promise<TWorkOrderDetail> {
  const [items, units, checks, tests, last] = await Promise.all([
    repo.itemsOf(ctx, row.id),
    repo.unitsOf(ctx, row.id),
    repo.checksOf(ctx, row.id),
    repo.testsOf(ctx, row.id),
    repo.lastRuns(ctx, row.id),
  ]);
  const notices: TWorkOrderDetail['notices'] = [];
  for (const modelId of new Set(items.flatMap((i) => (i.model_id ? [i.model_id] : [])))) {
    const m = await findModel(ctx, row.org_id, modelId);
    if (m?.notice) notices.push({ modelId, modelName: m.name, name: m.notice.name });
  }
  const reservations = new Map<string, string>();
  for (const i of items)
    if (i.reservation_id)
      reservations.set(
        i.reservation_id,
        await getReservation(ctx, i.reservation_id).then(
          (r) => r.status,
          () => 'unknown',
        ),
      );
  return {
    ...(await toWorkOrder(ctx, row)),
    items: items.map((i) => ({
      id: i.id,
      articleId: i.article_id,
      modelId: i.model_id,
      assetIds: units.filter((u) => u.item_id === i.id).map((u) => u.asset_id),
      label: i.label,
      quantity: i.quantity,
      reservationId: i.reservation_id,
      reservationStatus: i.reservation_id ? (reservations.get(i.reservation_id) ?? null) : null,
      missingSince: i.missing_since,
      missingNote: i.missing_note,
    })),
    checklist: checks.map(toCheck),
    tests: tests.map((t) => toTest(t, last.get(t.id))),
    notices,
  };
}

export async function listWorkOrders(ctx: Ctx, q: TWorkOrderListQuery): Promise<Page<TWorkOrder>> {
  const actor = actorOf(ctx);
  if (!can(actor, 'workorder.read')) throw forbidden();
  const words = (q.q ?? '')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean);
  const after = decodeCursor(q.cursor, 2) as [string | number | null, string | number | null] | undefined;
  const rows = await repo.listWorkOrders(ctx, {
    ...q,
    scope: orgsWhere(actor, 'workorder.read'),
    words,
    lateBefore: q.late === 'true' ? ctx.now.toISOString().slice(0, 10) : undefined,
    after,
    limit: q.limit + 1,
  });
  const names = await namesFor(ctx, rows);
  const page = toPage(
    rows,
    q.limit,
    (r) => r,
    (r) => [
      q.sort === 'created' ? r.created_at : q.sort === 'reference' ? r.reference : (r.sort_day ?? ''),
      r.id,
    ],
  );
  const items: TWorkOrder[] = [];
  for (const r of page.items) items.push(await toWorkOrder(ctx, r, names));
  return { items, nextCursor: page.nextCursor };
}

/**
 * Creates a work order in draft and reserves its articles from the store: all or nothing, so a
 * reservation beyond what is available (409 `stock.insufficient`, with the quantity available and
 * the lead time) leaves no work order behind.
 */
export async function createWorkOrder(ctx: Ctx, input: TWorkOrderInput): Promise<TWorkOrderDetail> {
  assertAllowed(actorOf(ctx), 'workorder.manage', input.orgId, 'org');
  const id = uuidv7();
  const errors: Errors = [];
  await checkReferences(ctx, input.orgId, input, errors);
  const parts = await buildParts(ctx, id, input, errors);
  if (errors.length > 0)
    throw unprocessable(errors.filter((e, i) => errors.findIndex((x) => x.path === e.path) === i));
  return inTransaction(ctx, async (tx) => {
    const now = tx.now.toISOString();
    const row: WorkOrderTable = {
      id,
      org_id: input.orgId,
      reference: await nextReference(tx, input.orgId, 'work_order', 'WO'),
      kind: input.kind,
      title: input.title,
      description: input.description,
      status: 'draft',
      location_id: input.locationId,
      stock_location_id: input.stockLocationId,
      earliest_date: input.earliestDate,
      latest_date: input.latestDate,
      scheduled_start: isoOrNull(input.scheduledStart),
      scheduled_end: isoOrNull(input.scheduledEnd),
      technician_id: input.technicianId,
      affected_user_ids: toJson(input.affectedUserIds),
      expected_date: null,
      configuration: null,
      outcome_note: '',
      completed_at: null,
      completed_by: null,
      search_text: '',
      sort_day: '',
      created_by: actorOf(tx).via === 'system' ? null : actorOf(tx).userId,
      created_at: now,
      updated_at: now,
      version: 1,
      deleted_at: null,
    };
    row.search_text = searchTextOf(row);
    row.sort_day = sortDayOf(row);
    try {
      await repo.insertWorkOrder(tx, row, parts);
    } catch (err) {
      // Another work order took one of the units since the check above (the held-unit index).
      if (isUniqueViolation(err)) throw new AppError('work_order.unit_taken', 409);
      throw err;
    }
    for (const item of parts.items) {
      if (!item.article_id || !input.stockLocationId) continue;
      const r = await reserveStock(tx, {
        articleId: item.article_id,
        stockLocationId: input.stockLocationId,
        quantity: item.quantity,
        owner: { kind: OWNER_KIND, id },
        note: row.reference,
      });
      await repo.setItemReservation(tx, item.id, r.id);
    }
    const after = await detailOf(tx, row);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'work_order.created',
      entityType: 'work_order',
      entityId: id,
      after,
    });
    return after;
  });
}

/** Header fields change while the work order is open (If-Match). */
export async function updateWorkOrder(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  patch: TWorkOrderPatch,
): Promise<TWorkOrderDetail> {
  return inTransaction(ctx, async (tx) => {
    const row = await visibleWorkOrder(tx, id, 'workorder.manage');
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    if (!WORK_ORDER_OPEN.includes(row.status as WorkOrderStatus)) throw closedError(row.status);
    const errors: Errors = [];
    await checkReferences(tx, row.org_id, patch, errors);
    const merged = {
      earliest: patch.earliestDate !== undefined ? patch.earliestDate : row.earliest_date,
      latest: patch.latestDate !== undefined ? patch.latestDate : row.latest_date,
      start: patch.scheduledStart !== undefined ? isoOrNull(patch.scheduledStart) : row.scheduled_start,
      end: patch.scheduledEnd !== undefined ? isoOrNull(patch.scheduledEnd) : row.scheduled_end,
    };
    if (merged.earliest && merged.latest && merged.earliest > merged.latest)
      errors.push({ path: 'latestDate', code: 'start_not_before_end' });
    if (merged.start && merged.end && merged.start >= merged.end)
      errors.push({ path: 'scheduledEnd', code: 'start_not_before_end' });
    if (errors.length > 0) throw unprocessable(errors);
    // Moving a booked work order (time, technician or the people it affects) is checked like scheduling
    // it; an edit cannot force a conflict: scheduling with `override` does, and the audit says so.
    const technician = patch.technicianId !== undefined ? patch.technicianId : row.technician_id;
    const moved =
      patch.technicianId !== undefined ||
      patch.scheduledStart !== undefined ||
      patch.scheduledEnd !== undefined ||
      patch.affectedUserIds !== undefined;
    if (moved && technician && merged.start && merged.end) {
      const affected = patch.affectedUserIds ?? fromJson<string[]>(row.affected_user_ids) ?? [];
      const conflicts = await bookingConflicts(tx, {
        id,
        technicianId: technician,
        start: merged.start,
        end: merged.end,
        affected,
      });
      if (conflicts.length > 0)
        throw new AppError('planning.conflict', 409, { count: conflicts.length }, { conflicts });
    }
    const before = await toWorkOrder(tx, row);
    const set: Partial<WorkOrderTable> = {
      ...(patch.kind !== undefined && { kind: patch.kind }),
      ...(patch.title !== undefined && { title: patch.title }),
      ...(patch.description !== undefined && { description: patch.description }),
      ...(patch.locationId !== undefined && { location_id: patch.locationId }),
      ...(patch.earliestDate !== undefined && { earliest_date: patch.earliestDate }),
      ...(patch.latestDate !== undefined && { latest_date: patch.latestDate }),
      ...(patch.scheduledStart !== undefined && { scheduled_start: isoOrNull(patch.scheduledStart) }),
      ...(patch.scheduledEnd !== undefined && { scheduled_end: isoOrNull(patch.scheduledEnd) }),
      ...(patch.technicianId !== undefined && { technician_id: patch.technicianId }),
      ...(patch.affectedUserIds !== undefined && { affected_user_ids: toJson(patch.affectedUserIds) }),
      updated_at: tx.now.toISOString(),
    };
    const next = { ...row, ...set };
    set.search_text = searchTextOf(next);
    set.sort_day = sortDayOf(next);
    if (!(await repo.updateWorkOrder(tx, id, expectedVersion, set))) throw preconditionFailed(row.version);
    const updated = { ...next, ...set, version: row.version + 1 };
    // Moved while planned: the affected users are told the new time (planning part).
    if (updated.scheduled_start && (row.status === 'planned' || row.status === 'in_progress'))
      await setReminder(tx, { id, orgId: row.org_id, start: updated.scheduled_start });
    const after = await detailOf(tx, updated);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'work_order.updated',
      entityType: 'work_order',
      entityId: id,
      before,
      after: await toWorkOrder(tx, updated),
    });
    return after;
  });
}

/** Gives back what the work order holds in stock, and its units (cancelled, failed). */
export async function releaseReservations(tx: Ctx, row: WorkOrderTable, reason: string): Promise<void> {
  await repo.releaseUnits(tx, row.id);
  for (const item of await repo.itemsOf(tx, row.id)) {
    if (!item.reservation_id) continue;
    const r = await getReservation(tx, item.reservation_id);
    if (r.status === 'active') await closeReservation(tx, r.id, 'release', { reason });
  }
}

export function assertTransition(from: string, to: WorkOrderStatus): void {
  const allowed = WORK_ORDER_TRANSITIONS[from as WorkOrderStatus] ?? [];
  if (!allowed.includes(to))
    throw new AppError(
      'work_order.bad_transition',
      409,
      { from, to, allowed: allowed.join(', ') || '—' },
      { allowed },
    );
}

/**
 * Moves between draft, planned, in progress and cancelled (done and failed have their own
 * endpoints). Planning needs a technician and a scheduled interval; cancelling releases the stock.
 */
export async function transitionWorkOrder(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  input: { to: 'draft' | 'planned' | 'in_progress' | 'cancelled'; reason: string },
): Promise<TWorkOrderDetail> {
  return inTransaction(ctx, async (tx) => {
    const row = await visibleWorkOrder(tx, id, 'workorder.manage');
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    assertTransition(row.status, input.to);
    if (input.to === 'planned') {
      const errors: Errors = [];
      if (!row.technician_id) errors.push({ path: 'technicianId', code: 'required' });
      if (!row.scheduled_start) errors.push({ path: 'scheduledStart', code: 'required' });
      if (!row.scheduled_end) errors.push({ path: 'scheduledEnd', code: 'required' });
      if (errors.length > 0) throw unprocessable(errors);
    }
    if (input.to === 'cancelled')
      await releaseReservations(tx, row, `${row.reference}: ${input.reason}`.trim());
    const set = {
      status: input.to,
      updated_at: tx.now.toISOString(),
      ...(input.to === 'cancelled' && { outcome_note: input.reason }),
    };
    if (!(await repo.updateWorkOrder(tx, id, expectedVersion, set))) throw preconditionFailed(row.version);
    const updated = { ...row, ...set, version: row.version + 1 };
    if (input.to === 'planned' && row.scheduled_start)
      await setReminder(tx, { id, orgId: row.org_id, start: row.scheduled_start });
    await recordAudit(tx, {
      orgId: row.org_id,
      action: `work_order.${input.to}`,
      entityType: 'work_order',
      entityId: id,
      before: { status: row.status },
      after: { status: input.to, reason: input.reason },
    });
    return detailOf(tx, updated);
  });
}
