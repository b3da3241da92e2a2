import { uuidv7 } from 'uuidv7';
import type { Role } from '../../../shared/policy.js';
import type { TApiToken } from '../../../shared/schemas/auth.js';
import type { Page } from '../../../shared/schemas/common.js';
import type { Ctx } from '../../context.js';
import { randomToken, sha256 } from '../../crypto.js';
import { toBool } from '../../db/values.js';
import { notFound } from '../../http/errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import * as repo from './auth.repo.js';
import type { ApiTokenTable } from './auth.tables.js';

const TOKEN_RE = /^parc_([A-Za-z0-9]{8})_[A-Za-z0-9_-]{43}$/;
const TOUCH_EVERY_MS = 60_000;

function toApiToken(row: ApiTokenTable): TApiToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    orgId: row.org_id,
    role: row.role as Role,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

/** Mints a token; only its SHA-256 is stored, so the clear value exists once, in the answer. */
export async function createApiToken(
  ctx: Ctx,
  input: { userId: string; orgId: string; role: Role; name: string; expiresAt: string | null },
): Promise<TApiToken & { token: string }> {
  const prefix = randomToken(6)
    .replace(/[^A-Za-z0-9]/g, 'x')
    .slice(0, 8);
  const token = `parc_${prefix}_${randomToken(32)}`;
  const row: ApiTokenTable = {
    id: uuidv7(),
    user_id: input.userId,
    org_id: input.orgId,
    role: input.role,
    name: input.name,
    prefix,
    token_hash: sha256(token),
    created_at: ctx.now.toISOString(),
    last_used_at: null,
    expires_at: input.expiresAt,
    revoked_at: null,
  };
  await repo.insertToken(ctx, row);
  return { ...toApiToken(row), token };
}

export async function listApiTokens(
  ctx: Ctx,
  userId: string,
  q: { limit: number; cursor?: string | undefined },
): Promise<Page<TApiToken>> {
  const after = decodeCursor(q.cursor, 2) as [string, string] | undefined;
  const rows = await repo.listTokens(ctx, userId, { limit: q.limit + 1, after });
  return toPage(rows, q.limit, toApiToken, (r) => [r.created_at, r.id]);
}

export async function findApiToken(ctx: Ctx, userId: string, id: string): Promise<TApiToken> {
  const row = await repo.findToken(ctx, id);
  if (!row || row.user_id !== userId) throw notFound('token');
  return toApiToken(row);
}

export async function revokeApiToken(ctx: Ctx, userId: string, id: string): Promise<TApiToken> {
  const row = await repo.findToken(ctx, id);
  if (!row || row.user_id !== userId) throw notFound('token');
  if (!row.revoked_at) await repo.updateToken(ctx, id, { revoked_at: ctx.now.toISOString() });
  return toApiToken({ ...row, revoked_at: row.revoked_at ?? ctx.now.toISOString() });
}

export type ResolvedToken = { id: string; userId: string; orgId: string; role: Role; totpEnabled: boolean };

/** The live token behind a bearer value; undefined when malformed, unknown, revoked or expired. */
export async function resolveApiToken(ctx: Ctx, token: string): Promise<ResolvedToken | undefined> {
  if (!TOKEN_RE.test(token)) return undefined;
  const row = await repo.findTokenByHash(ctx, sha256(token));
  if (!row || row.revoked_at) return undefined;
  const now = ctx.now.getTime();
  if (row.expires_at && new Date(row.expires_at).getTime() <= now) return undefined;
  if (!row.last_used_at || now - new Date(row.last_used_at).getTime() > TOUCH_EVERY_MS) {
    await repo.updateToken(ctx, row.id, { last_used_at: ctx.now.toISOString() });
  }
  return {
    id: row.id,
    userId: row.user_id,
    orgId: row.org_id,
    role: row.role as Role,
    totpEnabled: toBool(row.totp_enabled),
  };
}
