import { uuidv7 } from 'uuidv7';
import { can } from '../../../shared/policy.js';
import type { AssetStatus, RELATION_KINDS, TImpactItem } from '../../../shared/schemas/assets.js';
import { type Ctx, inTransaction, requireActor } from '../../context.js';
import { AppError, forbidden, notFound } from '../../http/errors.js';
import { recordAudit } from '../audit/index.js';
import * as repo from './assets.repo.js';
import { visibleAsset, writeHistory } from './assets.service.js';
import type { AssetRelationTable } from './assets.tables.js';

type RelationKind = (typeof RELATION_KINDS)[number];

export type TRelation = {
  id: string;
  kind: RelationKind;
  fromAssetId: string;
  toAssetId: string;
  fromPort: string | null;
  toPort: string | null;
  createdAt: string;
};

const toRelation = (r: AssetRelationTable): TRelation => ({
  id: r.id,
  kind: r.kind as RelationKind,
  fromAssetId: r.from_asset_id,
  toAssetId: r.to_asset_id,
  fromPort: r.from_port,
  toPort: r.to_port,
  createdAt: r.created_at,
});

/**
 * Who relies on whom. "A depends_on X", "monitor connected_to computer", "device port_link switch":
 * the first relies on the second. "memory installed_in computer": the host relies on its component.
 */
export function dependentOf(r: Pick<AssetRelationTable, 'kind' | 'from_asset_id' | 'to_asset_id'>): {
  dependent: string;
  provider: string;
} {
  return r.kind === 'installed_in'
    ? { dependent: r.to_asset_id, provider: r.from_asset_id }
    : { dependent: r.from_asset_id, provider: r.to_asset_id };
}

/**
 * The history field of a relation change: `relation.<kind>` on the asset it starts from,
 * `relation.<kind>.inverse` on the asset it points to, so each timeline reads from its own side.
 */
export function relationField(kind: RelationKind, side: 'from' | 'to'): string {
  return side === 'from' ? `relation.${kind}` : `relation.${kind}.inverse`;
}

export async function listRelations(ctx: Ctx, assetId: string): Promise<TRelation[]> {
  await visibleAsset(ctx, requireActor(ctx), assetId);
  return (await repo.relationsOf(ctx, assetId)).map(toRelation);
}

export async function addRelation(
  ctx: Ctx,
  fromAssetId: string,
  input: { kind: RelationKind; toAssetId: string; fromPort: string | null; toPort: string | null },
): Promise<TRelation> {
  const actor = requireActor(ctx);
  return inTransaction(ctx, async (tx) => {
    const from = await visibleAsset(tx, actor, fromAssetId);
    if (!can(actor, 'asset.manage', { orgId: from.org_id })) throw forbidden();
    const to = await repo.findAsset(tx, input.toAssetId);
    if (!to || to.org_id !== from.org_id) {
      throw new AppError('validation.failed', 422, {}, {}, [{ path: 'toAssetId', code: 'not_found' }]);
    }
    if (to.id === from.id)
      throw new AppError('validation.failed', 422, {}, {}, [{ path: 'toAssetId', code: 'self_relation' }]);
    const existing = await repo.relationsOf(tx, from.id);
    if (
      existing.some(
        (r) =>
          r.kind === input.kind &&
          r.from_asset_id === from.id &&
          r.to_asset_id === to.id &&
          r.from_port === input.fromPort,
      )
    ) {
      throw new AppError('conflict.duplicate', 409, { field: 'toAssetId' }, {}, [
        { path: 'toAssetId', code: 'duplicate' },
      ]);
    }
    // A component sits in one host at a time.
    if (
      input.kind === 'installed_in' &&
      existing.some((r) => r.kind === 'installed_in' && r.from_asset_id === from.id)
    ) {
      throw new AppError('asset.already_installed', 409, {}, {}, [{ path: 'toAssetId', code: 'duplicate' }]);
    }
    const row: AssetRelationTable = {
      id: uuidv7(),
      org_id: from.org_id,
      kind: input.kind,
      from_asset_id: from.id,
      to_asset_id: to.id,
      from_port: input.fromPort,
      to_port: input.toPort,
      created_at: tx.now.toISOString(),
    };
    await repo.insertRelation(tx, row);
    const relation = toRelation(row);
    const ports = { fromPort: input.fromPort, toPort: input.toPort };
    await writeHistory(tx, { id: from.id, orgId: from.org_id }, 'relation', [
      {
        field: relationField(input.kind, 'from'),
        from: null,
        to: { assetId: to.id, name: to.name, ...ports },
      },
    ]);
    await writeHistory(tx, { id: to.id, orgId: to.org_id }, 'relation', [
      {
        field: relationField(input.kind, 'to'),
        from: null,
        to: { assetId: from.id, name: from.name, ...ports },
      },
    ]);
    await recordAudit(tx, {
      orgId: from.org_id,
      action: 'asset.relation_added',
      entityType: 'asset',
      entityId: from.id,
      after: relation,
    });
    return relation;
  });
}

