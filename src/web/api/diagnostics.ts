import { z } from 'zod';
import { zPage } from '../../shared/schemas/common.js';
import {
  type DiagnosticStatus,
  type ZDiagnosticDocument,
  type ZDiagnosticOutcome,
  type ZDiagnosticPathStep,
  ZDiagnosticTree,
  type ZDiagnosticTreeCreate,
  ZDiagnosticTreeSummary,
  type ZDiagnosticWalk,
  ZDiagnosticWalkResult,
} from '../../shared/schemas/diagnostics.js';
import { ZTicketCategory } from '../../shared/schemas/helpdesk.js';
import { ZKbArticle, ZKbArticleSummary } from '../../shared/schemas/kb.js';
import { type ApiResult, request } from './client.js';

export type DiagnosticTree = z.infer<typeof ZDiagnosticTree>;
export type DiagnosticTreeSummary = z.infer<typeof ZDiagnosticTreeSummary>;
export type DiagnosticNode = DiagnosticTree['nodes'][number];
export type DiagnosticDocument = z.input<typeof ZDiagnosticDocument>;
export type DiagnosticTreeCreate = z.input<typeof ZDiagnosticTreeCreate>;
export type DiagnosticWalk = z.input<typeof ZDiagnosticWalk>;
export type DiagnosticWalkResult = z.infer<typeof ZDiagnosticWalkResult>;
export type DiagnosticOutcome = z.infer<typeof ZDiagnosticOutcome>;
export type DiagnosticPathStep = z.infer<typeof ZDiagnosticPathStep>;
export type DiagnosticCategory = z.infer<typeof ZTicketCategory>;
export type DiagnosticKbArticle = z.infer<typeof ZKbArticleSummary>;

export type DiagnosticListQuery = {
  q?: string | undefined;
  orgId?: string | undefined;
  status?: DiagnosticStatus | undefined;
  limit?: number;
  cursor?: string | undefined;
};

const ZTreePage = zPage(ZDiagnosticTreeSummary);
const id = (value: string) => encodeURIComponent(value);

/** Trees by title; those who only file tickets get the published ones. */
export async function listDiagnosticTrees(query: DiagnosticListQuery) {
  return (await request('GET', '/diagnostics', { query, schema: ZTreePage })).data;
}
/** The tree with its ETag: the working document for those who manage trees. */
export async function getDiagnosticTree(treeId: string): Promise<ApiResult<DiagnosticTree>> {
  return request('GET', `/diagnostics/${id(treeId)}`, { schema: ZDiagnosticTree });
}
export async function createDiagnosticTree(input: DiagnosticTreeCreate): Promise<DiagnosticTree> {
  return (await request('POST', '/diagnostics', { body: input, schema: ZDiagnosticTree })).data;
}
/** Replaces the whole working document; `etag` is the one read with the tree. */
export async function saveDiagnosticTree(
  treeId: string,
  doc: DiagnosticDocument,
  etag: string | null,
): Promise<DiagnosticTree> {
  return (
    await request('PUT', `/diagnostics/${id(treeId)}`, { body: doc, ifMatch: etag, schema: ZDiagnosticTree })
  ).data;
}
export async function publishDiagnosticTree(treeId: string, etag: string | null): Promise<DiagnosticTree> {
  return (
    await request('POST', `/diagnostics/${id(treeId)}/publish`, { ifMatch: etag, schema: ZDiagnosticTree })
  ).data;
}
export async function archiveDiagnosticTree(treeId: string, etag: string | null): Promise<DiagnosticTree> {
  return (
    await request('POST', `/diagnostics/${id(treeId)}/archive`, { ifMatch: etag, schema: ZDiagnosticTree })
  ).data;
}
/** Drafts only; a published tree is archived. */
export async function deleteDiagnosticTree(treeId: string): Promise<void> {
  await request('DELETE', `/diagnostics/${id(treeId)}`);
}
/** Where the answers chosen so far lead, with the path taken (the ticket's `diagnosticPath`). */
export async function walkDiagnosticTree(
  treeId: string,
  input: DiagnosticWalk,
): Promise<DiagnosticWalkResult> {
  return (
    await request('POST', `/diagnostics/${id(treeId)}/walk`, { body: input, schema: ZDiagnosticWalkResult })
  ).data;
}

// What an outcome refers to, read here so the editor does not depend on other screens' clients.
const ZCategories = z.object({ items: z.array(ZTicketCategory) });
const ZKbPage = zPage(ZKbArticleSummary);

/** Ticket categories: the built-in ones and those of the caller's organisations. */
export async function listDiagnosticCategories(): Promise<DiagnosticCategory[]> {
  return (await request('GET', '/ticket-categories', { schema: ZCategories })).data.items;
}
/** Published procedures of an organisation matching `q`, for an outcome's link. */
export async function searchKbArticles(orgId: string, q: string): Promise<DiagnosticKbArticle[]> {
  const query = { orgId, q: q || undefined, status: 'published', limit: 20 };
  return (await request('GET', '/kb/articles', { query, schema: ZKbPage })).data.items;
}
/** The title of the procedure an outcome links to. */
export async function getKbArticleTitle(articleId: string): Promise<string> {
  return (await request('GET', `/kb/articles/${id(articleId)}`, { schema: ZKbArticle })).data.title;
}
