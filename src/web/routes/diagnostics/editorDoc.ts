import { uuidv7 } from 'uuidv7';
import type { DiagnosticNodeKind } from '../../../shared/schemas/diagnostics.js';
import type { DiagnosticNode, DiagnosticTree } from '../../api/diagnostics.js';

/** The tree as the editor holds it: the document PUT sends. */
export type EditorDoc = { title: string; description: string; rootNodeId: string; nodes: DiagnosticNode[] };

export function docOf(tree: DiagnosticTree): EditorDoc {
  return { title: tree.title, description: tree.description, rootNodeId: tree.rootNodeId, nodes: tree.nodes };
}

export function blankNode(kind: DiagnosticNodeKind): DiagnosticNode {
  return {
    id: uuidv7(),
    kind,
    text: '',
    answers: [],
    kbArticleId: null,
    categoryId: null,
    impact: null,
    urgency: null,
    createTicket: kind === 'outcome',
  };
}

/** The ids of the nodes reached from the root. */
export function reachable(doc: EditorDoc): Set<string> {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const seen = new Set<string>();
  const stack = [doc.rootNodeId];
  while (stack.length > 0) {
    const id = stack.pop()!;
    const node = byId.get(id);
    if (!node || seen.has(id)) continue;
    seen.add(id);
    if (node.kind === 'question') for (const a of node.answers) if (a.nextNodeId) stack.push(a.nextNodeId);
  }
  return seen;
}

/** A node nobody would miss: nothing typed nor chosen in it. */
function isBlank(n: DiagnosticNode): boolean {
  return n.text.trim() === '' && n.answers.length === 0 && !n.categoryId && !n.kbArticleId;
}

/**
 * Applies `change`, then drops the nodes it cut off from the root (all of them, or only blank ones):
 * removing an answer removes what hung below it, nodes already unlinked before stay where they were.
 */
function withCleanup(doc: EditorDoc, change: (d: EditorDoc) => EditorDoc, only: 'all' | 'blank'): EditorDoc {
  const before = reachable(doc);
  const next = change(doc);
  const after = reachable(next);
  const cut = (n: DiagnosticNode) => before.has(n.id) && !after.has(n.id) && (only === 'all' || isBlank(n));
  return { ...next, nodes: next.nodes.filter((n) => !cut(n)) };
}

const mapNode = (doc: EditorDoc, id: string, f: (n: DiagnosticNode) => DiagnosticNode): EditorDoc => ({
  ...doc,
  nodes: doc.nodes.map((n) => (n.id === id ? f(n) : n)),
});

export function updateNode(doc: EditorDoc, id: string, patch: Partial<DiagnosticNode>): EditorDoc {
  return mapNode(doc, id, (n) => ({ ...n, ...patch }));
}

/** A question becomes an outcome (its answers and what hung below them go) or the other way round. */
export function setKind(doc: EditorDoc, id: string, kind: DiagnosticNodeKind): EditorDoc {
  return withCleanup(
    doc,
    (d) =>
      mapNode(d, id, (n) =>
        n.kind === kind
          ? n
          : {
              ...n,
              kind,
              answers: [],
              kbArticleId: null,
              categoryId: null,
              impact: null,
              urgency: null,
              createTicket: kind === 'outcome',
            },
      ),
    'all',
  );
}

/** A new answer leads to a new outcome, so the tree stays complete. */
export function addAnswer(doc: EditorDoc, id: string, label: string): EditorDoc {
  const outcome = blankNode('outcome');
  const next = mapNode(doc, id, (n) => ({
    ...n,
    answers: [...n.answers, { id: uuidv7(), label, nextNodeId: outcome.id }],
  }));
  return { ...next, nodes: [...next.nodes, outcome] };
}

export function removeAnswer(doc: EditorDoc, id: string, answerId: string): EditorDoc {
  return withCleanup(
    doc,
    (d) => mapNode(d, id, (n) => ({ ...n, answers: n.answers.filter((a) => a.id !== answerId) })),
    'all',
  );
}

export function setAnswerLabel(doc: EditorDoc, id: string, answerId: string, label: string): EditorDoc {
  return mapNode(doc, id, (n) => ({
    ...n,
    answers: n.answers.map((a) => (a.id === answerId ? { ...a, label } : a)),
  }));
}

/** Points an answer at another node, or at a new question or outcome (`new:question`, `new:outcome`). */
export function setAnswerTarget(
  doc: EditorDoc,
  id: string,
  answerId: string,
  target: string | null,
): EditorDoc {
  let created: DiagnosticNode | null = null;
  let nextNodeId = target;
  if (target === 'new:question' || target === 'new:outcome') {
    created = blankNode(target === 'new:question' ? 'question' : 'outcome');
    nextNodeId = created.id;
  }
  return withCleanup(
    doc,
    (d) => {
      const next = mapNode(d, id, (n) => ({
        ...n,
        answers: n.answers.map((a) => (a.id === answerId ? { ...a, nextNodeId } : a)),
      }));
      return created ? { ...next, nodes: [...next.nodes, created] } : next;
    },
    'blank',
  );
}

/** The node goes; answers that led to it must be pointed elsewhere, what hung only below it goes too. */
export function deleteNode(doc: EditorDoc, id: string): EditorDoc {
  if (id === doc.rootNodeId) return doc;
  const next = withCleanup(
    doc,
    (d) => ({
      ...d,
      nodes: d.nodes
        .filter((n) => n.id !== id)
        .map((n) => ({
          ...n,
          answers: n.answers.map((a) => (a.nextNodeId === id ? { ...a, nextNodeId: null } : a)),
        })),
    }),
    'all',
  );
  return next;
}

/**
 * Where each node is shown: under the first answer that reaches it walking from the root (the others
 * show a reference), then the nodes no answer reaches, each heading its own outline. Questions and
 * outcomes are numbered in that order, by kind ("Question 2", "Outcome 1").
 */
export type Layout = {
  /** `<nodeId>:<answerId>` of the answer under which a node is shown in full. */
  home: Map<string, string>;
  /** Outline heads: the root, then the unlinked nodes. */
  heads: string[];
  numbers: Map<string, number>;
};

export function layoutOf(doc: EditorDoc): Layout {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const home = new Map<string, string>();
  const placed = new Set<string>();
  const numbers = new Map<string, number>();
  const counters = { question: 0, outcome: 0 };
  const heads: string[] = [];
  const place = (id: string) => {
    const node = byId.get(id);
    if (!node || placed.has(id)) return;
    placed.add(id);
    numbers.set(id, ++counters[node.kind]);
    if (node.kind !== 'question') return;
    for (const a of node.answers) {
      if (!a.nextNodeId || placed.has(a.nextNodeId) || !byId.has(a.nextNodeId)) continue;
      home.set(a.nextNodeId, `${node.id}:${a.id}`);
      place(a.nextNodeId);
    }
  };
  if (byId.has(doc.rootNodeId)) {
    heads.push(doc.rootNodeId);
    place(doc.rootNodeId);
  }
  for (const n of doc.nodes) {
    if (!placed.has(n.id)) {
      heads.push(n.id);
      place(n.id);
    }
  }
  return { home, heads, numbers };
}
