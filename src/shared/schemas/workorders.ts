import { z } from 'zod';
import { ZId, ZIsoDate, ZListQuery, zPatch } from './common.js';

// --- work orders (issue 6, part 2) -------------------------------------------------------------------

export const WORK_ORDER_KINDS = [
  'new_workstation',
  'peripheral',
  'network_equipment',
  'software_deployment',
  'replacement',
  'removal',
] as const;
export type WorkOrderKind = (typeof WORK_ORDER_KINDS)[number];

export const WORK_ORDER_STATUSES = [
  'draft',
  'planned',
  'in_progress',
  'done',
  'failed',
  'cancelled',
] as const;
export type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number];

/**
 * The one table of allowed moves, shared by the server and the web. `done` and `failed` are reached
 * through completion and failure (their own endpoints); cancelling releases the reservations.
 */
export const WORK_ORDER_TRANSITIONS: Record<WorkOrderStatus, readonly WorkOrderStatus[]> = {
  draft: ['planned', 'cancelled'],
  planned: ['draft', 'in_progress', 'cancelled'],
  in_progress: ['done', 'failed', 'cancelled'],
  done: [],
  failed: [],
  cancelled: [],
};
/** Statuses in which the work order is still to be done (its reservations hold stock). */
export const WORK_ORDER_OPEN: readonly WorkOrderStatus[] = ['draft', 'planned', 'in_progress'];

export const VALIDATION_TEST_KINDS = ['icmp', 'tcp', 'http', 'dns'] as const;
export type ValidationTestKind = (typeof VALIDATION_TEST_KINDS)[number];
export const TEST_OUTCOMES = ['passed', 'failed', 'unavailable'] as const;
export type TestOutcome = (typeof TEST_OUTCOMES)[number];

export const CHECK_KINDS = ['box', 'step', 'test', 'custom'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

const ZDay = z.iso.date();
const ZHost = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9._:-]+$/, 'host');

export const ZValidationTestCreate = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('icmp'), label: z.string().trim().max(200).default(''), host: ZHost }),
  z.strictObject({
    kind: z.literal('tcp'),
    label: z.string().trim().max(200).default(''),
    host: ZHost,
    port: z.number().int().min(1).max(65535),
  }),
  z.strictObject({
    kind: z.literal('http'),
    label: z.string().trim().max(200).default(''),
    url: z.url({ protocol: /^https?$/ }).max(2000),
    expectedStatus: z.number().int().min(100).max(599).default(200),
  }),
  z.strictObject({
    kind: z.literal('dns'),
    label: z.string().trim().max(200).default(''),
    host: ZHost,
    expectedAddress: z.union([z.ipv4(), z.ipv6()]).nullable().default(null),
  }),
]);
export type TValidationTestInput = z.output<typeof ZValidationTestCreate>;

export const ZTestRun = z.object({
  id: ZId,
  testId: ZId,
  outcome: z.enum(TEST_OUTCOMES),
  detail: z.string(),
  durationMs: z.number().int(),
  at: ZIsoDate,
  /** parc: run by the server; agent: reported by a script or agent through the API. */
  source: z.enum(['parc', 'agent']),
  byLabel: z.string(),
});
export type TTestRun = z.infer<typeof ZTestRun>;

export const ZValidationTest = z.object({
  id: ZId,
  kind: z.enum(VALIDATION_TEST_KINDS),
  label: z.string(),
  host: z.string().nullable(),
  port: z.number().int().nullable(),
  url: z.string().nullable(),
  expectedStatus: z.number().int().nullable(),
  expectedAddress: z.string().nullable(),
  /** The latest run, if any (every run is kept: GET …/tests/:testId/runs). */
  lastRun: ZTestRun.nullable(),
});
export type TValidationTest = z.infer<typeof ZValidationTest>;

export const ZCheckItem = z.object({
  id: ZId,
  kind: z.enum(CHECK_KINDS),
  /** box: the box content; step: the installation step; test: the test's label; custom: free text. */
  label: z.string(),
  /** The model the item comes from (box contents, installation steps). */
  modelName: z.string().nullable(),
  testId: ZId.nullable(),
  mandatory: z.boolean(),
  done: z.boolean(),
  doneBy: z.string().nullable(),
  doneAt: ZIsoDate.nullable(),
});
export type TCheckItem = z.infer<typeof ZCheckItem>;

export const ZWorkOrderItem = z.object({
  id: ZId,
  articleId: ZId.nullable(),
  modelId: ZId.nullable(),
  assetIds: z.array(ZId),
  label: z.string(),
  quantity: z.number().int(),
  reservationId: ZId.nullable(),
  reservationStatus: z.string().nullable(),
  /** Reported missing (box incomplete, item absent) since. */
  missingSince: ZIsoDate.nullable(),
  missingNote: z.string(),
});

export const ZNetworkConfig = z.strictObject({
  hostname: z
    .string()
    .trim()
    .max(253)
    .regex(/^[A-Za-z0-9][A-Za-z0-9.-]*$/, 'hostname')
    .nullable()
    .default(null),
  ipAddress: z.union([z.ipv4(), z.ipv6()]).nullable().default(null),
  vlan: z.number().int().min(1).max(4094).nullable().default(null),
  switchPort: z.string().trim().max(100).nullable().default(null),
  wifiSsid: z.string().trim().max(32).nullable().default(null),
});
export type TNetworkConfig = z.output<typeof ZNetworkConfig>;

