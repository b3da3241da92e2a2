/**
 * Rule files: YAML, one rule per document (`---` between rules), in the subset of Sigma described
 * in README.md. Every problem is reported with its line and column; a file with any problem is
 * refused whole.
 */
import { isMap, isScalar, isSeq, LineCounter, type Node, type Pair, parseAllDocuments, Scalar } from 'yaml';
import type { SecurityEvent } from '../formats/event.js';
import { type Compiled, ConditionError, compileCondition } from './condition.js';
import { FIELDS, type FieldReader } from './fields.js';
import { compileFieldMatch, compileKeywords, type EventPredicate, MatchError } from './match.js';

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CORRELATION_TYPES = [
  'event_count',
  'value_count',
  'temporal',
  'temporal_ordered',
  'new_value',
] as const;
export type CorrelationType = (typeof CORRELATION_TYPES)[number];

export type Stage = { condition: string; match: EventPredicate; gte: number };

export type Correlation = {
  type: CorrelationType;
  groupBy: string[];
  groupReaders: FieldReader[];
  /** Milliseconds; the sliding window (and how long a detection stays open to extension). */
  timespan: number;
  /** event_count: events; value_count: distinct values of `field`. */
  gte: number;
  field: string | null;
  fieldReader: FieldReader | null;
  /** temporal and temporal_ordered. */
  stages: Stage[];
  /** new_value: the first part of the stream only learns what is usual. */
  learning: number;
};

export type Rule = {
  id: string;
  title: string;
  description: string;
  severity: Severity;
  enabled: boolean;
  tags: string[];
  /** Where it came from: "built-in" or a file path. */
  source: string;
  match: EventPredicate;
  /** The only actions the rule can match (null: any), so the engine skips it for the others. */
  actions: ReadonlySet<string> | null;
  correlation: Correlation;
  /** The YAML text of the rule, for display. */
  text: string;
};

export type RuleProblem = { source: string; line: number; col: number; message: string };

export class RuleFileError extends Error {
  constructor(readonly problems: RuleProblem[]) {
    super(problems.map((p) => `${p.source}:${p.line}:${p.col}: ${p.message}`).join('\n'));
  }
}

const TOP_KEYS = new Set([
  'id',
  'title',
  'description',
  'severity',
  'level',
  'enabled',
  'tags',
  'detection',
  'correlation',
  'author',
  'references',
  'status',
  'falsepositives',
]);
const CORRELATION_KEYS = new Set([
  'type',
  'group-by',
  'timespan',
  'condition',
  'sequence',
  'field',
  'learning',
]);
const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(text: string): number | null {
  const m = DURATION.exec(text.trim());
  return m ? Number(m[1]) * UNIT[m[2]!]! : null;
}

/** Parses and compiles every rule of a YAML text; throws RuleFileError listing every problem. */
export function loadRules(text: string, source: string): Rule[] {
  const lines = new LineCounter();
  const problems: RuleProblem[] = [];
  const at = (offset: number, message: string) => {
    const { line, col } = lines.linePos(offset);
    problems.push({ source, line, col, message });
  };
  const atNode = (node: Node | Pair | null | undefined, message: string, fallback = 0) =>
    at(nodeOffset(node) ?? fallback, message);

  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [];
  const rules: Rule[] = [];
  if (!Array.isArray(docs)) at(0, 'not a YAML document');
  for (const doc of list) {
    for (const err of doc.errors)
      at(err.pos[0], err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''));
    if (doc.errors.length) continue;
    const root = doc.contents;
    if (root === null) continue;
    const start = problems.length;
    const rule = compileRule(root as Node, {
      atNode,
      text,
      source,
      docStart: doc.range[0],
      docEnd: doc.range[2],
    });
    if (rule && problems.length === start) rules.push(rule);
  }
  const seen = new Map<string, Rule>();
  for (const r of rules) {
    if (seen.has(r.id))
      problems.push({ source, line: 1, col: 1, message: `rule id "${r.id}" is used twice` });
    seen.set(r.id, r);
  }
  if (problems.length) throw new RuleFileError(problems);
  return rules;
}

type Ctx = {
  atNode(node: Node | Pair | null | undefined, message: string, fallback?: number): void;
  text: string;
  source: string;
  docStart: number;
  docEnd: number;
};

