import { uuidv7 } from 'uuidv7';
import { type Action, can } from '../../../shared/policy.js';
import type {
  TCheckItem,
  TNetworkConfig,
  TTestRun,
  TValidationTest,
  TValidationTestInput,
  TWorkOrder,
  WorkOrderKind,
  WorkOrderStatus,
} from '../../../shared/schemas/workorders.js';
import type { Ctx, Principal } from '../../context.js';
import { fromJson, toBool } from '../../db/values.js';
import { AppError, forbidden, notFound } from '../../http/errors.js';
import { getLocation } from '../assets/index.js';
import { userDisplayNames } from '../orgs/index.js';
import * as repo from './workorders.repo.js';
import type {
  WorkOrderCheckTable,
  WorkOrderTable,
  WorkOrderTestRunTable,
  WorkOrderTestTable,
} from './workorders.tables.js';

export const OWNER_KIND = 'work_order';

export function actorOf(ctx: Ctx): Principal {
  if (!ctx.actor) throw new Error('this operation needs an authenticated actor');
  return ctx.actor;
}

/** Another organisation's work order answers 404 (as if absent); lacking the action in one's own, 403. */
export function assertAllowed(actor: Principal, action: Action, orgId: string, entity = 'work_order'): void {
  if (!can(actor, 'workorder.read', { orgId })) throw notFound(entity);
  if (!can(actor, action, { orgId })) throw forbidden();
}

export async function visibleWorkOrder(
  ctx: Ctx,
  id: string,
  action: 'workorder.read' | 'workorder.manage' = 'workorder.read',
): Promise<WorkOrderTable> {
  const row = await repo.findWorkOrder(ctx, id);
  if (!row) throw notFound('work_order');
  assertAllowed(actorOf(ctx), action, row.org_id);
  return row;
}

export const unprocessable = (errors: Array<{ path: string; code: string }>) =>
  new AppError('validation.failed', 422, {}, {}, errors);

export const closedError = (status: string) => new AppError('work_order.closed', 409, { status });

export const searchTextOf = (row: { reference: string; title: string }) =>
  `${row.reference} ${row.title}`.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** The day the list sorts by: the scheduled start's (UTC), else the window's earliest, else ''. */
export const sortDayOf = (row: { scheduled_start: string | null; earliest_date: string | null }) =>
  row.scheduled_start ? row.scheduled_start.slice(0, 10) : (row.earliest_date ?? '');

/** A name cache for one request: locations and people read once each. */
export type Names = { locations: Map<string, Promise<string>>; people: Map<string, string> };

export async function namesFor(ctx: Ctx, rows: WorkOrderTable[]): Promise<Names> {
  const people = await userDisplayNames(
    ctx,
    rows.flatMap((r) => (r.technician_id ? [r.technician_id] : [])),
  );
  return { locations: new Map(), people };
}

export async function toWorkOrder(ctx: Ctx, row: WorkOrderTable, names?: Names): Promise<TWorkOrder> {
  const n = names ?? (await namesFor(ctx, [row]));
  let loc = n.locations.get(row.location_id);
  if (!loc) {
    loc = getLocation(ctx, row.location_id).then(
      (l) => l.name,
      () => '',
    );
    n.locations.set(row.location_id, loc);
  }
  return {
    id: row.id,
    orgId: row.org_id,
    reference: row.reference,
    kind: row.kind as WorkOrderKind,
    title: row.title,
    description: row.description,
    status: row.status as WorkOrderStatus,
    locationId: row.location_id,
    locationName: await loc,
    stockLocationId: row.stock_location_id,
    earliestDate: row.earliest_date,
    latestDate: row.latest_date,
    scheduledStart: row.scheduled_start,
    scheduledEnd: row.scheduled_end,
    technicianId: row.technician_id,
    technicianName: row.technician_id ? (n.people.get(row.technician_id) ?? null) : null,
    affectedUserIds: fromJson<string[]>(row.affected_user_ids) ?? [],
    expectedDate: row.expected_date,
    configuration: fromJson<TNetworkConfig | null>(row.configuration) ?? null,
    outcomeNote: row.outcome_note,
    completedAt: row.completed_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

export function toCheck(row: WorkOrderCheckTable): TCheckItem {
  return {
    id: row.id,
    kind: row.kind as TCheckItem['kind'],
    label: row.label,
    modelName: row.model_name,
    testId: row.test_id,
    mandatory: toBool(row.mandatory),
    done: toBool(row.done),
    doneBy: row.done_by,
    doneAt: row.done_at,
  };
}

export function toRun(row: WorkOrderTestRunTable): TTestRun {
  return {
    id: row.id,
    testId: row.test_id,
    outcome: row.outcome as TTestRun['outcome'],
    detail: row.detail,
    durationMs: row.duration_ms,
    at: row.at,
    source: row.source as TTestRun['source'],
    byLabel: row.by_label,
  };
}

export function toTest(row: WorkOrderTestTable, last: WorkOrderTestRunTable | undefined): TValidationTest {
  return {
    id: row.id,
    kind: row.kind as TValidationTest['kind'],
    label: row.label,
    host: row.host,
    port: row.port,
    url: row.url,
    expectedStatus: row.expected_status,
    expectedAddress: row.expected_address,
    lastRun: last ? toRun(last) : null,
  };
}

const testLabel = (t: TValidationTestInput) => {
  if (t.label) return t.label;
  switch (t.kind) {
    case 'tcp':
      return `TCP ${t.host}:${t.port}`;
    case 'http':
      return `HTTP ${t.url} → ${t.expectedStatus}`;
    case 'dns':
      return `DNS ${t.host}${t.expectedAddress ? ` = ${t.expectedAddress}` : ''}`;
    default:
      return `ICMP ${t.host}`;
  }
};

/** A validation test's row, labelled from its target when no label is given. */
export function testRow(workOrderId: string, position: number, t: TValidationTestInput): WorkOrderTestTable {
  return {
    id: uuidv7(),
    work_order_id: workOrderId,
    position,
    kind: t.kind,
    label: testLabel(t),
    host: 'host' in t ? t.host : null,
    port: t.kind === 'tcp' ? t.port : null,
    url: t.kind === 'http' ? t.url : null,
    expected_status: t.kind === 'http' ? t.expectedStatus : null,
    expected_address: t.kind === 'dns' ? t.expectedAddress : null,
  };
}
