import { uuidv7 } from 'uuidv7';
import { can, orgsWhere } from '../../../shared/policy.js';
import type { Page } from '../../../shared/schemas/common.js';
import {
  type DiagnosticStatus,
  type TDiagnosticDocument,
  type TDiagnosticNode,
  type TDiagnosticOutcome,
  type TDiagnosticPathStep,
  type TDiagnosticTree,
  type TDiagnosticTreeSummary,
  type TDiagnosticWalkResult,
  validateDiagnosticGraph,
} from '../../../shared/schemas/diagnostics.js';
import type { Impact, Urgency } from '../../../shared/schemas/helpdesk.js';
import { foldText } from '../../../shared/text.js';
import { type Ctx, inTransaction, type Principal, requireActor } from '../../context.js';
import { fromJson, toBool, toJson } from '../../db/values.js';
import { AppError, forbidden, invalid, notFound, preconditionFailed } from '../../http/errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { recordAudit } from '../audit/index.js';
import { findCategoryForOrg, priorityFor } from '../helpdesk/index.js';
import * as repo from './diagnostics.repo.js';
import type { DiagnosticNodeTable, DiagnosticTreeTable } from './diagnostics.tables.js';

type StoredAnswer = { id: string; label: string; next_node_id: string | null };
/** What a published snapshot holds. */
type Snapshot = { title: string; description: string; rootNodeId: string; nodes: TDiagnosticNode[] };

// --- mapping -------------------------------------------------------------------------------------

function toNode(row: DiagnosticNodeTable): TDiagnosticNode {
  return {
    id: row.id,
    kind: row.kind as TDiagnosticNode['kind'],
    text: row.text,
    answers: (fromJson<StoredAnswer[]>(row.answers) ?? []).map((a) => ({
      id: a.id,
      label: a.label,
      nextNodeId: a.next_node_id,
    })),
    kbArticleId: row.kb_article_id,
    categoryId: row.category_id,
    impact: row.impact as Impact | null,
    urgency: row.urgency as Urgency | null,
    createTicket: toBool(row.create_ticket),
  };
}

function nodeRow(treeId: string, node: TDiagnosticNode, position: number): DiagnosticNodeTable {
  return {
    tree_id: treeId,
    id: node.id,
    position,
    kind: node.kind,
    text: node.text,
    answers: toJson(node.answers.map((a) => ({ id: a.id, label: a.label, next_node_id: a.nextNodeId }))),
    kb_article_id: node.kbArticleId,
    category_id: node.categoryId,
    impact: node.impact,
    urgency: node.urgency,
    create_ticket: node.createTicket,
  };
}

