import { z } from 'zod';
import { ZId, ZIsoDate, ZListQuery } from './common.js';

export const ZAuditEntry = z.object({
  id: ZId,
  seq: z.number().int(),
  orgId: ZId.nullable(),
  actorId: ZId.nullable(),
  actorLabel: z.string(),
  at: ZIsoDate,
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
});
export type TAuditEntry = z.infer<typeof ZAuditEntry>;

export const ZAuditListQuery = ZListQuery.extend({
  orgId: ZId.optional(),
  actorId: ZId.optional(),
  entityType: z.string().max(100).optional(),
  entityId: z.string().max(100).optional(),
  action: z.string().max(100).optional(),
  from: ZIsoDate.optional(),
  to: ZIsoDate.optional(),
});
