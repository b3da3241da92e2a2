/**
 * The one ingestion pipeline of every path (file import, HTTP ingest, syslog listener): parsed events
 * get an id, go to the organisation's detection engine and into one writer that accumulates them and
 * inserts multi-row chunks in one transaction per flush (on size or after a short delay), with the
 * per-source counters and the incidents the detections open or extend. The writer's queue is bounded:
 * `saturated` tells the listener to pause TCP senders and to count UDP datagrams it drops.
 */
import type { FastifyBaseLogger } from 'fastify';
import { type Ctx, inTransaction, systemPrincipal } from '../../context.js';
import type { SecretBox } from '../../crypto.js';
import type { DbHandle } from '../../db/database.js';
import * as events from './events.repo.js';
import type { ParseCounters, SecurityEvent } from './formats/event.js';
import { applyDetections, type DetectionChange } from './incidents.service.js';
import { type Detection, DetectionEngine } from './rules/engine.js';
import type { Rule } from './rules/load.js';
import type { SecurityEventTable } from './security.tables.js';

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

type OrgState = {
  engine: DetectionEngine;
  /** Detection (engine seq) → incident id, once the incident is written. */
  incidents: Map<number, string>;
};

const ID_BLOCK = 65_536;
const MAX_KNOWN_INCIDENTS = 10_000;

export class SecurityPipeline {
  readonly batchSize: number;
  readonly maxQueue: number;
  private readonly flushMs: number;
  private readonly clock: () => Date;
  private queue: SecurityEventTable[] = [];
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
  private current: { orgId: string; target: IngestTarget; detectedAt: number } | null = null;
  /** Totals since start, for the benchmark and /metrics. */
  readonly totals = { stored: 0, incidentsOpened: 0, flushes: 0, writeErrors: 0 };

  constructor(private readonly opts: PipelineOptions) {
    this.batchSize = opts.batchSize ?? 2000;
    this.flushMs = opts.flushMs ?? 50;
    this.maxQueue = opts.maxQueue ?? 50_000;
    this.clock = opts.clock ?? (() => new Date());
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
    return this.queue.length >= this.maxQueue;
  }

  get queued(): number {
    return this.queue.length;
  }

  /**
   * Whether a source should be refused now so that it does not starve the others: the queue is past
   * half its bound and this source holds more than a quarter of the bound.
   */
  flooding(sourceId: string): boolean {
    return (
      this.queue.length * 2 > this.maxQueue && (this.queuedBySource.get(sourceId) ?? 0) * 4 > this.maxQueue
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

  /** One parsed event: stored (when its organisation is known) and run through the detection rules. */
  accept(target: IngestTarget, ev: SecurityEvent): void {
    if (!target.orgId) {
      this.count(target.sourceId, 'rejected:unknown_source');
      return;
    }
    const state = this.orgs.get(target.orgId);
    if (!state || this.nextId >= this.endId) throw new Error('SecurityPipeline.prepare() was not awaited');
    const id = this.nextId++;
    ev.ref = id;
    const now = this.clock();
    this.queue.push({
      id,
      org_id: target.orgId,
      source_id: target.sourceId,
      time: new Date(ev.time).toISOString(),
      received_at: now.toISOString(),
      host: ev.host,
      program: ev.program,
      pid: ev.pid,
      user_name: ev.user,
      target_user: ev.targetUser,
      group_name: ev.group,
      src_ip: ev.srcIp,
      src_port: ev.srcPort,
      action: ev.action,
      outcome: ev.outcome,
      method: ev.method,
      detail: ev.detail,
      event_id: ev.eventId,
      repeat_count: ev.repeat,
      raw: ev.raw,
    });
    this.touched.add(target.sourceId);
    this.queuedBySource.set(target.sourceId, (this.queuedBySource.get(target.sourceId) ?? 0) + 1);
    this.current = { orgId: target.orgId, target, detectedAt: now.getTime() };
    state.engine.process(ev);
    this.current = null;
    this.scheduleFlush();
  }

  /** Writes everything accepted so far; resolves once it is committed. */
  async settle(): Promise<void> {
    while (this.flushing || this.queue.length || this.changes.size || this.counters.size) {
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
    const cur = this.current;
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
        detectedAt: cur?.detectedAt ?? Date.now(),
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
    if (cur?.target.assetId) c.assetIds.add(cur.target.assetId);
  }

  private scheduleFlush() {
    if (this.flushing) return;
    if (this.queue.length >= this.batchSize) {
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
    const rows = this.queue;
    const changes = [...this.changes.values()];
    const counters = this.counters;
    const touched = [...this.touched];
    this.queue = [];
    this.changes = new Map();
    this.counters = new Map();
    this.touched = new Set();
    this.queuedBySource = new Map();
    for (const r of rows) {
      const m = counters.get(r.source_id!) ?? new Map<string, number>();
      counters.set(r.source_id!, m);
      m.set('stored', (m.get('stored') ?? 0) + 1);
    }
    this.flushing = (async () => {
      try {
        await inTransaction(this.ctx(), async (tx) => {
          await events.insertEvents(tx, rows);
          const counterRows: Array<{ source_id: string; name: string; count: number }> = [];
          for (const [sourceId, m] of counters)
            for (const [name, count] of m) counterRows.push({ source_id: sourceId, name, count });
          await events.addCounters(tx, counterRows);
          await events.touchSources(tx, touched, tx.now.toISOString());
          if (changes.length) {
            const written = await applyDetections(tx, changes);
            for (const [c, w] of written) {
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
        this.totals.stored += rows.length;
        this.totals.flushes++;
      } catch (err) {
        this.totals.writeErrors++;
        this.opts.log.error({ err, events: rows.length }, 'security events could not be written');
        // Counted, so that nothing disappears silently; the counters themselves are retried once.
        const lost = new Map<string, number>();
        for (const r of rows) lost.set(r.source_id!, (lost.get(r.source_id!) ?? 0) + 1);
        for (const [s, n] of lost) this.count(s, 'dropped:write_failed', n);
      } finally {
        this.flushing = null;
      }
      if (this.queue.length < this.maxQueue / 2 && this.drainListeners.length)
        for (const l of this.drainListeners) l();
      if (this.queue.length || this.changes.size || this.counters.size) this.scheduleFlush();
    })();
    return this.flushing;
  }
}
