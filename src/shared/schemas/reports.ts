import { z } from 'zod';
import { ZId, ZIsoDate, zPatch } from './common.js';

export const REPORT_PERIODS = ['week', 'month', 'quarter', 'custom'] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];
export const REPORT_LOCALES = ['fr', 'en'] as const;
export const SCHEDULE_FREQUENCIES = ['weekly', 'monthly'] as const;

const ZCount = z.object({ key: z.string().nullable(), count: z.number().int() });
const ZTimes = z.object({
  /** How many tickets the figure is taken over. */
  count: z.number().int(),
  /** Business minutes; null without tickets. */
  mean: z.number().nullable(),
  median: z.number().nullable(),
});
const ZCompliance = z.object({
  /** Deadlines that fell in the period (and before now). */
  due: z.number().int(),
  /** Of those, the ones met. */
  met: z.number().int(),
  /** met / due in %, one decimal; null when nothing was due. */
  percent: z.number().nullable(),
});

/** The ticket figures of one organisation over [from, to), as the helpdesk computes them. */
export const ZTicketFigures = z.object({
  from: ZIsoDate,
  to: ZIsoDate,
  created: z.number().int(),
  resolved: z.number().int(),
  byKind: z.array(ZCount),
  byTypology: z.array(ZCount),
  byCategory: z.array(ZCount),
  byPriority: z.array(ZCount),
  /** By the ticket's location (null: none); the report groups them by site. */
  byLocation: z.array(ZCount),
  timeToOwn: ZTimes,
  timeToResolve: ZTimes,
  slaOwn: ZCompliance,
  slaResolve: ZCompliance,
  firstContact: z.object({
    resolved: z.number().int(),
    count: z.number().int(),
    percent: z.number().nullable(),
  }),
  backlogStart: z.number().int(),
  backlogEnd: z.number().int(),
  topAssets: z.array(z.object({ key: z.string(), count: z.number().int() })),
  /** Categories by tickets flagged recurring. */
  topProblems: z.array(ZCount),
  recurring: z.number().int(),
  satisfaction: z.object({
    count: z.number().int(),
    mean: z.number().nullable(),
    /** Ratings 1 to 5, in that order. */
    distribution: z.array(z.number().int()).length(5),
  }),
  trend: z.object({
    unit: z.enum(['day', 'week']),
    buckets: z.array(z.object({ start: ZIsoDate, created: z.number().int(), resolved: z.number().int() })),
  }),
});
export type TTicketFigures = z.infer<typeof ZTicketFigures>;

const ZReportQueryBase = z.strictObject({
  orgId: ZId,
  period: z.enum(REPORT_PERIODS).default('month'),
  /** week, month, quarter: a day of the period (default today); custom: its first day. */
  from: z.iso.date().optional(),
  /** custom: its last day (included). */
  to: z.iso.date().optional(),
  /** Labels' language (default: the caller's, else the organisation's). */
  locale: z.enum(REPORT_LOCALES).optional(),
});
function checkCustom(
  q: { period: string; from?: string | undefined; to?: string | undefined },
  ctx: z.RefinementCtx,
) {
  if (q.period !== 'custom') return;
  if (!q.from) ctx.addIssue({ code: 'custom', path: ['from'], message: 'required' });
  if (!q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'required' });
  if (q.from && q.to && q.to < q.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'before_from' });
}
export const ZReportQuery = ZReportQueryBase.superRefine(checkCustom);
export const ZCsvDialect = z.enum(['rfc4180', 'excel-fr']).default('excel-fr');
export const ZReportCsvQuery = ZReportQueryBase.extend({ dialect: ZCsvDialect }).superRefine(checkCustom);
export type TReportQuery = z.infer<typeof ZReportQuery>;

/** A split of the report with its label, this period's count and the previous period's. */
const ZLabelled = z.object({
  key: z.string().nullable(),
  label: z.string(),
  count: z.number().int(),
  previous: z.number().int(),
});
export type TLabelled = z.infer<typeof ZLabelled>;

