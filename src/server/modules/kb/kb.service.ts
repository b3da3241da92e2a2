import { uuidv7 } from 'uuidv7';
import { can, orgsWhere } from '../../../shared/policy.js';
import type { Page } from '../../../shared/schemas/common.js';
import type {
  KbLanguage,
  KbStatus,
  KbVisibility,
  TKbArticle,
  TKbArticleInput,
  TKbArticleSummary,
  TKbContent,
  TKbVersion,
  TKbVersionSummary,
} from '../../../shared/schemas/kb.js';
import { foldText } from '../../../shared/text.js';
import { type Ctx, inTransaction, type Principal, requireActor } from '../../context.js';
import { fromJson, toJson } from '../../db/values.js';
import { forbidden, invalid, notFound, preconditionFailed } from '../../http/errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { recordAudit } from '../audit/index.js';
import { getOrganisation, userDisplayNames } from '../orgs/index.js';
import * as repo from './kb.repo.js';
import type { KbArticleTable, KbArticleVersionTable } from './kb.tables.js';
import {
  articleSearchText,
  excerptOf,
  guessLanguage,
  searchWords,
  significantWords,
  tagsText,
  uniqueTags,
} from './kb.text.js';

// --- mapping -------------------------------------------------------------------------------------

function contentOf(row: KbArticleTable): TKbContent {
  return {
    title: row.title,
    symptoms: row.symptoms,
    cause: row.cause,
    resolution: row.resolution,
    language: row.language as KbLanguage,
    visibility: row.visibility as KbVisibility,
    status: row.status as KbStatus,
    tags: fromJson<string[]>(row.tags) ?? [],
    appliesToModels: fromJson<string[]>(row.applies_to_models) ?? [],
    appliesToSoftware: fromJson<string[]>(row.applies_to_software) ?? [],
  };
}

function toArticle(row: KbArticleTable): TKbArticle {
  return {
    id: row.id,
    orgId: row.org_id,
    ...contentOf(row),
    sourceTicketId: row.source_ticket_id,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

function toSummary(row: repo.SummaryRow): TKbArticleSummary {
  return {
    id: row.id,
    orgId: row.org_id,
    title: row.title,
    excerpt: excerptOf(row.symptoms_start),
    language: row.language as KbLanguage,
    visibility: row.visibility as KbVisibility,
    status: row.status as KbStatus,
    tags: fromJson<string[]>(row.tags) ?? [],
    updatedAt: row.updated_at,
    version: row.version,
  };
}

/** The columns a content sets, derived search columns included. */
function contentColumns(c: TKbContent) {
  return {
    title: c.title,
    symptoms: c.symptoms,
    cause: c.cause,
    resolution: c.resolution,
    language: c.language,
    visibility: c.visibility,
    status: c.status,
    tags: toJson(c.tags),
    tags_text: tagsText(c.tags),
    applies_to_models: toJson(c.appliesToModels),
    applies_to_software: toJson(c.appliesToSoftware),
    title_search: foldText(c.title),
    search_text: articleSearchText(c),
  };
}

const CONTENT_KEYS: Array<keyof TKbContent> = [
  'title',
  'symptoms',
  'cause',
  'resolution',
  'language',
  'visibility',
  'status',
  'tags',
  'appliesToModels',
  'appliesToSoftware',
];

function sameContent(a: TKbContent, b: TKbContent): boolean {
  return CONTENT_KEYS.every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));
}

/** The content fields only; lists entered by hand hold each value once (tags without case or accents). */
function normalised(c: TKbContent): TKbContent {
  return {
    title: c.title,
    symptoms: c.symptoms,
    cause: c.cause,
    resolution: c.resolution,
    language: c.language,
    visibility: c.visibility,
    status: c.status,
    tags: uniqueTags(c.tags),
    appliesToModels: [...new Set(c.appliesToModels)],
    appliesToSoftware: [...new Set(c.appliesToSoftware)],
  };
}

function checkPublishable(c: TKbContent): void {
  // A published procedure must say how to solve the problem.
  if (c.status === 'published' && c.resolution.trim() === '') {
    throw invalid([{ path: 'resolution', code: 'required' }]);
  }
}

// --- visibility ----------------------------------------------------------------------------------