function toSummary(row: DiagnosticTreeTable): TDiagnosticTreeSummary {
  return {
    id: row.id,
    orgId: row.org_id,
    title: row.title,
    description: row.description,
    status: row.status as DiagnosticStatus,
    publishedVersion: row.published_version,
    publishedAt: row.published_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

function toTree(row: DiagnosticTreeTable, nodes: TDiagnosticNode[]): TDiagnosticTree {
  return { ...toSummary(row), rootNodeId: row.root_node_id, nodes };
}

function snapshotOf(tree: TDiagnosticTree): Snapshot {
  return { title: tree.title, description: tree.description, rootNodeId: tree.rootNodeId, nodes: tree.nodes };
}

// --- visibility ----------------------------------------------------------------------------------

/** Those who manage trees list every status; those who only file tickets list published trees. */
function scopeOf(actor: Principal): repo.TreeScope {
  const manage = orgsWhere(actor, 'diagnostic.manage');
  const walk = orgsWhere(actor, 'ticket.create');
  if (manage === 'all' || walk === 'all') return { manage, publishedOnly: [] };
  return { manage, publishedOnly: walk.filter((orgId) => !manage.includes(orgId)) };
}

function readable(actor: Principal, row: DiagnosticTreeTable): boolean {
  if (can(actor, 'diagnostic.manage', { orgId: row.org_id })) return true;
  return can(actor, 'ticket.create', { orgId: row.org_id }) && row.status === 'published';
}

/** The tree if the actor may see it; 404 otherwise, whether it exists elsewhere or not. */
async function visibleTree(ctx: Ctx, actor: Principal, id: string): Promise<DiagnosticTreeTable> {
  const row = await repo.findTree(ctx, id);
  if (!row || !readable(actor, row)) throw notFound('diagnostic');
  return row;
}

async function manageableTree(ctx: Ctx, actor: Principal, id: string): Promise<DiagnosticTreeTable> {
  const row = await visibleTree(ctx, actor, id);
  if (!can(actor, 'diagnostic.manage', { orgId: row.org_id })) throw forbidden();
  return row;
}

async function publishedSnapshot(ctx: Ctx, row: DiagnosticTreeTable): Promise<Snapshot> {
  const version =
    row.published_version === null ? undefined : await repo.findVersion(ctx, row.id, row.published_version);
  if (!version) throw new AppError('diagnostic.not_published', 409);
  return fromJson<Snapshot>(version.document);
}

// --- validation ----------------------------------------------------------------------------------

/** The nodes as stored (fields in one order, so documents compare as JSON): a question keeps no outcome fields. */
function normalisedNodes(doc: TDiagnosticDocument): TDiagnosticNode[] {
  return doc.nodes.map((n) => {
    const question = n.kind === 'question';
    return {
      id: n.id,
      kind: n.kind,
      text: n.text,
      answers: n.answers.map((a) => ({ id: a.id, label: a.label, nextNodeId: a.nextNodeId })),
      kbArticleId: question ? null : n.kbArticleId,
      categoryId: question ? null : n.categoryId,
      impact: question ? null : n.impact,
      urgency: question ? null : n.urgency,
      createTicket: question ? false : n.createTicket,
    };
  });
}

/**
 * The document's nodes, normalised, if the tree is well formed (see validateDiagnosticGraph) and every
 * outcome's category is one a ticket of the organisation may take; 400 listing each problem otherwise.
 */
async function checkedNodes(ctx: Ctx, orgId: string, doc: TDiagnosticDocument): Promise<TDiagnosticNode[]> {
  const nodes = normalisedNodes(doc);
  const issues = validateDiagnosticGraph({ rootNodeId: doc.rootNodeId, nodes });
  const usable = new Map<string, boolean>();
  for (const [i, node] of nodes.entries()) {
    if (node.kind !== 'outcome' || !node.categoryId) continue;
    if (!usable.has(node.categoryId)) {
      usable.set(node.categoryId, (await findCategoryForOrg(ctx, orgId, node.categoryId)) !== null);
    }
    if (!usable.get(node.categoryId)) issues.push({ path: `nodes.${i}.categoryId`, code: 'not_found' });
  }
  if (issues.length > 0) throw invalid(issues);
  return nodes;
}

// --- reading -------------------------------------------------------------------------------------

export type DiagnosticListQuery = {
  q?: string | undefined;
  orgId?: string | undefined;
  status?: DiagnosticStatus | undefined;
  limit: number;
  cursor?: string | undefined;
};

/** Trees by title; those who only file tickets see the published ones of their organisations. */
export async function listTrees(ctx: Ctx, q: DiagnosticListQuery): Promise<Page<TDiagnosticTreeSummary>> {
  const actor = requireActor(ctx);
  if (!can(actor, 'diagnostic.manage') && !can(actor, 'ticket.create')) throw forbidden();
  const rows = await repo.listTrees(ctx, {
    scope: scopeOf(actor),
    orgId: q.orgId,
    status: q.status,
    q: q.q ? foldText(q.q) : undefined,
    after: decodeCursor(q.cursor, 2) as [string, string] | undefined,
    limit: q.limit + 1,
  });
  return toPage(rows, q.limit, toSummary, (r) => [r.title_search, r.id]);
}

/** The working document for those who manage trees, the published one for the others. */
export async function getTree(ctx: Ctx, id: string): Promise<TDiagnosticTree> {
  const actor = requireActor(ctx);
  const row = await visibleTree(ctx, actor, id);
  if (can(actor, 'diagnostic.manage', { orgId: row.org_id })) {
    return toTree(row, (await repo.listNodes(ctx, id)).map(toNode));
  }
  const snapshot = await publishedSnapshot(ctx, row);
  return { ...toSummary(row), ...snapshot };
}

// --- writing -------------------------------------------------------------------------------------

export async function createTree(
  ctx: Ctx,
  input: TDiagnosticDocument & { orgId: string },
): Promise<TDiagnosticTree> {
  const actor = requireActor(ctx);
  if (!can(actor, 'org.read', { orgId: input.orgId })) throw notFound('org');
  if (!can(actor, 'diagnostic.manage', { orgId: input.orgId })) throw forbidden();
  return inTransaction(ctx, async (tx) => {
    const nodes = await checkedNodes(tx, input.orgId, input);
    const now = tx.now.toISOString();
    const row: DiagnosticTreeTable = {
      id: uuidv7(),
      org_id: input.orgId,
      title: input.title,
      title_search: foldText(input.title),
      description: input.description,
      status: 'draft',
      root_node_id: input.rootNodeId,
      published_version: null,
      published_at: null,
      created_by: actor.via === 'system' ? null : actor.userId,
      created_at: now,
      updated_at: now,
      version: 1,
      deleted_at: null,
    };
    await repo.insertTree(tx, row);
    await repo.replaceNodes(
      tx,
      row.id,
      nodes.map((n, i) => nodeRow(row.id, n, i)),
    );
    const tree = toTree(row, nodes);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'diagnostic.created',
      entityType: 'diagnostic_tree',
      entityId: row.id,
      after: tree,
    });
    return tree;
  });
}

