import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Principal } from '../context.js';
import { safeEqual } from '../crypto.js';
import { resolveApiToken, resolveSession } from '../modules/auth/index.js';
import { loadPrincipal } from '../modules/orgs/index.js';
import { ctxOf } from './context.js';
import { requestLocale, sendProblem } from './problem.js';

export const SESSION_COOKIE = 'parc_session';
export const CSRF_COOKIE = 'parc_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolved callers, kept for a moment (PARC_AUTH_CACHE_MS, 2 s by default) so a busy client costs no
 * database round trip per request. A successful write that can change who a caller is (see
 * `changesPrincipals`) empties it, so a logout, a revoked token or a changed role takes effect at once
 * here, and within the delay on other instances.
 */
export type AuthCache = {
  get(key: string, now: number): Principal | undefined;
  set(key: string, actor: Principal, now: number): void;
  clear(): void;
};

const AUTH_CACHE_MAX = 10_000;

/**
 * The API paths whose writes change what `loadPrincipal` or the session/token lookups return: sessions
 * and passwords (/auth, /me), users and their roles (/users), organisations' names and existence
 * (/orgs). Other writes (a ticket, an asset) leave every caller as they were, so they keep the cache:
 * emptying it on each write cost two database round trips on the next request of a busy client.
 */
const PRINCIPAL_PATHS = ['/api/v1/auth/', '/api/v1/me', '/api/v1/users', '/api/v1/orgs'];

export function changesPrincipals(method: string, url: string): boolean {
  return !SAFE_METHODS.has(method) && PRINCIPAL_PATHS.some((p) => url.startsWith(p));
}

export function authCache(ttlMs: number): AuthCache {
  const entries = new Map<string, { actor: Principal; until: number }>();
  return {
    get(key, now) {
      const hit = entries.get(key);
      if (!hit) return undefined;
      if (hit.until > now) return hit.actor;
      entries.delete(key);
      return undefined;
    },
    set(key, actor, now) {
      if (ttlMs <= 0) return;
      if (entries.size >= AUTH_CACHE_MAX) entries.clear();
      entries.set(key, { actor, until: now + ttlMs });
    },
    clear: () => entries.clear(),
  };
}

async function resolveActor(request: FastifyRequest, cache: AuthCache): Promise<Principal | null> {
  const authorization = request.headers.authorization;
  const bearerToken = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : undefined;
  const cookie = bearerToken === undefined ? request.cookies[SESSION_COOKIE] : undefined;
  const key = bearerToken !== undefined ? `t:${bearerToken}` : cookie ? `s:${cookie}` : undefined;
  if (!key) return null;
  const now = Date.now();
  const cached = cache.get(key, now);
  if (cached) return cached;
  const ctx = ctxOf(request);
  let actor: Principal | undefined;
  if (bearerToken !== undefined) {
    const token = await resolveApiToken(ctx, bearerToken);
    if (token) actor = await loadPrincipal(ctx, token.userId, { kind: 'token', ...token, tokenId: token.id });
  } else if (cookie) {
    const session = await resolveSession(ctx, cookie);
    if (session) {
      actor = await loadPrincipal(ctx, session.userId, {
        kind: 'session',
        sessionId: session.id,
        csrfToken: session.csrfToken,
        mustChangePassword: session.mustChangePassword,
        totpEnabled: session.totpEnabled,
      });
    }
  }
  if (actor) cache.set(key, actor, now);
  return actor ?? null;
}

/**
 * Resolves who is calling every /api route: a Bearer API token (scripts, agents) or the session cookie
 * (the web, which must also prove with X-CSRF-Token that the request comes from Parc's own page).
 */
async function authenticate(
  request: FastifyRequest,
  reply: FastifyReply,
  cache: AuthCache,
): Promise<FastifyReply | undefined> {
  request.actor = null;
  if (!request.url.startsWith('/api/v1/')) return;
  const config = request.routeOptions.config;
  request.actor = await resolveActor(request, cache);
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
  const cache = authCache(app.deps.config.authCacheMs);
  app.decorateRequest('actor', null);
  app.addHook('onRequest', (request, reply) => authenticate(request, reply, cache));
  app.addHook('onResponse', (request, reply, done) => {
    if (reply.statusCode < 400 && changesPrincipals(request.method, request.url)) cache.clear();
    done();
  });
});
