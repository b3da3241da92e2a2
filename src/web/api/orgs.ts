import { z } from 'zod';
import { zPage } from '../../shared/schemas/common.js';
import {
  ZGroup,
  type ZGroupCreate,
  type ZGroupUpdate,
  ZOrganisation,
  type ZOrganisationCreate,
  type ZOrganisationUpdate,
  type ZRole,
  ZUser,
  type ZUserCreate,
  type ZUserListQuery,
  type ZUserUpdate,
} from '../../shared/schemas/orgs.js';
import { type ApiResult, request } from './client.js';

export type Organisation = z.infer<typeof ZOrganisation>;
export type OrganisationCreate = z.input<typeof ZOrganisationCreate>;
export type OrganisationUpdate = z.input<typeof ZOrganisationUpdate>;
export type User = z.infer<typeof ZUser>;
export type UserCreate = z.input<typeof ZUserCreate>;
export type UserUpdate = z.input<typeof ZUserUpdate>;
export type UserListQuery = Partial<Omit<z.input<typeof ZUserListQuery>, 'limit'>> & { limit?: number };
export type Group = z.infer<typeof ZGroup>;
export type GroupCreate = z.input<typeof ZGroupCreate>;
export type GroupUpdate = z.input<typeof ZGroupUpdate>;
export type RoleName = z.infer<typeof ZRole>;

const ZOrgPage = zPage(ZOrganisation);
const ZUserPage = zPage(ZUser);
const ZGroupPage = zPage(ZGroup);
const ZUserCreated = ZUser.extend({ temporaryPassword: z.string().optional() });
const ZTemporaryPassword = z.object({ temporaryPassword: z.string() });
const ZRoles = z.object({ items: z.array(z.object({ role: z.string(), permissions: z.array(z.string()) })) });
export type RolePermissions = z.infer<typeof ZRoles>['items'][number];

const id = (value: string) => encodeURIComponent(value);

// Organisations
export async function listOrgs(query: { q?: string; cursor?: string; limit?: number }) {
  return (await request('GET', '/orgs', { query: { limit: 50, ...query }, schema: ZOrgPage })).data;
}
export async function getOrg(orgId: string): Promise<ApiResult<Organisation>> {
  return request('GET', `/orgs/${id(orgId)}`, { schema: ZOrganisation });
}
export async function createOrg(input: OrganisationCreate): Promise<Organisation> {
  return (await request('POST', '/orgs', { body: input, schema: ZOrganisation })).data;
}
export async function updateOrg(orgId: string, input: OrganisationUpdate, etag: string | null) {
  return (await request('PATCH', `/orgs/${id(orgId)}`, { body: input, ifMatch: etag, schema: ZOrganisation }))
    .data;
}

// Users
export async function listUsers(query: UserListQuery) {
  return (await request('GET', '/users', { query: { limit: 50, ...query }, schema: ZUserPage })).data;
}
export async function getUser(userId: string): Promise<ApiResult<User>> {
  return request('GET', `/users/${id(userId)}`, { schema: ZUser });
}
export async function createUser(input: UserCreate) {
  return (await request('POST', '/users', { body: input, schema: ZUserCreated })).data;
}
export async function updateUser(userId: string, input: UserUpdate, etag: string | null): Promise<User> {
  return (await request('PATCH', `/users/${id(userId)}`, { body: input, ifMatch: etag, schema: ZUser })).data;
}
export async function setUserRoles(userId: string, orgId: string, roles: RoleName[]): Promise<User> {
  return (await request('PUT', `/users/${id(userId)}/roles/${id(orgId)}`, { body: { roles }, schema: ZUser }))
    .data;
}
export async function resetPassword(userId: string): Promise<string> {
  return (await request('POST', `/users/${id(userId)}/reset-password`, { schema: ZTemporaryPassword })).data
    .temporaryPassword;
}

// Groups
export async function listGroups(query: { orgId?: string; q?: string; cursor?: string }) {
  return (await request('GET', '/groups', { query: { limit: 50, ...query }, schema: ZGroupPage })).data;
}
export async function getGroup(groupId: string): Promise<ApiResult<Group>> {
  return request('GET', `/groups/${id(groupId)}`, { schema: ZGroup });
}
export async function createGroup(input: GroupCreate): Promise<Group> {
  return (await request('POST', '/groups', { body: input, schema: ZGroup })).data;
}
export async function updateGroup(groupId: string, input: GroupUpdate, etag: string | null): Promise<Group> {
  return (await request('PATCH', `/groups/${id(groupId)}`, { body: input, ifMatch: etag, schema: ZGroup }))
    .data;
}
export async function deleteGroup(groupId: string, etag: string | null): Promise<void> {
  await request('DELETE', `/groups/${id(groupId)}`, { ifMatch: etag });
}

// Roles
export async function listRoles(): Promise<RolePermissions[]> {
  return (await request('GET', '/roles', { schema: ZRoles })).data.items;
}