/**
 * Replaces the working document (title, description, root and every node) at once. A published tree
 * stays published as it was: walks keep the published snapshot until the tree is published again.
 */
export async function saveTree(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  doc: TDiagnosticDocument,
): Promise<TDiagnosticTree> {
  const actor = requireActor(ctx);
  return inTransaction(ctx, async (tx) => {
    const row = await manageableTree(tx, actor, id);
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    const nodes = await checkedNodes(tx, row.org_id, doc);
    const before = toTree(row, (await repo.listNodes(tx, id)).map(toNode));
    const same =
      JSON.stringify(snapshotOf(before)) ===
      JSON.stringify({ title: doc.title, description: doc.description, rootNodeId: doc.rootNodeId, nodes });
    if (same) return before;
    const set = {
      title: doc.title,
      title_search: foldText(doc.title),
      description: doc.description,
      root_node_id: doc.rootNodeId,
      updated_at: tx.now.toISOString(),
    };
    if (!(await repo.updateTree(tx, id, expectedVersion, set))) throw preconditionFailed(row.version);
    await repo.replaceNodes(
      tx,
      id,
      nodes.map((n, i) => nodeRow(id, n, i)),
    );
    const after = toTree({ ...row, ...set, version: row.version + 1 }, nodes);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'diagnostic.updated',
      entityType: 'diagnostic_tree',
      entityId: id,
      before,
      after,
    });
    return after;
  });
}

/**
 * Publishes the working document: it is checked again (a category may have been deactivated since),
 * snapshotted under the new version, and walks run on that snapshot from now on.
 */
export async function publishTree(ctx: Ctx, id: string, expectedVersion: number): Promise<TDiagnosticTree> {
  const actor = requireActor(ctx);
  return inTransaction(ctx, async (tx) => {
    const row = await manageableTree(tx, actor, id);
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    const current = toTree(row, (await repo.listNodes(tx, id)).map(toNode));
    if (row.status === 'published' && row.published_version === row.version) return current;
    await checkedNodes(tx, row.org_id, current);
    const now = tx.now.toISOString();
    const version = row.version + 1;
    const set = { status: 'published', published_version: version, published_at: now, updated_at: now };
    if (!(await repo.updateTree(tx, id, expectedVersion, set))) throw preconditionFailed(row.version);
    const after = toTree({ ...row, ...set, version }, current.nodes);
    await repo.insertVersion(tx, {
      tree_id: id,
      version,
      org_id: row.org_id,
      document: toJson(snapshotOf(after)),
      published_by: actor.via === 'system' ? null : actor.userId,
      published_at: now,
    });
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'diagnostic.published',
      entityType: 'diagnostic_tree',
      entityId: id,
      before: toSummary(row),
      after: toSummary({ ...row, ...set, version }),
    });
    return after;
  });
}

/** Out of the lists and no longer walked; publishing it again brings it back. */
export async function archiveTree(ctx: Ctx, id: string, expectedVersion: number): Promise<TDiagnosticTree> {
  const actor = requireActor(ctx);
  return inTransaction(ctx, async (tx) => {
    const row = await manageableTree(tx, actor, id);
    if (row.version !== expectedVersion) throw preconditionFailed(row.version);
    const nodes = (await repo.listNodes(tx, id)).map(toNode);
    if (row.status === 'archived') return toTree(row, nodes);
    const set = { status: 'archived', updated_at: tx.now.toISOString() };
    if (!(await repo.updateTree(tx, id, expectedVersion, set))) throw preconditionFailed(row.version);
    const updated = { ...row, ...set, version: row.version + 1 };
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'diagnostic.archived',
      entityType: 'diagnostic_tree',
      entityId: id,
      before: toSummary(row),
      after: toSummary(updated),
    });
    return toTree(updated, nodes);
  });
}

