import { z } from 'zod';
import { ZId, ZIsoDate } from './common.js';

/** The lists a search can be saved for. */
export const SEARCH_SCOPES = ['assets'] as const;

export const ZSavedSearch = z.object({
  id: ZId,
  scope: z.enum(SEARCH_SCOPES),
  name: z.string(),
  /** The list's query parameters, as the list URL takes them. */
  query: z.record(z.string(), z.string()),
  shared: z.boolean(),
  orgId: ZId.nullable(),
  mine: z.boolean(),
  createdAt: ZIsoDate,
  updatedAt: ZIsoDate,
  version: z.number().int(),
});
export type TSavedSearch = z.infer<typeof ZSavedSearch>;

export const ZSavedSearchCreate = z
  .strictObject({
    scope: z.enum(SEARCH_SCOPES),
    name: z.string().trim().min(1).max(100),
    query: z
      .record(z.string().max(50), z.string().max(500))
      .refine((q) => Object.keys(q).length <= 30, { message: 'Too many parameters' }),
    shared: z.boolean().default(false),
    orgId: ZId.nullable().default(null),
  })
  .refine((s) => !s.shared || s.orgId, {
    message: 'A shared search names its organisation',
    path: ['orgId'],
    params: { code: 'required' },
  });
export const ZSavedSearchUpdate = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  query: z.record(z.string().max(50), z.string().max(500)).optional(),
  shared: z.boolean().optional(),
});
export const ZSavedSearchListQuery = z.strictObject({ scope: z.enum(SEARCH_SCOPES) });
