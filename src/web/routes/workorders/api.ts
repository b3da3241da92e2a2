import type { z } from 'zod';
import { z as zod } from 'zod';
import { zPage } from '../../../shared/schemas/common.js';
import {
  ZCalendarToken,
  type ZPlannedWorkOrder,
  ZPlanning,
  ZPlanningConflict,
  ZUnavailability,
  type ZUnavailabilityCreate,
} from '../../../shared/schemas/planning.js';
import {
  ZCheckItem,
  ZTestRun,
  ZValidationTest,
  type ZValidationTestCreate,
  ZWorkOrder,
  type ZWorkOrderComplete,
  type ZWorkOrderCreate,
  ZWorkOrderDetail,
  type ZWorkOrderListQuery,
  type ZWorkOrderMissing,
  type ZWorkOrderUpdate,
} from '../../../shared/schemas/workorders.js';
import { type ApiResult, buildUrl, request } from '../../api/client.js';

/** The web client of /api/v1/work-orders, typed by the shared schemas. */

export type WorkOrder = z.infer<typeof ZWorkOrder>;
export type WorkOrderDetail = z.infer<typeof ZWorkOrderDetail>;
export type WorkOrderInput = z.input<typeof ZWorkOrderCreate>;
export type ValidationTest = z.infer<typeof ZValidationTest>;

type ListOf<S extends z.ZodType> = Partial<Omit<z.input<S>, 'limit'>> & { limit?: number; cursor?: string };
const id = (value: string) => encodeURIComponent(value);

export async function listWorkOrders(query: ListOf<typeof ZWorkOrderListQuery>) {
  return (await request('GET', '/work-orders', { query: { limit: 50, ...query }, schema: zPage(ZWorkOrder) }))
    .data;
}
export const getWorkOrder = (woId: string): Promise<ApiResult<WorkOrderDetail>> =>
  request('GET', `/work-orders/${id(woId)}`, { schema: ZWorkOrderDetail });
export async function createWorkOrder(input: WorkOrderInput) {
  return (await request('POST', '/work-orders', { body: input, schema: ZWorkOrderDetail })).data;
}
export const updateWorkOrder = (woId: string, input: z.input<typeof ZWorkOrderUpdate>, etag: string | null) =>
  request('PATCH', `/work-orders/${id(woId)}`, { body: input, ifMatch: etag, schema: ZWorkOrderDetail });
export const transitionWorkOrder = (
  woId: string,
  to: 'draft' | 'planned' | 'in_progress' | 'cancelled',
  etag: string | null,
  reason = '',
) =>
  request('POST', `/work-orders/${id(woId)}/transition`, {
    body: { to, reason },
    ifMatch: etag,
    schema: ZWorkOrderDetail,
  });
export const tickCheck = (woId: string, checkId: string, done: boolean) =>
  request('POST', `/work-orders/${id(woId)}/checklist/${id(checkId)}`, {
    body: { done },
    schema: ZCheckItem,
  });
export const addTest = (woId: string, input: z.input<typeof ZValidationTestCreate>) =>
  request('POST', `/work-orders/${id(woId)}/tests`, { body: input, schema: ZValidationTest });
export const runTests = (woId: string, testIds?: string[]) =>
  request('POST', `/work-orders/${id(woId)}/tests/run`, {
    body: testIds ? { testIds } : {},
    schema: zod.object({ items: zod.array(ZValidationTest) }),
  });
export const listRuns = async (woId: string, testId: string) =>
  (
    await request('GET', `/work-orders/${id(woId)}/tests/${id(testId)}/runs`, {
      query: { limit: 20 },
      schema: zPage(ZTestRun),
    })
  ).data;
export const completeWorkOrder = (
  woId: string,
  input: z.input<typeof ZWorkOrderComplete>,
  etag: string | null,
) =>
  request('POST', `/work-orders/${id(woId)}/complete`, {
    body: input,
    ifMatch: etag,
    schema: ZWorkOrderDetail,
  });
export const failWorkOrder = (woId: string, reason: string, etag: string | null) =>
  request('POST', `/work-orders/${id(woId)}/fail`, {
    body: { reason },
    ifMatch: etag,
    schema: ZWorkOrderDetail,
  });
export const reportMissing = (woId: string, input: z.input<typeof ZWorkOrderMissing>, etag: string | null) =>
  request('POST', `/work-orders/${id(woId)}/missing`, {
    body: input,
    ifMatch: etag,
    schema: ZWorkOrderDetail,
  });

/** Links the browser follows itself (the session cookie goes with them). */
export const reportUrl = (woId: string) => buildUrl(`/work-orders/${id(woId)}/report.pdf`);
export const noticeUrl = (modelId: string) => buildUrl(`/models/${id(modelId)}/notice`);

// --- planning ------------------------------------------------------------------------------------

export type Planning = z.infer<typeof ZPlanning>;
export type PlannedWorkOrder = z.infer<typeof ZPlannedWorkOrder>;
export type PlanningConflict = z.infer<typeof ZPlanningConflict>;

export async function getPlanning(query: { orgId: string; from: string; to: string }) {
  return (await request('GET', '/planning', { query, schema: ZPlanning })).data;
}
export const scheduleWorkOrder = (
  woId: string,
  body: { technicianId: string; start: string; end: string; override: boolean },
  version: number,
) =>
  request('POST', `/work-orders/${id(woId)}/schedule`, {
    body,
    ifMatch: `"v${version}"`,
    schema: ZWorkOrderDetail.extend({ conflicts: zod.array(ZPlanningConflict) }),
  });
export const createCalendarToken = async () =>
  (await request('POST', '/me/calendar-token', { schema: ZCalendarToken })).data;
export const declareUnavailability = async (input: z.input<typeof ZUnavailabilityCreate>) =>
  (await request('POST', '/planning/unavailability', { body: input, schema: ZUnavailability })).data;
export const deleteUnavailability = (slotId: string) =>
  request('DELETE', `/planning/unavailability/${id(slotId)}`);
