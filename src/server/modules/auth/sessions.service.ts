import type { Ctx } from '../../context.js';
import { randomToken, sha256 } from '../../crypto.js';
import { toBool } from '../../db/values.js';
import * as repo from './auth.repo.js';

/** A session dies after 12 h without use, and after 7 days whatever happens. */
export const SESSION_IDLE_MS = 12 * 3600_000;
export const SESSION_MAX_MS = 7 * 24 * 3600_000;
// Refreshing last_seen on every request would turn each read into a write; once a minute is enough.
const TOUCH_EVERY_MS = 60_000;

export type NewSession = { token: string; csrfToken: string; id: string; expiresAt: string };

export async function createSession(
  ctx: Ctx,
  input: { userId: string; ip: string | null; userAgent: string | null },
): Promise<NewSession> {
  const token = randomToken(32);
  const csrfToken = randomToken(24);
  const id = sha256(token);
  const now = ctx.now.toISOString();
  const expiresAt = new Date(ctx.now.getTime() + SESSION_IDLE_MS).toISOString();
  await repo.insertSession(ctx, {
    id,
    user_id: input.userId,
    csrf_token: csrfToken,
    created_at: now,
    last_seen_at: now,
    expires_at: expiresAt,
    ip: input.ip,
    user_agent: input.userAgent?.slice(0, 300) ?? null,
  });
  return { token, csrfToken, id, expiresAt };
}

export type ResolvedSession = {
  id: string;
  userId: string;
  csrfToken: string;
  mustChangePassword: boolean;
  totpEnabled: boolean;
};

/** The session behind a cookie value, extending its idle expiry; undefined when unknown or expired. */
export async function resolveSession(ctx: Ctx, token: string): Promise<ResolvedSession | undefined> {
  const id = sha256(token);
  const row = await repo.findSession(ctx, id);
  if (!row) return undefined;
  const now = ctx.now.getTime();
  const hardLimit = new Date(row.created_at).getTime() + SESSION_MAX_MS;
  if (new Date(row.expires_at).getTime() <= now || hardLimit <= now) {
    await repo.deleteSession(ctx, id);
    return undefined;
  }
  if (now - new Date(row.last_seen_at).getTime() > TOUCH_EVERY_MS) {
    await repo.touchSession(
      ctx,
      id,
      ctx.now.toISOString(),
      new Date(Math.min(now + SESSION_IDLE_MS, hardLimit)).toISOString(),
    );
  }
  return {
    id,
    userId: row.user_id,
    csrfToken: row.csrf_token,
    mustChangePassword: toBool(row.must_change_password),
    totpEnabled: toBool(row.totp_enabled),
  };
}

export async function endSession(ctx: Ctx, sessionId: string): Promise<void> {
  await repo.deleteSession(ctx, sessionId);
}

/** Logs a user out everywhere (but the session given, when changing one's own password). */
export async function endUserSessions(ctx: Ctx, userId: string, exceptSessionId?: string): Promise<number> {
  return repo.deleteUserSessions(ctx, userId, exceptSessionId);
}

export type RateLimitResult = { allowed: true } | { allowed: false; retryAfter: number };

/** A fixed-window counter kept in the database, so every instance shares it. */
export async function rateLimit(
  ctx: Ctx,
  key: string,
  limit: number,
  windowMs: number,
): Promise<RateLimitResult> {
  const windowStartsBefore = new Date(ctx.now.getTime() - windowMs).toISOString();
  const { count, windowStart } = await repo.hitRateLimit(ctx, key, ctx.now.toISOString(), windowStartsBefore);
  if (count <= limit) return { allowed: true };
  const retryAfter = Math.max(
    1,
    Math.ceil((new Date(windowStart).getTime() + windowMs - ctx.now.getTime()) / 1000),
  );
  return { allowed: false, retryAfter };
}

/** Housekeeping run by the daily job. */
export async function purgeExpired(ctx: Ctx): Promise<void> {
  await repo.deleteExpiredSessions(ctx, ctx.now.toISOString());
  await repo.deleteStaleRateLimits(ctx, new Date(ctx.now.getTime() - 24 * 3600_000).toISOString());
}