/** Staff read everything of their organisations; requesters the published public procedures. */
function scopeOf(actor: Principal): repo.KbScope {
  const internal = orgsWhere(actor, 'kb.read_internal');
  const read = orgsWhere(actor, 'kb.read');
  if (internal === 'all' || read === 'all') return { internal, publicOnly: [] };
  return { internal, publicOnly: read.filter((orgId) => !internal.includes(orgId)) };
}

function readable(actor: Principal, row: KbArticleTable): boolean {
  if (can(actor, 'kb.read_internal', { orgId: row.org_id })) return true;
  return (
    can(actor, 'kb.read', { orgId: row.org_id }) && row.visibility === 'public' && row.status === 'published'
  );
}

/** The procedure if the actor may read it; 404 otherwise, whether it exists elsewhere or not. */
async function visibleArticle(ctx: Ctx, actor: Principal, id: string): Promise<KbArticleTable> {
  const row = await repo.findArticle(ctx, id);
  if (!row || !readable(actor, row)) throw notFound('kb_article');
  return row;
}

async function manageableArticle(ctx: Ctx, actor: Principal, id: string): Promise<KbArticleTable> {
  const row = await visibleArticle(ctx, actor, id);
  if (!can(actor, 'kb.manage', { orgId: row.org_id })) throw forbidden();
  return row;
}

// --- versions ------------------------------------------------------------------------------------

function versionRow(
  ctx: Ctx,
  article: KbArticleTable,
  content: TKbContent,
  changeNote: string | null,
): KbArticleVersionTable {
  const actor = requireActor(ctx);
  return {
    article_id: article.id,
    version: article.version,
    org_id: article.org_id,
    content: toJson(content),
    author_id: actor.via === 'system' ? null : actor.userId,
    author_label: actor.email,
    at: ctx.now.toISOString(),
    change_note: changeNote || null,
  };
}

function toVersionSummary(row: KbArticleVersionTable): Omit<TKbVersionSummary, 'authorName'> {
  const content = fromJson<TKbContent>(row.content);
  return {
    version: row.version,
    at: row.at,
    authorId: row.author_id,
    authorLabel: row.author_label,
    changeNote: row.change_note,
    title: content.title,
    status: content.status,
  };
}

async function withAuthorNames<T extends { authorId: string | null }>(
  ctx: Ctx,
  items: T[],
): Promise<Array<T & { authorName: string | null }>> {
  const names = await userDisplayNames(
    ctx,
    items.flatMap((v) => (v.authorId ? [v.authorId] : [])),
  );
  return items.map((v) => ({ ...v, authorName: v.authorId ? (names.get(v.authorId) ?? null) : null }));
}

// --- reading -------------------------------------------------------------------------------------

export type KbListQuery = {
  q?: string | undefined;
  orgId?: string | undefined;
  status?: KbStatus | undefined;
  visibility?: KbVisibility | undefined;
  language?: KbLanguage | undefined;
  tag?: string | undefined;
  limit: number;
  cursor?: string | undefined;
};

/**
 * Procedures newest first; with `q`, those holding every word (accents and case ignored), the ones
 * with every word in their title first.
 */
export async function listArticles(ctx: Ctx, q: KbListQuery): Promise<Page<TKbArticleSummary>> {
  const actor = requireActor(ctx);
  if (!can(actor, 'kb.read')) throw forbidden();
  const filter: repo.KbFilter = {
    scope: scopeOf(actor),
    orgId: q.orgId,
    status: q.status,
    visibility: q.visibility,
    language: q.language,
    tag: q.tag ? foldText(q.tag) : undefined,
  };
  const words = q.q ? searchWords(q.q) : [];
  if (words.length === 0) {
    const rows = await repo.listArticles(ctx, {
      ...filter,
      after: decodeCursor(q.cursor, 2) as [string, string] | undefined,
      limit: q.limit + 1,
    });
    return toPage(rows, q.limit, toSummary, (r) => [r.updated_at, r.id]);
  }
  const after = decodeCursor(q.cursor, 3) as [0 | 1, string, string] | undefined;
  if (after && after[0] !== 0 && after[0] !== 1) {
    throw invalid([{ path: 'cursor', code: 'invalid_format', message: 'cursor' }]);
  }
  const rows = await repo.searchArticles(ctx, { ...filter, words, after, limit: q.limit + 1 });
  return toPage(rows, q.limit, toSummary, (r) => [r.title_hit, r.updated_at, r.id]);
}

