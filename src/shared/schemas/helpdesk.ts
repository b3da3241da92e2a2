import { z } from 'zod';
import { ZInterventionNote } from './channels.js';
import { ZId, ZIsoDate, ZListQuery, zPatch } from './common.js';
import { ZKbLanguage, ZKbVisibility } from './kb.js';

export const TICKET_KINDS = ['incident', 'request'] as const;
export const TYPOLOGIES = ['hardware', 'software', 'network', 'access', 'usage', 'security'] as const;
/** Who the malfunction stops: one person, a team, a site, the whole organisation. */
export const IMPACTS = ['user', 'team', 'site', 'organisation'] as const;
export const URGENCIES = ['low', 'medium', 'high', 'critical'] as const;
export const TICKET_STATUSES = ['new', 'assigned', 'in_progress', 'waiting', 'resolved', 'closed'] as const;
export const WAITING_FOR = ['user', 'supplier', 'parts'] as const;
export const TICKET_SOURCES = ['portal', 'phone', 'email', 'monitoring', 'api'] as const;
export const PRIORITIES = [1, 2, 3, 4, 5] as const;

export type TicketStatus = (typeof TICKET_STATUSES)[number];
export type Impact = (typeof IMPACTS)[number];
export type Urgency = (typeof URGENCIES)[number];

/** The one table of allowed moves; reopening a resolved or closed ticket has its own rule (delay). */
export const TICKET_TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ['assigned', 'in_progress', 'waiting', 'resolved', 'closed'],
  assigned: ['in_progress', 'waiting', 'resolved', 'closed'],
  in_progress: ['assigned', 'waiting', 'resolved', 'closed'],
  waiting: ['assigned', 'in_progress', 'resolved', 'closed'],
  resolved: ['closed', 'in_progress'],
  closed: ['in_progress'],
};
export const OPEN_STATUSES: readonly TicketStatus[] = ['new', 'assigned', 'in_progress', 'waiting'];

const ZHHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/);
export const ZCalendar = z.strictObject({
  timeZone: z.string().min(1).max(64),
  hours: z.record(z.enum(['0', '1', '2', '3', '4', '5', '6']), z.array(z.tuple([ZHHMM, ZHHMM])).max(6)),
  frenchHolidays: z.boolean(),
  closedDays: z.array(z.iso.date()).max(366),
  openDays: z.array(z.iso.date()).max(366).optional(),
});

const ZMinutes = z.number().int().min(1).max(525_600);
export const ZHelpdeskSettings = z.strictObject({
  /** impact × urgency → priority 1 (highest) to 5. */
  matrix: z.record(z.enum(IMPACTS), z.record(z.enum(URGENCIES), z.number().int().min(1).max(5))),
  /** Business minutes to own and to resolve, per priority. */
  sla: z.record(
    z.enum(['1', '2', '3', '4', '5']),
    z.strictObject({ ownMinutes: ZMinutes, resolveMinutes: ZMinutes }),
  ),
  /** Warn when this share of the time to resolve has gone. */
  warnPercent: z.number().int().min(10).max(99),
  calendar: ZCalendar,
  /** The same asset or category this many times within `days`: the ticket is recurring. */
  recurring: z.strictObject({
    count: z.number().int().min(2).max(100),
    days: z.number().int().min(1).max(365),
  }),
  /** A requester may reopen a resolved ticket for this many days. */
  reopenDays: z.number().int().min(0).max(365),
  /** A follow-up on a closed ticket reopens it, or is refused. */
  followupOnClosed: z.enum(['reopen', 'refuse']),
  /** On breach, hand the ticket to this group (the supervisors), or leave it where it is. */
  escalationGroupId: ZId.nullable(),
});
export type THelpdeskSettings = z.infer<typeof ZHelpdeskSettings>;
export const ZHelpdeskSettingsRead = ZHelpdeskSettings.extend({ orgId: ZId, version: z.number().int() });

