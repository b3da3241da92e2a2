/**
 * The one ingestion pipeline of every path (file import, HTTP ingest, syslog listener): parsed events
 * get an id, go to the organisation's detection engine and into one writer that accumulates them and,
 * per flush (on size or after a short delay), has them encoded into blocks by a worker thread
 * (blocks.ts, block-pool.ts) while this thread goes on parsing, then writes the blocks, the per-source
 * counters and the incidents the detections open or extend in one transaction. The writer's queue is
 * bounded: `saturated` tells the listener to pause TCP senders and to count UDP datagrams it drops.
 */
import type { FastifyBaseLogger } from 'fastify';
import { type Ctx, inTransaction, systemPrincipal } from '../../context.js';
import type { SecretBox } from '../../crypto.js';
import type { DbHandle } from '../../db/database.js';
import { encodeBlocks } from './block-pool.js';
import { BLOCK_ACTIONS, BLOCK_MAX, type BlockBatch, BlockTerms } from './blocks.js';
import type { StoredEvent } from './events.repo.js';
import * as events from './events.repo.js';
import type { ParseCounters, SecurityEvent } from './formats/event.js';
import { Reparser } from './formats/reader.js';
import { applyDetections, type DetectionChange } from './incidents.service.js';
import { type Detection, DetectionEngine } from './rules/engine.js';
import type { Rule } from './rules/load.js';

/** Where events are going: an organisation (null: unknown sender, not stored), a source, an asset. */
export type IngestTarget = { orgId: string | null; sourceId: string; assetId: string | null };

export type PipelineOptions = {
  handle: DbHandle;
  secrets: SecretBox;
  log: FastifyBaseLogger;
  /** The enabled rules of an organisation (built-in and its own). */
  rulesOf(ctx: Ctx, orgId: string): Promise<Rule[]>;
  batchSize?: number;
  flushMs?: number;
  /** Events waiting to be written beyond which the pipeline is saturated. */
  maxQueue?: number;
  clock?: () => Date;
  /**
   * Keep every detection of the engines for `detections()` (a one-off import's summary); a long-running
   * pipeline forgets them once written.
   */
  keepDetections?: boolean;
};

/**
 * Events of one organisation waiting to be written (ids ascending): the columns of its blocks
 * (BlockBatch), in typed arrays grown by doubling (no garbage per event, nothing for the collector to
 * scan or copy). A record is its place in a decoded run of lines when the parser tells it (`text[i]`
 * into `texts`, `from[i]`, `len[i]`), else its own string (`text[i]` -1, in `own`).
 */
type Pending = {
  orgId: string;
  n: number;
  ids: Float64Array;
  times: Float64Array;
  received: Float64Array;
  sources: Int32Array;
  actions: Uint8Array;
  outcomes: Uint8Array;
  text: Int32Array;
  from: Int32Array;
  len: Int32Array;
  sourceNames: string[];
  texts: string[];
  own: Map<number, string>;
  /** The filter of each BLOCK_MAX events. */
  terms: BlockTerms[];
};

const ACTION_CODE = new Map(BLOCK_ACTIONS.map((a, i) => [a, i]));
const UNKNOWN_ACTION = BLOCK_ACTIONS.length - 1;

/** Where an event's record was cut from (LogParser.placeOf). */
export type RecordPlace = { text: string; from: number } | null;

function newPending(orgId: string, capacity = 1024): Pending {
  return {
    orgId,
    n: 0,
    ids: new Float64Array(capacity),
    times: new Float64Array(capacity),
    received: new Float64Array(capacity),
    sources: new Int32Array(capacity),
    actions: new Uint8Array(capacity),
    outcomes: new Uint8Array(capacity),
    text: new Int32Array(capacity),
    from: new Int32Array(capacity),
    len: new Int32Array(capacity),
    sourceNames: [],
    texts: [],
    own: new Map(),
    terms: [],
  };
}

function grow(p: Pending) {
  const bigger = newPending(p.orgId, p.ids.length * 2);
  bigger.ids.set(p.ids);
  bigger.times.set(p.times);
  bigger.received.set(p.received);
  bigger.sources.set(p.sources);
  bigger.actions.set(p.actions);
  bigger.outcomes.set(p.outcomes);
  bigger.text.set(p.text);
  bigger.from.set(p.from);
  bigger.len.set(p.len);
  p.ids = bigger.ids;
  p.times = bigger.times;
  p.received = bigger.received;
  p.sources = bigger.sources;
  p.actions = bigger.actions;
  p.outcomes = bigger.outcomes;
  p.text = bigger.text;
  p.from = bigger.from;
  p.len = bigger.len;
}

