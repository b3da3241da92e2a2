import type { TApiToken, TMe } from '../../../shared/schemas/auth.js';
import type { Page } from '../../../shared/schemas/common.js';
import { type Ctx, inTransaction, type Principal, requireActor } from '../../context.js';
import { AppError, forbidden } from '../../http/errors.js';
import { recordAudit } from '../audit/index.js';
import * as auth from '../auth/index.js';
import * as orgs from '../orgs/index.js';

/** Login attempts allowed per client address in a window, whatever the account. */
export const LOGIN_RATE = { limit: 20, windowMs: 5 * 60_000 };

export type LoginInput = { email: string; password: string; otp?: string | undefined };
export type LoginResult = {
  userId: string;
  session: auth.NewSession;
  mustChangePassword: boolean;
  totpEnabled: boolean;
};

function audit(
  ctx: Ctx,
  action: string,
  userId: string | null,
  after?: unknown,
  actorOverride?: { id: string | null; label: string },
) {
  return inTransaction(ctx, (tx) =>
    recordAudit(tx, {
      orgId: null,
      action,
      entityType: 'user',
      entityId: userId,
      after,
      ...(actorOverride && { actorOverride }),
    }),
  );
}

/**
 * Password (and second factor) login. Unknown e-mail, disabled account and wrong password answer
 * alike; repeated failures lock the account with back-off; each address is rate-limited.
 */
export async function login(
  ctx: Ctx,
  input: LoginInput,
  client: { userAgent: string | null },
): Promise<LoginResult> {
  const limited = await auth.rateLimit(
    ctx,
    `login:${ctx.ip ?? 'unknown'}`,
    LOGIN_RATE.limit,
    LOGIN_RATE.windowMs,
  );
  if (!limited.allowed) throw new AppError('auth.rate_limited', 429, {}, { retryAfter: limited.retryAfter });
  const email = input.email.trim().toLowerCase();
  const userId = await orgs.findUserIdByEmail(ctx, email);
  const user = userId ? await orgs.getUserForLogin(ctx, userId) : undefined;
  if (!userId || !user || user.disabled) {
    await auth.burnPasswordCheck(input.password);
    await audit(
      ctx,
      'auth.login_failed',
      userId ?? null,
      { email, reason: 'unknown_or_disabled' },
      { id: userId ?? null, label: email },
    );
    throw new AppError('auth.invalid_credentials', 401);
  }
  const check = await auth.checkPassword(ctx, userId, input.password);
  if (!check.ok) {
    await audit(
      ctx,
      'auth.login_failed',
      userId,
      { email, reason: check.reason },
      { id: userId, label: email },
    );
    if (check.reason === 'locked')
      throw new AppError('auth.locked', 429, {}, { retryAfter: check.retryAfter });
    throw new AppError('auth.invalid_credentials', 401);
  }
  if (check.totpEnabled) {
    if (!input.otp) throw new AppError('auth.otp_required', 401);
    if (!(await auth.checkSecondFactor(ctx, userId, input.otp))) {
      const failure = await auth.registerLoginFailure(ctx, userId);
      await audit(ctx, 'auth.login_failed', userId, { email, reason: 'otp' }, { id: userId, label: email });
      if (failure.reason === 'locked')
        throw new AppError('auth.locked', 429, {}, { retryAfter: failure.retryAfter });
      throw new AppError('auth.otp_invalid', 401);
    }
  }
  await auth.recordLoginSuccess(ctx, userId);
  const session = await auth.createSession(ctx, { userId, ip: ctx.ip ?? null, userAgent: client.userAgent });
  await audit(
    ctx,
    'auth.login',
    userId,
    { via: check.totpEnabled ? 'password+totp' : 'password' },
    { id: userId, label: email },
  );
  return { userId, session, mustChangePassword: check.mustChangePassword, totpEnabled: check.totpEnabled };
}

export function meOf(actor: Principal, extra: { totpEnabled: boolean }): TMe {
  return {
    id: actor.userId,
    email: actor.email,
    displayName: actor.displayName,
    locale: actor.locale,
    mustChangePassword: actor.mustChangePassword,
    totpEnabled: extra.totpEnabled,
    globalAdmin: actor.globalAdmin,
    memberships: actor.memberships,
    csrfToken: actor.csrfToken ?? null,
    via: actor.via === 'token' ? 'token' : 'session',
  };
}

export async function me(ctx: Ctx): Promise<TMe> {
  const actor = requireActor(ctx);
  const totpEnabled =
    actor.totpEnabled ??
    (await auth.credentialSummaries(ctx, [actor.userId])).get(actor.userId)?.totpEnabled ??
    false;
  return meOf(actor, { totpEnabled });
}

