import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ACTIONS, ROLE_PERMISSIONS, ROLES } from '../../../shared/policy.js';
import { ZId, zPage } from '../../../shared/schemas/common.js';
import {
  ZGroup,
  ZGroupCreate,
  ZGroupListQuery,
  ZGroupUpdate,
  ZOrganisation,
  ZOrganisationCreate,
  ZOrganisationUpdate,
  ZOrgListQuery,
  ZRole,
  ZUser,
  ZUserCreate,
  ZUserListQuery,
  ZUserRolesSet,
  ZUserUpdate,
} from '../../../shared/schemas/orgs.js';
import { ctxOf, expectedVersion, withEtag } from '../../http/context.js';
import * as groups from './groups.service.js';
import * as orgs from './organisations.service.js';
import * as users from './users.service.js';

const IdParams = z.strictObject({ id: ZId });

export const orgsRoutes: FastifyPluginAsyncZod = async (app) => {
  // --- organisations ---
  app.get(
    '/orgs',
    {
      schema: {
        tags: ['organisations'],
        querystring: ZOrgListQuery,
        response: { 200: zPage(ZOrganisation) },
      },
    },
    (req) => orgs.listOrganisations(ctxOf(req), req.query),
  );
  app.post(
    '/orgs',
    { schema: { tags: ['organisations'], body: ZOrganisationCreate, response: { 201: ZOrganisation } } },
    async (req, reply) =>
      reply.status(201).send(withEtag(reply, await orgs.createOrganisation(ctxOf(req), req.body))),
  );
  app.get(
    '/orgs/:id',
    { schema: { tags: ['organisations'], params: IdParams, response: { 200: ZOrganisation } } },
    async (req, reply) => withEtag(reply, await orgs.getOrganisation(ctxOf(req), req.params.id)),
  );
  app.patch(
    '/orgs/:id',
    {
      schema: {
        tags: ['organisations'],
        params: IdParams,
        body: ZOrganisationUpdate,
        response: { 200: ZOrganisation },
      },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await orgs.updateOrganisation(ctxOf(req), req.params.id, expectedVersion(req), req.body),
      ),
  );

  // --- users ---
  app.get(
    '/users',
    { schema: { tags: ['users'], querystring: ZUserListQuery, response: { 200: zPage(ZUser) } } },
    (req) => users.listUsers(ctxOf(req), req.query),
  );
  app.post(
    '/users',
    {
      schema: {
        tags: ['users'],
        body: ZUserCreate,
        response: { 201: ZUser.extend({ temporaryPassword: z.string().optional() }) },
      },
    },
    async (req, reply) => {
      const { user, temporaryPassword } = await users.createUser(ctxOf(req), req.body);
      return reply
        .status(201)
        .send(withEtag(reply, { ...user, ...(temporaryPassword && { temporaryPassword }) }));
    },
  );
  app.get(
    '/users/:id',
    { schema: { tags: ['users'], params: IdParams, response: { 200: ZUser } } },
    async (req, reply) => withEtag(reply, await users.getUser(ctxOf(req), req.params.id)),
  );
  app.patch(
    '/users/:id',
    { schema: { tags: ['users'], params: IdParams, body: ZUserUpdate, response: { 200: ZUser } } },
    async (req, reply) =>
      withEtag(reply, await users.updateUser(ctxOf(req), req.params.id, expectedVersion(req), req.body)),
  );
  app.put(
    '/users/:id/roles/:orgId',
    {
      schema: {
        tags: ['users'],
        params: z.strictObject({ id: ZId, orgId: ZId }),
        body: ZUserRolesSet,
        response: { 200: ZUser },
      },
    },
    async (req, reply) =>
      withEtag(reply, await users.setUserRoles(ctxOf(req), req.params.id, req.params.orgId, req.body.roles)),
  );
  app.post(
    '/users/:id/reset-password',
    {
      schema: {
        tags: ['users'],
        params: IdParams,
        response: { 200: z.object({ temporaryPassword: z.string() }) },
      },
    },
    (req) => users.resetUserPassword(ctxOf(req), req.params.id),
  );

  // --- groups ---
  app.get(
    '/groups',
    { schema: { tags: ['groups'], querystring: ZGroupListQuery, response: { 200: zPage(ZGroup) } } },
    (req) => groups.listGroups(ctxOf(req), req.query),
  );
  app.post(
    '/groups',
    { schema: { tags: ['groups'], body: ZGroupCreate, response: { 201: ZGroup } } },
    async (req, reply) =>
      reply.status(201).send(withEtag(reply, await groups.createGroup(ctxOf(req), req.body))),
  );
  app.get(
    '/groups/:id',
    { schema: { tags: ['groups'], params: IdParams, response: { 200: ZGroup } } },
    async (req, reply) => withEtag(reply, await groups.getGroup(ctxOf(req), req.params.id)),
  );
  app.patch(
    '/groups/:id',
    { schema: { tags: ['groups'], params: IdParams, body: ZGroupUpdate, response: { 200: ZGroup } } },
    async (req, reply) =>
      withEtag(reply, await groups.updateGroup(ctxOf(req), req.params.id, expectedVersion(req), req.body)),
  );
  app.delete('/groups/:id', { schema: { tags: ['groups'], params: IdParams } }, async (req, reply) => {
    await groups.deleteGroup(ctxOf(req), req.params.id, expectedVersion(req));
    return reply.status(204).send();
  });

  // --- roles: fixed, described for screens and scripts ---
  app.get(
    '/roles',
    {
      schema: {
        tags: ['users'],
        response: {
          200: z.object({ items: z.array(z.object({ role: ZRole, permissions: z.array(z.enum(ACTIONS)) })) }),
        },
      },
    },
    async () => ({ items: ROLES.map((role) => ({ role, permissions: [...ROLE_PERMISSIONS[role]] })) }),
  );
};