/** The i-th record of a batch. */
function recordAt(p: Pending, i: number): string {
  const t = p.text[i]!;
  return t < 0 ? p.own.get(i)! : p.texts[t]!.slice(p.from[i]!, p.from[i]! + p.len[i]!);
}

type OrgState = {
  engine: DetectionEngine;
  /** Detection (engine seq) → incident id, once the incident is written. */
  incidents: Map<number, string>;
};

const ID_BLOCK = 65_536;
const MAX_KNOWN_INCIDENTS = 10_000;
/** Written events kept in memory for the evidence of the detections that follow (beyond: read back). */
const RECENT_EVENTS = 50_000;

export class SecurityPipeline {
  readonly batchSize: number;
  readonly maxQueue: number;
  private readonly flushMs: number;
  private readonly clock: () => Date;
  private readonly nowMs: () => number;
  private queue = new Map<string, Pending>();
  private queueLength = 0;
  /** The latest batches written, newest last: evidence without reading the blocks back. */
  private recent: Pending[] = [];
  private changes = new Map<string, DetectionChange>();
  private counters = new Map<string, Map<string, number>>();
  private touched = new Set<string>();
  /** Events waiting to be written, per source (what one source may hold of the queue under load). */
  private queuedBySource = new Map<string, number>();
  private readonly orgs = new Map<string, OrgState>();
  private readonly loading = new Map<string, Promise<OrgState>>();
  private nextId = 0;
  private endId = 0;
  private reserving: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private drainListeners: Array<() => void> = [];
  /** The event being run through an engine: where it comes from, when it was received. */
  private currentTarget: IngestTarget | null = null;
  private currentAt = 0;
  /** The source of the current run of events, and how many it has (see endRun). */
  private runSource: string | null = null;
  private runCount = 0;
  /** When the chunk of input being read arrived (set by `prepare`): its events' reception time. */
  private receivedAt = 0;
  /** The last action seen and its code (runs of events share one). */
  private lastAction = '';
  private actionCode = 0;
  /** The batch the last event went to. */
  private last: Pending | null = null;
  /** Totals since start, for the benchmark and /metrics. */
  readonly totals = { stored: 0, incidentsOpened: 0, flushes: 0, writeErrors: 0 };

  constructor(private readonly opts: PipelineOptions) {
    this.batchSize = opts.batchSize ?? 2000;
    this.flushMs = opts.flushMs ?? 50;
    this.maxQueue = opts.maxQueue ?? 50_000;
    this.clock = opts.clock ?? (() => new Date());
    const clock = opts.clock;
    this.nowMs = clock ? () => clock().getTime() : Date.now;
  }

  private ctx(db = this.opts.handle.db): Ctx {
    return {
      db,
      dialect: this.opts.handle.dialect,
      actor: systemPrincipal('security'),
      now: this.clock(),
      log: this.opts.log,
      secrets: this.opts.secrets,
    };
  }

  get saturated(): boolean {
    return this.queueLength >= this.maxQueue;
  }

  get queued(): number {
    return this.queueLength;
  }

  /**
   * Whether a source should be refused now so that it does not starve the others: the queue is past
   * half its bound and this source holds more than a quarter of the bound.
   */
  flooding(sourceId: string): boolean {
    return (
      this.queueLength * 2 > this.maxQueue &&
      ((this.queuedBySource.get(sourceId) ?? 0) + (sourceId === this.runSource ? this.runCount : 0)) * 4 >
        this.maxQueue
    );
  }

  /** Called after each write that leaves the queue under half its bound (resume paused senders). */
  onDrain(listener: () => void) {
    this.drainListeners.push(listener);
  }

  /**
   * Makes `accept` ready for up to `count` more events of `orgId`: ids reserved and the organisation's
   * engine loaded. Cheap when both are there already; await it before each chunk of input.
   */
  async prepare(orgId: string | null, count: number): Promise<void> {
    // The events of this chunk of input are received now.
    this.receivedAt = this.nowMs();
    if (orgId && !this.orgs.has(orgId)) await this.engineOf(orgId);
    while (this.endId - this.nextId < count) {
      if (!this.reserving)
        this.reserving = (async () => {
          const size = Math.max(ID_BLOCK, count);
          const first = await events.reserveIds(this.ctx(), size);
          this.nextId = first;
          this.endId = first + size;
        })().finally(() => {
          this.reserving = null;
        });
      await this.reserving;
    }
  }