export const ZTicketCategory = z.object({
  id: ZId,
  orgId: ZId.nullable(),
  typology: z.enum(TYPOLOGIES),
  name: z.object({ fr: z.string(), en: z.string() }),
  active: z.boolean(),
  version: z.number().int(),
});
export type TTicketCategory = z.infer<typeof ZTicketCategory>;
export const ZTicketCategoryCreate = z.strictObject({
  orgId: ZId,
  typology: z.enum(TYPOLOGIES),
  name: z.strictObject({ fr: z.string().trim().min(1).max(100), en: z.string().trim().min(1).max(100) }),
});
export const ZTicketCategoryUpdate = z.strictObject({
  name: z
    .strictObject({ fr: z.string().trim().min(1).max(100), en: z.string().trim().min(1).max(100) })
    .optional(),
  active: z.boolean().optional(),
});

export const ZTicket = z.object({
  id: ZId,
  orgId: ZId,
  reference: z.string(),
  kind: z.enum(TICKET_KINDS),
  title: z.string(),
  description: z.string(),
  categoryId: ZId.nullable(),
  typology: z.enum(TYPOLOGIES).nullable(),
  requesterId: ZId.nullable(),
  locationId: ZId.nullable(),
  assetIds: z.array(ZId),
  impact: z.enum(IMPACTS),
  urgency: z.enum(URGENCIES),
  priority: z.number().int(),
  status: z.enum(TICKET_STATUSES),
  waitingFor: z.enum(WAITING_FOR).nullable(),
  waitingUntil: ZIsoDate.nullable(),
  assigneeId: ZId.nullable(),
  groupId: ZId.nullable(),
  recurring: z.boolean(),
  source: z.enum(TICKET_SOURCES),
  ownDueAt: ZIsoDate.nullable(),
  resolveDueAt: ZIsoDate.nullable(),
  ownedAt: ZIsoDate.nullable(),
  plannedAt: ZIsoDate.nullable(),
  resolvedAt: ZIsoDate.nullable(),
  closedAt: ZIsoDate.nullable(),
  ownMinutes: z.number().int().nullable(),
  resolveMinutes: z.number().int().nullable(),
  slaState: z.enum(['ok', 'warned', 'breached']),
  solution: z.string().nullable(),
  satisfaction: z.number().int().nullable(),
  satisfactionComment: z.string().nullable(),
  mergedIntoId: ZId.nullable(),
  diagnosticPath: z.array(z.object({ question: z.string(), answer: z.string() })).nullable(),
  /** What the requester was told on resolution, in plain language. */
  interventionNote: z
    .object({ cause: z.string(), action: z.string(), impact: z.string(), advice: z.string() })
    .nullable(),
  createdAt: ZIsoDate,
  updatedAt: ZIsoDate,
  version: z.number().int(),
});
export type TTicket = z.infer<typeof ZTicket>;

/**
 * Where an open ticket stands against its targets, in business minutes of the organisation's calendar
 * (time waiting for the user not counted): what a progress bar in wall-clock time would get wrong
 * over nights, weekends and holidays.
 */
export const ZTicketSla = z.object({
  at: ZIsoDate,
  elapsedMinutes: z.number().int(),
  ownTargetMinutes: z.number().int(),
  resolveTargetMinutes: z.number().int(),
  paused: z.boolean(),
  /** Whether the calendar counts the present moment (false at night, on weekends and holidays). */
  businessTime: z.boolean(),
});
export type TTicketSla = z.infer<typeof ZTicketSla>;

export const ZTicketCreate = z.strictObject({
  orgId: ZId,
  kind: z.enum(TICKET_KINDS).default('incident'),
  title: z.string().trim().min(3).max(200),
  description: z.string().trim().max(20_000).default(''),
  categoryId: ZId.nullable().default(null),
  /** Defaults to the caller (a requester always files for themselves). */
  requesterId: ZId.nullable().optional(),
  locationId: ZId.nullable().default(null),
  assetIds: z.array(ZId).max(50).default([]),
  impact: z.enum(IMPACTS).default('user'),
  urgency: z.enum(URGENCIES).default('medium'),
  source: z.enum(TICKET_SOURCES).default('portal'),
  assigneeId: ZId.nullable().default(null),
  groupId: ZId.nullable().default(null),
  diagnosticPath: z
    .array(z.strictObject({ question: z.string().max(500), answer: z.string().max(500) }))
    .max(50)
    .nullable()
    .default(null),
});
export const ZTicketUpdate = zPatch(
  ZTicketCreate.omit({ orgId: true, source: true, assigneeId: true, groupId: true, requesterId: true }),
);

