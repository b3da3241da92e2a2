import { z } from 'zod';
import { zPage } from '../../shared/schemas/common.js';
import {
  ZKbArticle,
  type ZKbArticleCreate,
  ZKbArticleSummary,
  type ZKbArticleUpdate,
  type ZKbListQuery,
  ZKbVersion,
  ZKbVersionSummary,
} from '../../shared/schemas/kb.js';
import { type ApiResult, request } from './client.js';

export type KbArticle = z.infer<typeof ZKbArticle>;
export type KbArticleSummary = z.infer<typeof ZKbArticleSummary>;
export type KbArticleCreate = z.input<typeof ZKbArticleCreate>;
export type KbArticleUpdate = z.input<typeof ZKbArticleUpdate>;
export type KbListQuery = Partial<Omit<z.input<typeof ZKbListQuery>, 'limit'>> & { limit?: number };
export type KbVersionSummary = z.infer<typeof ZKbVersionSummary>;
export type KbVersion = z.infer<typeof ZKbVersion>;

const ZSummaryPage = zPage(ZKbArticleSummary);
const ZVersionPage = zPage(ZKbVersionSummary);
const ZSuggestions = z.object({ items: z.array(ZKbArticleSummary) });
const id = (value: string) => encodeURIComponent(value);

/** Procedures newest first; with `q`, those holding every word, title matches first. */
export async function listKbArticles(query: KbListQuery & { cursor?: string }) {
  return (await request('GET', '/kb/articles', { query: { limit: 20, ...query }, schema: ZSummaryPage }))
    .data;
}
export async function getKbArticle(articleId: string): Promise<ApiResult<KbArticle>> {
  return request('GET', `/kb/articles/${id(articleId)}`, { schema: ZKbArticle });
}
export async function createKbArticle(input: KbArticleCreate): Promise<KbArticle> {
  return (await request('POST', '/kb/articles', { body: input, schema: ZKbArticle })).data;
}
/** `etag` is `"v<version>"` of the procedure as read. */
export async function updateKbArticle(
  articleId: string,
  input: KbArticleUpdate,
  etag: string | null,
): Promise<ApiResult<KbArticle>> {
  return request('PATCH', `/kb/articles/${id(articleId)}`, {
    body: input,
    ifMatch: etag,
    schema: ZKbArticle,
  });
}
export async function archiveKbArticle(articleId: string, etag: string | null): Promise<void> {
  await request('DELETE', `/kb/articles/${id(articleId)}`, { ifMatch: etag });
}
export async function listKbVersions(articleId: string, cursor?: string) {
  return (
    await request('GET', `/kb/articles/${id(articleId)}/versions`, {
      query: { limit: 20, cursor },
      schema: ZVersionPage,
    })
  ).data;
}
export async function getKbVersion(articleId: string, version: number): Promise<KbVersion> {
  return (await request('GET', `/kb/articles/${id(articleId)}/versions/${version}`, { schema: ZKbVersion }))
    .data;
}
export async function restoreKbVersion(
  articleId: string,
  version: number,
  etag: string | null,
  changeNote?: string,
): Promise<ApiResult<KbArticle>> {
  return request('POST', `/kb/articles/${id(articleId)}/restore/${version}`, {
    body: { changeNote: changeNote || undefined },
    ifMatch: etag,
    schema: ZKbArticle,
  });
}
/** Published procedures for a ticket title being typed (for the ticket form). */
export async function suggestKbArticles(q: string, orgId?: string, limit = 5): Promise<KbArticleSummary[]> {
  return (await request('GET', '/kb/suggest', { query: { q, orgId, limit }, schema: ZSuggestions })).data
    .items;
}