/** Only a draft (never published) is deleted; a published tree is archived instead. */
export async function deleteTree(ctx: Ctx, id: string): Promise<void> {
  const actor = requireActor(ctx);
  await inTransaction(ctx, async (tx) => {
    const row = await manageableTree(tx, actor, id);
    if (row.status !== 'draft') throw new AppError('diagnostic.not_draft', 409);
    const before = toTree(row, (await repo.listNodes(tx, id)).map(toNode));
    await repo.deleteTree(tx, id);
    await recordAudit(tx, {
      orgId: row.org_id,
      action: 'diagnostic.deleted',
      entityType: 'diagnostic_tree',
      entityId: id,
      before,
    });
  });
}

// --- walking -------------------------------------------------------------------------------------

async function outcomeOf(ctx: Ctx, orgId: string, node: TDiagnosticNode): Promise<TDiagnosticOutcome> {
  const category = node.categoryId ? await findCategoryForOrg(ctx, orgId, node.categoryId) : null;
  return {
    text: node.text,
    kbArticleId: node.kbArticleId,
    categoryId: category?.id ?? null,
    category: category && { id: category.id, typology: category.typology, name: category.name },
    impact: node.impact,
    urgency: node.urgency,
    // The ticket form's defaults for what the outcome leaves open.
    priority: await priorityFor(ctx, orgId, node.impact ?? 'user', node.urgency ?? 'medium'),
    createTicket: node.createTicket,
  };
}

/**
 * Follows `answers` from the root of the published tree (or, as a preview for those who manage it,
 * of the working document) and answers where they lead, with the path taken as questions and answers.
 * Each step is checked: an answer that is not offered there is a 422 naming it (`answers.<i>`), and a
 * walk started on another version than the one published now is a 409.
 */
export async function walkTree(
  ctx: Ctx,
  id: string,
  input: { answers: string[]; version?: number | undefined; preview: boolean },
): Promise<TDiagnosticWalkResult> {
  const actor = requireActor(ctx);
  const row = await visibleTree(ctx, actor, id);
  let doc: Snapshot;
  let version: number;
  if (input.preview) {
    if (!can(actor, 'diagnostic.manage', { orgId: row.org_id })) throw forbidden();
    doc = snapshotOf(toTree(row, (await repo.listNodes(ctx, id)).map(toNode)));
    version = row.version;
  } else {
    if (row.status !== 'published') throw new AppError('diagnostic.not_published', 409);
    doc = await publishedSnapshot(ctx, row);
    version = row.published_version!;
  }
  if (input.version !== undefined && input.version !== version) {
    throw new AppError(
      'diagnostic.stale_version',
      409,
      { version: input.version },
      { currentVersion: version },
    );
  }
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  let node = byId.get(doc.rootNodeId);
  const path: TDiagnosticPathStep[] = [];
  for (const [i, answerId] of input.answers.entries()) {
    const answer = node?.kind === 'question' ? node.answers.find((a) => a.id === answerId) : undefined;
    const next = answer?.nextNodeId ? byId.get(answer.nextNodeId) : undefined;
    if (!node || !answer || !next) {
      throw new AppError('diagnostic.bad_answer', 422, { step: i + 1 }, { path, version }, [
        { path: `answers.${i}`, code: node?.kind === 'outcome' ? 'after_outcome' : 'not_an_answer' },
      ]);
    }
    path.push({ question: node.text, answer: answer.label });
    node = next;
  }
  // Saved trees are checked whole: the root exists.
  if (!node) throw new AppError('diagnostic.not_published', 409);
  return {
    treeId: row.id,
    orgId: row.org_id,
    title: doc.title,
    version,
    preview: input.preview,
    answers: input.answers,
    node: {
      id: node.id,
      kind: node.kind,
      text: node.text,
      answers: node.kind === 'question' ? node.answers.map((a) => ({ id: a.id, label: a.label })) : [],
    },
    outcome: node.kind === 'outcome' ? await outcomeOf(ctx, row.org_id, node) : null,
    path,
  };
}
