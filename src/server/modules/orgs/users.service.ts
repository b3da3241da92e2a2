import { uuidv7 } from 'uuidv7';
import { can, orgsWhere, type Role } from '../../../shared/policy.js';
import type { Page } from '../../../shared/schemas/common.js';
import type { TUser } from '../../../shared/schemas/orgs.js';
import { type Ctx, inTransaction, type Principal, requireActor } from '../../context.js';
import { toBool } from '../../db/values.js';
import { AppError, forbidden, isUniqueViolation, notFound, preconditionFailed } from '../../http/errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { recordAudit } from '../audit/index.js';
import { credentialSummaries, endUserSessions, generatePassword, setPassword } from '../auth/index.js';
import * as repo from './orgs.repo.js';
import type { AppUserTable } from './orgs.tables.js';

export type UserCreateInput = {
  email: string;
  displayName: string;
  password?: string | undefined;
  locale: 'fr' | 'en' | null;
  orgId: string;
  roles: Role[];
};

function duplicateEmail(): AppError {
  return new AppError('conflict.duplicate', 409, { field: 'email' }, {}, [
    { path: 'email', code: 'duplicate' },
  ]);
}

async function toUsers(ctx: Ctx, rows: AppUserTable[]): Promise<TUser[]> {
  const ids = rows.map((r) => r.id);
  const roles = await repo.findRolesOfUsers(ctx, ids);
  const creds = await credentialSummaries(ctx, ids);
  return rows.map((row) => {
    const memberships = new Map<string, { orgId: string; orgName: string; roles: Role[] }>();
    for (const r of roles.get(row.id) ?? []) {
      const m = memberships.get(r.org_id) ?? { orgId: r.org_id, orgName: r.org_name, roles: [] };
      m.roles.push(r.role);
      memberships.set(r.org_id, m);
    }
    const cred = creds.get(row.id);
    return {
      id: row.id,
      email: row.email,
      displayName: row.display_name,
      locale: row.locale as 'fr' | 'en' | null,
      disabled: toBool(row.disabled),
      totpEnabled: cred?.totpEnabled ?? false,
      mustChangePassword: cred?.mustChangePassword ?? false,
      lastLoginAt: cred?.lastLoginAt ?? null,
      memberships: [...memberships.values()],
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      version: row.version,
    };
  });
}

/** Someone the actor may see: global admins see everyone; others, people of their organisations. */
async function visibleUser(
  ctx: Ctx,
  actor: Principal,
  id: string,
): Promise<{ row: AppUserTable; user: TUser }> {
  const row = await repo.findUser(ctx, id);
  if (!row) throw notFound('user');
  const [user] = await toUsers(ctx, [row]);
  const visible =
    actor.globalAdmin ||
    actor.userId === id ||
    user!.memberships.some((m) => can(actor, 'user.read', { orgId: m.orgId }));
  if (!visible) throw notFound('user');
  return { row, user: user! };
}

/** Managing a person's account (name, e-mail, password) needs admin rights in every one of their organisations. */
function canManageAccount(actor: Principal, user: TUser): boolean {
  if (actor.globalAdmin) return true;
  return (
    user.memberships.length > 0 &&
    user.memberships.every((m) => can(actor, 'user.manage', { orgId: m.orgId }))
  );
}

export async function listUsers(
  ctx: Ctx,
  q: {
    q?: string | undefined;
    orgId?: string | undefined;
    role?: Role | undefined;
    sort: repo.UserSort;
    order: 'asc' | 'desc';
    limit: number;
    cursor?: string | undefined;
  },
): Promise<Page<TUser>> {
  const actor = requireActor(ctx);
  if (!can(actor, 'user.read')) throw forbidden();
  const rows = await repo.listUsers(ctx, {
    ...q,
    scope: orgsWhere(actor, 'user.read'),
    after: decodeCursor(q.cursor, 2),
    limit: q.limit + 1,
  });
  const sortKey = { email: 'email', displayName: 'display_name', createdAt: 'created_at' } as const;
  const page = toPage(
    rows,
    q.limit,
    (r) => r,
    (r) => [r[sortKey[q.sort]], r.id],
  );
  return { items: await toUsers(ctx, page.items), nextCursor: page.nextCursor };
}

