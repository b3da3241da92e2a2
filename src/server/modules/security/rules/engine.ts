/**
 * The streaming detection engine: events in time order, detections out. Every correlation keeps,
 * per group (the values of its group-by fields), the events of an exact sliding window
 * [t − timespan, t]; a rule fires when its window reaches the threshold. While the group stays active
 * (its next event comes within one timespan of the last), further events extend the same detection
 * instead of opening new ones: one attacker in one window is one detection.
 */
import { SECURITY_ACTIONS, type SecurityEvent } from '../formats/event.js';
import { detach } from '../formats/framing.js';
import type { Correlation, Rule, Severity } from './load.js';

/** Evidence references kept per detection; `count` keeps counting beyond. */
export const MAX_EVIDENCE = 100;
/** Distinct sources, users and hosts kept per detection. */
const MAX_NAMES = 20;
/** Idle groups are forgotten every quarter of their rule's timespan (of log time), at least every minute. */
const MIN_SWEEP_MS = 60_000;

export type Detection = {
  /** 1, 2, 3… in the order detections opened. */
  seq: number;
  ruleId: string;
  title: string;
  severity: Severity;
  /** The group-by fields and their values (plus the new value, for new_value rules). */
  group: Record<string, string | null>;
  first: number;
  last: number;
  /** Events counted (a "message repeated N times" line counts N). */
  count: number;
  /** References (line numbers, event ids) of the first MAX_EVIDENCE events. */
  evidence: number[];
  sources: string[];
  users: string[];
  hosts: string[];
};

export type DetectionChange = 'opened' | 'extended';
export type DetectionListener = (d: Detection, change: DetectionChange, ev: SecurityEvent) => void;

/** What a window keeps of an event: not the event itself, so that its raw line dies young. */
type Entry = {
  time: number;
  weight: number;
  ref: number;
  srcIp: string | null;
  user: string | null;
  targetUser: string | null;
  host: string | null;
};

/**
 * A sliding window of events: entries with a moving head, compacted now and then; `value_count`
 * windows also count the distinct values of their field.
 */
class Window {
  entries: Entry[] = [];
  values: (string | null)[] | null = null;
  head = 0;
  total = 0;
  distinct: Map<string, number> | null = null;

  push(ev: SecurityEvent, value: string | null) {
    // Kept for up to a timespan: copies, so that the line's decoded chunk is not kept with them.
    this.entries.push({
      time: ev.time,
      weight: ev.repeat,
      ref: ev.ref,
      srcIp: detach(ev.srcIp),
      user: detach(ev.user),
      targetUser: detach(ev.targetUser),
      host: detach(ev.host),
    });
    this.total += ev.repeat;
    if (this.distinct) {
      this.values!.push(value);
      if (value !== null) this.distinct.set(value, (this.distinct.get(value) ?? 0) + 1);
    }
  }

  /** Drops the events before `from` (the window is [from, now]). */
  expire(from: number) {
    const entries = this.entries;
    while (this.head < entries.length && entries[this.head]!.time < from) {
      this.total -= entries[this.head]!.weight;
      if (this.distinct) {
        const v = this.values![this.head]!;
        if (v !== null) {
          const n = this.distinct.get(v)! - 1;
          if (n === 0) this.distinct.delete(v);
          else this.distinct.set(v, n);
        }
      }
      this.head++;
    }
    if (this.head === entries.length) {
      this.entries = [];
      if (this.values) this.values = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > entries.length) {
      this.entries = entries.slice(this.head);
      if (this.values) this.values = this.values.slice(this.head);
      this.head = 0;
    }
  }
}

type Group = {
  windows: Window[];
  /** The latest event time pushed: a group idle past its timespan can be forgotten. */
  latest: number;
  open: Detection | null;
  // name sets of the open detection
  names: { sources: Set<string>; users: Set<string>; hosts: Set<string> } | null;
};

type RuleState = {
  rule: Rule;
  c: Correlation;
  groups: Map<string, Group>;
  seen: Set<string> | null;
  /** Log time of the next sweep of idle groups. */
  nextSweep: number;
};

export class DetectionEngine {
  private readonly states: RuleState[];
  /** The rules that may match each action, in rule order (most events concern few rules). */
  private readonly byAction = new Map<string, RuleState[]>();
  private readonly anyAction: RuleState[];
  private readonly all: Detection[] = [];
  private seq = 0;
  private watermark = Number.NEGATIVE_INFINITY;
  private start: number | null = null;

