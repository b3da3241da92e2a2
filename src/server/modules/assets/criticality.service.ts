import { can } from '../../../shared/policy.js';
import { type Ctx, inTransaction, requireActor } from '../../context.js';
import { updateVersioned } from '../../db/versioned.js';
import { forbidden, notFound, preconditionFailed } from '../../http/errors.js';
import { recordAudit } from '../audit/index.js';
import * as repo from './assets.repo.js';

/** Confidentiality, integrity and availability of an asset, 1 (low) to 4 (vital); null: not assessed. */
export type Criticality = {
  confidentiality: number | null;
  integrity: number | null;
  availability: number | null;
};

/** The criticality of assets by id, for the security module's incident severity (no permission check). */
export async function assetCriticality(
  ctx: Pick<Ctx, 'db'>,
  ids: string[],
): Promise<Map<string, Criticality & { orgId: string; name: string }>> {
  const out = new Map<string, Criticality & { orgId: string; name: string }>();
  if (ids.length === 0) return out;
  const rows = await ctx.db
    .selectFrom('asset')
    .select(['id', 'org_id', 'name', 'confidentiality', 'integrity', 'availability'])
    .where('id', 'in', ids)
    .where('deleted_at', 'is', null)
    .execute();
  for (const r of rows)
    out.set(r.id, {
      orgId: r.org_id,
      name: r.name,
      confidentiality: r.confidentiality,
      integrity: r.integrity,
      availability: r.availability,
    });
  return out;
}

/** Sets an asset's criticality (If-Match): whoever manages the fleet or its security may. */
export async function setAssetCriticality(ctx: Ctx, id: string, version: number, input: Criticality) {
  const actor = requireActor(ctx);
  const row = await repo.findAsset(ctx, id);
  if (!row || !can(actor, 'asset.read', { orgId: row.org_id })) throw notFound('asset');
  if (
    !can(actor, 'asset.manage', { orgId: row.org_id }) &&
    !can(actor, 'security.manage', { orgId: row.org_id })
  )
    throw forbidden();
  return inTransaction(ctx, async (tx) => {
    const ok = await updateVersioned(tx.db, 'asset', id, version, {
      ...input,
      updated_at: tx.now.toISOString(),
    });
    if (!ok) throw preconditionFailed(row.version);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'asset.criticality_changed',
      entityType: 'asset',
      entityId: id,
      before: {
        confidentiality: row.confidentiality,
        integrity: row.integrity,
        availability: row.availability,
      },
      after: input,
    });
    return { id, version: version + 1, ...input };
  });
}
