import { sql } from 'kysely';
import type { TAuditEntry } from '../../../shared/schemas/audit.js';
import type { Ctx } from '../../context.js';
import { type OrgScope, whereOrg } from '../../db/scope.js';
import { fromJson, toJson } from '../../db/values.js';
import type { AuditLogTable } from './audit.tables.js';

/** Serialises the writers of the hash chain, across instances on PostgreSQL. */
export async function lockChain(ctx: Ctx): Promise<void> {
  await ctx.dialect.transactionLock('audit:chain')?.execute(ctx.db);
}

export async function findLastHash(ctx: Ctx): Promise<string | undefined> {
  const row = await ctx.db
    .selectFrom('audit_log')
    .select('hash')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.hash;
}

/**
 * PostgreSQL, after `lockChain`: inserts one record on the chain's head and returns its hash, computed
 * by the database exactly as `auditHash` does (SHA-256 of the previous hash, a newline and the
 * canonical JSON). Reading the head in the INSERT itself saves a round trip; its snapshot is taken
 * after the lock was granted, so the head it reads is the latest committed one.
 */
export async function insertChainedOnPostgres(
  ctx: Ctx,
  row: Omit<AuditLogTable, 'seq' | 'prev_hash' | 'hash'>,
  canonical: string,
  genesis: string,
): Promise<string> {
  const result = await sql<{ hash: string }>`
    WITH head AS (
      SELECT coalesce((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), ${genesis}::text) AS hash
    )
    INSERT INTO audit_log (id, org_id, actor_id, actor_label, at, action, entity_type, entity_id, before,
      after, ip, request_id, prev_hash, hash)
    VALUES (${row.id}, ${row.org_id}, ${row.actor_id}, ${row.actor_label}, ${row.at}, ${row.action},
      ${row.entity_type}, ${row.entity_id}, ${toJson(row.before)}, ${toJson(row.after)}, ${row.ip},
      ${row.request_id}, (SELECT hash FROM head),
      encode(sha256(convert_to((SELECT hash FROM head) || chr(10) || ${canonical}::text, 'UTF8')), 'hex'))
    RETURNING hash`.execute(ctx.db);
  return result.rows[0]!.hash;
}

/** Rows in chain order: the sequence numbers follow the order of the values. */
export async function insertAudits(ctx: Ctx, rows: Array<Omit<AuditLogTable, 'seq'>>): Promise<void> {
  await ctx.db
    .insertInto('audit_log')
    .values(rows.map((row) => ({ ...row, before: toJson(row.before), after: toJson(row.after) })))
    .execute();
}

export function toEntry(row: AuditLogTable): TAuditEntry {
  return {
    id: row.id,
    seq: row.seq,
    orgId: row.org_id,
    actorId: row.actor_id,
    actorLabel: row.actor_label,
    at: row.at,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    before: fromJson(row.before),
    after: fromJson(row.after),
    ip: row.ip,
    requestId: row.request_id,
  };
}

export type AuditFilter = {
  scope: OrgScope;
  orgId?: string | undefined;
  actorId?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  action?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  beforeSeq?: number | undefined;
  limit: number;
};

/** Newest first, keyset-paged on seq. */
export async function listAudit(ctx: Ctx, f: AuditFilter): Promise<AuditLogTable[]> {
  let q = ctx.db.selectFrom('audit_log').selectAll();
  q = whereOrg(q, 'org_id', f.scope);
  if (f.orgId) q = q.where('org_id', '=', f.orgId);
  if (f.actorId) q = q.where('actor_id', '=', f.actorId);
  if (f.entityType) q = q.where('entity_type', '=', f.entityType);
  if (f.entityId) q = q.where('entity_id', '=', f.entityId);
  if (f.action) q = q.where('action', '=', f.action);
  if (f.from) q = q.where('at', '>=', f.from);
  if (f.to) q = q.where('at', '<', f.to);
  if (f.beforeSeq !== undefined) q = q.where('seq', '<', f.beforeSeq);
  return q.orderBy('seq', 'desc').limit(f.limit).execute();
}

/** The whole chain in order, a page at a time, for verification. */
export async function* iterateChain(ctx: Ctx, pageSize = 1000): AsyncGenerator<AuditLogTable> {
  let after = -1;
  for (;;) {
    const rows = await ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>', after)
      .orderBy('seq', 'asc')
      .limit(pageSize)
      .execute();
    for (const row of rows) yield row;
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1]!.seq;
  }
}
