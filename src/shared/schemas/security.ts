import { z } from 'zod';
import { ZId, ZIsoDate, ZListQuery } from './common.js';

export const SECURITY_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type SecuritySeverity = (typeof SECURITY_SEVERITIES)[number];

export const INCIDENT_STATUSES = ['new', 'investigating', 'contained', 'resolved', 'false_positive'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** The one table of allowed moves of a security incident (server and web). */
export const INCIDENT_TRANSITIONS: Record<IncidentStatus, readonly IncidentStatus[]> = {
  new: ['investigating', 'contained', 'resolved', 'false_positive'],
  investigating: ['contained', 'resolved', 'false_positive'],
  contained: ['investigating', 'resolved'],
  resolved: ['investigating'],
  false_positive: ['investigating'],
};
/** An incident in one of these is over: a new detection of the same attacker opens a new one. */
export const CLOSED_INCIDENT_STATUSES: readonly IncidentStatus[] = ['resolved', 'false_positive'];

export const ZSecurityIncident = z.object({
  id: ZId,
  orgId: ZId,
  reference: z.string(),
  ruleId: z.string(),
  title: z.string(),
  severity: z.enum(SECURITY_SEVERITIES),
  ruleSeverity: z.enum(SECURITY_SEVERITIES),
  status: z.enum(INCIDENT_STATUSES),
  group: z.record(z.string(), z.string().nullable()),
  assetIds: z.array(z.string()),
  users: z.array(z.string()),
  sources: z.array(z.string()),
  hosts: z.array(z.string()),
  ticketIds: z.array(z.string()),
  firstSeen: ZIsoDate,
  lastSeen: ZIsoDate,
  eventCount: z.number().int(),
  detectedAt: ZIsoDate,
  alertedAt: ZIsoDate.nullable(),
  acknowledgedAt: ZIsoDate.nullable(),
  escalatedAt: ZIsoDate.nullable(),
  createdAt: ZIsoDate,
  updatedAt: ZIsoDate,
  version: z.number().int(),
});
export type TSecurityIncident = z.infer<typeof ZSecurityIncident>;

export const ZIncidentEvidence = z.object({
  eventId: z.number().int(),
  time: ZIsoDate,
  host: z.string().nullable(),
  user: z.string().nullable(),
  srcIp: z.string().nullable(),
  action: z.string(),
  outcome: z.string(),
  raw: z.string(),
});
export const ZSecurityIncidentDetail = ZSecurityIncident.extend({ evidence: z.array(ZIncidentEvidence) });

export const ZIncidentListQuery = ZListQuery.extend({
  orgId: ZId.optional(),
  status: z.enum(INCIDENT_STATUSES).optional(),
  severity: z.enum(SECURITY_SEVERITIES).optional(),
});

export const ZIncidentTransition = z.strictObject({
  status: z.enum(INCIDENT_STATUSES),
  comment: z.string().trim().max(2000).optional(),
});
/** Links: assets (CMDB ids), users (account names), tickets (helpdesk ids); replaces the lists given. */
export const ZIncidentLinks = z.strictObject({
  assetIds: z.array(ZId).max(100).optional(),
  users: z.array(z.string().trim().min(1).max(200)).max(100).optional(),
  ticketIds: z.array(ZId).max(100).optional(),
});

export const ZSecurityEvent = z.object({
  id: z.number().int(),
  orgId: ZId,
  sourceId: z.string().nullable(),
  time: ZIsoDate,
  receivedAt: ZIsoDate,
  host: z.string().nullable(),
  program: z.string().nullable(),
  pid: z.number().int().nullable(),
  user: z.string().nullable(),
  targetUser: z.string().nullable(),
  group: z.string().nullable(),
  srcIp: z.string().nullable(),
  srcPort: z.number().int().nullable(),
  action: z.string(),
  outcome: z.string(),
  method: z.string().nullable(),
  detail: z.string().nullable(),
  eventId: z.number().int().nullable(),
  repeat: z.number().int(),
  raw: z.string(),
});
export type TSecurityEvent = z.infer<typeof ZSecurityEvent>;

const eventFilters = {
  orgId: ZId.optional(),
  from: ZIsoDate.optional(),
  to: ZIsoDate.optional(),
  host: z.string().max(255).optional(),
  user: z.string().max(255).optional(),
  srcIp: z.string().max(64).optional(),
  program: z.string().max(100).optional(),
  action: z.string().max(50).optional(),
  outcome: z.enum(['success', 'failure', 'unknown']).optional(),
  q: z.string().trim().min(1).max(200).optional(),
};
export const ZEventListQuery = ZListQuery.extend(eventFilters);
export const ZEventHistogramQuery = z.strictObject({
  ...eventFilters,
  from: ZIsoDate,
  to: ZIsoDate,
  buckets: z.coerce.number().int().min(1).max(200).default(48),
});
export const ZEventHistogram = z.object({
  bucketMs: z.number().int(),
  buckets: z.array(z.object({ start: ZIsoDate, count: z.number().int() })),
});

export const SOURCE_KINDS = ['syslog', 'http', 'file'] as const;
export const ZSecuritySource = z.object({
  id: ZId,
  orgId: ZId.nullable(),
  name: z.string(),
  kind: z.enum(SOURCE_KINDS),
  host: z.string().nullable(),
  ip: z.string().nullable(),
  assetId: z.string().nullable(),
  unknown: z.boolean(),
  lastSeenAt: ZIsoDate.nullable(),
  counters: z.object({
    received: z.number().int(),
    stored: z.number().int(),
    rejected: z.record(z.string(), z.number().int()),
    dropped: z.record(z.string(), z.number().int()),
  }),
  version: z.number().int(),
});
export const ZSourceListQuery = ZListQuery.extend({
  orgId: ZId.optional(),
  unknown: z.enum(['true', 'false']).optional(),
});
export const ZSourceCreate = z.strictObject({
  orgId: ZId,
  name: z.string().trim().min(1).max(200),
  kind: z.enum(SOURCE_KINDS),
  host: z.string().trim().max(255).nullish(),
  ip: z.ipv4().or(z.ipv6()).nullish(),
  assetId: ZId.nullish(),
});
/** Maps a source (an unknown sender) to an organisation and, optionally, a CMDB asset. */
export const ZSourceMap = z.strictObject({
  orgId: ZId,
  name: z.string().trim().min(1).max(200).optional(),
  assetId: ZId.nullish(),
});

export const ZRuleProblem = z.object({ line: z.number().int(), col: z.number().int(), message: z.string() });
export const ZSecurityRule = z.object({
  ruleId: z.string(),
  orgId: ZId,
  title: z.string(),
  description: z.string(),
  severity: z.enum(SECURITY_SEVERITIES),
  builtin: z.boolean(),
  enabled: z.boolean(),
  yaml: z.string(),
  /** The row of a custom rule or of a built-in rule's override; null: a built-in rule as shipped. */
  id: ZId.nullable(),
  version: z.number().int(),
});
export const ZRuleListQuery = z.strictObject({ orgId: ZId });
export const ZRuleCreate = z.strictObject({
  orgId: ZId,
  yaml: z.string().min(1).max(100_000),
  enabled: z.boolean().default(false),
});
export const ZRuleUpdate = z.strictObject({
  yaml: z.string().min(1).max(100_000).optional(),
  enabled: z.boolean().optional(),
});
export const ZRuleTest = z.strictObject({
  orgId: ZId,
  yaml: z.string().min(1).max(100_000),
  /** Stored events of the organisation in [from, to) (default: the last 24 hours). */
  from: ZIsoDate.optional(),
  to: ZIsoDate.optional(),
  /** Or a log file's text (auth.log, JSON lines, EVTX-XML) instead of the stored events. */
  log: z.string().max(10_000_000).optional(),
});
export const ZRuleTestResult = z.object({
  events: z.number().int(),
  truncated: z.boolean(),
  detections: z.array(
    z.object({
      ruleId: z.string(),
      group: z.record(z.string(), z.string().nullable()),
      first: ZIsoDate,
      last: ZIsoDate,
      count: z.number().int(),
      sources: z.array(z.string()),
      users: z.array(z.string()),
    }),
  ),
});

export const ZSecuritySettings = z.object({
  orgId: ZId,
  retentionDays: z.number().int(),
  webhookUrl: z.string().nullable(),
  hasWebhookSecret: z.boolean(),
  hasIngestToken: z.boolean(),
  version: z.number().int(),
});
export const ZSecuritySettingsUpdate = z.strictObject({
  retentionDays: z.number().int().min(1).max(3650).optional(),
  webhookUrl: z
    .url({ protocol: /^https?$/ })
    .nullable()
    .optional(),
  webhookSecret: z.string().min(16).max(200).nullable().optional(),
});

export const ZSecurityNotification = z.object({
  id: ZId,
  orgId: ZId,
  incidentId: ZId,
  kind: z.string(),
  title: z.string(),
  severity: z.enum(SECURITY_SEVERITIES),
  createdAt: ZIsoDate,
  readAt: ZIsoDate.nullable(),
});

export const ZIngestResult = z.object({
  lines: z.object({
    read: z.number().int(),
    parsed: z.number().int(),
    ignored: z.number().int(),
    rejected: z.number().int(),
  }),
  rejected: z.record(z.string(), z.number().int()),
  stored: z.number().int(),
});