export const ZWorkOrder = z.object({
  id: ZId,
  orgId: ZId,
  reference: z.string(),
  kind: z.enum(WORK_ORDER_KINDS),
  title: z.string(),
  description: z.string(),
  status: z.enum(WORK_ORDER_STATUSES),
  locationId: ZId,
  locationName: z.string(),
  stockLocationId: ZId.nullable(),
  earliestDate: ZDay.nullable(),
  latestDate: ZDay.nullable(),
  scheduledStart: ZIsoDate.nullable(),
  scheduledEnd: ZIsoDate.nullable(),
  technicianId: ZId.nullable(),
  technicianName: z.string().nullable(),
  affectedUserIds: z.array(ZId),
  /** The new expected date after an item was reported missing. */
  expectedDate: ZDay.nullable(),
  configuration: ZNetworkConfig.nullable(),
  outcomeNote: z.string(),
  completedAt: ZIsoDate.nullable(),
  createdAt: ZIsoDate,
  updatedAt: ZIsoDate,
  version: z.number().int(),
});
export type TWorkOrder = z.infer<typeof ZWorkOrder>;

export const ZWorkOrderDetail = ZWorkOrder.extend({
  items: z.array(ZWorkOrderItem),
  checklist: z.array(ZCheckItem),
  tests: z.array(ZValidationTest),
  /** The installation notices of the models (served by GET /models/:id/notice). */
  notices: z.array(z.object({ modelId: ZId, modelName: z.string(), name: z.string() })),
});
export type TWorkOrderDetail = z.infer<typeof ZWorkOrderDetail>;

const ZItemInput = z
  .strictObject({
    articleId: ZId.optional(),
    modelId: ZId.optional(),
    quantity: z.number().int().min(1).max(10_000).default(1),
    /** Serialised units in stock (CMDB assets of the model) to install. */
    assetIds: z.array(ZId).max(100).default([]),
  })
  .refine((i) => !!i.articleId !== !!i.modelId, {
    message: 'article_or_model',
    path: ['articleId'],
    params: { code: 'article_or_model' },
  });

const workOrderFields = {
  kind: z.enum(WORK_ORDER_KINDS),
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().max(5000).default(''),
  locationId: ZId,
  earliestDate: ZDay.nullable().default(null),
  latestDate: ZDay.nullable().default(null),
  scheduledStart: ZIsoDate.nullable().default(null),
  scheduledEnd: ZIsoDate.nullable().default(null),
  technicianId: ZId.nullable().default(null),
  affectedUserIds: z.array(ZId).max(200).default([]),
};

export const ZWorkOrderCreate = z
  .strictObject({
    orgId: ZId,
    ...workOrderFields,
    /** Where the articles are reserved from (needed when an item names an article). */
    stockLocationId: ZId.nullable().default(null),
    items: z.array(ZItemInput).max(100).default([]),
    tests: z.array(ZValidationTestCreate).max(50).default([]),
    checklist: z
      .array(
        z.strictObject({ label: z.string().trim().min(1).max(300), mandatory: z.boolean().default(false) }),
      )
      .max(100)
      .default([]),
  })
  .refine((w) => !w.earliestDate || !w.latestDate || w.earliestDate <= w.latestDate, {
    message: 'window',
    path: ['latestDate'],
    params: { code: 'start_not_before_end' },
  })
  .refine((w) => !w.scheduledStart || !w.scheduledEnd || w.scheduledStart < w.scheduledEnd, {
    message: 'schedule',
    path: ['scheduledEnd'],
    params: { code: 'start_not_before_end' },
  });
export type TWorkOrderInput = z.output<typeof ZWorkOrderCreate>;

export const ZWorkOrderUpdate = zPatch(z.strictObject(workOrderFields));
export type TWorkOrderPatch = z.output<typeof ZWorkOrderUpdate>;

export const WORK_ORDER_SORTS = ['created', 'scheduled', 'reference'] as const;
export const ZWorkOrderListQuery = ZListQuery.extend({
  orgId: ZId.optional(),
  status: z.enum(WORK_ORDER_STATUSES).optional(),
  kind: z.enum(WORK_ORDER_KINDS).optional(),
  technicianId: ZId.optional(),
  locationId: ZId.optional(),
  /** Scheduled (or, unplanned, the window's earliest day) on or after / before these days. */
  from: ZDay.optional(),
  to: ZDay.optional(),
  q: z.string().trim().max(200).optional(),
  /** Open and past the last day of their window. */
  late: z.enum(['true', 'false']).optional(),
  sort: z.enum(WORK_ORDER_SORTS).default('created'),
  order: z.enum(['asc', 'desc']).default('desc'),
});
export type TWorkOrderListQuery = z.output<typeof ZWorkOrderListQuery>;

export const ZWorkOrderTransition = z.strictObject({
  to: z.enum(['draft', 'planned', 'in_progress', 'cancelled']),
  reason: z.string().trim().max(1000).default(''),
});

export const ZCheckTick = z.strictObject({ done: z.boolean() });

export const ZTestsRun = z.strictObject({ testIds: z.array(ZId).max(50).optional() }).nullish();
export const ZTestResultReport = z.strictObject({
  outcome: z.enum(TEST_OUTCOMES),
  detail: z.string().trim().max(2000).default(''),
  durationMs: z.number().int().min(0).max(3_600_000).default(0),
});

export const ZWorkOrderComplete = z.strictObject({
  configuration: ZNetworkConfig,
  note: z.string().trim().max(5000).default(''),
});
export const ZWorkOrderFail = z.strictObject({ reason: z.string().trim().min(1).max(5000) });

export const ZWorkOrderMissing = z.strictObject({
  itemIds: z.array(ZId).max(100).default([]),
  /** Box-content checklist items found missing. */
  checkIds: z.array(ZId).max(100).default([]),
  note: z.string().trim().max(1000).default(''),
  expectedDate: ZDay,
});
export type TWorkOrderMissing = z.output<typeof ZWorkOrderMissing>;
