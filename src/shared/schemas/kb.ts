import { z } from 'zod';
import { ZId, ZIsoDate, ZListQuery, zPatch } from './common.js';

/** Knowledge base: procedure sheets (symptoms, cause, resolution), versioned. */
export const KB_LANGUAGES = ['fr', 'en'] as const;
export const KB_VISIBILITIES = ['public', 'internal'] as const;
export const KB_STATUSES = ['draft', 'published', 'archived'] as const;
export type KbLanguage = (typeof KB_LANGUAGES)[number];
export type KbVisibility = (typeof KB_VISIBILITIES)[number];
export type KbStatus = (typeof KB_STATUSES)[number];
export const ZKbLanguage = z.enum(KB_LANGUAGES);
export const ZKbVisibility = z.enum(KB_VISIBILITIES);
export const ZKbStatus = z.enum(KB_STATUSES);

export const KB_LIMITS = {
  title: 200,
  text: 20_000,
  resolution: 50_000,
  tag: 50,
  tags: 20,
  software: 50,
  models: 50,
  changeNote: 500,
} as const;

/** A tag: no separator characters, so the list filter can match one tag exactly. */
const ZTag = z
  .string()
  .trim()
  .min(1)
  .max(KB_LIMITS.tag)
  .refine((s) => !/[|,]/.test(s), { message: 'No | or , in a tag', params: { code: 'invalid_tag' } });

/** What a version keeps: everything a reader sees, so any version can be shown and restored. */
export const ZKbContent = z.object({
  title: z.string(),
  symptoms: z.string(),
  cause: z.string(),
  /** Markdown: the resolution steps. */
  resolution: z.string(),
  language: ZKbLanguage,
  visibility: ZKbVisibility,
  status: ZKbStatus,
  tags: z.array(z.string()),
  /** Asset model ids the procedure applies to. */
  appliesToModels: z.array(ZId),
  /** Software names the procedure applies to. */
  appliesToSoftware: z.array(z.string()),
});
export type TKbContent = z.infer<typeof ZKbContent>;

export const ZKbArticle = ZKbContent.extend({
  id: ZId,
  orgId: ZId,
  /** The ticket the procedure was written from (no link is enforced: tickets may be purged). */
  sourceTicketId: z.string().nullable(),
  createdBy: ZId.nullable(),
  createdAt: ZIsoDate,
  updatedAt: ZIsoDate,
  version: z.number().int(),
});
export type TKbArticle = z.infer<typeof ZKbArticle>;

/** A row of the list and of the suggestions: no full text. */
export const ZKbArticleSummary = z.object({
  id: ZId,
  orgId: ZId,
  title: z.string(),
  /** The start of the symptoms, for the result list. */
  excerpt: z.string(),
  language: ZKbLanguage,
  visibility: ZKbVisibility,
  status: ZKbStatus,
  tags: z.array(z.string()),
  updatedAt: ZIsoDate,
  version: z.number().int(),
});
export type TKbArticleSummary = z.infer<typeof ZKbArticleSummary>;

const ZChangeNote = z.string().trim().max(KB_LIMITS.changeNote).optional();

export const ZKbArticleCreate = z
  .strictObject({
    orgId: ZId,
    title: z.string().trim().min(1).max(KB_LIMITS.title),
    symptoms: z.string().trim().max(KB_LIMITS.text).default(''),
    cause: z.string().trim().max(KB_LIMITS.text).default(''),
    resolution: z.string().trim().max(KB_LIMITS.resolution).default(''),
    language: ZKbLanguage.default('fr'),
    visibility: ZKbVisibility.default('internal'),
    /** A new procedure is a draft or published at once; archiving is DELETE. */
    status: z.enum(['draft', 'published']).default('draft'),
    tags: z.array(ZTag).max(KB_LIMITS.tags).default([]),
    appliesToModels: z.array(ZId).max(KB_LIMITS.models).default([]),
    appliesToSoftware: z.array(z.string().trim().min(1).max(200)).max(KB_LIMITS.software).default([]),
    sourceTicketId: z.string().trim().min(1).max(100).nullable().default(null),
    changeNote: ZChangeNote,
  })
  .refine((a) => a.status !== 'published' || a.resolution.length > 0, {
    message: 'A published procedure has resolution steps',
    path: ['resolution'],
    params: { code: 'required' },
    // Reported along with the other fields' errors, unless status or resolution is itself invalid.
    when: (payload) =>
      typeof payload.value === 'object' &&
      payload.value !== null &&
      !payload.issues.some((i) => i.path?.[0] === 'status' || i.path?.[0] === 'resolution'),
  });
export type TKbArticleCreate = z.input<typeof ZKbArticleCreate>;
export type TKbArticleInput = z.output<typeof ZKbArticleCreate>;

// zPatch, not .partial(): a field left out keeps its value. The status may move anywhere, archived
// included (DELETE is the same as status: archived).
export const ZKbArticleUpdate = zPatch(
  z.strictObject({
    title: z.string().trim().min(1).max(KB_LIMITS.title),
    symptoms: z.string().trim().max(KB_LIMITS.text),
    cause: z.string().trim().max(KB_LIMITS.text),
    resolution: z.string().trim().max(KB_LIMITS.resolution),
    language: ZKbLanguage,
    visibility: ZKbVisibility,
    status: ZKbStatus,
    tags: z.array(ZTag).max(KB_LIMITS.tags),
    appliesToModels: z.array(ZId).max(KB_LIMITS.models),
    appliesToSoftware: z.array(z.string().trim().min(1).max(200)).max(KB_LIMITS.software),
    changeNote: z.string().trim().max(KB_LIMITS.changeNote),
  }),
);
export type TKbArticleUpdate = z.input<typeof ZKbArticleUpdate>;

export const ZKbRestore = z.strictObject({ changeNote: ZChangeNote });

export const ZKbListQuery = ZListQuery.extend({
  /** Words searched without accents or case, in the title, symptoms, cause, resolution and tags. */
  q: z.string().trim().max(200).optional(),
  orgId: ZId.optional(),
  /** Without it, archived procedures are left out. */
  status: ZKbStatus.optional(),
  visibility: ZKbVisibility.optional(),
  language: ZKbLanguage.optional(),
  tag: z.string().trim().min(1).max(KB_LIMITS.tag).optional(),
});

export const ZKbSuggestQuery = z.strictObject({
  orgId: ZId.optional(),
  /** The ticket title being typed. */
  q: z.string().max(300),
  limit: z.coerce.number().int().min(1).max(20).default(5),
});

export const ZKbVersionSummary = z.object({
  version: z.number().int(),
  at: ZIsoDate,
  authorId: ZId.nullable(),
  /** The author's e-mail (or the system actor's label) at the time. */
  authorLabel: z.string(),
  /** The author's current display name; null for the system or an unknown account. */
  authorName: z.string().nullable(),
  changeNote: z.string().nullable(),
  title: z.string(),
  status: ZKbStatus,
});
export type TKbVersionSummary = z.infer<typeof ZKbVersionSummary>;

export const ZKbVersion = ZKbVersionSummary.extend({ content: ZKbContent });
export type TKbVersion = z.infer<typeof ZKbVersion>;