  /** The detections of an organisation's engine since it was loaded. */
  detections(orgId: string): Detection[] {
    return this.orgs.get(orgId)?.engine.detections() ?? [];
  }

  /** Drops an organisation's engine (its rules changed): the next event loads the new rules. */
  reloadRules(orgId: string) {
    this.orgs.delete(orgId);
  }

  count(sourceId: string, name: string, n = 1) {
    if (n <= 0) return;
    let m = this.counters.get(sourceId);
    if (!m) {
      m = new Map();
      this.counters.set(sourceId, m);
    }
    m.set(name, (m.get(name) ?? 0) + n);
    this.scheduleFlush();
  }

  /** Adds the change in a parser's counters since `seen` (read → received, refusals by reason). */
  countParsed(sourceId: string, c: ParseCounters, seen: ParseCounters) {
    this.count(sourceId, 'received', c.read - seen.read);
    seen.read = c.read;
    for (const [reason, n] of Object.entries(c.rejected)) {
      const before = seen.rejected[reason as keyof ParseCounters['rejected']] ?? 0;
      this.count(sourceId, `rejected:${reason}`, (n ?? 0) - before);
      seen.rejected[reason as keyof ParseCounters['rejected']] = n;
    }
    this.count(sourceId, 'recovered:invalid_utf8', c.recovered.invalid_utf8 - seen.recovered.invalid_utf8);
    seen.recovered.invalid_utf8 = c.recovered.invalid_utf8;
  }

  /**
   * One parsed event: stored (when its organisation is known) and, unless `detect` is false (an event
   * no rule reads), run through the detection rules. Only its id, time, record and source are kept.
   */
  accept(target: IngestTarget, ev: SecurityEvent, detect = true, place: RecordPlace = null): void {
    if (!target.orgId) {
      this.count(target.sourceId, 'rejected:unknown_source');
      return;
    }
    const state = this.orgs.get(target.orgId);
    if (!state || this.nextId >= this.endId) throw new Error('SecurityPipeline.prepare() was not awaited');
    const id = this.nextId++;
    ev.ref = id;
    const now = this.receivedAt;
    let p = this.last;
    if (p === null || p.orgId !== target.orgId) {
      p = this.queue.get(target.orgId) ?? null;
      if (!p) {
        p = newPending(target.orgId);
        this.queue.set(target.orgId, p);
      }
      this.last = p;
    }
    if (p.n === p.ids.length) grow(p);
    const i = p.n++;
    if (i % BLOCK_MAX === 0) p.terms.push(new BlockTerms());
    p.terms[p.terms.length - 1]!.add(ev);
    if (ev.action !== this.lastAction) {
      this.lastAction = ev.action;
      this.actionCode = ACTION_CODE.get(ev.action) ?? UNKNOWN_ACTION;
    }
    p.actions[i] = this.actionCode;
    p.outcomes[i] = ev.outcome === 'success' ? 0 : ev.outcome === 'failure' ? 1 : 2;
    p.ids[i] = id;
    p.times[i] = ev.time;
    p.received[i] = now;
    if (place) {
      if (p.texts.length === 0 || p.texts[p.texts.length - 1] !== place.text) p.texts.push(place.text);
      p.text[i] = p.texts.length - 1;
      p.from[i] = place.from;
      p.len[i] = ev.raw.length;
    } else {
      p.text[i] = -1;
      p.own.set(i, ev.raw);
    }
    // Sources come in runs: counted per run, named once per batch.
    if (target.sourceId !== this.runSource) {
      this.endRun();
      this.runSource = target.sourceId;
      this.touched.add(target.sourceId);
    }
    this.runCount++;
    let s = p.sourceNames.length - 1;
    if (s < 0 || p.sourceNames[s] !== target.sourceId) {
      s = p.sourceNames.indexOf(target.sourceId);
      if (s < 0) s = p.sourceNames.push(target.sourceId) - 1;
    }
    p.sources[i] = s;
    this.queueLength++;
    if (detect) {
      this.currentTarget = target;
      this.currentAt = now;
      state.engine.process(ev);
      this.currentTarget = null;
    }
    this.scheduleFlush();
  }

