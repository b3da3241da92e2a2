import { sql } from 'kysely';
import type { Ctx } from '../../context.js';
import { inChunks } from '../../db/batch.js';
import { keysetAfter, type OrgScope, whereOrg } from '../../db/scope.js';
import { updateVersioned } from '../../db/versioned.js';
import type {
  WorkOrderCheckTable,
  WorkOrderItemTable,
  WorkOrderTable,
  WorkOrderTestRunTable,
  WorkOrderTestTable,
  WorkOrderUnitTable,
} from './workorders.tables.js';

type DbCtx = Pick<Ctx, 'db' | 'dialect'>;

export async function findWorkOrder(ctx: DbCtx, id: string): Promise<WorkOrderTable | undefined> {
  return ctx.db
    .selectFrom('work_order')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** The optimistic update: false when the work order changed since `version` (or is gone). */
export async function updateWorkOrder(
  ctx: DbCtx,
  id: string,
  version: number,
  set: Partial<Omit<WorkOrderTable, 'id' | 'version' | 'org_id'>>,
): Promise<boolean> {
  return updateVersioned(ctx.db, 'work_order', id, version, set);
}

export async function insertWorkOrder(
  ctx: DbCtx,
  row: WorkOrderTable,
  parts: {
    items: WorkOrderItemTable[];
    units: WorkOrderUnitTable[];
    tests: WorkOrderTestTable[];
    checks: WorkOrderCheckTable[];
  },
): Promise<void> {
  const db = ctx.db;
  await db.insertInto('work_order').values(row).execute();
  // Tests first: checklist rows name them.
  await inChunks(parts.items, (c) => db.insertInto('work_order_item').values(c).execute());
  await inChunks(parts.units, (c) => db.insertInto('work_order_unit').values(c).execute());
  await inChunks(parts.tests, (c) => db.insertInto('work_order_test').values(c).execute());
  await inChunks(parts.checks, (c) => db.insertInto('work_order_check').values(c).execute());
}

export async function itemsOf(ctx: DbCtx, id: string): Promise<WorkOrderItemTable[]> {
  return ctx.db
    .selectFrom('work_order_item')
    .selectAll()
    .where('work_order_id', '=', id)
    .orderBy('position')
    .execute();
}

export async function unitsOf(ctx: DbCtx, workOrderId: string): Promise<WorkOrderUnitTable[]> {
  return ctx.db.selectFrom('work_order_unit').selectAll().where('work_order_id', '=', workOrderId).execute();
}

/** Which of these units an open work order holds, with its reference. */
export async function heldUnits(
  ctx: DbCtx,
  assetIds: string[],
): Promise<Array<{ asset_id: string; reference: string }>> {
  if (assetIds.length === 0) return [];
  return ctx.db
    .selectFrom('work_order_unit as u')
    .innerJoin('work_order as w', 'w.id', 'u.work_order_id')
    .select(['u.asset_id', 'w.reference'])
    .where('u.asset_id', 'in', assetIds)
    .where('u.held', '=', ctx.dialect.bool(true))
    .execute();
}

/** The work order closed: its units are free for another. */
export async function releaseUnits(ctx: DbCtx, workOrderId: string): Promise<void> {
  await ctx.db
    .updateTable('work_order_unit')
    .set({ held: false })
    .where('work_order_id', '=', workOrderId)
    .execute();
}

export async function setItemReservation(ctx: DbCtx, itemId: string, reservationId: string): Promise<void> {
  await ctx.db
    .updateTable('work_order_item')
    .set({ reservation_id: reservationId })
    .where('id', '=', itemId)
    .execute();
}

export async function markItemsMissing(
  ctx: DbCtx,
  workOrderId: string,
  itemIds: string[],
  at: string,
  note: string,
): Promise<void> {
  if (itemIds.length === 0) return;
  await ctx.db
    .updateTable('work_order_item')
    .set({ missing_since: at, missing_note: note })
    .where('work_order_id', '=', workOrderId)
    .where('id', 'in', itemIds)
    .execute();
}

export async function checksOf(ctx: DbCtx, id: string): Promise<WorkOrderCheckTable[]> {
  return ctx.db
    .selectFrom('work_order_check')
    .selectAll()
    .where('work_order_id', '=', id)
    .orderBy('position')
    .execute();
}

export async function setCheck(
  ctx: DbCtx,
  q: { workOrderId: string; checkId?: string; testId?: string },
  set: { done: boolean; done_by: string | null; done_at: string | null },
): Promise<number> {
  let u = ctx.db.updateTable('work_order_check').set(set).where('work_order_id', '=', q.workOrderId);
  if (q.checkId) u = u.where('id', '=', q.checkId);
  if (q.testId) u = u.where('test_id', '=', q.testId);
  const r = await u.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function testsOf(ctx: DbCtx, id: string): Promise<WorkOrderTestTable[]> {
  return ctx.db
    .selectFrom('work_order_test')
    .selectAll()
    .where('work_order_id', '=', id)
    .orderBy('position')
    .execute();
}

export async function insertTest(
  ctx: DbCtx,
  test: WorkOrderTestTable,
  check: WorkOrderCheckTable,
): Promise<void> {
  await ctx.db.insertInto('work_order_test').values(test).execute();
  await ctx.db.insertInto('work_order_check').values(check).execute();
}

export async function insertRuns(ctx: DbCtx, runs: WorkOrderTestRunTable[]): Promise<void> {
  await inChunks(runs, (c) => ctx.db.insertInto('work_order_test_run').values(c).execute());
}

/** The latest run of each test of a work order. */
export async function lastRuns(ctx: DbCtx, workOrderId: string): Promise<Map<string, WorkOrderTestRunTable>> {
  const rows = await ctx.db
    .selectFrom('work_order_test_run')
    .selectAll()
    .where('work_order_id', '=', workOrderId)
    .orderBy('at')
    .orderBy('id')
    .execute();
  return new Map(rows.map((r) => [r.test_id, r]));
}

export async function runsOf(
  ctx: DbCtx,
  testId: string,
  f: { after?: readonly [string, string] | undefined; limit: number },
): Promise<WorkOrderTestRunTable[]> {
  let q = ctx.db.selectFrom('work_order_test_run').selectAll().where('test_id', '=', testId);
  if (f.after) q = q.where(keysetAfter('at', 'id', f.after, 'desc'));
  return q.orderBy('at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
}

export type ListFilter = {
  scope: OrgScope;
  orgId?: string | undefined;
  status?: string | undefined;
  kind?: string | undefined;
  technicianId?: string | undefined;
  locationId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  words: string[];
  /** Open and whose window closed before this day. */
  lateBefore?: string | undefined;
  sort: 'created' | 'scheduled' | 'reference';
  order: 'asc' | 'desc';
  after?: readonly [string | number | null, string | number | null] | undefined;
  limit: number;
};

const SORT_COLUMN = { created: 'w.created_at', scheduled: 'w.sort_day', reference: 'w.reference' } as const;

/**
 * Keyset-paged on (sort column, id). Unplanned work orders without a window have no day (''): sorted
 * by day, they come first in ascending order, last in descending.
 */
export async function listWorkOrders(ctx: DbCtx, f: ListFilter): Promise<WorkOrderTable[]> {
  const col = SORT_COLUMN[f.sort];
  const key = sql.ref<string>(col);
  let q = whereOrg(
    ctx.db.selectFrom('work_order as w').selectAll('w').where('w.deleted_at', 'is', null),
    'w.org_id',
    f.scope,
  );
  if (f.orgId) q = q.where('w.org_id', '=', f.orgId);
  if (f.status) q = q.where('w.status', '=', f.status);
  if (f.kind) q = q.where('w.kind', '=', f.kind);
  if (f.technicianId) q = q.where('w.technician_id', '=', f.technicianId);
  if (f.locationId) q = q.where('w.location_id', '=', f.locationId);
  if (f.from) q = q.where('w.sort_day', '>=', f.from);
  // Undated work orders ('') are before any day: "up to" leaves them out.
  if (f.to) q = q.where('w.sort_day', '<=', f.to).where('w.sort_day', '>', '');
  if (f.lateBefore)
    q = q
      .where('w.status', 'in', ['draft', 'planned', 'in_progress'])
      .where('w.latest_date', '<', f.lateBefore);
  for (const w of f.words) q = q.where(ctx.dialect.containsInsensitive(sql.ref('w.search_text'), w));
  if (f.after) {
    const cmp = f.order === 'asc' ? sql`>` : sql`<`;
    q = q.where(sql<boolean>`(${key}, w.id) ${cmp} (${f.after[0]}, ${f.after[1]})`);
  }
  return q.orderBy(key, f.order).orderBy('w.id', f.order).limit(f.limit).execute() as Promise<
    WorkOrderTable[]
  >;
}

/** Work orders of an organisation closed (done or failed) within [from, to), by kind and outcome. */
export async function countClosed(
  ctx: DbCtx,
  orgId: string,
  from: string,
  to: string,
): Promise<Array<{ kind: string; status: string; n: number }>> {
  const rows = await ctx.db
    .selectFrom('work_order')
    .select(['kind', 'status', sql<number>`count(*)`.as('n')])
    .where('org_id', '=', orgId)
    .where('completed_at', '>=', from)
    .where('completed_at', '<', to)
    .where('status', 'in', ['done', 'failed'])
    .where('deleted_at', 'is', null)
    .groupBy(['kind', 'status'])
    .execute();
  return rows.map((r) => ({ kind: r.kind, status: r.status, n: Number(r.n) }));
}

/** Open work orders of an organisation whose window closed before `day` (the "late" tile). */
export async function countLate(
  ctx: DbCtx,
  scope: OrgScope,
  day: string,
): Promise<{ count: number; first: WorkOrderTable[] }> {
  const base = () =>
    whereOrg(
      ctx.db
        .selectFrom('work_order as w')
        .where('w.deleted_at', 'is', null)
        .where('w.status', 'in', ['draft', 'planned', 'in_progress'])
        .where('w.latest_date', '<', day),
      'w.org_id',
      scope,
    );
  const n = await base().select(sql<number>`count(*)`.as('n')).executeTakeFirst();
  const first = (await base()
    .selectAll('w')
    .orderBy('w.latest_date')
    .orderBy('w.id')
    .limit(5)
    .execute()) as WorkOrderTable[];
  return { count: Number(n?.n ?? 0), first };
}

/** A technician's work orders scheduled within [from, to). */
export async function scheduledFor(
  ctx: DbCtx,
  technicianId: string,
  from: string,
  to: string,
): Promise<WorkOrderTable[]> {
  return ctx.db
    .selectFrom('work_order')
    .selectAll()
    .where('technician_id', '=', technicianId)
    .where('scheduled_start', '>=', from)
    .where('scheduled_start', '<', to)
    .where('deleted_at', 'is', null)
    .where('status', '!=', 'cancelled')
    .orderBy('scheduled_start')
    .limit(50)
    .execute();
}
