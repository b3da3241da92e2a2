/**
 * Every statement on the stored security events (in blocks: blocks.ts), their counters and the id
 * blocks. Reads go through the blocks' time ranges and filters, then decode only the blocks that may
 * hold a match and check each event exactly.
 */
import { sql } from 'kysely';
import type { Ctx } from '../../context.js';
import { inChunks } from '../../db/batch.js';
import { type OrgScope, whereOrg } from '../../db/scope.js';
import {
  BLOCK_MAX,
  blockBatchOf,
  type DecodedBlock,
  decodeBlock,
  type EncodedBlock,
  encodeBlock,
  eventAt,
  mayHold,
  type TermField,
} from './blocks.js';
import type { SecurityEvent } from './formats/event.js';

type DbCtx = Pick<Ctx, 'db' | 'dialect'>;

/** A stored event: the normalised event plus where and when it was stored. */
export type StoredEvent = SecurityEvent & {
  id: number;
  orgId: string;
  sourceId: string | null;
  receivedAt: number;
};

/** Reserves `count` consecutive event ids; returns the first. One statement, safe across instances. */
export async function reserveIds(ctx: DbCtx, count: number): Promise<number> {
  const row = await ctx.db
    .updateTable('security_id_block')
    .set({ next_id: sql`next_id + ${count}` })
    .where('name', '=', 'event')
    .returning('next_id')
    .executeTakeFirstOrThrow();
  return Number(row.next_id) - count;
}

const bytes = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

export async function insertBlocks(ctx: DbCtx, blocks: EncodedBlock[]): Promise<void> {
  for (const b of blocks)
    await ctx.db
      .insertInto('security_event_block')
      .values({
        id: b.id,
        org_id: b.orgId,
        id_max: b.idMax,
        event_count: b.count,
        time_min: new Date(b.timeMin).toISOString(),
        time_max: new Date(b.timeMax).toISOString(),
        terms: bytes(b.terms),
        payload: bytes(b.payload),
      })
      .execute();
}

/** Adds to the per-source counters (received, stored, rejected:<reason>, dropped:<reason>). */
export async function addCounters(
  ctx: DbCtx,
  rows: Array<{ source_id: string; name: string; count: number }>,
): Promise<void> {
  await inChunks(rows, (chunk) =>
    ctx.db
      .insertInto('security_source_counter')
      .values(chunk)
      .onConflict((oc) =>
        oc
          .columns(['source_id', 'name'])
          .doUpdateSet({ count: sql`security_source_counter.count + excluded.count` }),
      )
      .execute(),
  );
}

export async function touchSources(ctx: DbCtx, ids: string[], at: string): Promise<void> {
  if (ids.length)
    await ctx.db.updateTable('security_source').set({ last_seen_at: at }).where('id', 'in', ids).execute();
}

export async function countersOf(ctx: DbCtx, sourceIds: string[]) {
  if (!sourceIds.length) return [];
  return ctx.db
    .selectFrom('security_source_counter')
    .selectAll()
    .where('source_id', 'in', sourceIds)
    .execute();
}

function stored(orgId: string, b: DecodedBlock, i: number): StoredEvent {
  const ev = eventAt(b, i) as StoredEvent;
  ev.id = b.ids[i]!;
  ev.orgId = orgId;
  ev.sourceId = b.sources[i]!;
  ev.receivedAt = b.received[i]!;
  return ev;
}

async function payloadOf(ctx: DbCtx, id: number): Promise<DecodedBlock> {
  const row = await ctx.db
    .selectFrom('security_event_block')
    .select('payload')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return decodeBlock(row.payload);
}

/** The stored events of `orgId` among `ids` (evidence of a detection), in no particular order. */
export async function eventsByIds(ctx: DbCtx, orgId: string, ids: number[]): Promise<StoredEvent[]> {
  if (!ids.length) return [];
  const wanted = new Set(ids);
  const rows = await ctx.db
    .selectFrom('security_event_block')
    .select('payload')
    .where('org_id', '=', orgId)
    .where('id_max', '>=', Math.min(...ids))
    .where('id', '<=', Math.max(...ids))
    .execute();
  const out: StoredEvent[] = [];
  for (const r of rows) {
    const b = decodeBlock(r.payload);
    for (let i = 0; i < b.ids.length; i++) if (wanted.has(b.ids[i]!)) out.push(stored(orgId, b, i));
  }
  return out;
}

