import { z } from 'zod';
import { ZId, ZIsoDate, ZListQuery } from './common.js';

// --- enrolment tokens and rules --------------------------------------------------------------------

export const ZEnrolmentToken = z.object({
  id: ZId,
  orgId: ZId,
  name: z.string(),
  prefix: z.string(),
  createdAt: ZIsoDate,
  lastUsedAt: ZIsoDate.nullable(),
  revokedAt: ZIsoDate.nullable(),
});
export type TEnrolmentToken = z.infer<typeof ZEnrolmentToken>;
/** Only in the answer to its creation: the clear token, shown once. */
export const ZEnrolmentTokenCreated = ZEnrolmentToken.extend({ token: z.string() });
export const ZEnrolmentTokenCreate = z.strictObject({
  orgId: ZId,
  name: z.string().trim().min(1).max(100),
});
export const ZEnrolmentTokenQuery = ZListQuery.extend({ orgId: ZId.optional() });

export const RULE_KINDS = ['ip_range', 'tag', 'hostname'] as const;
export const ZInventoryRule = z.object({
  id: ZId,
  orgId: ZId,
  kind: z.enum(RULE_KINDS),
  pattern: z.string(),
  priority: z.number().int(),
  createdAt: ZIsoDate,
  version: z.number().int(),
});
export type TInventoryRule = z.infer<typeof ZInventoryRule>;
const CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}(\/([12]?\d|3[0-2]))?$/;
export const ZInventoryRuleCreate = z
  .strictObject({
    orgId: ZId,
    kind: z.enum(RULE_KINDS),
    pattern: z.string().trim().min(1).max(200),
    priority: z.number().int().min(0).max(10_000).default(100),
  })
  .refine((r) => r.kind !== 'ip_range' || CIDR.test(r.pattern), {
    message: 'An IPv4 range such as 10.1.0.0/16',
    path: ['pattern'],
    params: { code: 'bad_cidr' },
  });

// --- devices ---------------------------------------------------------------------------------------

export const ZDevice = z.object({
  id: ZId,
  deviceId: z.string(),
  orgId: ZId.nullable(),
  assetId: ZId.nullable(),
  status: z.enum(['active', 'pending']),
  hostname: z.string().nullable(),
  serial: z.string().nullable(),
  model: z.string().nullable(),
  agentVersion: z.string().nullable(),
  format: z.string(),
  tag: z.string().nullable(),
  lastIp: z.string().nullable(),
  firstSeenAt: ZIsoDate,
  lastContactAt: ZIsoDate,
  lastInventoryAt: ZIsoDate.nullable(),
  /** What the last inventory said, for the lists: operating system and a hardware summary. */
  os: z.string().nullable(),
  manufacturer: z.string().nullable(),
  cpu: z.string().nullable(),
  memoryMb: z.number().int().nullable(),
  diskMb: z.number().int().nullable(),
});
export type TDevice = z.infer<typeof ZDevice>;

export const ZDeviceQuery = ZListQuery.extend({
  orgId: ZId.optional(),
  pending: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  /** Devices silent for at least this many days. */
  silentDays: z.coerce.number().int().min(1).max(3650).optional(),
  agent: z.string().max(200).optional(),
  q: z.string().trim().max(200).optional(),
});

/** The reported hardware and system, as the asset page shows them. */
export const ZDeviceDetail = ZDevice.extend({ inventory: z.record(z.string(), z.unknown()).nullable() });

export const ZDeviceValidate = z.strictObject({ orgId: ZId });

export const ZInventoryError = z.object({
  id: ZId,
  at: ZIsoDate,
  orgId: ZId.nullable(),
  deviceId: z.string().nullable(),
  ip: z.string().nullable(),
  agent: z.string().nullable(),
  reason: z.string(),
  message: z.string(),
  detail: z.string().nullable(),
});
export const ZInventoryErrorQuery = ZListQuery.extend({ orgId: ZId.optional() });

export const ZFleetStats = z.object({
  devices: z.number().int(),
  pending: z.number().int(),
  silent: z.number().int(),
  silentDays: z.number().int(),
  agents: z.array(z.object({ agentVersion: z.string().nullable(), count: z.number().int() })),
  errors: z.array(z.object({ reason: z.string(), message: z.string(), count: z.number().int() })),
});
export const ZFleetStatsQuery = z.strictObject({
  orgId: ZId.optional(),
  silentDays: z.coerce.number().int().min(1).max(3650).default(30),
});

// --- software --------------------------------------------------------------------------------------

export const ZSoftware = z.object({ id: ZId, orgId: ZId, publisher: z.string(), name: z.string() });
export const ZSoftwareQuery = ZListQuery.extend({
  orgId: ZId.optional(),
  q: z.string().trim().max(200).optional(),
});
export const ZSoftwareDetail = ZSoftware.extend({
  versions: z.array(z.object({ id: ZId, version: z.string(), installations: z.number().int() })),
});
export const ZInstallation = z.object({
  assetId: ZId,
  assetName: z.string(),
  arch: z.string(),
  installedOn: z.string().nullable(),
  firstSeenAt: ZIsoDate,
});
export const ZInstalledSoftware = z.object({
  softwareId: ZId,
  name: z.string(),
  publisher: z.string(),
  versionId: ZId,
  version: z.string(),
  arch: z.string(),
  installedOn: z.string().nullable(),
});

/** What the CLI and the HTTP endpoint report for each file or request. */
export const ZIngestSummary = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  pending: z.number().int(),
  rejected: z.array(z.object({ file: z.string(), reason: z.string(), message: z.string() })),
});
