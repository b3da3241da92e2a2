import { sql } from 'kysely';
import type { Role } from '../../../shared/policy.js';
import type { TGroup, TOrganisation } from '../../../shared/schemas/orgs.js';
import type { Ctx } from '../../context.js';
import { hotQuery } from '../../db/dialect.js';
import { keysetAfter, type OrgScope, whereOrg } from '../../db/scope.js';
import { type DbBool, fromJson, toBool } from '../../db/values.js';
import { updateVersioned } from '../../db/versioned.js';
import type { AppUserTable, OrganisationTable, UserGroupTable } from './orgs.tables.js';

type DbCtx = Pick<Ctx, 'db' | 'dialect'>;
type Cursor = Array<string | number | null> | undefined;

// --- organisations -----------------------------------------------------------------------------

export function toOrganisation(row: OrganisationTable): TOrganisation {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    timeZone: row.time_zone,
    locale: row.locale as 'fr' | 'en',
    isHome: toBool(row.is_home),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

export async function findOrganisation(ctx: DbCtx, id: string): Promise<OrganisationTable | undefined> {
  return ctx.db
    .selectFrom('organisation')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function findHomeOrganisation(ctx: DbCtx): Promise<OrganisationTable | undefined> {
  return ctx.db
    .selectFrom('organisation')
    .selectAll()
    .where('is_home', '=', ctx.dialect.bool(true))
    .executeTakeFirst();
}

export async function findOrganisationBySlug(
  ctx: DbCtx,
  slug: string,
): Promise<OrganisationTable | undefined> {
  return ctx.db
    .selectFrom('organisation')
    .selectAll()
    .where('slug', '=', slug)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function listOrganisations(
  ctx: DbCtx,
  f: { scope: OrgScope; q?: string | undefined; after: Cursor; limit: number },
): Promise<OrganisationTable[]> {
  let qb = ctx.db.selectFrom('organisation').selectAll().where('deleted_at', 'is', null);
  qb = whereOrg(qb, 'id', f.scope);
  if (f.q) {
    const q = f.q;
    qb = qb.where((eb) =>
      eb.or([
        ctx.dialect.containsInsensitive(eb.ref('name'), q),
        ctx.dialect.containsInsensitive(eb.ref('slug'), q),
      ]),
    );
  }
  if (f.after) qb = qb.where(keysetAfter('name', 'id', f.after as [string, string]));
  return qb.orderBy('name').orderBy('id').limit(f.limit).execute();
}

export async function insertOrganisation(ctx: DbCtx, row: OrganisationTable): Promise<void> {
  await ctx.db.insertInto('organisation').values(row).execute();
}

/** Optimistic update: returns false when the version moved on (or the row is gone). */
export async function updateOrganisation(
  ctx: DbCtx,
  id: string,
  version: number,
  set: Partial<Omit<OrganisationTable, 'id' | 'version'>>,
): Promise<boolean> {
  return updateVersioned(ctx.db, 'organisation', id, version, set);
}

// --- users and roles ---------------------------------------------------------------------------

export async function findUser(ctx: DbCtx, id: string): Promise<AppUserTable | undefined> {
  return ctx.db
    .selectFrom('app_user')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function findUserByEmail(ctx: DbCtx, email: string): Promise<AppUserTable | undefined> {
  return ctx.db
    .selectFrom('app_user')
    .selectAll()
    .where('email', '=', email.toLowerCase())
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** Display names by id, deleted accounts included (past authors keep their name). */
export async function findUserNames(
  ctx: DbCtx,
  ids: string[],
): Promise<Array<Pick<AppUserTable, 'id' | 'display_name'>>> {
  if (ids.length === 0) return [];
  return ctx.db.selectFrom('app_user').select(['id', 'display_name']).where('id', 'in', ids).execute();
}

export async function countUsers(ctx: DbCtx): Promise<number> {
  const row = await ctx.db
    .selectFrom('app_user')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export type RoleRow = { org_id: string; org_name: string; is_home: boolean; role: Role };

export async function findRolesOfUsers(ctx: DbCtx, userIds: string[]): Promise<Map<string, RoleRow[]>> {
  const map = new Map<string, RoleRow[]>();
  if (userIds.length === 0) return map;
  const rows = await ctx.db
    .selectFrom('user_role')
    .innerJoin('organisation', 'organisation.id', 'user_role.org_id')
    .select([
      'user_role.user_id',
      'user_role.org_id',
      'user_role.role',
      'organisation.name as org_name',
      'organisation.is_home',
    ])
    .where('user_role.user_id', 'in', userIds)
    .where('organisation.deleted_at', 'is', null)
    .orderBy('organisation.name')
    .execute();
  for (const r of rows) {
    const list = map.get(r.user_id) ?? [];
    list.push({ org_id: r.org_id, org_name: r.org_name, is_home: toBool(r.is_home), role: r.role as Role });
    map.set(r.user_id, list);
  }
  return map;
}

export type UserSort = 'email' | 'displayName' | 'createdAt';
const SORT_COLUMN = { email: 'email', displayName: 'display_name', createdAt: 'created_at' } as const;

export async function listUsers(
  ctx: DbCtx,
  f: {
    scope: OrgScope;
    q?: string | undefined;
    orgId?: string | undefined;
    role?: Role | undefined;
    sort: UserSort;
    order: 'asc' | 'desc';
    after: Cursor;
    limit: number;
  },
): Promise<AppUserTable[]> {
  const col = SORT_COLUMN[f.sort];
  let qb = ctx.db.selectFrom('app_user').selectAll().where('deleted_at', 'is', null);
  if (f.scope !== 'all' || f.orgId || f.role) {
    qb = qb.where((eb) => {
      let sub = eb
        .selectFrom('user_role')
        .select('user_role.user_id')
        .whereRef('user_role.user_id', '=', 'app_user.id');
      sub = whereOrg(sub, 'user_role.org_id', f.scope);
      if (f.orgId) sub = sub.where('user_role.org_id', '=', f.orgId);
      if (f.role) sub = sub.where('user_role.role', '=', f.role);
      return eb.exists(sub);
    });
  }
  if (f.q) {
    const q = f.q;
    qb = qb.where((eb) =>
      eb.or([
        ctx.dialect.containsInsensitive(eb.ref('email'), q),
        ctx.dialect.containsInsensitive(eb.ref('display_name'), q),
      ]),
    );
  }
  if (f.after) qb = qb.where(keysetAfter(col, 'id', f.after as [string, string], f.order));
  return qb.orderBy(col, f.order).orderBy('id', f.order).limit(f.limit).execute();
}

export type PrincipalRow = Pick<AppUserTable, 'id' | 'email' | 'display_name' | 'locale' | 'disabled'> & {
  org_id: string | null;
  org_name: string | null;
  is_home: DbBool | null;
  role: Role | null;
};

/** A live user with every role they hold: one pre-written query, run on every authenticated request. */
export async function findPrincipalRows(ctx: DbCtx, userId: string): Promise<PrincipalRow[]> {
  const { rows } = await ctx.db.executeQuery(
    hotQuery<PrincipalRow>(
      ctx.dialect.name,
      `SELECT u.id, u.email, u.display_name, u.locale, u.disabled, r.org_id, o.name AS org_name, o.is_home, r.role
       FROM app_user u
       LEFT JOIN user_role r ON r.user_id = u.id
       LEFT JOIN organisation o ON o.id = r.org_id AND o.deleted_at IS NULL
       WHERE u.id = ? AND u.deleted_at IS NULL
       ORDER BY o.name, r.role`,
      [userId],
    ),
  );
  return rows;
}

export async function insertUser(ctx: DbCtx, row: AppUserTable): Promise<void> {
  await ctx.db.insertInto('app_user').values(row).execute();
}

export async function updateUser(
  ctx: DbCtx,
  id: string,
  version: number,
  set: Partial<Omit<AppUserTable, 'id' | 'version'>>,
): Promise<boolean> {
  return updateVersioned(ctx.db, 'app_user', id, version, set);
}

export async function replaceRoles(
  ctx: DbCtx,
  userId: string,
  orgId: string,
  roles: Role[],
  now: string,
): Promise<void> {
  await ctx.db.deleteFrom('user_role').where('user_id', '=', userId).where('org_id', '=', orgId).execute();
  if (roles.length > 0) {
    await ctx.db
      .insertInto('user_role')
      .values(roles.map((role) => ({ user_id: userId, org_id: orgId, role, created_at: now })))
      .execute();
  }
}

export async function countRoleHolders(ctx: DbCtx, orgId: string, role: Role): Promise<number> {
  const row = await ctx.db
    .selectFrom('user_role')
    .innerJoin('app_user', 'app_user.id', 'user_role.user_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_role.org_id', '=', orgId)
    .where('user_role.role', '=', role)
    .where('app_user.disabled', '=', ctx.dialect.bool(false))
    .where('app_user.deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function usersWithRoleIn(ctx: DbCtx, orgId: string, userIds: string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await ctx.db
    .selectFrom('user_role')
    .select('user_id')
    .distinct()
    .where('org_id', '=', orgId)
    .where('user_id', 'in', userIds)
    .execute();
  return new Set(rows.map((r) => r.user_id));
}

// --- groups ------------------------------------------------------------------------------------

export function toGroup(row: UserGroupTable, memberIds: string[]): TGroup {
  return {
    id: row.id,
    orgId: row.org_id,
    name: row.name,
    description: row.description,
    supportContact: fromJson<TGroup['supportContact']>((row.support_contact ?? null) as string | null),
    memberIds,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

export async function findGroup(ctx: DbCtx, id: string): Promise<UserGroupTable | undefined> {
  return ctx.db
    .selectFrom('user_group')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function findGroupMembers(ctx: DbCtx, groupIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (groupIds.length === 0) return map;
  const rows = await ctx.db
    .selectFrom('group_member')
    .select(['group_id', 'user_id'])
    .where('group_id', 'in', groupIds)
    .execute();
  for (const r of rows) map.set(r.group_id, [...(map.get(r.group_id) ?? []), r.user_id]);
  return map;
}

/** Active people holding one of these roles in the organisation, with what a mail needs. */
export async function contactsWithRoles(
  ctx: DbCtx,
  orgId: string,
  roles: string[],
): Promise<Array<{ id: string; email: string; display_name: string; locale: string | null }>> {
  return ctx.db
    .selectFrom('app_user')
    .select(['app_user.id', 'app_user.email', 'app_user.display_name', 'app_user.locale'])
    .where('app_user.disabled', '=', ctx.dialect.bool(false))
    .where('app_user.deleted_at', 'is', null)
    .where(
      'app_user.id',
      'in',
      ctx.db
        .selectFrom('user_role')
        .select('user_role.user_id')
        .where('user_role.org_id', '=', orgId)
        .where('user_role.role', 'in', roles),
    )
    .orderBy('app_user.email')
    .execute();
}

/** Active people by id, with what a mail needs. */
export async function contactsByIds(
  ctx: DbCtx,
  ids: string[],
): Promise<Array<{ id: string; email: string; display_name: string; locale: string | null }>> {
  if (ids.length === 0) return [];
  return ctx.db
    .selectFrom('app_user')
    .select(['id', 'email', 'display_name', 'locale'])
    .where('id', 'in', ids)
    .where('disabled', '=', ctx.dialect.bool(false))
    .where('deleted_at', 'is', null)
    .execute();
}

/** The live groups a user belongs to. */
export async function groupIdsOfUser(ctx: DbCtx, userId: string): Promise<string[]> {
  const rows = await ctx.db
    .selectFrom('group_member')
    .innerJoin('user_group', 'user_group.id', 'group_member.group_id')
    .select('group_member.group_id')
    .where('group_member.user_id', '=', userId)
    .where('user_group.deleted_at', 'is', null)
    .execute();
  return rows.map((r) => r.group_id);
}

export async function listGroups(
  ctx: DbCtx,
  f: { scope: OrgScope; orgId?: string | undefined; q?: string | undefined; after: Cursor; limit: number },
): Promise<UserGroupTable[]> {
  let qb = ctx.db.selectFrom('user_group').selectAll().where('deleted_at', 'is', null);
  qb = whereOrg(qb, 'org_id', f.scope);
  if (f.orgId) qb = qb.where('org_id', '=', f.orgId);
  if (f.q) {
    const q = f.q;
    qb = qb.where((eb) => ctx.dialect.containsInsensitive(eb.ref('name'), q));
  }
  if (f.after) qb = qb.where(keysetAfter('name', 'id', f.after as [string, string]));
  return qb.orderBy('name').orderBy('id').limit(f.limit).execute();
}

export async function insertGroup(ctx: DbCtx, row: UserGroupTable): Promise<void> {
  await ctx.db.insertInto('user_group').values(row).execute();
}

export async function updateGroup(
  ctx: DbCtx,
  id: string,
  version: number,
  set: Partial<Omit<UserGroupTable, 'id' | 'version'>>,
): Promise<boolean> {
  return updateVersioned(ctx.db, 'user_group', id, version, set);
}

export async function replaceGroupMembers(
  ctx: DbCtx,
  groupId: string,
  userIds: string[],
  now: string,
): Promise<void> {
  await ctx.db.deleteFrom('group_member').where('group_id', '=', groupId).execute();
  if (userIds.length > 0) {
    await ctx.db
      .insertInto('group_member')
      .values(userIds.map((user_id) => ({ group_id: groupId, user_id, created_at: now })))
      .execute();
  }
}

// --- counters ----------------------------------------------------------------------------------

/** The next value of a per-organisation counter (INC-000042), atomic on both databases. */
export async function nextCounterValue(ctx: DbCtx, orgId: string, name: string): Promise<number> {
  const { rows } = await sql<{ value: number }>`
    INSERT INTO counter (org_id, name, value) VALUES (${orgId}, ${name}, 1)
    ON CONFLICT (org_id, name) DO UPDATE SET value = counter.value + 1
    RETURNING value`.execute(ctx.db);
  return Number(rows[0]!.value);
}