  /** Adds the current run of one source's events to the per-source queue counts. */
  private endRun() {
    if (this.runSource !== null && this.runCount)
      this.queuedBySource.set(this.runSource, (this.queuedBySource.get(this.runSource) ?? 0) + this.runCount);
    this.runCount = 0;
  }

  /** The actions the organisation's rules read (null: any); its engine must be loaded (`prepare`). */
  actionsOf(orgId: string): Set<string> | null {
    return this.orgs.get(orgId)?.engine.actions() ?? null;
  }

  /**
   * Resolves once the queue is under its bound again: the write in progress is done and the next has
   * taken the queue (a file or a body waits for the writer rather than filling memory).
   */
  async room(): Promise<void> {
    while (this.saturated) {
      if (this.flushing) await this.flushing;
      else void this.flush();
    }
  }

  /** Writes everything accepted so far; resolves once it is committed. */
  async settle(): Promise<void> {
    while (this.flushing || this.queueLength || this.changes.size || this.counters.size) {
      if (this.flushing) await this.flushing;
      else await this.flush();
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.settle();
  }

  private async engineOf(orgId: string): Promise<OrgState> {
    let p = this.loading.get(orgId);
    if (!p) {
      p = (async () => {
        const rules = await this.opts.rulesOf(this.ctx(), orgId);
        const state: OrgState = {
          engine: new DetectionEngine(rules, (d, change, ev) =>
            this.detected(orgId, d, change === 'opened', ev),
          ),
          incidents: new Map(),
        };
        // An engine replaced for new rules keeps nothing: its windows start again.
        const old = this.orgs.get(orgId);
        if (old) state.incidents = old.incidents;
        this.orgs.set(orgId, state);
        return state;
      })().finally(() => this.loading.delete(orgId));
      this.loading.set(orgId, p);
    }
    return p;
  }

  private detected(orgId: string, d: Detection, opened: boolean, ev: SecurityEvent) {
    const key = `${orgId}:${d.seq}`;
    let c = this.changes.get(key);
    const target = this.currentTarget;
    if (!c) {
      c = {
        orgId,
        seq: d.seq,
        opened,
        ruleId: d.ruleId,
        title: d.title,
        severity: d.severity,
        group: d.group,
        first: d.first,
        last: d.last,
        count: 0,
        evidence: [],
        sources: d.sources,
        users: d.users,
        hosts: d.hosts,
        assetIds: new Set(),
        detectedAt: target ? this.currentAt : Date.now(),
        incidentId: this.orgs.get(orgId)?.incidents.get(d.seq) ?? null,
      };
      this.changes.set(key, c);
    }
    if (opened) {
      c.evidence.push(...d.evidence);
      c.count += d.count;
    } else {
      c.count += ev.repeat;
      if (d.count <= 1000) c.evidence.push(ev.ref);
    }
    c.last = d.last;
    if (target?.assetId) c.assetIds.add(target.assetId);
  }

  private scheduleFlush() {
    if (this.flushing) return;
    if (this.queueLength >= this.batchSize) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      void this.flush();
      return;
    }
    if (!this.timer)
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.flush();
      }, this.flushMs);
  }

  private flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    const batches = [...this.queue.values()];
    const written = this.queueLength;
    const changes = [...this.changes.values()];
    const counters = this.counters;
    const touched = [...this.touched];
    this.queue = new Map();
    this.queueLength = 0;
    this.changes = new Map();
    this.counters = new Map();
    this.touched = new Set();
    this.last = null;
    // What each source had waiting is what this write stores of it.
    this.endRun();
    this.runSource = null;
    const stored = this.queuedBySource;
    this.queuedBySource = new Map();
    for (const [s, n] of stored) {
      const m = counters.get(s) ?? new Map<string, number>();
      counters.set(s, m);
      m.set('stored', (m.get('stored') ?? 0) + n);
    }
    this.flushing = (async () => {
      try {
        // Encoded in the worker while this thread parses on; then one transaction.
        const blocks = await encodeBlocks(batches.flatMap(toBlocks), this.opts.log);
        await inTransaction(this.ctx(), async (tx) => {
          await events.insertBlocks(tx, blocks);
          const counterRows: Array<{ source_id: string; name: string; count: number }> = [];
          for (const [sourceId, m] of counters)
            for (const [name, count] of m) counterRows.push({ source_id: sourceId, name, count });
          await events.addCounters(tx, counterRows);
          await events.touchSources(tx, touched, tx.now.toISOString());
          if (changes.length) {
            const applied = await applyDetections(tx, changes, (orgId, ids) =>
              this.evidence(tx, orgId, ids, batches),
            );
            for (const [c, w] of applied) {
              const state = this.orgs.get(c.orgId);
              if (state) {
                state.incidents.set(c.seq, w.id);
                // Bounded: a detection whose incident is forgotten finds it again by its group key.
                if (state.incidents.size > MAX_KNOWN_INCIDENTS)
                  state.incidents.delete(state.incidents.keys().next().value!);
                if (!this.opts.keepDetections) state.engine.clearDetections();
              }
              if (w.opened) this.totals.incidentsOpened++;
            }
          }
        });
        this.totals.stored += written;
        this.totals.flushes++;
        this.remember(batches);
      } catch (err) {
        this.totals.writeErrors++;
        this.opts.log.error({ err, events: written }, 'security events could not be written');
        // Counted, so that nothing disappears silently; the counters themselves are retried once.
        for (const [s, n] of stored) this.count(s, 'dropped:write_failed', n);
      } finally {
        this.flushing = null;
      }
      if (this.queueLength < this.maxQueue / 2 && this.drainListeners.length)
        for (const l of this.drainListeners) l();
      if (this.queueLength || this.changes.size || this.counters.size) this.scheduleFlush();
    })();
    return this.flushing;
  }

  /** Keeps the batches just written for the evidence of later detections, up to RECENT_EVENTS. */
  private remember(batches: Pending[]) {
    this.recent.push(...batches);
    let kept = this.recent.reduce((n, b) => n + b.n, 0);
    while (kept > RECENT_EVENTS && this.recent.length > 1) kept -= this.recent.shift()!.n;
  }

  /** Evidence events by id: from the batches in hand (read again), else from the stored blocks. */
  private async evidence(tx: Ctx, orgId: string, ids: number[], writing: Pending[]): Promise<StoredEvent[]> {
    const out: StoredEvent[] = [];
    const missing: number[] = [];
    const batches = [...writing, ...this.recent].filter((b) => b.orgId === orgId);
    for (const id of ids) {
      let found: StoredEvent | null = null;
      for (const b of batches) {
        const i = indexOf(b.ids, b.n, id);
        if (i < 0) continue;
        const ev = reparser.parse(recordAt(b, i), b.times[i]!, id);
        if (ev)
          found = { ...ev, id, orgId, sourceId: b.sourceNames[b.sources[i]!]!, receivedAt: b.received[i]! };
        break;
      }
      if (found) out.push(found);
      else missing.push(id);
    }
    if (missing.length) out.push(...(await events.eventsByIds(tx, orgId, missing)));
    return out;
  }
}

