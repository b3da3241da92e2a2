/**
 * Sigma conditions: selection names joined by `and`, `or`, `not` and parentheses, plus
 * `1 of sel*`, `all of sel*`, `N of …` and `them` (every selection). Compiled to one closure that
 * short-circuits like the expression it comes from.
 */
export type Predicate<T> = (x: T) => boolean;

export class ConditionError extends Error {
  constructor(
    message: string,
    /** Offset in the condition text. */
    readonly index: number,
  ) {
    super(message);
  }
}

type Token = { kind: 'word' | 'num' | '(' | ')'; text: string; index: number };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const re = /\s*(?:(\()|(\))|(\d+)(?![\w*])|([A-Za-z_*][\w*.-]*))/y;
  let i = 0;
  while (i < text.length) {
    if (/^\s*$/.test(text.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) {
      const at = i + (text.slice(i).length - text.slice(i).trimStart().length);
      throw new ConditionError(`unexpected character "${text[at]}"`, at);
    }
    const index = m.index + m[0].length - (m[1] ?? m[2] ?? m[3] ?? m[4])!.length;
    if (m[1]) out.push({ kind: '(', text: '(', index });
    else if (m[2]) out.push({ kind: ')', text: ')', index });
    else if (m[3]) out.push({ kind: 'num', text: m[3], index });
    else out.push({ kind: 'word', text: m[4]!, index });
    i = re.lastIndex;
  }
  return out;
}

/**
 * A compiled condition, or selection: its predicate, and the only values of `action` it can accept
 * (null when it may accept any), which lets the engine skip rules that cannot match an event.
 */
export type Compiled<T> = { match: Predicate<T>; actions: ReadonlySet<string> | null };

function union<T>(parts: Compiled<T>[]): ReadonlySet<string> | null {
  if (parts.some((p) => p.actions === null)) return null;
  const out = new Set<string>();
  for (const p of parts) for (const a of p.actions!) out.add(a);
  return out;
}

function intersection<T>(parts: Compiled<T>[]): ReadonlySet<string> | null {
  let out: Set<string> | null = null;
  for (const p of parts) {
    const acts = p.actions;
    if (acts === null) continue;
    if (out === null) out = new Set<string>(acts);
    else for (const a of [...out]) if (!acts.has(a)) out.delete(a);
  }
  return out;
}

/** Compiles `text` over the named selections; throws ConditionError with the offending offset. */
export function compileCondition<T>(text: string, selections: Map<string, Compiled<T>>): Compiled<T> {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const lower = (t: Token | undefined) => t?.text.toLowerCase();

  function expected(what: string): never {
    const t = peek();
    throw new ConditionError(
      t ? `expected ${what}, found "${t.text}"` : `expected ${what} at the end`,
      t ? t.index : text.length,
    );
  }

  function any(parts: Compiled<T>[]): Compiled<T> {
    if (parts.length === 1) return parts[0]!;
    const preds = parts.map((p) => p.match);
    return { match: (x) => preds.some((p) => p(x)), actions: union(parts) };
  }

  function every(parts: Compiled<T>[]): Compiled<T> {
    if (parts.length === 1) return parts[0]!;
    const preds = parts.map((p) => p.match);
    return { match: (x) => preds.every((p) => p(x)), actions: intersection(parts) };
  }

  function orExpr(): Compiled<T> {
    const parts = [andExpr()];
    while (lower(peek()) === 'or') {
      pos++;
      parts.push(andExpr());
    }
    return any(parts);
  }

  function andExpr(): Compiled<T> {
    const parts = [unary()];
    while (lower(peek()) === 'and') {
      pos++;
      parts.push(unary());
    }
    return every(parts);
  }

  function unary(): Compiled<T> {
    if (lower(peek()) === 'not') {
      pos++;
      const inner = unary().match;
      return { match: (x) => !inner(x), actions: null };
    }
    return primary();
  }

  function matching(pattern: Token): Compiled<T>[] {
    if (pattern.text.toLowerCase() === 'them') return [...selections.values()];
    const re = new RegExp(`^${pattern.text.replace(/[.+?^${}()|[\]\\-]/g, '\\$&').replace(/\*/g, '.*')}$`);
    const found = [...selections.entries()].filter(([name]) => re.test(name)).map(([, p]) => p);
    if (!found.length) throw new ConditionError(`no selection matches "${pattern.text}"`, pattern.index);
    return found;
  }

  function primary(): Compiled<T> {
    const t = peek();
    if (!t) expected('a selection name');
    if (t.kind === '(') {
      pos++;
      const inner = orExpr();
      if (peek()?.kind !== ')') expected('")"');
      pos++;
      return inner;
    }
    const quantifier = t.kind === 'num' ? Number(t.text) : t.text.toLowerCase() === 'all' ? 'all' : null;
    if (quantifier !== null && lower(tokens[pos + 1]) === 'of') {
      pos += 2;
      const pattern = peek();
      if (pattern?.kind !== 'word') expected('a selection pattern or "them"');
      pos++;
      const parts = matching(pattern);
      if (quantifier === 'all') return every(parts);
      const n = quantifier;
      if (n < 1) throw new ConditionError('"N of" needs N ≥ 1', t.index);
      if (n === 1) return any(parts);
      const preds = parts.map((p) => p.match);
      return {
        match: (x) => {
          let hits = 0;
          for (const p of preds) if (p(x) && ++hits >= n) return true;
          return false;
        },
        actions: union(parts),
      };
    }
    if (t.kind !== 'word' || ['and', 'or', 'not', 'of'].includes(t.text.toLowerCase()))
      expected('a selection name');
    pos++;
    if (t.text.includes('*')) return any(matching(t));
    const sel = selections.get(t.text);
    if (!sel) throw new ConditionError(`unknown selection "${t.text}"`, t.index);
    return sel;
  }

  if (!tokens.length) throw new ConditionError('the condition is empty', 0);
  const result = orExpr();
  if (pos < tokens.length) expected('"and", "or" or the end');
  return result;
}