export const ZTicketStatusChange = z
  .strictObject({
    status: z.enum(TICKET_STATUSES),
    waitingFor: z.enum(WAITING_FOR).optional(),
    /** The expected date told to the user. */
    waitingUntil: ZIsoDate.optional(),
    note: z.string().trim().max(5000).optional(),
  })
  .refine((s) => s.status !== 'waiting' || s.waitingFor, {
    message: 'Say what the ticket waits for',
    path: ['waitingFor'],
    params: { code: 'required' },
  });
export const ZTicketAssign = z.strictObject({ assigneeId: ZId.nullable(), groupId: ZId.nullable() });
export const ZTicketEscalate = z.strictObject({
  groupId: ZId,
  reason: z.string().trim().min(5).max(2000),
});
/** A planned intervention (date and time, what will happen), or null to cancel it. */
export const ZTicketPlan = z.strictObject({
  at: ZIsoDate.nullable(),
  note: z.string().trim().max(2000).default(''),
});
export const ZTicketSolve = z.strictObject({
  /** The technical report (technicians). */
  solution: z.string().trim().min(3).max(20_000),
  /** The plain-language intervention note mailed to the requester (and as a PDF). */
  note: ZInterventionNote.optional(),
});
/** A procedure pre-filled from a ticket, not saved: the body of POST /kb/articles as it is. */
export const ZTicketKbDraft = z.object({
  orgId: ZId,
  title: z.string(),
  symptoms: z.string(),
  cause: z.string(),
  resolution: z.string(),
  language: ZKbLanguage,
  visibility: ZKbVisibility,
  status: z.enum(['draft', 'published']),
  tags: z.array(z.string()),
  appliesToModels: z.array(ZId),
  appliesToSoftware: z.array(z.string()),
  sourceTicketId: z.string().nullable(),
});
export const ZTicketReopen = z.strictObject({ reason: z.string().trim().min(3).max(2000) });
export const ZTicketRate = z.strictObject({
  rating: z.number().int().min(1).max(5),
  comment: z.string().trim().max(2000).default(''),
});
export const ZTicketMerge = z.strictObject({ intoId: ZId });

export const ZTicketEvent = z.object({
  id: ZId,
  at: ZIsoDate,
  authorId: ZId.nullable(),
  authorName: z.string(),
  kind: z.string(),
  public: z.boolean(),
  body: z.string(),
  data: z.record(z.string(), z.unknown()).nullable(),
});
export const ZFollowupCreate = z.strictObject({
  body: z.string().trim().min(1).max(20_000),
  public: z.boolean().default(true),
});

export const ZTicketTask = z.object({
  id: ZId,
  ticketId: ZId,
  description: z.string(),
  assigneeId: ZId.nullable(),
  done: z.boolean(),
  minutes: z.number().int(),
  createdAt: ZIsoDate,
  version: z.number().int(),
});
export const ZTaskCreate = z.strictObject({
  description: z.string().trim().min(1).max(2000),
  assigneeId: ZId.nullable().default(null),
  minutes: z.number().int().min(0).max(100_000).default(0),
  done: z.boolean().default(false),
});
export const ZTaskUpdate = zPatch(ZTaskCreate);

export const ZTicketListQuery = ZListQuery.extend({
  /** mine: open tickets assigned to me or my groups, by SLA due time; requested: the ones I asked for. */
  view: z.enum(['queue', 'requested', 'all']).default('all'),
  orgId: ZId.optional(),
  status: z.enum(TICKET_STATUSES).optional(),
  open: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  assigneeId: ZId.optional(),
  groupId: ZId.optional(),
  categoryId: ZId.optional(),
  priority: z.coerce.number().int().min(1).max(5).optional(),
  q: z.string().trim().max(200).optional(),
});
