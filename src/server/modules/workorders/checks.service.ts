import { uuidv7 } from 'uuidv7';
import type { Page } from '../../../shared/schemas/common.js';
import {
  type TCheckItem,
  type TestOutcome,
  type TTestRun,
  type TValidationTest,
  type TValidationTestInput,
  WORK_ORDER_OPEN,
  type WorkOrderStatus,
} from '../../../shared/schemas/workorders.js';
import { type Ctx, inTransaction } from '../../context.js';
import { notFound } from '../../http/errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { recordAudit } from '../audit/index.js';
import {
  actorOf,
  closedError,
  testRow,
  toCheck,
  toRun,
  toTest,
  unprocessable,
  visibleWorkOrder,
} from './access.js';
import { runProbe } from './probes.js';
import * as repo from './workorders.repo.js';
import type { WorkOrderTable, WorkOrderTestRunTable } from './workorders.tables.js';

function assertOpen(row: WorkOrderTable): void {
  if (!WORK_ORDER_OPEN.includes(row.status as WorkOrderStatus)) throw closedError(row.status);
}

const byOf = (ctx: Ctx) => {
  const a = actorOf(ctx);
  return { id: a.via === 'system' ? null : a.userId, label: a.displayName || a.email };
};

/** Ticks or unticks a checklist item while the work order is open. */
export async function tickCheck(ctx: Ctx, id: string, checkId: string, done: boolean): Promise<TCheckItem> {
  return inTransaction(ctx, async (tx) => {
    const row = await visibleWorkOrder(tx, id, 'workorder.manage');
    assertOpen(row);
    const by = byOf(tx);
    const set = { done, done_by: done ? by.label : null, done_at: done ? tx.now.toISOString() : null };
    if ((await repo.setCheck(tx, { workOrderId: id, checkId }, set)) === 0)
      throw notFound('work_order_check');
    const check = (await repo.checksOf(tx, id)).find((c) => c.id === checkId)!;
    await recordAudit(tx, {
      orgId: row.org_id,
      action: done ? 'work_order.check_ticked' : 'work_order.check_unticked',
      entityType: 'work_order',
      entityId: id,
      after: { checkId, label: check.label, done },
    });
    return toCheck(check);
  });
}

/** Adds a validation test to an open work order, with its mandatory checklist item. */
export async function addTest(ctx: Ctx, id: string, input: TValidationTestInput): Promise<TValidationTest> {
  return inTransaction(ctx, async (tx) => {
    const row = await visibleWorkOrder(tx, id, 'workorder.manage');
    assertOpen(row);
    const test = testRow(id, (await repo.testsOf(tx, id)).length + 1, input);
    await repo.insertTest(tx, test, {
      id: uuidv7(),
      work_order_id: id,
      position: (await repo.checksOf(tx, id)).length + 1,
      kind: 'test',
      label: test.label,
      model_name: null,
      test_id: test.id,
      mandatory: true,
      done: false,
      done_by: null,
      done_at: null,
    });
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'work_order.test_added',
      entityType: 'work_order',
      entityId: id,
      after: { testId: test.id, kind: test.kind, label: test.label },
    });
    return toTest(test, undefined);
  });
}

/**
 * Keeps the runs and moves each test's checklist item with its latest outcome: ticked when it
 * passed, unticked when it failed (unavailable leaves it as it is: the technician decides).
 */
async function recordRuns(tx: Ctx, row: WorkOrderTable, runs: WorkOrderTestRunTable[]): Promise<void> {
  await repo.insertRuns(tx, runs);
  for (const r of runs) {
    if (r.outcome === 'unavailable') continue;
    const passed = r.outcome === 'passed';
    await repo.setCheck(
      tx,
      { workOrderId: row.id, testId: r.test_id },
      { done: passed, done_by: passed ? r.by_label : null, done_at: passed ? r.at : null },
    );
  }
  await recordAudit(tx, {
    orgId: row.org_id,
    action: 'work_order.tests_recorded',
    entityType: 'work_order',
    entityId: row.id,
    after: {
      runs: runs.map((r) => ({ testId: r.test_id, outcome: r.outcome, detail: r.detail, source: r.source })),
    },
  });
}

/**
 * Runs the work order's tests (all, or those named) from the server, concurrently, each with its
 * timeout; no transaction is held while they run.
 */
export async function runTests(
  ctx: Ctx,
  id: string,
  testIds?: string[],
): Promise<{ items: TValidationTest[] }> {
  const row = await visibleWorkOrder(ctx, id, 'workorder.manage');
  assertOpen(row);
  const tests = await repo.testsOf(ctx, id);
  const chosen = testIds ? tests.filter((t) => testIds.includes(t.id)) : tests;
  if (testIds) {
    const unknown = testIds.flatMap((t, i) =>
      tests.some((x) => x.id === t) ? [] : [{ path: `testIds.${i}`, code: 'not_found' }],
    );
    if (unknown.length > 0) throw unprocessable(unknown);
  }
  const results = await Promise.all(
    chosen.map((t) =>
      runProbe({
        kind: t.kind,
        host: t.host,
        port: t.port,
        url: t.url,
        expectedStatus: t.expected_status,
        expectedAddress: t.expected_address,
      }),
    ),
  );
  const by = byOf(ctx);
  return inTransaction(ctx, async (tx) => {
    // The work order may have closed while the probes ran.
    assertOpen(await visibleWorkOrder(tx, id, 'workorder.manage'));
    const at = tx.now.toISOString();
    const runs: WorkOrderTestRunTable[] = chosen.map((t, i) => ({
      id: uuidv7(),
      test_id: t.id,
      work_order_id: id,
      outcome: results[i]!.outcome,
      detail: results[i]!.detail,
      duration_ms: results[i]!.durationMs,
      source: 'parc',
      by_id: by.id,
      by_label: by.label,
      at,
    }));
    await recordRuns(tx, row, runs);
    const last = await repo.lastRuns(tx, id);
    return { items: tests.map((t) => toTest(t, last.get(t.id))) };
  });
}

/** A result reported by an agent or a script (API token) for one test. */
export async function reportTestResult(
  ctx: Ctx,
  id: string,
  testId: string,
  input: { outcome: TestOutcome; detail: string; durationMs: number },
): Promise<TTestRun> {
  return inTransaction(ctx, async (tx) => {
    const row = await visibleWorkOrder(tx, id, 'workorder.manage');
    assertOpen(row);
    if (!(await repo.testsOf(tx, id)).some((t) => t.id === testId)) throw notFound('work_order_test');
    const by = byOf(tx);
    const run: WorkOrderTestRunTable = {
      id: uuidv7(),
      test_id: testId,
      work_order_id: id,
      outcome: input.outcome,
      detail: input.detail,
      duration_ms: input.durationMs,
      source: 'agent',
      by_id: by.id,
      by_label: by.label,
      at: tx.now.toISOString(),
    };
    await recordRuns(tx, row, [run]);
    return toRun(run);
  });
}

export async function listTestRuns(
  ctx: Ctx,
  id: string,
  testId: string,
  q: { limit: number; cursor?: string | undefined },
): Promise<Page<TTestRun>> {
  await visibleWorkOrder(ctx, id);
  if (!(await repo.testsOf(ctx, id)).some((t) => t.id === testId)) throw notFound('work_order_test');
  const rows = await repo.runsOf(ctx, testId, {
    after: decodeCursor(q.cursor, 2) as [string, string] | undefined,
    limit: q.limit + 1,
  });
  return toPage(rows, q.limit, toRun, (r) => [r.at, r.id]);
}
