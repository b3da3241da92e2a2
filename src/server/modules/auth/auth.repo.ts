import { sql } from 'kysely';
import type { Ctx } from '../../context.js';
import { hotQuery } from '../../db/dialect.js';
import { keysetAfter } from '../../db/scope.js';
import type { DbBool } from '../../db/values.js';
import type { ApiTokenTable, AuthSessionTable, UserCredentialTable } from './auth.tables.js';

type DbCtx = Pick<Ctx, 'db'>;

// --- credentials -------------------------------------------------------------------------------

export async function findCredential(ctx: DbCtx, userId: string): Promise<UserCredentialTable | undefined> {
  return ctx.db.selectFrom('user_credential').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

export async function findCredentials(ctx: DbCtx, userIds: string[]): Promise<UserCredentialTable[]> {
  if (userIds.length === 0) return [];
  return ctx.db.selectFrom('user_credential').selectAll().where('user_id', 'in', userIds).execute();
}

export async function upsertCredential(ctx: DbCtx, row: UserCredentialTable): Promise<void> {
  await ctx.db
    .insertInto('user_credential')
    .values(row)
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({
        password_hash: row.password_hash,
        must_change_password: row.must_change_password,
        password_changed_at: row.password_changed_at,
        totp_secret: row.totp_secret,
        totp_pending_secret: row.totp_pending_secret,
        totp_enabled: row.totp_enabled,
        recovery_codes: row.recovery_codes,
        failed_logins: row.failed_logins,
        locked_until: row.locked_until,
        last_login_at: row.last_login_at,
      }),
    )
    .execute();
}

export async function updateCredential(
  ctx: DbCtx,
  userId: string,
  set: Partial<Omit<UserCredentialTable, 'user_id'>>,
): Promise<void> {
  await ctx.db.updateTable('user_credential').set(set).where('user_id', '=', userId).execute();
}

/** Atomic increment, so two concurrent wrong passwords both count. Returns the new count. */
export async function incrementFailures(ctx: DbCtx, userId: string): Promise<number> {
  const row = await ctx.db
    .updateTable('user_credential')
    .set({ failed_logins: sql`failed_logins + 1` })
    .where('user_id', '=', userId)
    .returning('failed_logins')
    .executeTakeFirst();
  return row?.failed_logins ?? 0;
}

// --- sessions ----------------------------------------------------------------------------------

export async function insertSession(ctx: DbCtx, row: AuthSessionTable): Promise<void> {
  await ctx.db.insertInto('auth_session').values(row).execute();
}

type SessionRow = AuthSessionTable & { must_change_password: DbBool | null; totp_enabled: DbBool | null };

/** The session with its user's credential flags: one pre-written query on the hot path of every request. */
export async function findSession(
  ctx: Pick<Ctx, 'db' | 'dialect'>,
  id: string,
): Promise<SessionRow | undefined> {
  const { rows } = await ctx.db.executeQuery(
    hotQuery<SessionRow>(
      ctx.dialect.name,
      `SELECT s.*, c.must_change_password, c.totp_enabled
       FROM auth_session s LEFT JOIN user_credential c ON c.user_id = s.user_id
       WHERE s.id = ?`,
      [id],
    ),
  );
  return rows[0];
}

export async function touchSession(
  ctx: DbCtx,
  id: string,
  lastSeen: string,
  expiresAt: string,
): Promise<void> {
  await ctx.db
    .updateTable('auth_session')
    .set({ last_seen_at: lastSeen, expires_at: expiresAt })
    .where('id', '=', id)
    .execute();
}

export async function deleteSession(ctx: DbCtx, id: string): Promise<void> {
  await ctx.db.deleteFrom('auth_session').where('id', '=', id).execute();
}

export async function deleteUserSessions(ctx: DbCtx, userId: string, exceptId?: string): Promise<number> {
  let q = ctx.db.deleteFrom('auth_session').where('user_id', '=', userId);
  if (exceptId) q = q.where('id', '!=', exceptId);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function deleteExpiredSessions(ctx: DbCtx, now: string): Promise<number> {
  const r = await ctx.db.deleteFrom('auth_session').where('expires_at', '<', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}

// --- API tokens --------------------------------------------------------------------------------

export async function insertToken(ctx: DbCtx, row: ApiTokenTable): Promise<void> {
  await ctx.db.insertInto('api_token').values(row).execute();
}

type TokenRow = ApiTokenTable & { totp_enabled: DbBool | null };

/** A token with its user's second-factor flag: one pre-written query, on the hot path of API calls. */
export async function findTokenByHash(
  ctx: Pick<Ctx, 'db' | 'dialect'>,
  hash: string,
): Promise<TokenRow | undefined> {
  const { rows } = await ctx.db.executeQuery(
    hotQuery<TokenRow>(
      ctx.dialect.name,
      `SELECT t.*, c.totp_enabled
       FROM api_token t LEFT JOIN user_credential c ON c.user_id = t.user_id
       WHERE t.token_hash = ?`,
      [hash],
    ),
  );
  return rows[0];
}

export async function findToken(ctx: DbCtx, id: string): Promise<ApiTokenTable | undefined> {
  return ctx.db.selectFrom('api_token').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A user's tokens, newest first, keyset-paged on (created_at, id). */
export async function listTokens(
  ctx: DbCtx,
  userId: string,
  opts: { limit: number; after?: [string, string] | undefined },
): Promise<ApiTokenTable[]> {
  let q = ctx.db.selectFrom('api_token').selectAll().where('user_id', '=', userId);
  if (opts.after) q = q.where(keysetAfter('created_at', 'id', opts.after, 'desc'));
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(opts.limit).execute();
}

export async function updateToken(
  ctx: DbCtx,
  id: string,
  set: Partial<Pick<ApiTokenTable, 'last_used_at' | 'revoked_at'>>,
): Promise<void> {
  await ctx.db.updateTable('api_token').set(set).where('id', '=', id).execute();
}

// --- rate limits -------------------------------------------------------------------------------

/** Counts a hit in a fixed window shared by every instance; returns the count and window start. */
export async function hitRateLimit(
  ctx: DbCtx,
  key: string,
  now: string,
  windowStartsBefore: string,
): Promise<{ count: number; windowStart: string }> {
  const { rows } = await sql<{ count: number; window_start: string }>`
    INSERT INTO rate_limit (key, window_start, count) VALUES (${key}, ${now}, 1)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN rate_limit.window_start < ${windowStartsBefore} THEN 1 ELSE rate_limit.count + 1 END,
      window_start = CASE WHEN rate_limit.window_start < ${windowStartsBefore} THEN excluded.window_start
                          ELSE rate_limit.window_start END
    RETURNING count, window_start`.execute(ctx.db);
  const row = rows[0]!;
  return { count: Number(row.count), windowStart: new Date(row.window_start).toISOString() };
}

export async function deleteStaleRateLimits(ctx: DbCtx, before: string): Promise<void> {
  await ctx.db.deleteFrom('rate_limit').where('window_start', '<', before).execute();
}
