/** Log sources: registered per organisation, or recorded unknown (a syslog sender) for triage. */
import { uuidv7 } from 'uuidv7';
import { can, orgsWhere } from '../../../shared/policy.js';
import type { Page } from '../../../shared/schemas/common.js';
import type { SOURCE_KINDS } from '../../../shared/schemas/security.js';
import { type Ctx, inTransaction, requireActor } from '../../context.js';
import { updateVersioned } from '../../db/versioned.js';
import { AppError, forbidden, notFound, preconditionFailed } from '../../http/errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { assetCriticality } from '../assets/index.js';
import { recordAudit } from '../audit/index.js';
import { countersOf } from './events.repo.js';
import type { IngestTarget } from './pipeline.js';
import type { SecuritySourceTable } from './security.tables.js';
import * as repo from './sources.repo.js';

type Kind = (typeof SOURCE_KINDS)[number];

function newRow(
  now: string,
  v: Partial<SecuritySourceTable> & { name: string; kind: Kind },
): SecuritySourceTable {
  return {
    id: uuidv7(),
    org_id: null,
    host: null,
    ip: null,
    asset_id: null,
    last_seen_at: null,
    created_at: now,
    updated_at: now,
    version: 1,
    deleted_at: null,
    ...v,
  };
}

/** The source named `name` in the organisation, created on first use (file import, HTTP ingest). */
export async function sourceByName(ctx: Ctx, orgId: string, name: string, kind: Kind): Promise<IngestTarget> {
  let row = await repo.findSourceByName(ctx, orgId, name);
  if (!row) {
    row = newRow(ctx.now.toISOString(), { org_id: orgId, name, kind });
    await repo.insertSource(ctx, row);
  }
  return { orgId: row.org_id, sourceId: row.id, assetId: row.asset_id };
}

/** The source of a syslog sender: its mapped source, else an unknown one recorded for triage. */
export async function sourceOfSender(ctx: Ctx, ip: string): Promise<IngestTarget> {
  let row = await repo.findSourceByIp(ctx, ip);
  if (!row) {
    row = newRow(ctx.now.toISOString(), { name: ip, kind: 'syslog', ip });
    await repo.insertSource(ctx, row);
  }
  return { orgId: row.org_id, sourceId: row.id, assetId: row.asset_id };
}

function shape(row: SecuritySourceTable, counters: Array<{ name: string; count: number | string }>) {
  const c = {
    received: 0,
    stored: 0,
    rejected: {} as Record<string, number>,
    dropped: {} as Record<string, number>,
  };
  for (const k of counters) {
    const n = Number(k.count);
    if (k.name === 'received') c.received = n;
    else if (k.name === 'stored') c.stored = n;
    else if (k.name.startsWith('rejected:')) c.rejected[k.name.slice(9)] = n;
    else if (k.name.startsWith('dropped:')) c.dropped[k.name.slice(8)] = n;
  }
  return {
    id: row.id,
    orgId: row.org_id,
    name: row.name,
    kind: row.kind as Kind,
    host: row.host,
    ip: row.ip,
    assetId: row.asset_id,
    unknown: row.org_id === null,
    lastSeenAt: row.last_seen_at,
    counters: c,
    version: row.version,
  };
}

export type TSource = ReturnType<typeof shape>;

/** Sources the caller may read; unknown senders to the administrators of the home organisation. */
export async function listSources(
  ctx: Ctx,
  q: { orgId?: string; unknown?: 'true' | 'false'; cursor?: string; limit: number },
): Promise<Page<TSource>> {
  const actor = requireActor(ctx);
  if (!can(actor, 'security.read')) throw forbidden();
  // Unknown senders belong to no organisation yet: only an administrator of the home organisation
  // (who may act in every organisation) sees and maps them, so no client learns of another's machines.
  const includeUnknown = q.unknown !== 'false' && !q.orgId && actor.globalAdmin;
  let rows = await repo.listSources(ctx, {
    scope: orgsWhere(actor, 'security.read'),
    includeUnknown,
    orgId: q.orgId,
    after: decodeCursor(q.cursor, 2) as [string, string] | undefined,
    limit: q.limit + 1,
  });
  if (q.unknown === 'true') rows = rows.filter((r) => r.org_id === null);
  const counters = await countersOf(
    ctx,
    rows.map((r) => r.id),
  );
  return toPage(
    rows,
    q.limit,
    (r) =>
      shape(
        r,
        counters.filter((c) => c.source_id === r.id),
      ),
    (r) => [r.name, r.id],
  );
}

async function checkAsset(ctx: Ctx, orgId: string, assetId: string | null | undefined) {
  if (!assetId) return;
  const found = await assetCriticality(ctx, [assetId]);
  if (found.get(assetId)?.orgId !== orgId)
    throw new AppError('validation.failed', 422, {}, {}, [{ path: 'assetId', code: 'not_found' }]);
}

export async function createSource(
  ctx: Ctx,
  input: {
    orgId: string;
    name: string;
    kind: Kind;
    host?: string | null;
    ip?: string | null;
    assetId?: string | null;
  },
) {
  const actor = requireActor(ctx);
  if (!can(actor, 'security.read', { orgId: input.orgId })) throw notFound('org');
  if (!can(actor, 'security.manage', { orgId: input.orgId })) throw forbidden();
  await checkAsset(ctx, input.orgId, input.assetId);
  if (await repo.findSourceByName(ctx, input.orgId, input.name))
    throw new AppError('security_source.duplicate', 409, { name: input.name }, {}, [
      { path: 'name', code: 'duplicate' },
    ]);
  const row = newRow(ctx.now.toISOString(), {
    org_id: input.orgId,
    name: input.name,
    kind: input.kind,
    host: input.host ?? null,
    ip: input.ip ?? null,
    asset_id: input.assetId ?? null,
  });
  await inTransaction(ctx, async (tx) => {
    await repo.insertSource(tx, row);
    await recordAudit(tx, {
      orgId: input.orgId,
      action: 'security_source.created',
      entityType: 'security_source',
      entityId: row.id,
      after: input,
    });
  });
  return shape(row, []);
}

/** Maps a source (typically an unknown sender) to an organisation and an asset (If-Match). */
export async function mapSource(
  ctx: Ctx,
  id: string,
  version: number,
  input: { orgId: string; name?: string; assetId?: string | null },
) {
  const actor = requireActor(ctx);
  const row = await repo.findSource(ctx, id);
  const readable =
    row && (row.org_id === null ? actor.globalAdmin : can(actor, 'security.read', { orgId: row.org_id }));
  if (!row || !readable) throw notFound('security_source');
  if (
    !can(actor, 'security.manage', { orgId: input.orgId }) ||
    (row.org_id && !can(actor, 'security.manage', { orgId: row.org_id }))
  )
    throw forbidden();
  await checkAsset(ctx, input.orgId, input.assetId);
  return inTransaction(ctx, async (tx) => {
    const set = {
      org_id: input.orgId,
      ...(input.name ? { name: input.name } : {}),
      ...(input.assetId !== undefined ? { asset_id: input.assetId } : {}),
      updated_at: tx.now.toISOString(),
    };
    if (!(await updateVersioned(tx.db, 'security_source', id, version, set)))
      throw preconditionFailed(row.version);
    await recordAudit(tx, {
      orgId: input.orgId,
      action: 'security_source.mapped',
      entityType: 'security_source',
      entityId: id,
      before: { orgId: row.org_id, assetId: row.asset_id },
      after: input,
    });
    const fresh = (await repo.findSource(tx, id))!;
    return shape(fresh, await countersOf(tx, [id]));
  });
}