  constructor(
    rules: Rule[],
    private readonly listener?: DetectionListener,
  ) {
    this.states = rules
      .filter((r) => r.enabled)
      .map((rule) => ({
        rule,
        c: rule.correlation,
        groups: new Map(),
        seen: rule.correlation.type === 'new_value' ? new Set<string>() : null,
        nextSweep: Number.NEGATIVE_INFINITY,
      }));
    this.anyAction = this.states.filter((s) => s.rule.actions === null);
    for (const action of SECURITY_ACTIONS)
      this.byAction.set(
        action,
        this.states.filter((s) => s.rule.actions === null || s.rule.actions.has(action)),
      );
  }

  /** The actions some rule may match (null: any); the parser need not build events of others. */
  actions(): Set<string> | null {
    const out = new Set<string>();
    for (const s of this.states) {
      if (s.rule.actions === null) return null;
      for (const a of s.rule.actions) out.add(a);
    }
    return out;
  }

  /** Every detection so far, in the order they opened. */
  detections(): Detection[] {
    return this.all;
  }

  /**
   * Forgets the detections handed over so far (a long-running consumer stores them elsewhere); open
   * ones are still extended through their groups.
   */
  clearDetections(): void {
    this.all.length = 0;
  }

  process(ev: SecurityEvent): void {
    if (this.start === null) this.start = ev.time;
    if (ev.time > this.watermark) this.watermark = ev.time;
    const candidates = this.byAction.get(ev.action) ?? this.anyAction;
    for (let i = 0; i < candidates.length; i++) {
      const s = candidates[i]!;
      if (s.rule.match(ev)) this.apply(s, ev);
    }
    // Groups live about one timespan of log time: most die young, which keeps the GC cheap.
    for (let i = 0; i < this.states.length; i++) {
      const s = this.states[i]!;
      if (this.watermark >= s.nextSweep) this.sweep(s);
    }
  }

  private apply(s: RuleState, ev: SecurityEvent) {
    const c = s.c;
    const readers = c.groupReaders;
    let key = readers.length ? (readers[0]!(ev) ?? '\u0000') : '';
    for (let i = 1; i < readers.length; i++) key += `\u0001${readers[i]!(ev) ?? '\u0000'}`;
    if (c.type === 'new_value') {
      const v = c.fieldReader!(ev);
      if (v === null) return;
      key += `\u0002${v}`;
      // A group exists only while its detection is open; the rest is the set of values seen.
      const existing = s.groups.get(key);
      if (existing && this.extend(s, existing, ev)) return;
      if (s.seen!.has(key)) return;
      s.seen!.add(detach(key));
      if (ev.time < this.start! + c.learning) return;
      this.open(s, this.group(s, key, ev, 0), ev, []);
      return;
    }
    const stages = c.stages.length;
    const group = this.group(s, key, ev, stages || 1);
    group.latest = ev.time;
    const from = ev.time - c.timespan;
    if (!stages) {
      const w = group.windows[0]!;
      w.push(ev, c.fieldReader ? c.fieldReader(ev) : null);
      w.expire(from);
      if (this.extend(s, group, ev)) return;
      const reached = c.type === 'value_count' ? w.distinct!.size >= c.gte : w.total >= c.gte;
      if (reached) this.open(s, group, ev, [w]);
      return;
    }
    let matchedLast = false;
    let matchedAny = false;
    for (let i = 0; i < stages; i++) {
      if (!c.stages[i]!.match(ev)) continue;
      group.windows[i]!.push(ev, null);
      matchedAny = true;
      if (i === stages - 1) matchedLast = true;
    }
    for (const w of group.windows) w.expire(from);
    if (!matchedAny) return;
    if (this.extend(s, group, ev)) return;
    if (c.type === 'temporal_ordered' ? matchedLast && this.ordered(c, group) : this.unordered(c, group))
      this.open(s, group, ev, group.windows);
  }

