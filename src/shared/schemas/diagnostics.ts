import { z } from 'zod';
import { ZId, ZIsoDate, ZListQuery } from './common.js';
import { IMPACTS, TYPOLOGIES, URGENCIES } from './helpdesk.js';

/**
 * Structured diagnosis: trees of questions whose answers lead to another question or to an outcome
 * (advice, a knowledge-base procedure, a ticket category and its impact and urgency). A tree is saved
 * as one document; publishing snapshots it, and walks run on the published snapshot.
 */
export const DIAGNOSTIC_STATUSES = ['draft', 'published', 'archived'] as const;
export const DIAGNOSTIC_NODE_KINDS = ['question', 'outcome'] as const;
export type DiagnosticStatus = (typeof DIAGNOSTIC_STATUSES)[number];
export type DiagnosticNodeKind = (typeof DIAGNOSTIC_NODE_KINDS)[number];
export const ZDiagnosticStatus = z.enum(DIAGNOSTIC_STATUSES);

export const DIAGNOSTIC_LIMITS = {
  title: 200,
  description: 2000,
  /** A question is saved on the ticket's path, whose steps take 500 characters at most. */
  question: 500,
  /** An outcome's advice. */
  advice: 4000,
  label: 200,
  nodes: 200,
  answers: 20,
  /** The ticket's path holds 50 steps at most: no walk is longer. */
  depth: 50,
} as const;

export const ZDiagnosticAnswer = z.strictObject({
  id: ZId,
  label: z.string().trim().min(1).max(DIAGNOSTIC_LIMITS.label),
  /** Another node of the same tree; null is reported as `required` (the editor's "not chosen yet"). */
  nextNodeId: ZId.nullable(),
});
export type TDiagnosticAnswer = z.infer<typeof ZDiagnosticAnswer>;

/**
 * One node as the editor sends it. A question has a text and answers; an outcome has advice (may be
 * empty) and the ticket it suggests. Outcome fields on a question are ignored.
 */
export const ZDiagnosticNodeInput = z.strictObject({
  id: ZId,
  kind: z.enum(DIAGNOSTIC_NODE_KINDS),
  text: z.string().trim().max(DIAGNOSTIC_LIMITS.advice),
  answers: z.array(ZDiagnosticAnswer).max(DIAGNOSTIC_LIMITS.answers).default([]),
  /** A knowledge-base procedure to read (not checked: the knowledge base owns its articles). */
  kbArticleId: ZId.nullable().default(null),
  /** A ticket category of the tree's organisation or a built-in one. */
  categoryId: ZId.nullable().default(null),
  impact: z.enum(IMPACTS).nullable().default(null),
  urgency: z.enum(URGENCIES).nullable().default(null),
  /** False: "fixed, no ticket needed". */
  createTicket: z.boolean().default(false),
});
export type TDiagnosticNodeInput = z.input<typeof ZDiagnosticNodeInput>;

export const ZDiagnosticNode = z.object({
  id: ZId,
  kind: z.enum(DIAGNOSTIC_NODE_KINDS),
  text: z.string(),
  answers: z.array(z.object({ id: ZId, label: z.string(), nextNodeId: ZId.nullable() })),
  kbArticleId: ZId.nullable(),
  categoryId: ZId.nullable(),
  impact: z.enum(IMPACTS).nullable(),
  urgency: z.enum(URGENCIES).nullable(),
  createTicket: z.boolean(),
});
export type TDiagnosticNode = z.infer<typeof ZDiagnosticNode>;

/** The whole tree as PUT replaces it (If-Match), and as POST creates it (with orgId). */
export const ZDiagnosticDocument = z.strictObject({
  title: z.string().trim().min(1).max(DIAGNOSTIC_LIMITS.title),
  description: z.string().trim().max(DIAGNOSTIC_LIMITS.description).default(''),
  rootNodeId: ZId,
  nodes: z.array(ZDiagnosticNodeInput).min(1).max(DIAGNOSTIC_LIMITS.nodes),
});
export type TDiagnosticDocumentInput = z.input<typeof ZDiagnosticDocument>;
export type TDiagnosticDocument = z.output<typeof ZDiagnosticDocument>;

