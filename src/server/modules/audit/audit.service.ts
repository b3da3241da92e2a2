import { uuidv7 } from 'uuidv7';
import { can, orgsWhere } from '../../../shared/policy.js';
import type { TAuditEntry } from '../../../shared/schemas/audit.js';
import type { Page } from '../../../shared/schemas/common.js';
import { beforeCommit, type Ctx, requireActor } from '../../context.js';
import { inChunks } from '../../db/batch.js';
import { fromJson } from '../../db/values.js';
import { forbidden } from '../../http/errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { auditHash, canonicalJson, GENESIS_HASH } from './audit.hash.js';
import * as repo from './audit.repo.js';
import type { AuditLogTable } from './audit.tables.js';

export type AuditInput = {
  orgId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
  /** Who acted when nobody is authenticated yet (a login): the account concerned. */
  actorOverride?: { id: string | null; label: string };
};

const chainHeads = new WeakMap<object, string>();

/**
 * Appends one record to the hash-chained trail. Call it inside the transaction of the write it
 * describes, so both land or neither does. Never pass secrets in before/after.
 */
export async function recordAudit(ctx: Ctx, input: AuditInput): Promise<void> {
  await recordAudits(ctx, [input]);
}

type Pending = Omit<AuditLogTable, 'seq' | 'prev_hash' | 'hash'> & {
  fields: Parameters<typeof auditHash>[1];
};
const pending = new WeakMap<object, Pending[]>();

/**
 * Appends several records in order (an import of 10,000 rows). In a transaction opened by
 * `inTransaction` they are chained and written just before it commits, so the chain's lock (which
 * serialises every writer on PostgreSQL) is held for that last moment only, not during the work.
 */
export async function recordAudits(ctx: Ctx, inputs: AuditInput[]): Promise<void> {
  if (!ctx.db.isTransaction) throw new Error('recordAudit must run inside the transaction of its write');
  if (inputs.length === 0) return;
  const records = inputs.map((input): Pending => {
    const fields = {
      id: uuidv7(),
      orgId: input.orgId,
      actorId: input.actorOverride
        ? input.actorOverride.id
        : ctx.actor && ctx.actor.via !== 'system'
          ? ctx.actor.userId
          : null,
      actorLabel: input.actorOverride?.label ?? (ctx.actor ? ctx.actor.email : 'anonymous'),
      at: ctx.now.toISOString(),
      action: input.action,
      entityType: input.entityType,
      entityId: input.entityId,
      before: input.before ?? null,
      after: input.after ?? null,
      ip: ctx.ip ?? null,
      requestId: ctx.requestId ?? null,
    };
    return {
      fields,
      id: fields.id,
      org_id: fields.orgId,
      actor_id: fields.actorId,
      actor_label: fields.actorLabel,
      at: fields.at,
      action: fields.action,
      entity_type: fields.entityType,
      entity_id: fields.entityId,
      before: fields.before as object,
      after: fields.after as object,
      ip: fields.ip,
      request_id: fields.requestId,
    };
  });
  const queued = pending.get(ctx.db);
  if (queued) {
    queued.push(...records);
    return;
  }
  const list = [...records];
  if (beforeCommit(ctx, () => writeChained(ctx, list))) pending.set(ctx.db, list);
  else await writeChained(ctx, list);
}

/** Chains the records on the trail's head, read under the lock, and inserts them in order. */
async function writeChained(ctx: Ctx, records: Pending[]): Promise<void> {
  // The chain head, once read under the lock, is this transaction's to extend.
  let prevHash = chainHeads.get(ctx.db);
  if (prevHash === undefined && records.length === 1 && ctx.dialect.name === 'postgres') {
    // The usual case, one write with one record: the head is read by the INSERT.
    const { fields, ...row } = records[0]!;
    await repo.lockChain(ctx);
    chainHeads.set(ctx.db, await repo.insertChainedOnPostgres(ctx, row, canonicalJson(fields), GENESIS_HASH));
    return;
  }
  if (prevHash === undefined) {
    await repo.lockChain(ctx);
    prevHash = (await repo.findLastHash(ctx)) ?? GENESIS_HASH;
  }
  const rows: Array<Omit<AuditLogTable, 'seq'>> = [];
  for (const { fields, ...row } of records) {
    const hash = auditHash(prevHash, fields);
    rows.push({ ...row, prev_hash: prevHash, hash });
    prevHash = hash;
  }
  await inChunks(rows, (chunk) => repo.insertAudits(ctx, chunk));
  chainHeads.set(ctx.db, prevHash);
}

export type AuditQuery = {
  limit: number;
  cursor?: string | undefined;
  orgId?: string | undefined;
  actorId?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  action?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
};

export async function listAuditEntries(ctx: Ctx, q: AuditQuery): Promise<Page<TAuditEntry>> {
  const actor = requireActor(ctx);
  if (!can(actor, 'audit.read')) throw forbidden();
  const [beforeSeq] = decodeCursor(q.cursor, 1) ?? [];
  const rows = await repo.listAudit(ctx, {
    ...q,
    scope: orgsWhere(actor, 'audit.read'),
    beforeSeq: typeof beforeSeq === 'number' ? beforeSeq : undefined,
    limit: q.limit + 1,
  });
  return toPage(rows, q.limit, repo.toEntry, (r) => [r.seq]);
}

export type VerifyResult =
  | { ok: true; records: number }
  | { ok: false; records: number; firstBad: { seq: number; id: string; reason: 'altered' | 'broken_link' } };

/**
 * Walks the chain from the start. An altered row no longer matches its hash; a deleted row leaves its
 * successor pointing at a hash that is not its predecessor's.
 */
export async function verifyAuditChain(ctx: Ctx): Promise<VerifyResult> {
  let prev = GENESIS_HASH;
  let records = 0;
  for await (const row of repo.iterateChain(ctx)) {
    records++;
    if (row.prev_hash !== prev) {
      return { ok: false, records, firstBad: { seq: row.seq, id: row.id, reason: 'broken_link' } };
    }
    const expected = auditHash(row.prev_hash, {
      id: row.id,
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
    });
    if (expected !== row.hash) {
      return { ok: false, records, firstBad: { seq: row.seq, id: row.id, reason: 'altered' } };
    }
    prev = row.hash;
  }
  return { ok: true, records };
}