export async function getArticle(ctx: Ctx, id: string): Promise<TKbArticle> {
  return toArticle(await visibleArticle(ctx, requireActor(ctx), id));
}

/**
 * Published procedures matching a ticket title being typed: first those holding every meaningful
 * word (title matches first), then those holding some, ranked by how many words they hold (a word
 * in the title counts twice). Stop-words and words under three letters are ignored.
 */
export async function suggestArticles(
  ctx: Ctx,
  q: { orgId?: string | undefined; q: string; limit: number },
): Promise<TKbArticleSummary[]> {
  const actor = requireActor(ctx);
  if (!can(actor, 'kb.read')) throw forbidden();
  if (q.orgId && !can(actor, 'kb.read', { orgId: q.orgId })) throw notFound('org');
  const words = significantWords(q.q);
  if (words.length === 0) return [];
  const filter = { scope: scopeOf(actor), orgId: q.orgId, status: 'published' as const, withText: true };
  const found = new Map<string, repo.TextRow>();
  const add = (rows: repo.TextRow[]) => {
    for (const row of rows) if (!found.has(row.id)) found.set(row.id, row);
  };
  add(await repo.searchArticles(ctx, { ...filter, words, limit: q.limit }));
  if (found.size < q.limit && words.length > 1) {
    // The longest words, the most telling, each on its own.
    for (const word of words.slice(0, 4)) {
      add(await repo.searchArticles(ctx, { ...filter, words: [word], limit: q.limit }));
    }
  }
  const score = (row: repo.TextRow) =>
    words.filter((w) => row.search_text.includes(w)).length +
    words.filter((w) => row.title_search.includes(w)).length;
  return [...found.values()]
    .map((row) => ({ row, score: score(row) }))
    .sort((a, b) => b.score - a.score || b.row.updated_at.localeCompare(a.row.updated_at))
    .slice(0, q.limit)
    .map(({ row }) => toSummary(row));
}

// --- writing -------------------------------------------------------------------------------------

export async function createArticle(ctx: Ctx, input: TKbArticleInput): Promise<TKbArticle> {
  const actor = requireActor(ctx);
  if (!can(actor, 'kb.read', { orgId: input.orgId })) throw notFound('org');
  if (!can(actor, 'kb.manage', { orgId: input.orgId })) throw forbidden();
  // A global administrator's role holds in any organisation id: check this one exists (404 otherwise).
  if (actor.globalAdmin) await getOrganisation(ctx, input.orgId);
  const content = normalised(input);
  checkPublishable(content);
  return inTransaction(ctx, async (tx) => {
    const now = tx.now.toISOString();
    const row: KbArticleTable = {
      id: uuidv7(),
      org_id: input.orgId,
      ...contentColumns(content),
      source_ticket_id: input.sourceTicketId,
      created_by: actor.via === 'system' ? null : actor.userId,
      created_at: now,
      updated_at: now,
      version: 1,
      deleted_at: null,
    };
    await repo.insertArticle(tx, row);
    await repo.insertVersion(tx, versionRow(tx, row, content, input.changeNote ?? null));
    const article = toArticle(row);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'kb.article_created',
      entityType: 'kb_article',
      entityId: row.id,
      after: article,
    });
    return article;
  });
}

/**
 * Writes a new content as the next version (any change appends one), with its audit record. Nothing
 * differing, nothing is written and the version stays.
 */
async function writeContent(
  tx: Ctx,
  row: KbArticleTable,
  expectedVersion: number,
  content: TKbContent,
  changeNote: string | null,
  action: string,
): Promise<TKbArticle> {
  const before = toArticle(row);
  if (sameContent(contentOf(row), content)) return before;
  checkPublishable(content);
  const set = { ...contentColumns(content), updated_at: tx.now.toISOString() };
  if (!(await repo.updateArticle(tx, row.id, expectedVersion, set))) throw preconditionFailed(row.version);
  const updated: KbArticleTable = { ...row, ...set, version: row.version + 1 };
  await repo.insertVersion(tx, versionRow(tx, updated, content, changeNote));
  const after = toArticle(updated);
  await recordAudit(tx, {
    orgId: row.org_id,
    action,
    entityType: 'kb_article',
    entityId: row.id,
    before,
    after,
  });
  return after;
}

