import { uuidv7 } from 'uuidv7';
import { can, orgsWhere } from '../../../shared/policy.js';
import type { Page } from '../../../shared/schemas/common.js';
import type { TGroup } from '../../../shared/schemas/orgs.js';
import { type Ctx, inTransaction, requireActor } from '../../context.js';
import { toJson } from '../../db/values.js';
import { AppError, forbidden, notFound, preconditionFailed } from '../../http/errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { recordAudit } from '../audit/index.js';
import * as repo from './orgs.repo.js';
import type { UserGroupTable } from './orgs.tables.js';

async function assertMembersInOrg(ctx: Ctx, orgId: string, memberIds: string[]): Promise<void> {
  const unique = [...new Set(memberIds)];
  const inOrg = await repo.usersWithRoleIn(ctx, orgId, unique);
  const outside = unique
    .map((id, i) => ({ id, i }))
    .filter(({ id }) => !inOrg.has(id))
    .map(({ i }) => ({ path: `memberIds.${i}`, code: 'not_found' }));
  if (outside.length > 0) throw new AppError('group.member_not_in_org', 422, {}, {}, outside);
}

async function withMembers(ctx: Ctx, rows: UserGroupTable[]): Promise<TGroup[]> {
  const members = await repo.findGroupMembers(
    ctx,
    rows.map((r) => r.id),
  );
  return rows.map((r) => repo.toGroup(r, members.get(r.id) ?? []));
}

async function visibleGroup(ctx: Ctx, id: string): Promise<{ row: UserGroupTable; group: TGroup }> {
  const actor = requireActor(ctx);
  const row = await repo.findGroup(ctx, id);
  if (!row || !can(actor, 'group.read', { orgId: row.org_id })) throw notFound('group');
  const [group] = await withMembers(ctx, [row]);
  return { row, group: group! };
}

export async function listGroups(
  ctx: Ctx,
  q: { orgId?: string | undefined; q?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<Page<TGroup>> {
  const actor = requireActor(ctx);
  if (!can(actor, 'group.read')) throw forbidden();
  const rows = await repo.listGroups(ctx, {
    scope: orgsWhere(actor, 'group.read'),
    orgId: q.orgId,
    q: q.q,
    after: decodeCursor(q.cursor, 2),
    limit: q.limit + 1,
  });
  const page = toPage(
    rows,
    q.limit,
    (r) => r,
    (r) => [r.name, r.id],
  );
  return { items: await withMembers(ctx, page.items), nextCursor: page.nextCursor };
}

export async function getGroup(ctx: Ctx, id: string): Promise<TGroup> {
  return (await visibleGroup(ctx, id)).group;
}

export async function createGroup(
  ctx: Ctx,
  input: {
    orgId: string;
    name: string;
    description: string;
    memberIds: string[];
    supportContact?: TGroup['supportContact'] | undefined;
  },
): Promise<TGroup> {
  const actor = requireActor(ctx);
  if (!can(actor, 'org.read', { orgId: input.orgId })) throw notFound('org');
  if (!can(actor, 'group.manage', { orgId: input.orgId })) throw forbidden();
  return inTransaction(ctx, async (tx) => {
    if (!(await repo.findOrganisation(tx, input.orgId))) throw notFound('org');
    await assertMembersInOrg(tx, input.orgId, input.memberIds);
    const now = tx.now.toISOString();
    const row: UserGroupTable = {
      id: uuidv7(),
      org_id: input.orgId,
      name: input.name,
      description: input.description,
      support_contact: input.supportContact ? toJson(input.supportContact) : null,
      created_at: now,
      updated_at: now,
      version: 1,
      deleted_at: null,
    };
    await repo.insertGroup(tx, row);
    const members = [...new Set(input.memberIds)];
    await repo.replaceGroupMembers(tx, row.id, members, now);
    const group = repo.toGroup(row, members);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'group.created',
      entityType: 'group',
      entityId: row.id,
      after: group,
    });
    return group;
  });
}

export async function updateGroup(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  patch: {
    name?: string | undefined;
    description?: string | undefined;
    memberIds?: string[] | undefined;
    supportContact?: TGroup['supportContact'] | undefined;
  },
): Promise<TGroup> {
  const actor = requireActor(ctx);
  return inTransaction(ctx, async (tx) => {
    const { row, group } = await visibleGroup(tx, id);
    if (!can(actor, 'group.manage', { orgId: row.org_id })) throw forbidden();
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    if (patch.memberIds) await assertMembersInOrg(tx, row.org_id, patch.memberIds);
    const set = {
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.description !== undefined && { description: patch.description }),
      ...(patch.supportContact !== undefined && {
        support_contact: patch.supportContact ? toJson(patch.supportContact) : null,
      }),
      updated_at: tx.now.toISOString(),
    };
    if (!(await repo.updateGroup(tx, id, expectedVersion, set))) throw preconditionFailed(row.version);
    const members = patch.memberIds ? [...new Set(patch.memberIds)] : group.memberIds;
    if (patch.memberIds) await repo.replaceGroupMembers(tx, id, members, tx.now.toISOString());
    const after = repo.toGroup({ ...row, ...set, version: row.version + 1 }, members);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'group.updated',
      entityType: 'group',
      entityId: id,
      before: group,
      after,
    });
    return after;
  });
}

/** Soft delete: the group disappears from lists but its history stays readable in the audit trail. */
export async function deleteGroup(ctx: Ctx, id: string, expectedVersion: number): Promise<void> {
  const actor = requireActor(ctx);
  await inTransaction(ctx, async (tx) => {
    const { row, group } = await visibleGroup(tx, id);
    if (!can(actor, 'group.manage', { orgId: row.org_id })) throw forbidden();
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    const now = tx.now.toISOString();
    if (!(await repo.updateGroup(tx, id, expectedVersion, { deleted_at: now, updated_at: now }))) {
      throw preconditionFailed(row.version);
    }
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'group.deleted',
      entityType: 'group',
      entityId: id,
      before: group,
    });
  });
}

/** The groups a user belongs to (their queues), for other modules. */
export async function groupIdsOfUser(ctx: Ctx, userId: string): Promise<string[]> {
  return repo.groupIdsOfUser(ctx, userId);
}

/** The live group of an organisation with this id, with its members, for other modules' checks. */
export async function findGroupInOrg(
  ctx: Ctx,
  orgId: string,
  groupId: string,
): Promise<{ id: string; name: string; memberIds: string[] } | undefined> {
  const row = await repo.findGroup(ctx, groupId);
  if (!row || row.org_id !== orgId) return undefined;
  const members = await repo.findGroupMembers(ctx, [groupId]);
  return { id: row.id, name: row.name, memberIds: members.get(groupId) ?? [] };
}