export async function getUser(ctx: Ctx, id: string): Promise<TUser> {
  return (await visibleUser(ctx, requireActor(ctx), id)).user;
}

export async function createUser(
  ctx: Ctx,
  input: UserCreateInput,
  opts: { mustChangePassword?: boolean } = {},
): Promise<{ user: TUser; temporaryPassword?: string }> {
  const actor = requireActor(ctx);
  if (!can(actor, 'org.read', { orgId: input.orgId })) throw notFound('org');
  if (!can(actor, 'user.manage', { orgId: input.orgId })) throw forbidden();
  return inTransaction(ctx, async (tx) => {
    if (!(await repo.findOrganisation(tx, input.orgId))) throw notFound('org');
    if (await repo.findUserByEmail(tx, input.email)) throw duplicateEmail();
    const now = tx.now.toISOString();
    const row: AppUserTable = {
      id: uuidv7(),
      email: input.email.toLowerCase(),
      display_name: input.displayName,
      locale: input.locale,
      disabled: false,
      created_at: now,
      updated_at: now,
      version: 1,
      deleted_at: null,
    };
    try {
      await repo.insertUser(tx, row);
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicateEmail();
      throw err;
    }
    await repo.replaceRoles(tx, row.id, input.orgId, [...new Set(input.roles)], now);
    const temporaryPassword = input.password ? undefined : generatePassword();
    // A password chosen by someone else is changed at first login, unless the caller says otherwise (CLI).
    await setPassword(tx, row.id, input.password ?? temporaryPassword!, {
      mustChange: opts.mustChangePassword ?? true,
    });
    const [user] = await toUsers(tx, [row]);
    await recordAudit(tx, {
      orgId: input.orgId,
      action: 'user.created',
      entityType: 'user',
      entityId: row.id,
      after: user,
    });
    return temporaryPassword ? { user: user!, temporaryPassword } : { user: user! };
  });
}

export async function updateUser(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  patch: {
    email?: string | undefined;
    displayName?: string | undefined;
    locale?: 'fr' | 'en' | null | undefined;
    disabled?: boolean | undefined;
  },
): Promise<TUser> {
  const actor = requireActor(ctx);
  return inTransaction(ctx, async (tx) => {
    const { row, user } = await visibleUser(tx, actor, id);
    const self = actor.userId === id;
    const onlyProfile = patch.email === undefined && patch.disabled === undefined;
    if (!(canManageAccount(actor, user) || (self && onlyProfile))) throw forbidden();
    if (self && patch.disabled) throw new AppError('user.self_disable', 422);
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    if (patch.email && patch.email !== row.email && (await repo.findUserByEmail(tx, patch.email)))
      throw duplicateEmail();
    if (patch.disabled) await assertNotLastHomeAdmin(tx, user);
    const set = {
      ...(patch.email !== undefined && { email: patch.email }),
      ...(patch.displayName !== undefined && { display_name: patch.displayName }),
      ...(patch.locale !== undefined && { locale: patch.locale }),
      ...(patch.disabled !== undefined && { disabled: patch.disabled }),
      updated_at: tx.now.toISOString(),
    };
    try {
      if (!(await repo.updateUser(tx, id, expectedVersion, set))) throw preconditionFailed(row.version);
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicateEmail();
      throw err;
    }
    if (patch.disabled) await endUserSessions(tx, id);
    const [after] = await toUsers(tx, [{ ...row, ...set, version: row.version + 1 }]);
    const orgId = user.memberships[0]?.orgId ?? null;
    await recordAudit(tx, {
      orgId,
      action: 'user.updated',
      entityType: 'user',
      entityId: id,
      before: user,
      after,
    });
    return after!;
  });
}

