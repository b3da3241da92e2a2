import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ZApiToken,
  ZApiTokenCreate,
  ZApiTokenCreated,
  ZLoginInput,
  ZMe,
  ZMeUpdate,
  ZPasswordChange,
  ZRecoveryCodes,
  ZTotpDisable,
  ZTotpEnable,
  ZTotpSetup,
} from '../../../shared/schemas/auth.js';
import { ZId, ZListQuery, zPage } from '../../../shared/schemas/common.js';
import { CSRF_COOKIE, SESSION_COOKIE } from '../../http/auth.js';
import { ctxOf } from '../../http/context.js';
import { loadPrincipal } from '../orgs/index.js';
import * as account from './account.service.js';

const SESSION_MAX_AGE_S = 7 * 24 * 3600;

function clearCookies(reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  reply.clearCookie(CSRF_COOKIE, { path: '/' });
}

export const accountRoutes: FastifyPluginAsyncZod = async (app) => {
  const secure = app.deps.config.secureCookies;

  app.post(
    '/auth/login',
    { config: { public: true }, schema: { tags: ['auth'], body: ZLoginInput, response: { 200: ZMe } } },
    async (req, reply) => {
      const ctx = ctxOf(req);
      const { userId, session, mustChangePassword, totpEnabled } = await account.login(ctx, req.body, {
        userAgent: req.headers['user-agent'] ?? null,
      });
      const cookie = { path: '/', sameSite: 'lax' as const, secure, maxAge: SESSION_MAX_AGE_S };
      reply.setCookie(SESSION_COOKIE, session.token, { ...cookie, httpOnly: true });
      reply.setCookie(CSRF_COOKIE, session.csrfToken, { ...cookie, httpOnly: false });
      const principal = await loadPrincipal(ctx, userId, {
        kind: 'session',
        sessionId: session.id,
        csrfToken: session.csrfToken,
        mustChangePassword,
        totpEnabled,
      });
      return account.meOf(principal!, { totpEnabled });
    },
  );

  app.post(
    '/auth/logout',
    { config: { duringPasswordChange: true }, schema: { tags: ['auth'] } },
    async (req, reply) => {
      await account.logout(ctxOf(req));
      clearCookies(reply);
      return reply.status(204).send();
    },
  );

  app.post(
    '/auth/logout-all',
    { config: { duringPasswordChange: true }, schema: { tags: ['auth'] } },
    async (req, reply) => {
      await account.logoutEverywhere(ctxOf(req));
      clearCookies(reply);
      return reply.status(204).send();
    },
  );

  app.get(
    '/me',
    { config: { duringPasswordChange: true }, schema: { tags: ['auth'], response: { 200: ZMe } } },
    (req) => account.me(ctxOf(req)),
  );

  app.patch('/me', { schema: { tags: ['auth'], body: ZMeUpdate, response: { 200: ZMe } } }, (req) =>
    account.updateMe(ctxOf(req), req.body),
  );

  app.post(
    '/me/password',
    { config: { duringPasswordChange: true }, schema: { tags: ['auth'], body: ZPasswordChange } },
    async (req, reply) => {
      await account.changePassword(ctxOf(req), req.body);
      return reply.status(204).send();
    },
  );

  app.post('/me/totp/setup', { schema: { tags: ['auth'], response: { 200: ZTotpSetup } } }, (req) =>
    account.startTotp(ctxOf(req)),
  );
  app.post(
    '/me/totp/enable',
    { schema: { tags: ['auth'], body: ZTotpEnable, response: { 200: ZRecoveryCodes } } },
    async (req) => ({
      recoveryCodes: await account.enableTotp(ctxOf(req), req.body.code),
    }),
  );
  app.post('/me/totp/disable', { schema: { tags: ['auth'], body: ZTotpDisable } }, async (req, reply) => {
    await account.disableTotp(ctxOf(req), req.body.password);
    return reply.status(204).send();
  });

  app.get(
    '/me/tokens',
    { schema: { tags: ['auth'], querystring: ZListQuery, response: { 200: zPage(ZApiToken) } } },
    (req) => account.listTokens(ctxOf(req), req.query),
  );
  app.post(
    '/me/tokens',
    { schema: { tags: ['auth'], body: ZApiTokenCreate, response: { 201: ZApiTokenCreated } } },
    async (req, reply) => reply.status(201).send(await account.createToken(ctxOf(req), req.body)),
  );
  app.delete(
    '/me/tokens/:id',
    { schema: { tags: ['auth'], params: z.strictObject({ id: ZId }) } },
    async (req, reply) => {
      await account.revokeToken(ctxOf(req), req.params.id);
      return reply.status(204).send();
    },
  );
};
