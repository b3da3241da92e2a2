import { uuidv7 } from 'uuidv7';
import { can, orgsWhere } from '../../../shared/policy.js';
import type { Page } from '../../../shared/schemas/common.js';
import type { TOrganisation } from '../../../shared/schemas/orgs.js';
import { type Ctx, inTransaction, requireActor } from '../../context.js';
import { AppError, forbidden, isUniqueViolation, notFound, preconditionFailed } from '../../http/errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { recordAudit } from '../audit/index.js';
import * as repo from './orgs.repo.js';

export type OrganisationInput = { name: string; slug: string; timeZone: string; locale: 'fr' | 'en' };

function duplicateSlug(): AppError {
  return new AppError('conflict.duplicate', 409, { field: 'slug' }, {}, [
    { path: 'slug', code: 'duplicate' },
  ]);
}

export async function listOrganisations(
  ctx: Ctx,
  q: { q?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<Page<TOrganisation>> {
  const actor = requireActor(ctx);
  const rows = await repo.listOrganisations(ctx, {
    scope: orgsWhere(actor, 'org.read'),
    q: q.q,
    after: decodeCursor(q.cursor, 2),
    limit: q.limit + 1,
  });
  return toPage(rows, q.limit, repo.toOrganisation, (r) => [r.name, r.id]);
}

/** One organisation the actor may read; 404 (not 403) otherwise, so ids of other clients leak nothing. */
export async function getOrganisation(ctx: Ctx, id: string): Promise<TOrganisation> {
  const actor = requireActor(ctx);
  const row = await repo.findOrganisation(ctx, id);
  if (!row || !can(actor, 'org.read', { orgId: row.id })) throw notFound('org');
  return repo.toOrganisation(row);
}

export async function createOrganisation(
  ctx: Ctx,
  input: OrganisationInput,
  opts: { home?: boolean } = {},
): Promise<TOrganisation> {
  const actor = requireActor(ctx);
  if (!can(actor, 'org.create')) throw forbidden();
  return inTransaction(ctx, async (tx) => {
    if (await repo.findOrganisationBySlug(tx, input.slug)) throw duplicateSlug();
    const now = tx.now.toISOString();
    const row = {
      id: uuidv7(),
      name: input.name,
      slug: input.slug,
      time_zone: input.timeZone,
      locale: input.locale,
      is_home: opts.home ?? false,
      created_at: now,
      updated_at: now,
      version: 1,
      deleted_at: null,
    };
    try {
      await repo.insertOrganisation(tx, row);
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicateSlug();
      throw err;
    }
    const org = repo.toOrganisation(row);
    await recordAudit(tx, {
      orgId: org.id,
      action: 'org.created',
      entityType: 'organisation',
      entityId: org.id,
      after: org,
    });
    return org;
  });
}

export async function updateOrganisation(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  patch: Partial<OrganisationInput>,
): Promise<TOrganisation> {
  const actor = requireActor(ctx);
  return inTransaction(ctx, async (tx) => {
    const row = await repo.findOrganisation(tx, id);
    if (!row || !can(actor, 'org.read', { orgId: id })) throw notFound('org');
    if (!can(actor, 'org.manage', { orgId: id })) throw forbidden();
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    if (patch.slug && patch.slug !== row.slug && (await repo.findOrganisationBySlug(tx, patch.slug)))
      throw duplicateSlug();
    const set = {
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.slug !== undefined && { slug: patch.slug }),
      ...(patch.timeZone !== undefined && { time_zone: patch.timeZone }),
      ...(patch.locale !== undefined && { locale: patch.locale }),
      updated_at: tx.now.toISOString(),
    };
    if (!(await repo.updateOrganisation(tx, id, expectedVersion, set))) throw preconditionFailed(row.version);
    const before = repo.toOrganisation(row);
    const after = repo.toOrganisation({ ...row, ...set, version: row.version + 1 });
    await recordAudit(tx, {
      orgId: id,
      action: 'org.updated',
      entityType: 'organisation',
      entityId: id,
      before,
      after,
    });
    return after;
  });
}

export async function findHomeOrganisation(ctx: Ctx): Promise<TOrganisation | undefined> {
  const row = await repo.findHomeOrganisation(ctx);
  return row ? repo.toOrganisation(row) : undefined;
}

/** People-facing references such as INC-000042: one counter per organisation and kind. */
export async function nextReference(ctx: Ctx, orgId: string, kind: string, prefix: string): Promise<string> {
  const n = await repo.nextCounterValue(ctx, orgId, kind);
  return `${prefix}-${String(n).padStart(6, '0')}`;
}
