import { z } from 'zod';
import { ZId, ZIsoDate, ZPassword } from './common.js';
import { ZLocale, ZMembership, ZRole } from './orgs.js';

export const ZLoginInput = z.strictObject({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(256),
  /** The 6-digit code of the authenticator app, or a recovery code. */
  otp: z.string().trim().min(6).max(32).optional(),
});

export const ZMe = z.object({
  id: ZId,
  email: z.string(),
  displayName: z.string(),
  locale: ZLocale.nullable(),
  mustChangePassword: z.boolean(),
  totpEnabled: z.boolean(),
  globalAdmin: z.boolean(),
  memberships: z.array(ZMembership),
  /** Present for a browser session: send it back as X-CSRF-Token on every state-changing request. */
  csrfToken: z.string().nullable(),
  via: z.enum(['session', 'token']),
});
export type TMe = z.infer<typeof ZMe>;

export const ZMeUpdate = z.strictObject({
  displayName: z.string().trim().min(1).max(200).optional(),
  locale: ZLocale.nullable().optional(),
});

export const ZPasswordChange = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: ZPassword,
});

export const ZTotpSetup = z.object({ secret: z.string(), otpauthUrl: z.string(), qrSvg: z.string() });
export const ZTotpEnable = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/),
});
export const ZTotpDisable = z.strictObject({ password: z.string().min(1).max(256) });
export const ZRecoveryCodes = z.object({ recoveryCodes: z.array(z.string()) });

export const ZApiToken = z.object({
  id: ZId,
  name: z.string(),
  prefix: z.string(),
  orgId: ZId,
  role: ZRole,
  createdAt: ZIsoDate,
  lastUsedAt: ZIsoDate.nullable(),
  expiresAt: ZIsoDate.nullable(),
  revokedAt: ZIsoDate.nullable(),
});
export type TApiToken = z.infer<typeof ZApiToken>;

export const ZApiTokenCreate = z.strictObject({
  name: z.string().trim().min(1).max(100),
  orgId: ZId,
  role: ZRole,
  expiresAt: ZIsoDate.nullable().default(null),
});
export const ZApiTokenCreated = ZApiToken.extend({ token: z.string() });