  /** Each stage's threshold met by events no earlier than those meeting the stage before. */
  private ordered(c: Correlation, g: Group): boolean {
    let cursor = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < c.stages.length; i++) {
      const w = g.windows[i]!;
      let sum = 0;
      let found = false;
      for (let j = w.head; j < w.entries.length; j++) {
        const e = w.entries[j]!;
        if (e.time < cursor) continue;
        sum += e.weight;
        if (sum >= c.stages[i]!.gte) {
          cursor = e.time;
          found = true;
          break;
        }
      }
      if (!found) return false;
    }
    return true;
  }

  private unordered(c: Correlation, g: Group): boolean {
    return c.stages.every((st, i) => g.windows[i]!.total >= st.gte);
  }

  private group(s: RuleState, key: string, ev: SecurityEvent, windows: number): Group {
    let g = s.groups.get(key);
    if (!g) {
      g = { windows: [], latest: ev.time, open: null, names: null };
      for (let i = 0; i < windows; i++) {
        const w = new Window();
        if (s.c.type === 'value_count') {
          w.distinct = new Map();
          w.values = [];
        }
        g.windows.push(w);
      }
      s.groups.set(detach(key), g);
    }
    return g;
  }

  /** The group-by fields' values (and the new value) of the event that opens a detection. */
  private groupValues(s: RuleState, ev: SecurityEvent): Record<string, string | null> {
    const c = s.c;
    const values: Record<string, string | null> = {};
    for (let i = 0; i < c.groupReaders.length; i++) values[c.groupBy[i]!] = detach(c.groupReaders[i]!(ev));
    if (c.type === 'new_value') values[c.field!] = detach(c.fieldReader!(ev));
    return values;
  }

  /** Adds the event to the group's open detection when it is still within one timespan of it. */
  private extend(s: RuleState, g: Group, ev: SecurityEvent): boolean {
    const d = g.open;
    if (!d) return false;
    if (ev.time - d.last > s.c.timespan) {
      g.open = null;
      g.names = null;
      return false;
    }
    if (ev.time > d.last) d.last = ev.time;
    d.count += ev.repeat;
    if (d.evidence.length < MAX_EVIDENCE) d.evidence.push(ev.ref);
    this.addNames(d, g, ev);
    this.listener?.(d, 'extended', ev);
    return true;
  }

  private open(s: RuleState, g: Group, ev: SecurityEvent, windows: Window[]) {
    const d: Detection = {
      seq: ++this.seq,
      ruleId: s.rule.id,
      title: s.rule.title,
      severity: s.rule.severity,
      group: this.groupValues(s, ev),
      first: ev.time,
      last: ev.time,
      count: 0,
      evidence: [],
      sources: [],
      users: [],
      hosts: [],
    };
    g.names = { sources: new Set(), users: new Set(), hosts: new Set() };
    // The window's events are the evidence, oldest first (stages merged by time).
    let entries: Entry[] = [];
    for (const w of windows) for (let j = w.head; j < w.entries.length; j++) entries.push(w.entries[j]!);
    if (windows.length > 1) {
      entries.sort((x, y) => x.time - y.time || x.ref - y.ref);
      // an event matching two steps of a sequence sits in both windows: count it once
      entries = entries.filter((e, i) => i === 0 || e.ref !== entries[i - 1]!.ref);
    }
    if (!entries.length) entries.push({ ...ev, weight: ev.repeat });
    for (const e of entries) {
      if (e.time < d.first) d.first = e.time;
      if (e.time > d.last) d.last = e.time;
      d.count += e.weight;
      if (d.evidence.length < MAX_EVIDENCE) d.evidence.push(e.ref);
      this.addNames(d, g, e);
    }
    g.open = d;
    this.all.push(d);
    this.listener?.(d, 'opened', ev);
  }

  private addNames(d: Detection, g: Group, ev: Pick<Entry, 'srcIp' | 'user' | 'targetUser' | 'host'>) {
    const n = g.names!;
    const add = (set: Set<string>, list: string[], v: string | null) => {
      if (v === null || set.has(v) || set.size >= MAX_NAMES) return;
      const own = detach(v);
      set.add(own);
      list.push(own);
    };
    add(n.sources, d.sources, ev.srcIp);
    add(n.users, d.users, ev.user);
    add(n.users, d.users, ev.targetUser);
    add(n.hosts, d.hosts, ev.host);
  }

  /** Forgets the rule's groups idle for longer than its timespan (their windows are empty by then). */
  private sweep(s: RuleState) {
    const limit = this.watermark - s.c.timespan;
    s.nextSweep = this.watermark + Math.max(MIN_SWEEP_MS, s.c.timespan / 4);
    if (s.c.type === 'new_value') {
      for (const [k, g] of s.groups) if (!g.open || g.open.last < limit) s.groups.delete(k);
      return;
    }
    for (const [k, g] of s.groups)
      if (g.latest < limit && (!g.open || g.open.last < limit)) s.groups.delete(k);
  }
}
