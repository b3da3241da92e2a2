import { hash, verify } from '@node-rs/argon2';
import { generateSecret, generateURI, verify as verifyTotp } from 'otplib';
import QRCode from 'qrcode';
import type { Ctx } from '../../context.js';
import { randomToken, sha256 } from '../../crypto.js';
import { fromJson, toBool, toJson } from '../../db/values.js';
import { AppError } from '../../http/errors.js';
import * as repo from './auth.repo.js';
import type { UserCredentialTable } from './auth.tables.js';

/** Failures before the first lockout, and its length; each further failure doubles it, up to 15 min. */
export const LOCKOUT = { threshold: 5, baseSeconds: 30, maxSeconds: 900 };

// argon2id with the library's defaults (19 MiB, 2 passes): OWASP's minimum, about 30 ms here.
export async function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export function generatePassword(): string {
  // 18 random bytes -> 24 characters: well above the 12-character minimum.
  return randomToken(18);
}

function emptyCredential(userId: string): UserCredentialTable {
  return {
    user_id: userId,
    password_hash: null,
    must_change_password: false,
    password_changed_at: null,
    totp_secret: null,
    totp_pending_secret: null,
    totp_enabled: false,
    recovery_codes: null,
    failed_logins: 0,
    locked_until: null,
    last_login_at: null,
  };
}

/** Sets a user's password (hashing it) and whether they must change it at next login. */
export async function setPassword(
  ctx: Ctx,
  userId: string,
  password: string,
  opts: { mustChange: boolean },
): Promise<void> {
  const existing = (await repo.findCredential(ctx, userId)) ?? emptyCredential(userId);
  await repo.upsertCredential(ctx, {
    ...existing,
    password_hash: await hashPassword(password),
    must_change_password: opts.mustChange,
    password_changed_at: ctx.now.toISOString(),
    failed_logins: 0,
    locked_until: null,
  });
}

export type PasswordCheck =
  | { ok: true; totpEnabled: boolean; mustChangePassword: boolean }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; retryAfter: number };

/** Checks a password with lockout and back-off. Callers answer the same for unknown users and bad passwords. */
export async function checkPassword(ctx: Ctx, userId: string, password: string): Promise<PasswordCheck> {
  const cred = await repo.findCredential(ctx, userId);
  if (!cred?.password_hash) return { ok: false, reason: 'invalid' };
  const now = ctx.now.getTime();
  if (cred.locked_until && new Date(cred.locked_until).getTime() > now) {
    return {
      ok: false,
      reason: 'locked',
      retryAfter: Math.ceil((new Date(cred.locked_until).getTime() - now) / 1000),
    };
  }
  if (await verify(cred.password_hash, password)) {
    return {
      ok: true,
      totpEnabled: toBool(cred.totp_enabled),
      mustChangePassword: toBool(cred.must_change_password),
    };
  }
  return registerLoginFailure(ctx, userId);
}

/** Counts a failed login (wrong password or second factor), locking the account with back-off. */
export async function registerLoginFailure(
  ctx: Ctx,
  userId: string,
): Promise<{ ok: false; reason: 'invalid' } | { ok: false; reason: 'locked'; retryAfter: number }> {
  const failures = await repo.incrementFailures(ctx, userId);
  if (failures >= LOCKOUT.threshold) {
    const seconds = Math.min(LOCKOUT.maxSeconds, LOCKOUT.baseSeconds * 2 ** (failures - LOCKOUT.threshold));
    await repo.updateCredential(ctx, userId, {
      locked_until: new Date(ctx.now.getTime() + seconds * 1000).toISOString(),
    });
    return { ok: false, reason: 'locked', retryAfter: seconds };
  }
  return { ok: false, reason: 'invalid' };
}

let dummyHash: Promise<string> | undefined;

/** Spends the time of a real verification, so unknown e-mails answer as slowly as wrong passwords. */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hash('parc-timing-equaliser-password');
  await verify(await dummyHash, password).catch(() => false);
}