const reparser = new Reparser();

/** The index of `id` in the first `n` of ascending `ids`, or -1. */
function indexOf(ids: Float64Array, n: number, id: number): number {
  let lo = 0;
  let hi = n - 1;
  if (hi < 0 || id < ids[0]! || id > ids[hi]!) return -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = ids[mid]!;
    if (v === id) return mid;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** One organisation's pending events as blocks of at most BLOCK_MAX, ready to post to the worker. */
function toBlocks(p: Pending): BlockBatch[] {
  const out: BlockBatch[] = [];
  for (let i = 0; i < p.n; i += BLOCK_MAX) {
    const end = Math.min(p.n, i + BLOCK_MAX);
    const n = end - i;
    // The runs of lines this block's records were cut from, numbered again from 0.
    const texts: string[] = [];
    const text = p.text.slice(i, end);
    const own: (string | null)[] = new Array(n).fill(null);
    let lastOld = -1;
    for (let j = 0; j < n; j++) {
      const t = text[j]!;
      if (t < 0) {
        own[j] = p.own.get(i + j)!;
        continue;
      }
      if (t !== lastOld) {
        texts.push(p.texts[t]!);
        lastOld = t;
      }
      text[j] = texts.length - 1;
    }
    out.push({
      orgId: p.orgId,
      ids: p.ids.slice(i, end),
      times: p.times.slice(i, end),
      received: p.received.slice(i, end),
      sourceNames: p.sourceNames,
      sources: p.sources.slice(i, end),
      actions: p.actions.slice(i, end),
      outcomes: p.outcomes.slice(i, end),
      texts,
      text,
      from: p.from.slice(i, end),
      len: p.len.slice(i, end),
      own,
      terms: p.terms[i / BLOCK_MAX]!.folded(n),
    });
  }
  return out;
}