export type EventFilter = {
  scope: OrgScope;
  orgId?: string;
  from?: string;
  to?: string;
  host?: string;
  user?: string;
  srcIp?: string;
  program?: string;
  action?: string;
  outcome?: string;
  text?: string;
};

type BlockMeta = {
  id: number;
  orgId: string;
  count: number;
  timeMin: number;
  timeMax: number;
  terms: Uint8Array;
};

/** The blocks that may hold events of the filter's time range, newest (by last event) first. */
async function* blocksNewestFirst(
  ctx: DbCtx,
  f: EventFilter,
  startingBefore?: string,
): AsyncGenerator<BlockMeta> {
  let after: [string, number] | null = null;
  for (;;) {
    let q = whereOrg(
      ctx.db.selectFrom('security_event_block'),
      'security_event_block.org_id',
      f.scope,
    ).select(['id', 'org_id', 'event_count', 'time_min', 'time_max', 'terms']);
    if (f.orgId) q = q.where('org_id', '=', f.orgId);
    if (f.from) q = q.where('time_max', '>=', f.from);
    if (f.to) q = q.where('time_min', '<', f.to);
    if (startingBefore) q = q.where('time_min', '<=', startingBefore);
    if (after) q = q.where(sql`(time_max, id)`, '<', sql`(${after[0]}, ${after[1]})`);
    const rows = await q.orderBy('time_max', 'desc').orderBy('id', 'desc').limit(256).execute();
    for (const r of rows)
      yield {
        id: Number(r.id),
        orgId: r.org_id,
        count: r.event_count,
        timeMin: Date.parse(r.time_min),
        timeMax: Date.parse(r.time_max),
        terms: r.terms,
      };
    if (rows.length < 256) return;
    const last = rows[rows.length - 1]!;
    after = [last.time_max, Number(last.id)];
  }
}

/** The filter's values a block's Bloom filter can rule out. */
function termsOf(f: EventFilter): Partial<Record<TermField, string>> {
  return { user: f.user, srcIp: f.srcIp };
}

/**
 * The exact check of one event of a decoded block: the cheap columns first (time, action, outcome,
 * text), the record parsed again only when a parsed field is filtered on or the event matches.
 */
function matcher(f: EventFilter) {
  const from = f.from ? Date.parse(f.from) : Number.NEGATIVE_INFINITY;
  const to = f.to ? Date.parse(f.to) : Number.POSITIVE_INFINITY;
  const text = f.text?.toLowerCase();
  const parsed =
    f.host !== undefined || f.user !== undefined || f.srcIp !== undefined || f.program !== undefined;
  return {
    /** Whether anything beyond time and organisation is filtered on. */
    filters: parsed || text !== undefined || f.action !== undefined || f.outcome !== undefined,
    /**
     * Whether the i-th event matches: false, true (its record not yet read again), or the stored
     * event when deciding took reading it.
     */
    match(orgId: string, b: DecodedBlock, i: number): StoredEvent | boolean {
      const t = b.times[i]!;
      if (t < from || t >= to) return false;
      if (f.action !== undefined && b.actions[i] !== f.action) return false;
      if (f.outcome !== undefined && b.outcomes[i] !== f.outcome) return false;
      if (text !== undefined && !b.raws[i]!.toLowerCase().includes(text)) return false;
      if (!parsed) return true;
      const ev = stored(orgId, b, i);
      if (f.host !== undefined && ev.host !== f.host) return false;
      if (f.user !== undefined && ev.user !== f.user) return false;
      if (f.srcIp !== undefined && ev.srcIp !== f.srcIp) return false;
      if (f.program !== undefined && ev.program !== f.program) return false;
      return ev;
    },
  };
}