export async function updateMe(
  ctx: Ctx,
  patch: { displayName?: string | undefined; locale?: 'fr' | 'en' | null | undefined },
): Promise<TMe> {
  const actor = requireActor(ctx);
  const user = await orgs.getUser(ctx, actor.userId);
  const updated = await orgs.updateUser(ctx, actor.userId, user.version, patch);
  return me({ ...ctx, actor: { ...actor, displayName: updated.displayName, locale: updated.locale } });
}

export async function logout(ctx: Ctx): Promise<void> {
  const actor = requireActor(ctx);
  if (actor.sessionId) await auth.endSession(ctx, actor.sessionId);
  await audit(ctx, 'auth.logout', actor.userId);
}

export async function logoutEverywhere(ctx: Ctx): Promise<void> {
  const actor = requireActor(ctx);
  const ended = await auth.endUserSessions(ctx, actor.userId);
  await audit(ctx, 'auth.logout_all', actor.userId, { sessions: ended });
}

/** Changes one's own password; other sessions end, this one stays. */
export async function changePassword(
  ctx: Ctx,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const actor = requireActor(ctx);
  if (!(await auth.verifyCurrentPassword(ctx, actor.userId, input.currentPassword))) {
    throw new AppError('auth.wrong_password', 400, {}, {}, [
      { path: 'currentPassword', code: 'wrong_password' },
    ]);
  }
  await inTransaction(ctx, async (tx) => {
    await auth.setPassword(tx, actor.userId, input.newPassword, { mustChange: false });
    await auth.endUserSessions(tx, actor.userId, actor.sessionId);
    await recordAudit(tx, {
      orgId: null,
      action: 'auth.password_changed',
      entityType: 'user',
      entityId: actor.userId,
    });
  });
}

export async function startTotp(ctx: Ctx) {
  const actor = requireActor(ctx);
  return auth.startTotpSetup(ctx, { id: actor.userId, email: actor.email });
}

export async function enableTotp(ctx: Ctx, code: string): Promise<string[]> {
  const actor = requireActor(ctx);
  const codes = await auth.enableTotp(ctx, actor.userId, code);
  await audit(ctx, 'auth.totp_enabled', actor.userId);
  return codes;
}

export async function disableTotp(ctx: Ctx, password: string): Promise<void> {
  const actor = requireActor(ctx);
  if (!(await auth.verifyCurrentPassword(ctx, actor.userId, password))) {
    throw new AppError('auth.wrong_password', 400, {}, {}, [{ path: 'password', code: 'wrong_password' }]);
  }
  await auth.disableTotp(ctx, actor.userId);
  await audit(ctx, 'auth.totp_disabled', actor.userId);
}

/** An API token for one of the caller's own roles, in one organisation. */
export async function createToken(
  ctx: Ctx,
  input: { name: string; orgId: string; role: TApiToken['role']; expiresAt: string | null },
  forUserId?: string,
): Promise<TApiToken & { token: string }> {
  const actor = requireActor(ctx);
  const userId = forUserId ?? actor.userId;
  if (forUserId && actor.via !== 'system') throw forbidden();
  const holder = forUserId ? await orgs.getUser(ctx, userId) : undefined;
  const roles = holder
    ? holder.memberships.find((m) => m.orgId === input.orgId)?.roles
    : actor.roles[input.orgId];
  if (!roles?.includes(input.role)) {
    throw new AppError('auth.role_not_held', 422, { role: input.role }, {}, [
      { path: 'role', code: 'custom' },
    ]);
  }
  return inTransaction(ctx, async (tx) => {
    const created = await auth.createApiToken(tx, { ...input, userId });
    const { token: _secret, ...shown } = created;
    await recordAudit(tx, {
      orgId: input.orgId,
      action: 'token.created',
      entityType: 'api_token',
      entityId: created.id,
      after: shown,
    });
    return created;
  });
}

export async function listTokens(
  ctx: Ctx,
  q: { limit: number; cursor?: string | undefined },
): Promise<Page<TApiToken>> {
  return auth.listApiTokens(ctx, requireActor(ctx).userId, q);
}

export async function revokeToken(ctx: Ctx, id: string): Promise<void> {
  const actor = requireActor(ctx);
  await inTransaction(ctx, async (tx) => {
    const token = await auth.revokeApiToken(tx, actor.userId, id);
    await recordAudit(tx, {
      orgId: token.orgId,
      action: 'token.revoked',
      entityType: 'api_token',
      entityId: id,
      after: token,
    });
  });
}