export const ZDiagnosticTreeCreate = ZDiagnosticDocument.extend({ orgId: ZId });
export type TDiagnosticTreeCreate = z.input<typeof ZDiagnosticTreeCreate>;

export const ZDiagnosticTreeSummary = z.object({
  id: ZId,
  orgId: ZId,
  title: z.string(),
  description: z.string(),
  status: ZDiagnosticStatus,
  /** The tree version walks run on; null until first published. */
  publishedVersion: z.number().int().nullable(),
  publishedAt: ZIsoDate.nullable(),
  createdAt: ZIsoDate,
  updatedAt: ZIsoDate,
  version: z.number().int(),
});
export type TDiagnosticTreeSummary = z.infer<typeof ZDiagnosticTreeSummary>;

/**
 * A tree with its nodes. Those who manage trees read the working document (which may differ from the
 * published snapshot: `version` > `publishedVersion`); the others read the published snapshot.
 */
export const ZDiagnosticTree = ZDiagnosticTreeSummary.extend({
  rootNodeId: ZId,
  nodes: z.array(ZDiagnosticNode),
});
export type TDiagnosticTree = z.infer<typeof ZDiagnosticTree>;

export const ZDiagnosticListQuery = ZListQuery.extend({
  /** Words of the title, accents and case ignored. */
  q: z.string().trim().max(200).optional(),
  orgId: ZId.optional(),
  /** Without it, archived trees are left out. */
  status: ZDiagnosticStatus.optional(),
});

export const ZDiagnosticWalk = z.strictObject({
  /** The answers chosen so far, from the root. */
  answers: z.array(ZId).max(DIAGNOSTIC_LIMITS.depth).default([]),
  /** The version the walk started on (from the first answer); another published since: 409. */
  version: z.number().int().min(1).optional(),
  /** Walk the working document instead of the published one (those who manage trees only). */
  preview: z.boolean().default(false),
});
export type TDiagnosticWalk = z.input<typeof ZDiagnosticWalk>;

/** One step, in the shape of the ticket's `diagnosticPath`. */
export const ZDiagnosticPathStep = z.object({ question: z.string(), answer: z.string() });
export type TDiagnosticPathStep = z.infer<typeof ZDiagnosticPathStep>;

export const ZDiagnosticOutcome = z.object({
  /** The advice shown to the person. */
  text: z.string(),
  kbArticleId: ZId.nullable(),
  /** Null when the category is no longer usable (deactivated). */
  categoryId: ZId.nullable(),
  category: z
    .object({ id: ZId, typology: z.enum(TYPOLOGIES), name: z.object({ fr: z.string(), en: z.string() }) })
    .nullable(),
  impact: z.enum(IMPACTS).nullable(),
  urgency: z.enum(URGENCIES).nullable(),
  /** From the organisation's matrix, with the ticket's defaults (user, medium) for what is not set. */
  priority: z.number().int(),
  createTicket: z.boolean(),
});
export type TDiagnosticOutcome = z.infer<typeof ZDiagnosticOutcome>;

export const ZDiagnosticWalkResult = z.object({
  treeId: ZId,
  orgId: ZId,
  title: z.string(),
  /** Send it back with the next step. */
  version: z.number().int(),
  preview: z.boolean(),
  /** The answers taken, as sent. */
  answers: z.array(ZId),
  node: z.object({
    id: ZId,
    kind: z.enum(DIAGNOSTIC_NODE_KINDS),
    text: z.string(),
    answers: z.array(z.object({ id: ZId, label: z.string() })),
  }),
  /** Set when the node is an outcome. */
  outcome: ZDiagnosticOutcome.nullable(),
  path: z.array(ZDiagnosticPathStep),
});
export type TDiagnosticWalkResult = z.infer<typeof ZDiagnosticWalkResult>;

// --- the graph's rules, shared: the server enforces them, the editor shows them as one types -------

export type GraphIssue = { path: string; code: string };

type GraphNode = {
  id: string;
  kind: string;
  text: string;
  answers: ReadonlyArray<{ id: string; nextNodeId: string | null }>;
};