function nodeOffset(node: Node | Pair | null | undefined): number | undefined {
  if (!node) return undefined;
  if ('range' in node && node.range) return node.range[0];
  if ('key' in node) return nodeOffset(node.key as Node);
  return undefined;
}

function scalarText(node: unknown): string | null {
  if (!isScalar(node)) return null;
  const v = node.value;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

function compileRule(root: Node, ctx: Ctx): Rule | null {
  if (!isMap(root)) {
    ctx.atNode(root, 'a rule is a mapping (id, title, severity, detection…)');
    return null;
  }
  const get = (key: string) => root.items.find((p) => scalarText(p.key) === key);
  for (const pair of root.items) {
    const k = scalarText(pair.key);
    if (k === null || !TOP_KEYS.has(k))
      ctx.atNode(pair, `unknown key "${k ?? '?'}"; expected ${[...TOP_KEYS].join(', ')}`);
  }
  const text = (key: string, required: boolean): string | null => {
    const pair = get(key);
    if (!pair) {
      if (required) ctx.atNode(root, `"${key}" is missing`);
      return null;
    }
    const v = scalarText(pair.value);
    if (v === null || v.trim() === '') {
      ctx.atNode((pair.value as Node) ?? pair, `"${key}" must be a non-empty text`);
      return null;
    }
    return v;
  };
  const id = text('id', true);
  if (id !== null && !/^[a-z0-9][a-z0-9._-]{0,99}$/.test(id))
    ctx.atNode(get('id')?.value as Node, 'id: lower-case letters, digits, ".", "_" and "-" only');
  const title = text('title', true);
  const description = text('description', false) ?? '';
  const severityKey = get('severity') ? 'severity' : get('level') ? 'level' : 'severity';
  const severity = text(severityKey, true);
  if (severity !== null && !(SEVERITIES as readonly string[]).includes(severity))
    ctx.atNode(get(severityKey)?.value as Node, `${severityKey}: expected one of ${SEVERITIES.join(', ')}`);
  let enabled = true;
  const enabledPair = get('enabled');
  if (enabledPair) {
    if (!isScalar(enabledPair.value) || typeof enabledPair.value.value !== 'boolean')
      ctx.atNode(enabledPair.value as Node, 'enabled: expected true or false');
    else enabled = enabledPair.value.value;
  }
  const tags: string[] = [];
  const tagsPair = get('tags');
  if (tagsPair) {
    if (!isSeq(tagsPair.value)) ctx.atNode(tagsPair.value as Node, 'tags: expected a list');
    else for (const t of tagsPair.value.items) tags.push(scalarText(t) ?? '');
  }

  const detectionPair = get('detection');
  let match: Compiled<SecurityEvent> | null = null;
  let selections = new Map<string, Compiled<SecurityEvent>>();
  if (!detectionPair) ctx.atNode(root, '"detection" is missing');
  else {
    const d = compileDetection(detectionPair.value as Node, ctx);
    if (d) ({ match, selections } = d);
  }
  const correlationPair = get('correlation');
  const correlation = correlationPair
    ? compileCorrelation(correlationPair.value as Node, selections, ctx)
    : defaultCorrelation();
  if (!id || !title || !severity || !match || !correlation) return null;
  return {
    id,
    title,
    description,
    severity: severity as Severity,
    enabled,
    tags,
    source: ctx.source,
    match: match.match,
    actions: match.actions,
    correlation,
    text: ctx.text.slice(ctx.docStart, ctx.docEnd).trim(),
  };
}

function defaultCorrelation(): Correlation {
  return {
    type: 'event_count',
    groupBy: [],
    groupReaders: [],
    timespan: 0,
    gte: 1,
    field: null,
    fieldReader: null,
    stages: [],
    learning: 0,
  };
}

function compileDetection(
  node: Node,
  ctx: Ctx,
): { match: Compiled<SecurityEvent>; selections: Map<string, Compiled<SecurityEvent>> } | null {
  if (!isMap(node)) {
    ctx.atNode(node, 'detection: expected named selections and a condition');
    return null;
  }
  const selections = new Map<string, Compiled<SecurityEvent>>();
  let conditionNode: Node | null = null;
  for (const pair of node.items) {
    const name = scalarText(pair.key);
    if (name === null) {
      ctx.atNode(pair, 'a selection name must be a text');
      continue;
    }
    if (name === 'condition') {
      conditionNode = pair.value as Node;
      continue;
    }
    // A selection with problems (already reported) still exists for the condition.
    selections.set(
      name,
      compileSelection(pair.value as Node, ctx, name) ?? { match: () => false, actions: null },
    );
  }
  if (!selections.size) ctx.atNode(node, 'detection: at least one selection is needed');
  if (!conditionNode) {
    ctx.atNode(node, 'detection: "condition" is missing');
    return null;
  }
  const match = compileConditionNode(conditionNode, selections, ctx);
  return match ? { match, selections } : null;
}

function compileConditionNode(
  node: Node,
  selections: Map<string, Compiled<SecurityEvent>>,
  ctx: Ctx,
): Compiled<SecurityEvent> | null {
  const text = scalarText(node);
  if (text === null) {
    ctx.atNode(node, 'condition: expected a text such as "selection and not filter"');
    return null;
  }
  try {
    return compileCondition(text, selections);
  } catch (err) {
    if (!(err instanceof ConditionError)) throw err;
    const start = nodeOffset(node) ?? 0;
    const quoted = isScalar(node) && (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE);
    ctx.atNode(null, `condition: ${err.message}`, start + (quoted ? 1 : 0) + err.index);
    return null;
  }
}

function compileSelection(node: Node, ctx: Ctx, name: string): Compiled<SecurityEvent> | null {
  if (isSeq(node)) {
    if (node.items.every((i) => isScalar(i))) {
      const words = node.items.map((i) => scalarText(i) ?? '');
      return { match: compileKeywords(words), actions: null };
    }
    const parts = node.items.map((i) => compileSelection(i as Node, ctx, name));
    if (parts.some((p) => p === null)) return null;
    const all = parts as Compiled<SecurityEvent>[];
    const preds = all.map((p) => p.match);
    const actions = all.some((p) => p.actions === null) ? null : new Set(all.flatMap((p) => [...p.actions!]));
    return { match: (ev) => preds.some((p) => p(ev)), actions };
  }
  if (!isMap(node)) {
    ctx.atNode(node, `selection "${name}": expected field: value pairs`);
    return null;
  }
  const preds: EventPredicate[] = [];
  let actions: Set<string> | null = null;
  for (const pair of node.items) {
    const key = scalarText(pair.key);
    if (key === null) {
      ctx.atNode(pair, 'a field name must be a text');
      continue;
    }
    const valueNode = pair.value as Node | null;
    const valueNodes: (Node | null)[] = isSeq(valueNode) ? (valueNode.items as Node[]) : [valueNode];
    const values: (string | null)[] = [];
    for (const v of valueNodes) {
      if (v === null || (isScalar(v) && v.value === null)) values.push(null);
      else {
        const s = scalarText(v);
        if (s === null) ctx.atNode(v, `${key}: expected a text, a number or null`);
        else values.push(s);
      }
    }
    if (key === 'action' && values.every((v) => v !== null))
      actions = new Set(values.map((v) => v!.toLowerCase()));
    try {
      preds.push(compileFieldMatch(key, values));
    } catch (err) {
      if (!(err instanceof MatchError)) throw err;
      ctx.atNode(err.valueIndex >= 0 ? valueNodes[err.valueIndex] : pair, `${key}: ${err.message}`);
    }
  }
  if (!node.items.length) ctx.atNode(node, `selection "${name}" is empty`);
  if (!preds.length) return null;
  const match: EventPredicate = preds.length === 1 ? preds[0]! : (ev) => preds.every((p) => p(ev));
  return { match, actions };
}

function compileCorrelation(
  node: Node,
  selections: Map<string, Compiled<SecurityEvent>>,
  ctx: Ctx,
): Correlation | null {
  if (!isMap(node)) {
    ctx.atNode(node, 'correlation: expected type, group-by, timespan and condition');
    return null;
  }
  const out = defaultCorrelation();
  const get = (key: string) => node.items.find((p) => scalarText(p.key) === key);
  for (const pair of node.items) {
    const k = scalarText(pair.key);
    if (k === null || !CORRELATION_KEYS.has(k))
      ctx.atNode(
        pair,
        `correlation: unknown key "${k ?? '?'}"; expected ${[...CORRELATION_KEYS].join(', ')}`,
      );
  }
  let ok = true;
  const fail = (n: Node | Pair | null | undefined, message: string) => {
    ctx.atNode(n ?? node, `correlation: ${message}`);
    ok = false;
  };
  const typePair = get('type');
  const type = scalarText(typePair?.value);
  if (!type || !(CORRELATION_TYPES as readonly string[]).includes(type)) {
    fail(typePair?.value as Node, `type: expected one of ${CORRELATION_TYPES.join(', ')}`);
    return null;
  }
  out.type = type as CorrelationType;
  const field = (n: Node | null | undefined, what: string): [string, FieldReader] | null => {
    const name = scalarText(n);
    const reader = name ? FIELDS[name] : undefined;
    if (!name || !reader) {
      fail(n, `${what}: unknown field "${name ?? ''}"; fields: ${Object.keys(FIELDS).join(', ')}`);
      return null;
    }
    return [name, reader];
  };
  const groupPair = get('group-by');
  if (groupPair) {
    const items = isSeq(groupPair.value) ? (groupPair.value.items as Node[]) : [groupPair.value as Node];
    for (const item of items) {
      const f = field(item, 'group-by');
      if (f) {
        out.groupBy.push(f[0]);
        out.groupReaders.push(f[1]);
      }
    }
  }
  const spanPair = get('timespan');
  const span = scalarText(spanPair?.value);
  const ms = span === null ? null : parseDuration(span);
  if (ms === null || ms <= 0)
    fail(spanPair?.value as Node, 'timespan: expected a duration such as 90s, 10m, 6h or 2d');
  else out.timespan = ms;

  const condPair = get('condition');
  const readGte = (n: Node | null | undefined, where: string): number => {
    if (!isMap(n)) {
      fail(n, `${where}: expected a mapping with gte`);
      return 0;
    }
    const g = n.items.find((p) => scalarText(p.key) === 'gte');
    const v = isScalar(g?.value) ? g.value.value : null;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      fail((g?.value as Node) ?? n, `${where}: gte must be a whole number ≥ 1`);
      return 0;
    }
    return v;
  };
  if (out.type === 'event_count' || out.type === 'value_count') {
    if (!condPair) fail(node, 'condition: expected { gte: N }');
    else out.gte = readGte(condPair.value as Node, 'condition');
    if (out.type === 'value_count') {
      const fNode = isMap(condPair?.value)
        ? (condPair.value.items.find((p) => scalarText(p.key) === 'field')?.value as Node)
        : (get('field')?.value as Node);
      const f = field(fNode ?? (get('field')?.value as Node), 'condition.field');
      if (f) [out.field, out.fieldReader] = f;
    }
  }
  if (out.type === 'new_value') {
    const f = field(get('field')?.value as Node, 'field');
    if (f) [out.field, out.fieldReader] = f;
    const lPair = get('learning');
    if (lPair) {
      const l = parseDuration(scalarText(lPair.value) ?? '');
      if (l === null) fail(lPair.value as Node, 'learning: expected a duration such as 1d');
      else out.learning = l;
    }
  }
  if (out.type === 'temporal' || out.type === 'temporal_ordered') {
    const seqPair = get('sequence');
    if (!seqPair || !isSeq(seqPair.value) || seqPair.value.items.length < 2) {
      fail((seqPair?.value as Node) ?? node, 'sequence: expected a list of at least two conditions');
    } else {
      for (const item of seqPair.value.items as Node[]) {
        let condNode: Node | null = item;
        let gte = 1;
        if (isMap(item)) {
          condNode = item.items.find((p) => scalarText(p.key) === 'condition')?.value as Node;
          if (item.items.some((p) => scalarText(p.key) === 'gte')) gte = readGte(item, 'sequence');
          if (!condNode) {
            fail(item, 'sequence: each step needs a condition');
            continue;
          }
        }
        const m = compileConditionNode(condNode, selections, ctx);
        if (!m) ok = false;
        else out.stages.push({ condition: scalarText(condNode) ?? '', match: m.match, gte });
      }
    }
  }
  return ok ? out : null;
}