/** Newest first, keyset on (time, id). */
export async function listEvents(
  ctx: DbCtx,
  f: EventFilter & { after?: [string, number]; limit: number },
): Promise<StoredEvent[]> {
  const terms = termsOf(f);
  const m = matcher(f);
  const afterTime = f.after ? Date.parse(f.after[0]) : Number.POSITIVE_INFINITY;
  const afterId = f.after ? f.after[1] : Number.POSITIVE_INFINITY;
  // Candidates are kept as (block, index); only the page's events are read again in the end.
  type Found = {
    time: number;
    id: number;
    orgId: string;
    b: DecodedBlock;
    i: number;
    ev: StoredEvent | null;
  };
  const out: Found[] = [];
  const newestFirst = (a: Found, b: Found) => b.time - a.time || b.id - a.id;
  for await (const block of blocksNewestFirst(ctx, f, f.after?.[0])) {
    // A block whose newest event is older than the page's oldest cannot change the page.
    if (out.length >= f.limit && block.timeMax < out[f.limit - 1]!.time) break;
    if (!mayHold(block.terms, terms)) continue;
    const b = await payloadOf(ctx, block.id);
    for (let i = 0; i < b.ids.length; i++) {
      const t = b.times[i]!;
      const id = b.ids[i]!;
      if (t > afterTime || (t === afterTime && id >= afterId)) continue;
      // Older than a full page's oldest: cannot enter it.
      if (out.length >= f.limit) {
        const last = out[f.limit - 1]!;
        if (t < last.time || (t === last.time && id < last.id)) continue;
      }
      const hit = m.match(block.orgId, b, i);
      if (hit) out.push({ time: t, id, orgId: block.orgId, b, i, ev: hit === true ? null : hit });
    }
    out.sort(newestFirst);
    if (out.length > f.limit) out.length = f.limit;
  }
  return out.map((x) => x.ev ?? stored(x.orgId, x.b, x.i));
}

/**
 * Events per bucket: `bounds` are the buckets' start times (ISO) plus the end of the last. A block
 * inside one bucket counts whole when nothing but time is filtered on; others are decoded.
 */
