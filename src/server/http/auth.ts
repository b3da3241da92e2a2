import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { safeEqual } from '../crypto.js';
import { resolveApiToken, resolveSession } from '../modules/auth/index.js';
import { loadPrincipal } from '../modules/orgs/index.js';
import { ctxOf } from './context.js';
import { requestLocale, sendProblem } from './problem.js';

export const SESSION_COOKIE = 'parc_session';
export const CSRF_COOKIE = 'parc_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolves who is calling every /api route: a Bearer API token (scripts, agents) or the session cookie
 * (the web, which must also prove with X-CSRF-Token that the request comes from Parc's own page).
 */
async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  request.actor = null;
  if (!request.url.startsWith('/api/v1/')) return;
  const config = request.routeOptions.config;
  const ctx = ctxOf(request);
  const authorization = request.headers.authorization;
  if (authorization?.startsWith('Bearer ')) {
    const token = await resolveApiToken(ctx, authorization.slice(7).trim());
    if (token) {
      request.actor =
        (await loadPrincipal(ctx, token.userId, {
          kind: 'token',
          tokenId: token.id,
          orgId: token.orgId,
          role: token.role,
        })) ?? null;
    }
  } else {
    const cookie = request.cookies[SESSION_COOKIE];
    const session = cookie ? await resolveSession(ctx, cookie) : undefined;
    if (session) {
      request.actor =
        (await loadPrincipal(ctx, session.userId, {
          kind: 'session',
          sessionId: session.id,
          csrfToken: session.csrfToken,
          mustChangePassword: session.mustChangePassword,
          totpEnabled: session.totpEnabled,
        })) ?? null;
    }
  }
  if (config.public) return;
  const locale = requestLocale(request);
  const actor = request.actor;
  if (!actor) return sendProblem(reply, locale, { status: 401, code: 'auth.unauthenticated' });
  if (actor.via === 'session' && !SAFE_METHODS.has(request.method)) {
    const proof = request.headers['x-csrf-token'];
    if (typeof proof !== 'string' || !actor.csrfToken || !safeEqual(proof, actor.csrfToken)) {
      return sendProblem(reply, locale, { status: 403, code: 'auth.csrf' });
    }
  }
  if (actor.mustChangePassword && !config.duringPasswordChange) {
    return sendProblem(reply, locale, { status: 403, code: 'auth.password_change_required' });
  }
}

export const authPlugin = fp(async (app: FastifyInstance) => {
  app.decorateRequest('actor', null);
  app.addHook('onRequest', authenticate);
});
