import { z } from 'zod';
import { ZId, ZIsoDate, ZListQuery } from './common.js';

// --- intervention note ------------------------------------------------------------------------------

/** What the requester reads on resolution, in plain language (the technical solution stays inside). */
export const ZInterventionNote = z.strictObject({
  /** What was wrong. */
  cause: z.string().trim().min(1).max(5000),
  /** What was done. */
  action: z.string().trim().min(1).max(5000),
  /** What changed for you. */
  impact: z.string().trim().max(5000).default(''),
  /** Advice. */
  advice: z.string().trim().max(5000).default(''),
});
export type TInterventionNote = z.infer<typeof ZInterventionNote>;

// --- mail -------------------------------------------------------------------------------------------

export const MAIL_LOCALES = ['fr', 'en'] as const;
export const ZMailTemplateKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/)
  .max(100);

export const ZMailTemplate = z.object({
  orgId: ZId,
  key: z.string(),
  locale: z.enum(MAIL_LOCALES),
  description: z.string(),
  /** The {{variables}} the template may use. */
  variables: z.array(z.string()),
  subject: z.string(),
  text: z.string(),
  html: z.string().nullable(),
  /** The organisation's own wording (false: Parc's default). */
  custom: z.boolean(),
  version: z.number().int(),
});
export type TMailTemplate = z.infer<typeof ZMailTemplate>;
export const ZMailTemplateUpdate = z.strictObject({
  subject: z.string().trim().min(1).max(500),
  text: z.string().min(1).max(50_000),
  html: z.string().max(200_000).nullable().default(null),
});

export const MAIL_STATUSES = ['queued', 'retrying', 'sent', 'failed'] as const;
export const ZOutgoingMail = z.object({
  id: ZId,
  orgId: ZId.nullable(),
  to: z.string(),
  subject: z.string(),
  messageId: z.string(),
  status: z.enum(MAIL_STATUSES),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: ZIsoDate,
  sentAt: ZIsoDate.nullable(),
});
export type TOutgoingMail = z.infer<typeof ZOutgoingMail>;
export const ZOutgoingMailQuery = ZListQuery.extend({
  orgId: ZId,
  status: z.enum(MAIL_STATUSES).optional(),
});

// --- e-mail intake ----------------------------------------------------------------------------------

export const UNKNOWN_SENDER_RULES = ['create_requester', 'refuse'] as const;

export const ZMailbox = z.object({
  orgId: ZId,
  enabled: z.boolean(),
  host: z.string(),
  port: z.number().int(),
  tls: z.boolean(),
  username: z.string(),
  /** Whether a password is stored; the password itself never leaves. */
  hasPassword: z.boolean(),
  folder: z.string(),
  processedFolder: z.string().nullable(),
  address: z.string().nullable(),
  unknownSender: z.enum(UNKNOWN_SENDER_RULES),
  uidValidity: z.string().nullable(),
  lastUid: z.number().int(),
  lastPolledAt: ZIsoDate.nullable(),
  lastError: z.string().nullable(),
  version: z.number().int(),
});
export type TMailbox = z.infer<typeof ZMailbox>;

export const ZMailboxUpdate = z.strictObject({
  enabled: z.boolean().default(true),
  host: z.string().trim().min(1).max(253),
  port: z.number().int().min(1).max(65535).default(993),
  tls: z.boolean().default(true),
  username: z.string().trim().min(1).max(320),
  /** Omitted: the stored password is kept. */
  password: z.string().min(1).max(1000).optional(),
  folder: z.string().trim().min(1).max(200).default('INBOX'),
  processedFolder: z.string().trim().min(1).max(200).nullable().default(null),
  address: z.email().max(320).nullable().default(null),
  unknownSender: z.enum(UNKNOWN_SENDER_RULES).default('create_requester'),
});
export type TMailboxUpdate = z.infer<typeof ZMailboxUpdate>;

export const ZMailMessage = z.object({
  messageKey: z.string(),
  uid: z.number().int().nullable(),
  from: z.string().nullable(),
  subject: z.string(),
  outcome: z.enum(['ticket', 'followup', 'ignored', 'refused']),
  reason: z.string().nullable(),
  ticketId: ZId.nullable(),
  processedAt: ZIsoDate,
});

export const ZTicketAttachment = z.object({
  id: ZId,
  ticketId: ZId,
  filename: z.string(),
  mediaType: z.string(),
  size: z.number().int(),
  createdAt: ZIsoDate,
});

// --- Alertmanager -----------------------------------------------------------------------------------

const ZStringMap = z.record(z.string(), z.string());

/** One alert of the Alertmanager webhook (payload version 4). Unknown fields are tolerated. */
export const ZAlertmanagerAlert = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: ZStringMap.default({}),
  annotations: ZStringMap.default({}),
  startsAt: z.string().max(64).optional(),
  endsAt: z.string().max(64).optional(),
  generatorURL: z.string().max(4000).optional(),
  fingerprint: z.string().trim().min(1).max(200).optional(),
});
export type TAlertmanagerAlert = z.infer<typeof ZAlertmanagerAlert>;

export const ZAlertmanagerPayload = z.object({
  version: z.string().max(10).optional(),
  groupKey: z.string().max(4000).optional(),
  truncatedAlerts: z.number().int().optional(),
  status: z.enum(['firing', 'resolved']).optional(),
  receiver: z.string().max(500).optional(),
  groupLabels: ZStringMap.optional(),
  commonLabels: ZStringMap.optional(),
  commonAnnotations: ZStringMap.optional(),
  externalURL: z.string().max(4000).optional(),
  alerts: z.array(ZAlertmanagerAlert).min(1).max(1000),
});
export type TAlertmanagerPayload = z.infer<typeof ZAlertmanagerPayload>;

export const ZAlertResult = z.object({
  received: z.number().int(),
  items: z.array(
    z.object({
      fingerprint: z.string(),
      status: z.enum(['firing', 'resolved']),
      action: z.enum(['created', 'updated', 'unchanged', 'resolved', 'ignored']),
      ticketId: ZId.nullable(),
      reference: z.string().nullable(),
    }),
  ),
});

export const ZAlertTokenCreate = z.strictObject({ orgId: ZId });
export const ZAlertToken = z.object({
  orgId: ZId,
  /** Shown once, at creation. */
  token: z.string(),
  createdAt: ZIsoDate,
  webhookPath: z.string(),
});
export const ZAlertTokenStatus = z.object({
  orgId: ZId,
  exists: z.boolean(),
  createdAt: ZIsoDate.nullable(),
});