export async function histogram(ctx: DbCtx, f: EventFilter, bounds: string[]): Promise<number[]> {
  const counts = new Array<number>(Math.max(0, bounds.length - 1)).fill(0);
  if (bounds.length < 2) return counts;
  const edges = bounds.map((b) => Date.parse(b));
  const from = edges[0]!;
  const to = edges[edges.length - 1]!;
  const bucket = (t: number) => {
    let lo = 0;
    let hi = edges.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (edges[mid]! <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const range = { ...f, from: bounds[0], to: bounds[bounds.length - 1] };
  const terms = termsOf(f);
  const m = matcher(range);
  for await (const block of blocksNewestFirst(ctx, range)) {
    if (!mayHold(block.terms, terms)) continue;
    if (
      !m.filters &&
      block.timeMin >= from &&
      block.timeMax < to &&
      bucket(block.timeMin) === bucket(block.timeMax)
    ) {
      counts[bucket(block.timeMin)]! += block.count;
      continue;
    }
    const b = await payloadOf(ctx, block.id);
    for (let i = 0; i < b.ids.length; i++) {
      const t = b.times[i]!;
      if (t < from || t >= to) continue;
      if (!m.filters || m.match(block.orgId, b, i)) counts[bucket(t)]!++;
    }
  }
  return counts;
}

/**
 * Deletes events of `orgId` older than `before`, whole blocks first (a block across `before` is
 * written again with its newer events), until at least `limit` are gone; returns how many.
 */
export async function deleteEventsBefore(ctx: DbCtx, orgId: string, before: string, limit: number) {
  const rows = await ctx.db
    .selectFrom('security_event_block')
    .select(['id', 'event_count', 'time_max'])
    .where('org_id', '=', orgId)
    .where('time_min', '<', before)
    .orderBy('time_max')
    .limit(64)
    .execute();
  const cutoff = Date.parse(before);
  let deleted = 0;
  for (const r of rows) {
    if (deleted >= limit) break;
    const id = Number(r.id);
    if (Date.parse(r.time_max) < cutoff) {
      await ctx.db.deleteFrom('security_event_block').where('id', '=', id).execute();
      deleted += r.event_count;
      continue;
    }
    const b = await payloadOf(ctx, id);
    const keep = b.times.flatMap((t, i) => (t >= cutoff ? [i] : []));
    const rewrite = async (db: DbCtx) => {
      await db.db.deleteFrom('security_event_block').where('id', '=', id).execute();
      await insertBlocks(db, [
        encodeBlock(
          blockBatchOf(orgId, {
            ids: keep.map((i) => b.ids[i]!),
            times: keep.map((i) => b.times[i]!),
            received: keep.map((i) => b.received[i]!),
            sources: keep.map((i) => b.sources[i]!),
            raws: keep.map((i) => b.raws[i]!),
          }),
        ),
      ]);
    };
    if (ctx.db.isTransaction) await rewrite(ctx);
    else await ctx.db.transaction().execute((trx) => rewrite({ db: trx, dialect: ctx.dialect }));
    deleted += b.ids.length - keep.length;
  }
  return deleted;
}

/** Blocks under this many events are merged by `compactBlocks`. */
const SMALL_BLOCK = BLOCK_MAX / 4;

/**
 * Merges small blocks (a syslog source's flushes hold a few events each) into blocks of up to
 * BLOCK_MAX, per organisation in id order, each merge in its own transaction; returns how many blocks
 * were merged away. A block deleted meanwhile (retention, another instance) cancels that merge.
 */
export async function compactBlocks(ctx: DbCtx, limit = 4096): Promise<number> {
  const rows = await ctx.db
    .selectFrom('security_event_block')
    .select(['id', 'org_id', 'event_count'])
    .where('event_count', '<', SMALL_BLOCK)
    .orderBy('org_id')
    .orderBy('id')
    .limit(limit)
    .execute();
  const groups: Array<{ orgId: string; ids: number[] }> = [];
  let group: { orgId: string; ids: number[]; events: number } | null = null;
  for (const r of rows) {
    if (!group || group.orgId !== r.org_id || group.events + r.event_count > BLOCK_MAX) {
      group = { orgId: r.org_id, ids: [], events: 0 };
      groups.push(group);
    }
    group.ids.push(Number(r.id));
    group.events += r.event_count;
  }
  let merged = 0;
  for (const g of groups) {
    if (g.ids.length < 2) continue;
    const parts: DecodedBlock[] = [];
    for (const id of g.ids) parts.push(await payloadOf(ctx, id));
    const order = parts
      .flatMap((b, k) => b.ids.map((_, i) => [k, i] as const))
      .sort(([ka, ia], [kb, ib]) => parts[ka]!.ids[ia]! - parts[kb]!.ids[ib]!);
    const col = <T>(pick: (b: DecodedBlock) => T[]) => order.map(([k, i]) => pick(parts[k]!)[i]!);
    const block = encodeBlock(
      blockBatchOf(g.orgId, {
        ids: col((b) => b.ids),
        times: col((b) => b.times),
        received: col((b) => b.received),
        sources: col((b) => b.sources),
        raws: col((b) => b.raws),
      }),
    );
    const write = async (db: DbCtx) => {
      const r = await db.db.deleteFrom('security_event_block').where('id', 'in', g.ids).executeTakeFirst();
      if (Number(r.numDeletedRows) !== g.ids.length) throw new MergeCancelled();
      await insertBlocks(db, [block]);
    };
    try {
      if (ctx.db.isTransaction) await write(ctx);
      else await ctx.db.transaction().execute((trx) => write({ db: trx, dialect: ctx.dialect }));
      merged += g.ids.length - 1;
    } catch (err) {
      if (!(err instanceof MergeCancelled)) throw err;
    }
  }
  return merged;
}

class MergeCancelled extends Error {}

/** How many events an organisation has stored (tests, benchmarks). */
export async function countEvents(ctx: DbCtx, orgId: string): Promise<number> {
  const row = await ctx.db
    .selectFrom('security_event_block')
    .select(sql<number>`coalesce(sum(event_count), 0)`.as('n'))
    .where('org_id', '=', orgId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
