import type { z } from 'zod';
import { ZAuditEntry, type ZAuditListQuery } from '../../shared/schemas/audit.js';
import { zPage } from '../../shared/schemas/common.js';
import { request } from './client.js';

export type AuditEntry = z.infer<typeof ZAuditEntry>;
// `limit` is coerced from a string by the server, so its input type is unknown: say what we send.
export type AuditQuery = Partial<Omit<z.input<typeof ZAuditListQuery>, 'limit'>> & { limit?: number };

const ZAuditPage = zPage(ZAuditEntry);

export async function listAudit(query: AuditQuery) {
  return (await request('GET', '/audit', { query: { limit: 50, ...query }, schema: ZAuditPage })).data;
}