async function assertNotLastHomeAdmin(
  ctx: Ctx,
  user: TUser,
  keeping?: { orgId: string; roles: Role[] },
): Promise<void> {
  const home = await repo.findHomeOrganisation(ctx);
  if (!home) return;
  const isHomeAdmin = user.memberships.some((m) => m.orgId === home.id && m.roles.includes('admin'));
  if (!isHomeAdmin) return;
  if (keeping && (keeping.orgId !== home.id || keeping.roles.includes('admin'))) return;
  if ((await repo.countRoleHolders(ctx, home.id, 'admin')) <= 1) throw new AppError('user.last_admin', 422);
}

/** Sets a user's roles in one organisation; an empty list removes them from it. */
export async function setUserRoles(ctx: Ctx, userId: string, orgId: string, roles: Role[]): Promise<TUser> {
  const actor = requireActor(ctx);
  if (!can(actor, 'org.read', { orgId })) throw notFound('org');
  if (!can(actor, 'user.manage', { orgId })) throw forbidden();
  return inTransaction(ctx, async (tx) => {
    if (!(await repo.findOrganisation(tx, orgId))) throw notFound('org');
    const row = await repo.findUser(tx, userId);
    if (!row) throw notFound('user');
    const [before] = await toUsers(tx, [row]);
    const unique = [...new Set(roles)];
    await assertNotLastHomeAdmin(tx, before!, { orgId, roles: unique });
    await repo.replaceRoles(tx, userId, orgId, unique, tx.now.toISOString());
    const [after] = await toUsers(tx, [row]);
    await recordAudit(tx, {
      orgId,
      action: 'user.roles_set',
      entityType: 'user',
      entityId: userId,
      before: before!.memberships.find((m) => m.orgId === orgId)?.roles ?? [],
      after: unique,
    });
    return after!;
  });
}

/** Gives a user a new generated password to change at next login, and ends their sessions. */
export async function resetUserPassword(ctx: Ctx, userId: string): Promise<{ temporaryPassword: string }> {
  const actor = requireActor(ctx);
  return inTransaction(ctx, async (tx) => {
    const { user } = await visibleUser(tx, actor, userId);
    if (!canManageAccount(actor, user)) throw forbidden();
    const temporaryPassword = generatePassword();
    await setPassword(tx, userId, temporaryPassword, { mustChange: true });
    await endUserSessions(tx, userId);
    await recordAudit(tx, {
      orgId: user.memberships[0]?.orgId ?? null,
      action: 'user.password_reset',
      entityType: 'user',
      entityId: userId,
    });
    return { temporaryPassword };
  });
}

/** What login needs to know of an account, without any visibility rule (nobody is logged in yet). */
export async function getUserForLogin(ctx: Ctx, id: string): Promise<{ disabled: boolean } | undefined> {
  const row = await repo.findUser(ctx, id);
  return row ? { disabled: toBool(row.disabled) } : undefined;
}

export async function findUserIdByEmail(ctx: Ctx, email: string): Promise<string | undefined> {
  return (await repo.findUserByEmail(ctx, email))?.id;
}

/** Which of these people hold a role in the organisation (for assignments and memberships). */
export async function membersOf(ctx: Ctx, orgId: string, userIds: string[]): Promise<Set<string>> {
  return repo.usersWithRoleIn(ctx, orgId, userIds);
}

/** Display names of these people, for showing who did something (history authors); unknown ids are absent. */
export async function userDisplayNames(ctx: Ctx, ids: string[]): Promise<Map<string, string>> {
  const rows = await repo.findUserNames(ctx, [...new Set(ids)]);
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

export async function countUsers(ctx: Ctx): Promise<number> {
  return repo.countUsers(ctx);
}

export type Contact = { id: string; email: string; displayName: string; locale: string | null };

/** Who to tell in an organisation: its active people with one of these roles, and these people by id. */
export async function contactsOf(
  ctx: Ctx,
  q: { orgId: string; roles?: Role[]; userIds?: string[] },
): Promise<Contact[]> {
  const rows = [
    ...(q.roles?.length ? await repo.contactsWithRoles(ctx, q.orgId, q.roles) : []),
    ...(await repo.contactsByIds(ctx, q.userIds ?? [])),
  ];
  const byId = new Map(
    rows.map((r) => [r.id, { id: r.id, email: r.email, displayName: r.display_name, locale: r.locale }]),
  );
  return [...byId.values()];
}
