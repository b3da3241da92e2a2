import { z } from 'zod';
import { ROLES } from '../policy.js';
import { ZId, ZIsoDate, ZListQuery, ZPassword, zPatch } from './common.js';

export const ZRole = z.enum(ROLES);
export const ZLocale = z.enum(['fr', 'en']);

const timeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'Unknown time zone', params: { code: 'time_zone' } },
);

export const ZOrganisation = z.object({
  id: ZId,
  name: z.string(),
  slug: z.string(),
  timeZone: z.string(),
  locale: ZLocale,
  isHome: z.boolean(),
  createdAt: ZIsoDate,
  updatedAt: ZIsoDate,
  version: z.number().int(),
});
export type TOrganisation = z.infer<typeof ZOrganisation>;

export const ZOrganisationCreate = z.strictObject({
  name: z.string().trim().min(1).max(200),
  slug: z
    .string()
    .trim()
    .min(2)
    .max(60)
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  timeZone: timeZone.default('Europe/Paris'),
  locale: ZLocale.default('fr'),
});
export const ZOrganisationUpdate = zPatch(ZOrganisationCreate);

export const ZOrgListQuery = ZListQuery.extend({ q: z.string().trim().max(200).optional() });

export const ZMembership = z.object({ orgId: ZId, orgName: z.string(), roles: z.array(ZRole) });

export const ZUser = z.object({
  id: ZId,
  email: z.string(),
  displayName: z.string(),
  locale: ZLocale.nullable(),
  disabled: z.boolean(),
  totpEnabled: z.boolean(),
  mustChangePassword: z.boolean(),
  lastLoginAt: ZIsoDate.nullable(),
  memberships: z.array(ZMembership),
  createdAt: ZIsoDate,
  updatedAt: ZIsoDate,
  version: z.number().int(),
});
export type TUser = z.infer<typeof ZUser>;

export const ZEmail = z
  .email()
  .max(254)
  .transform((e) => e.toLowerCase());

export const ZUserCreate = z.strictObject({
  email: ZEmail,
  displayName: z.string().trim().min(1).max(200),
  password: ZPassword.optional(),
  locale: ZLocale.nullable().default(null),
  orgId: ZId,
  roles: z.array(ZRole).min(1).max(ROLES.length),
});
export type TUserCreate = z.input<typeof ZUserCreate>;

export const ZUserUpdate = z.strictObject({
  email: ZEmail.optional(),
  displayName: z.string().trim().min(1).max(200).optional(),
  locale: ZLocale.nullable().optional(),
  disabled: z.boolean().optional(),
});

export const ZUserRolesSet = z.strictObject({ roles: z.array(ZRole).max(ROLES.length) });

export const ZUserListQuery = ZListQuery.extend({
  q: z.string().trim().max(200).optional(),
  orgId: ZId.optional(),
  role: ZRole.optional(),
  sort: z.enum(['email', 'displayName', 'createdAt']).default('email'),
  order: z.enum(['asc', 'desc']).default('asc'),
});

/** An external supplier's support desk: who technicians call when they escalate to it. */
export const ZSupportContact = z.strictObject({
  company: z.string().trim().min(1).max(200),
  email: z.email().max(320).nullable().default(null),
  phone: z.string().trim().max(50).nullable().default(null),
  url: z.url().max(500).nullable().default(null),
  hours: z.string().trim().max(200).nullable().default(null),
});
export type TSupportContact = z.infer<typeof ZSupportContact>;

export const ZGroup = z.object({
  id: ZId,
  orgId: ZId,
  name: z.string(),
  description: z.string(),
  supportContact: ZSupportContact.nullable(),
  memberIds: z.array(ZId),
  createdAt: ZIsoDate,
  updatedAt: ZIsoDate,
  version: z.number().int(),
});
export type TGroup = z.infer<typeof ZGroup>;

export const ZGroupCreate = z.strictObject({
  orgId: ZId,
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().max(2000).default(''),
  memberIds: z.array(ZId).max(1000).default([]),
  supportContact: ZSupportContact.nullable().default(null),
});
export const ZGroupUpdate = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  description: z.string().trim().max(2000).optional(),
  memberIds: z.array(ZId).max(1000).optional(),
  supportContact: ZSupportContact.nullable().optional(),
});
export const ZGroupListQuery = ZListQuery.extend({
  orgId: ZId.optional(),
  q: z.string().trim().max(200).optional(),
});
