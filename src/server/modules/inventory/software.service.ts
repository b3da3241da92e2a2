import { can, orgsWhere } from '../../../shared/policy.js';
import { type Ctx, requireActor } from '../../context.js';
import { forbidden, notFound } from '../../http/errors.js';
import { decodeCursor, encodeCursor, toPage } from '../../http/pagination.js';
import { assetNames, getAsset } from '../assets/index.js';
import { mergeSoftwareIndex } from './installations.service.js';
import * as repo from './software.repo.js';

export async function listSoftware(
  ctx: Ctx,
  q: { orgId?: string | undefined; q?: string | undefined; limit: number; cursor?: string | undefined },
) {
  const actor = requireActor(ctx);
  if (!can(actor, 'asset.read')) throw forbidden();
  const rows = await repo.listSoftware(ctx, {
    scope: orgsWhere(actor, 'asset.read'),
    orgId: q.orgId,
    q: q.q,
    after: decodeCursor(q.cursor, 2) as [string, string] | undefined,
    limit: q.limit + 1,
  });
  return toPage(
    rows,
    q.limit,
    (r) => ({ id: r.id, orgId: r.org_id, publisher: r.publisher, name: r.name }),
    (r) => [r.name, r.id],
  );
}

async function visibleSoftware(ctx: Ctx, id: string) {
  const row = await repo.findSoftware(ctx, id);
  if (!row || !can(requireActor(ctx), 'asset.read', { orgId: row.org_id })) throw notFound('software');
  return row;
}

export async function getSoftware(ctx: Ctx, id: string) {
  const row = await visibleSoftware(ctx, id);
  await mergeSoftwareIndex(ctx);
  const versions = await repo.versionsOf(ctx, id);
  return {
    id: row.id,
    orgId: row.org_id,
    publisher: row.publisher,
    name: row.name,
    versions: versions.map((v) => ({ id: v.id, version: v.version, installations: Number(v.installations) })),
  };
}

/** "Where is version X installed": the assets, from the installation index. */
export async function installationsOfVersion(
  ctx: Ctx,
  versionId: string,
  q: { limit: number; cursor?: string | undefined },
) {
  const version = await repo.findVersion(ctx, versionId);
  if (!version || !can(requireActor(ctx), 'asset.read', { orgId: version.org_id }))
    throw notFound('software');
  const [after] = (decodeCursor(q.cursor, 1) as [string] | undefined) ?? [];
  await mergeSoftwareIndex(ctx);
  const rows = await repo.installationsOfVersion(ctx, versionId, { after, limit: q.limit + 1 });
  const page = rows.slice(0, q.limit);
  const names = await assetNames(
    ctx,
    page.map((r) => r.asset_id),
  );
  return {
    items: page.map((r) => ({
      assetId: r.asset_id,
      assetName: names.get(r.asset_id) ?? '',
      arch: r.arch,
      installedOn: r.installed_on,
      firstSeenAt: r.first_seen_at,
    })),
    nextCursor: rows.length > q.limit ? encodeCursor([page[page.length - 1]!.asset_id]) : null,
  };
}

export async function softwareOfAsset(ctx: Ctx, assetId: string) {
  await getAsset(ctx, assetId);
  const rows = await repo.softwareOfAsset(ctx, assetId);
  return rows.map((r) => ({
    softwareId: r.software_id,
    name: r.name,
    publisher: r.publisher,
    versionId: r.version_id,
    version: r.version,
    arch: r.arch,
    installedOn: r.installed_on,
  }));
}