/**
 * Every rule of a tree's shape, with the field path of each problem: ids unique, the root exists,
 * questions have a text and answers (a leaf is an outcome), outcomes have no answers, every answer
 * points to a node of the tree, no cycle, every node reached from the root, at most 50 questions deep.
 */
export function validateDiagnosticGraph(doc: {
  rootNodeId: string;
  nodes: readonly GraphNode[];
}): GraphIssue[] {
  const issues: GraphIssue[] = [];
  const index = new Map<string, number>();
  doc.nodes.forEach((n, i) => {
    if (index.has(n.id)) issues.push({ path: `nodes.${i}.id`, code: 'duplicate' });
    else index.set(n.id, i);
  });
  const answerIds = new Set<string>();
  doc.nodes.forEach((n, i) => {
    if (n.kind === 'question') {
      if (n.text.trim() === '') issues.push({ path: `nodes.${i}.text`, code: 'required' });
      else if (n.text.length > DIAGNOSTIC_LIMITS.question)
        issues.push({ path: `nodes.${i}.text`, code: 'too_long' });
      if (n.answers.length === 0) issues.push({ path: `nodes.${i}.answers`, code: 'leaf_not_outcome' });
    } else if (n.answers.length > 0) {
      issues.push({ path: `nodes.${i}.answers`, code: 'not_allowed' });
    }
    n.answers.forEach((a, j) => {
      if (answerIds.has(a.id)) issues.push({ path: `nodes.${i}.answers.${j}.id`, code: 'duplicate' });
      answerIds.add(a.id);
      if (n.kind !== 'question') return;
      if (a.nextNodeId === null)
        issues.push({ path: `nodes.${i}.answers.${j}.nextNodeId`, code: 'required' });
      else if (!index.has(a.nextNodeId)) {
        issues.push({ path: `nodes.${i}.answers.${j}.nextNodeId`, code: 'dangling' });
      }
    });
  });
  const root = index.get(doc.rootNodeId);
  if (root === undefined) {
    issues.push({ path: 'rootNodeId', code: 'not_found' });
    return issues;
  }

  // Depth-first from the root, then from any node left (a cycle among unreached nodes is still one).
  const next = (i: number): Array<[j: number, target: number]> =>
    doc.nodes[i]!.kind === 'question'
      ? doc.nodes[i]!.answers.flatMap((a, j) => {
          const target = a.nextNodeId === null ? undefined : index.get(a.nextNodeId);
          return target === undefined ? [] : [[j, target] as [number, number]];
        })
      : [];
  const state = new Array<0 | 1 | 2>(doc.nodes.length).fill(0);
  let cyclic = false;
  const visit = (start: number) => {
    const stack: Array<{ node: number; edges: Array<[number, number]>; k: number }> = [
      { node: start, edges: next(start), k: 0 },
    ];
    state[start] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.k >= top.edges.length) {
        state[top.node] = 2;
        stack.pop();
        continue;
      }
      const [j, target] = top.edges[top.k++]!;
      if (state[target] === 1) {
        cyclic = true;
        issues.push({ path: `nodes.${top.node}.answers.${j}.nextNodeId`, code: 'cycle' });
      } else if (state[target] === 0) {
        state[target] = 1;
        stack.push({ node: target, edges: next(target), k: 0 });
      }
    }
  };
  visit(root);
  const reached = state.map((s) => s !== 0);
  doc.nodes.forEach((n, i) => {
    if (!reached[i] && index.get(n.id) === i) issues.push({ path: `nodes.${i}.id`, code: 'unreachable' });
  });
  for (let i = 0; i < doc.nodes.length; i++) if (state[i] === 0) visit(i);

  if (!cyclic) {
    // Questions on the longest way down from each node (the graph is acyclic: memoised).
    const depth = new Map<number, number>();
    const depthOf = (i: number): number => {
      const known = depth.get(i);
      if (known !== undefined) return known;
      const below = Math.max(0, ...next(i).map(([, target]) => depthOf(target)));
      const d = (doc.nodes[i]!.kind === 'question' ? 1 : 0) + below;
      depth.set(i, d);
      return d;
    };
    if (depthOf(root) > DIAGNOSTIC_LIMITS.depth) issues.push({ path: 'rootNodeId', code: 'too_deep' });
  }
  return issues;
}