export async function recordLoginSuccess(ctx: Ctx, userId: string): Promise<void> {
  await repo.updateCredential(ctx, userId, {
    failed_logins: 0,
    locked_until: null,
    last_login_at: ctx.now.toISOString(),
  });
}

/** Verifies a second factor: a TOTP code, or a recovery code (which is then used up). */
export async function checkSecondFactor(ctx: Ctx, userId: string, code: string): Promise<boolean> {
  const cred = await repo.findCredential(ctx, userId);
  if (!cred?.totp_secret || !toBool(cred.totp_enabled)) return false;
  const trimmed = code.replace(/\s+/g, '');
  if (/^\d{6}$/.test(trimmed)) {
    const result = await verifyTotp({
      secret: ctx.secrets.open(cred.totp_secret),
      token: trimmed,
      epochTolerance: 30,
    });
    return result.valid;
  }
  const hashes = fromJson<string[] | null>(cred.recovery_codes) ?? [];
  const h = sha256(trimmed.toLowerCase());
  if (!hashes.includes(h)) return false;
  await repo.updateCredential(ctx, userId, { recovery_codes: toJson(hashes.filter((x) => x !== h)) });
  return true;
}

export async function startTotpSetup(
  ctx: Ctx,
  user: { id: string; email: string },
): Promise<{ secret: string; otpauthUrl: string; qrSvg: string }> {
  const cred = (await repo.findCredential(ctx, user.id)) ?? emptyCredential(user.id);
  if (toBool(cred.totp_enabled)) throw new AppError('auth.totp_already_enabled', 409);
  const secret = generateSecret();
  await repo.upsertCredential(ctx, { ...cred, totp_pending_secret: ctx.secrets.seal(secret) });
  const otpauthUrl = generateURI({ issuer: 'Parc', label: user.email, secret });
  const qrSvg = await QRCode.toString(otpauthUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  return { secret, otpauthUrl, qrSvg };
}

/** Confirms the pending secret with a code from the app; returns fresh recovery codes, shown once. */
export async function enableTotp(ctx: Ctx, userId: string, code: string): Promise<string[]> {
  const cred = await repo.findCredential(ctx, userId);
  if (!cred?.totp_pending_secret) throw new AppError('auth.totp_not_setup', 409);
  const secret = ctx.secrets.open(cred.totp_pending_secret);
  const result = await verifyTotp({ secret, token: code, epochTolerance: 30 });
  if (!result.valid) throw new AppError('auth.otp_invalid', 400);
  const codes = Array.from({ length: 10 }, () => {
    const raw = randomToken(6)
      .toLowerCase()
      .replace(/[^a-z0-9]/g, 'x');
    return `${raw.slice(0, 4)}-${raw.slice(4, 8)}`;
  });
  await repo.updateCredential(ctx, userId, {
    totp_secret: cred.totp_pending_secret,
    totp_pending_secret: null,
    totp_enabled: true,
    recovery_codes: toJson(codes.map((c) => sha256(c))),
  });
  return codes;
}

export async function disableTotp(ctx: Ctx, userId: string): Promise<void> {
  await repo.updateCredential(ctx, userId, {
    totp_secret: null,
    totp_pending_secret: null,
    totp_enabled: false,
    recovery_codes: null,
  });
}

export async function verifyCurrentPassword(ctx: Ctx, userId: string, password: string): Promise<boolean> {
  const cred = await repo.findCredential(ctx, userId);
  return !!cred?.password_hash && (await verify(cred.password_hash, password));
}

export type CredentialSummary = {
  totpEnabled: boolean;
  mustChangePassword: boolean;
  lastLoginAt: string | null;
};

export async function credentialSummaries(
  ctx: Ctx,
  userIds: string[],
): Promise<Map<string, CredentialSummary>> {
  const rows = await repo.findCredentials(ctx, userIds);
  return new Map(
    rows.map((r) => [
      r.user_id,
      {
        totpEnabled: toBool(r.totp_enabled),
        mustChangePassword: toBool(r.must_change_password),
        lastLoginAt: r.last_login_at,
      },
    ]),
  );
}
