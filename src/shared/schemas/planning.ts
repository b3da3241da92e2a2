import { z } from 'zod';
import { ZId, ZIsoDate } from './common.js';
import { WORK_ORDER_KINDS, WORK_ORDER_STATUSES } from './workorders.js';

// --- planning of work orders (issue 6, part 3) ------------------------------------------------------

/** A comma-separated list of ids in a query string. */
const ZIdList = z
  .string()
  .max(20_000)
  .transform((s) => s.split(',').filter(Boolean))
  .pipe(z.array(ZId).max(500));

/** At most 62 days per planning request (a month view with margins). */
export const PLANNING_MAX_DAYS = 62;

export const ZPlanningQuery = z
  .strictObject({
    orgId: ZId,
    from: ZIsoDate,
    to: ZIsoDate,
    technicianIds: ZIdList.optional(),
  })
  .refine((q) => q.from < q.to, {
    path: ['to'],
    message: 'start_not_before_end',
    params: { code: 'start_not_before_end' },
  })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= PLANNING_MAX_DAYS * 86_400_000, {
    path: ['to'],
    message: 'period_too_long',
    params: { code: 'period_too_long' },
  });
export type TPlanningQuery = z.infer<typeof ZPlanningQuery>;

export const ZPlannedWorkOrder = z.object({
  id: ZId,
  reference: z.string(),
  kind: z.enum(WORK_ORDER_KINDS),
  title: z.string(),
  status: z.enum(WORK_ORDER_STATUSES),
  technicianId: ZId.nullable(),
  scheduledStart: ZIsoDate.nullable(),
  scheduledEnd: ZIsoDate.nullable(),
  earliestDate: z.string().nullable(),
  latestDate: z.string().nullable(),
  affectedUserIds: z.array(ZId),
  version: z.number().int(),
});
export type TPlannedWorkOrder = z.infer<typeof ZPlannedWorkOrder>;

export const ZUnavailability = z.object({
  id: ZId,
  orgId: ZId,
  userId: ZId,
  start: ZIsoDate,
  end: ZIsoDate,
  reason: z.string(),
  createdAt: ZIsoDate,
});
export type TUnavailability = z.infer<typeof ZUnavailability>;

export const ZUnavailabilityCreate = z
  .strictObject({
    orgId: ZId,
    userId: ZId,
    start: ZIsoDate,
    end: ZIsoDate,
    reason: z.string().trim().max(500).default(''),
  })
  .refine((u) => u.start < u.end, {
    path: ['end'],
    message: 'start_not_before_end',
    params: { code: 'start_not_before_end' },
  });
export type TUnavailabilityInput = z.infer<typeof ZUnavailabilityCreate>;

export const ZUnavailabilityQuery = z
  .strictObject({ orgId: ZId, from: ZIsoDate, to: ZIsoDate, userId: ZId.optional() })
  .refine((q) => q.from < q.to, {
    path: ['to'],
    message: 'start_not_before_end',
    params: { code: 'start_not_before_end' },
  })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 400 * 86_400_000, {
    path: ['to'],
    message: 'period_too_long',
    params: { code: 'period_too_long' },
  });

/** Why a schedule is refused: the technician booked elsewhere, or someone unavailable. */
export const ZPlanningConflict = z.object({
  kind: z.enum(['double_booking', 'unavailable']),
  userId: ZId,
  start: ZIsoDate,
  end: ZIsoDate,
  /** The other work order (double booking). */
  workOrderId: ZId.nullable(),
  reference: z.string().nullable(),
  /** The slot (unavailable). */
  unavailabilityId: ZId.nullable(),
  reason: z.string().nullable(),
});
export type TPlanningConflict = z.infer<typeof ZPlanningConflict>;

export const ZPlanningTechnician = z.object({
  id: ZId,
  displayName: z.string(),
  workOrders: z.array(ZPlannedWorkOrder),
});

export const ZPlanning = z.object({
  from: ZIsoDate,
  to: ZIsoDate,
  technicians: z.array(ZPlanningTechnician),
  unavailability: z.array(ZUnavailability),
  /** Conflicts within the period: `workOrderId` of the entry is the one concerned. */
  conflicts: z.array(ZPlanningConflict.extend({ concerns: ZId })),
  /** Open work orders of the organisation with no schedule yet (first 200, by window). */
  unscheduled: z.array(ZPlannedWorkOrder),
});
export type TPlanning = z.infer<typeof ZPlanning>;

export const ZSchedule = z
  .strictObject({
    technicianId: ZId,
    start: ZIsoDate,
    end: ZIsoDate,
    override: z.boolean().default(false),
  })
  .refine((s) => s.start < s.end, {
    path: ['end'],
    message: 'start_not_before_end',
    params: { code: 'start_not_before_end' },
  });
export type TScheduleInput = z.infer<typeof ZSchedule>;

export const ZPlanningSettings = z.strictObject({
  reminderHours: z
    .number()
    .int()
    .min(0)
    .max(24 * 30),
});

export const ZCalendarToken = z.object({ url: z.string(), createdAt: ZIsoDate });
