/**
 * Sigma field matchers: `field: value`, lists (any value), modifiers `contains`, `startswith`,
 * `endswith`, `re`, `cidr` and `all` (every value). Text comparisons ignore case, as in Sigma;
 * regular expressions are case-sensitive unless they start with `(?i)`.
 */
import type { SecurityEvent } from '../formats/event.js';
import { compileCidr } from './cidr.js';
import { FIELDS } from './fields.js';

export type EventPredicate = (ev: SecurityEvent) => boolean;

export const MODIFIERS = ['contains', 'startswith', 'endswith', 're', 'cidr', 'all'] as const;
type Modifier = (typeof MODIFIERS)[number];

/** A problem in one value (index in the list, or -1 for the key itself). */
export class MatchError extends Error {
  constructor(
    message: string,
    readonly valueIndex: number,
  ) {
    super(message);
  }
}

type ValueTest = (v: string) => boolean;

function valueTest(mod: Modifier | null, value: string, index: number): ValueTest {
  const lower = value.toLowerCase();
  switch (mod) {
    case null:
      return (v) => v === value || (v.length === lower.length && v.toLowerCase() === lower);
    case 'contains':
      return (v) => v.includes(value) || v.toLowerCase().includes(lower);
    case 'startswith':
      return (v) => v.startsWith(value) || v.toLowerCase().startsWith(lower);
    case 'endswith':
      return (v) => v.endsWith(value) || v.toLowerCase().endsWith(lower);
    case 're': {
      const insensitive = value.startsWith('(?i)');
      let re: RegExp;
      try {
        re = new RegExp(insensitive ? value.slice(4) : value, insensitive ? 'i' : '');
      } catch (err) {
        throw new MatchError(`invalid regular expression: ${(err as Error).message}`, index);
      }
      return (v) => re.test(v);
    }
    case 'cidr': {
      const m = compileCidr(value);
      if (!m)
        throw new MatchError(`"${value}" is not an IP address range (10.0.0.0/8, 2001:db8::/32)`, index);
      return m;
    }
    default:
      throw new MatchError(`unknown modifier ${mod}`, -1);
  }
}

/**
 * One `key: values` entry of a selection. `key` is "field" or "field|mod|…"; `values` are strings, or
 * null for "the field is absent".
 */
export function compileFieldMatch(key: string, values: (string | null)[]): EventPredicate {
  const [field, ...mods] = key.split('|') as [string, ...string[]];
  const reader = FIELDS[field];
  if (!reader)
    throw new MatchError(`unknown field "${field}"; fields: ${Object.keys(FIELDS).join(', ')}`, -1);
  let all = false;
  let mod: Modifier | null = null;
  for (const m of mods) {
    if (!(MODIFIERS as readonly string[]).includes(m))
      throw new MatchError(`unknown modifier "${m}"; modifiers: ${MODIFIERS.join(', ')}`, -1);
    if (m === 'all') all = true;
    else if (mod) throw new MatchError(`"${mod}" and "${m}" cannot be combined`, -1);
    else mod = m as Modifier;
  }
  if (!values.length) throw new MatchError('expected at least one value', -1);
  const wantsNull = values.includes(null);
  const tests = values.flatMap((v, i) => (v === null ? [] : [valueTest(mod, v, i)]));
  // Plain equality against many values: one Set lookup instead of a loop.
  if (mod === null && !all && tests.length > 4) {
    const set = new Set(values.filter((v): v is string => v !== null).map((v) => v.toLowerCase()));
    return (ev) => {
      const v = reader(ev);
      return v === null ? wantsNull : set.has(v) || set.has(v.toLowerCase());
    };
  }
  if (tests.length === 1 && !wantsNull) {
    const t = tests[0]!;
    return (ev) => {
      const v = reader(ev);
      return v !== null && t(v);
    };
  }
  if (all)
    return (ev) => {
      const v = reader(ev);
      if (v === null) return wantsNull && tests.length === 0;
      return !wantsNull && tests.every((t) => t(v));
    };
  return (ev) => {
    const v = reader(ev);
    if (v === null) return wantsNull;
    for (const t of tests) if (t(v)) return true;
    return false;
  };
}

/** Keyword selections (a list of plain strings): any of them in the raw line. */
export function compileKeywords(words: string[]): EventPredicate {
  const tests = words.map((w, i) => valueTest('contains', w, i));
  return (ev) => tests.some((t) => t(ev.raw));
}