export async function updateArticle(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  patch: Partial<TKbContent> & { changeNote?: string | undefined },
): Promise<TKbArticle> {
  const actor = requireActor(ctx);
  return inTransaction(ctx, async (tx) => {
    const row = await manageableArticle(tx, actor, id);
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    const { changeNote, ...fields } = patch;
    const content = normalised({ ...contentOf(row), ...withoutUndefined(fields) });
    return writeContent(tx, row, expectedVersion, content, changeNote ?? null, 'kb.article_updated');
  });
}

/** DELETE: the procedure is archived (out of lists and suggestions), never erased. */
export async function archiveArticle(ctx: Ctx, id: string, expectedVersion: number): Promise<void> {
  const actor = requireActor(ctx);
  await inTransaction(ctx, async (tx) => {
    const row = await manageableArticle(tx, actor, id);
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    const content = { ...contentOf(row), status: 'archived' as const };
    await writeContent(tx, row, expectedVersion, content, null, 'kb.article_archived');
  });
}

/** Puts back the content of version `n` as a new version; the current status is kept. */
export async function restoreVersion(
  ctx: Ctx,
  id: string,
  n: number,
  expectedVersion: number,
  changeNote?: string | undefined,
): Promise<TKbArticle> {
  const actor = requireActor(ctx);
  return inTransaction(ctx, async (tx) => {
    const row = await manageableArticle(tx, actor, id);
    const version = await repo.findVersion(tx, id, n);
    if (!version) throw notFound('kb_version');
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    const old = fromJson<TKbContent>(version.content);
    const content = normalised({ ...old, status: row.status as KbStatus });
    return writeContent(tx, row, expectedVersion, content, changeNote || null, 'kb.article_restored');
  });
}

// --- history -------------------------------------------------------------------------------------

/** Versions are for staff: an old version may hold what a public procedure no longer shows. */
async function staffArticle(ctx: Ctx, id: string): Promise<KbArticleTable> {
  const actor = requireActor(ctx);
  const row = await visibleArticle(ctx, actor, id);
  if (!can(actor, 'kb.read_internal', { orgId: row.org_id })) throw forbidden();
  return row;
}

export async function listVersions(
  ctx: Ctx,
  id: string,
  q: { limit: number; cursor?: string | undefined },
): Promise<Page<TKbVersionSummary>> {
  await staffArticle(ctx, id);
  const before = decodeCursor(q.cursor, 1)?.[0];
  if (before !== undefined && typeof before !== 'number') {
    throw invalid([{ path: 'cursor', code: 'invalid_format', message: 'cursor' }]);
  }
  const rows = await repo.listVersions(ctx, id, { before, limit: q.limit + 1 });
  const page = toPage(rows, q.limit, toVersionSummary, (r) => [r.version]);
  return { items: await withAuthorNames(ctx, page.items), nextCursor: page.nextCursor };
}

export async function getVersion(ctx: Ctx, id: string, n: number): Promise<TKbVersion> {
  await staffArticle(ctx, id);
  const row = await repo.findVersion(ctx, id, n);
  if (!row) throw notFound('kb_version');
  const [summary] = await withAuthorNames(ctx, [toVersionSummary(row)]);
  return { ...summary!, content: fromJson<TKbContent>(row.content) };
}

// --- from a ticket -------------------------------------------------------------------------------

export type TicketDraftInput = {
  orgId: string;
  title: string;
  symptoms: string;
  cause: string;
  resolution: string;
  sourceTicketId: string;
};

const clip = (text: string, max: number) => text.trim().slice(0, max);

/**
 * A procedure pre-filled from a resolved ticket, not saved: an internal draft in the ticket's language
 * (guessed from its words), ready for the editor and for POST /kb/articles as it is.
 */
export function draftFromTicket(input: TicketDraftInput): TKbArticleInput {
  return {
    orgId: input.orgId,
    title: clip(input.title, 200) || '—',
    symptoms: clip(input.symptoms, 20_000),
    cause: clip(input.cause, 20_000),
    resolution: clip(input.resolution, 50_000),
    language: guessLanguage([input.title, input.symptoms, input.resolution].join(' ')),
    visibility: 'internal',
    status: 'draft',
    tags: [],
    appliesToModels: [],
    appliesToSoftware: [],
    sourceTicketId: input.sourceTicketId,
  };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