export async function removeRelation(ctx: Ctx, assetId: string, relationId: string): Promise<void> {
  const actor = requireActor(ctx);
  await inTransaction(ctx, async (tx) => {
    const asset = await visibleAsset(tx, actor, assetId);
    if (!can(actor, 'asset.manage', { orgId: asset.org_id })) throw forbidden();
    const row = await repo.findRelation(tx, relationId);
    if (!row || (row.from_asset_id !== assetId && row.to_asset_id !== assetId)) throw notFound('relation');
    await repo.deleteRelation(tx, relationId);
    const names = new Map(
      (await repo.namesOf(tx, [row.from_asset_id, row.to_asset_id])).map((a) => [a.id, a.name]),
    );
    const ports = { fromPort: row.from_port, toPort: row.to_port };
    for (const side of ['from', 'to'] as const) {
      const [id, other] =
        side === 'from' ? [row.from_asset_id, row.to_asset_id] : [row.to_asset_id, row.from_asset_id];
      await writeHistory(tx, { id, orgId: row.org_id }, 'relation', [
        {
          field: relationField(row.kind as RelationKind, side),
          from: { assetId: other, name: names.get(other) ?? null, ...ports },
          to: null,
        },
      ]);
    }
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'asset.relation_removed',
      entityType: 'asset',
      entityId: assetId,
      before: toRelation(row),
    });
  });
}

/**
 * "What is affected if this fails": every asset that relies on it, directly or through others,
 * breadth first, one query per level; cycles are walked once.
 */
export async function impactOf(ctx: Ctx, assetId: string, maxDepth = 20): Promise<TImpactItem[]> {
  const root = await visibleAsset(ctx, requireActor(ctx), assetId);
  const seen = new Map<string, { depth: number; via: RelationKind }>([
    [root.id, { depth: 0, via: 'depends_on' }],
  ]);
  let frontier = [root.id];
  for (let depth = 1; depth <= maxDepth && frontier.length > 0; depth++) {
    const next: string[] = [];
    const inFrontier = new Set(frontier);
    for (const r of await repo.relationsTouching(ctx, frontier)) {
      const { dependent, provider } = dependentOf(r);
      if (inFrontier.has(provider) && !seen.has(dependent)) {
        seen.set(dependent, { depth, via: r.kind as RelationKind });
        next.push(dependent);
      }
    }
    frontier = next;
  }
  seen.delete(root.id);
  const rows = await repo.namesOf(ctx, [...seen.keys()]);
  return rows
    .map((r) => ({
      id: r.id,
      name: r.name,
      status: r.status as AssetStatus,
      typeId: r.type_id,
      ...seen.get(r.id)!,
    }))
    .sort((a, b) => a.depth - b.depth || a.name.localeCompare(b.name));
}