/** The incident report: this period's figures beside the previous period's, labels in one language. */
export const ZIncidentReport = z.object({
  orgId: ZId,
  orgName: z.string(),
  locale: z.enum(REPORT_LOCALES),
  timeZone: z.string(),
  period: z.enum(REPORT_PERIODS),
  /** First and last day of the period (organisation's time zone), inclusive. */
  firstDay: z.iso.date(),
  lastDay: z.iso.date(),
  generatedAt: ZIsoDate,
  current: ZTicketFigures,
  previous: ZTicketFigures,
  labels: z.object({
    byKind: z.array(ZLabelled),
    byTypology: z.array(ZLabelled),
    byCategory: z.array(ZLabelled),
    byPriority: z.array(ZLabelled),
    bySite: z.array(ZLabelled),
    topAssets: z.array(ZLabelled),
    topProblems: z.array(ZLabelled),
    /** Work orders done in the period, by kind (empty without the right to read work orders). */
    interventions: z.array(ZLabelled),
  }),
  /** Work orders done and failed in each period; null for those who may not read work orders. */
  interventions: z
    .object({
      current: z.object({ done: z.number().int(), failed: z.number().int() }),
      previous: z.object({ done: z.number().int(), failed: z.number().int() }),
    })
    .nullable(),
});
export type TIncidentReport = z.infer<typeof ZIncidentReport>;

export const CHART_KEYS = [
  'trend',
  'byTypology',
  'byCategory',
  'byPriority',
  'bySite',
  'topAssets',
  'topProblems',
  'satisfaction',
  'interventions',
] as const;
export type ChartKey = (typeof CHART_KEYS)[number];
export const ZChartQuery = ZReportQueryBase.extend({
  chart: z.enum(CHART_KEYS),
  dialect: ZCsvDialect,
}).superRefine(checkCustom);

// --- dashboards ------------------------------------------------------------------------------------

const ZTicketLine = z.object({
  id: ZId,
  reference: z.string(),
  title: z.string(),
  at: ZIsoDate.nullable(),
  priority: z.number().int(),
});

/** A dashboard tile: a figure, its rows or its series, and the list behind it (web path with filters). */
export const ZDashboardTile = z.object({
  key: z.string(),
  value: z.number().nullable(),
  /** Secondary figure (total, percent base). */
  total: z.number().nullable(),
  rows: z.array(ZTicketLine),
  series: z.array(
    z.object({
      key: z.string().nullable(),
      label: z.string(),
      value: z.number(),
      link: z.string().nullable(),
    }),
  ),
  link: z.string().nullable(),
});
export type TDashboardTile = z.infer<typeof ZDashboardTile>;

/** Dashboards: the technician's queue, the supervisor's state of the service, the security officer's watch. */
export const DASHBOARD_ROLES = ['technician', 'supervisor', 'security'] as const;
export const ZDashboard = z.object({
  role: z.enum(DASHBOARD_ROLES),
  orgId: ZId.nullable(),
  generatedAt: ZIsoDate,
  tiles: z.array(ZDashboardTile),
});
export type TDashboard = z.infer<typeof ZDashboard>;
export const ZDashboardQuery = z.strictObject({
  orgId: ZId.optional(),
  locale: z.enum(REPORT_LOCALES).optional(),
});

// --- schedules -------------------------------------------------------------------------------------

export const ZRecipient = z.strictObject({
  email: z.email().max(320),
  locale: z.enum(REPORT_LOCALES).default('fr'),
});
export const ZReportScheduleCreate = z.strictObject({
  orgId: ZId,
  frequency: z.enum(SCHEDULE_FREQUENCIES),
  recipients: z.array(ZRecipient).min(1).max(50),
  active: z.boolean().default(true),
});
export const ZReportScheduleUpdate = zPatch(ZReportScheduleCreate.omit({ orgId: true }));
export const ZReportSchedule = z.object({
  id: ZId,
  orgId: ZId,
  frequency: z.enum(SCHEDULE_FREQUENCIES),
  recipients: z.array(z.object({ email: z.string(), locale: z.enum(REPORT_LOCALES) })),
  active: z.boolean(),
  nextRunAt: ZIsoDate,
  lastRunAt: ZIsoDate.nullable(),
  /** What the last run sent: the outgoing mail ids (their status: GET /mail/outgoing). */
  lastMailIds: z.array(ZId),
  lastError: z.string().nullable(),
  createdAt: ZIsoDate,
  updatedAt: ZIsoDate,
  version: z.number().int(),
});
export type TReportSchedule = z.infer<typeof ZReportSchedule>;
export const ZReportScheduleListQuery = z.strictObject({
  orgId: ZId.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
