/**
 * How security events are stored: in blocks of up to BLOCK_MAX events of one organisation, one row
 * each, the records compressed together (Brotli; a seventh of the text) with a Bloom filter of the
 * users and source addresses, so that a search for one skips the blocks that cannot hold it. A block
 * keeps each event's id, time, reception time, source, action, outcome and original record; the other
 * normalised fields are the record read again by the same parsers (`Reparser`), so the raw line stays
 * the one source of truth. Writing a block costs one row instead of an indexed row per event.
 *
 * The pipeline's thread, which has each event parsed anyway, notes its values in the block's filter
 * (`BlockTerms`) and its action and outcome as codes; the encoding (columns, compression) runs in a
 * worker thread (block-pool.ts) while the pipeline's thread goes on parsing and detecting. (Having the
 * worker parse the records again for those instead costs less on the pipeline's thread but more CPU
 * in all, and on two cores that slowed the pipeline's thread more than it saved.)
 */
import zlib from 'node:zlib';
import { SECURITY_ACTIONS, type SecurityEvent } from './formats/event.js';
import { Reparser } from './formats/reader.js';

/** Events per block at most (about 1 MB of records before compression). */
export const BLOCK_MAX = 8192;
const FORMAT = 1;

/** Action and outcome codes of a BlockBatch. */
export const BLOCK_ACTIONS: readonly string[] = [...SECURITY_ACTIONS, 'unknown'];
export const BLOCK_OUTCOMES: readonly string[] = ['success', 'failure', 'unknown'];

/**
 * What the pipeline hands the worker per block, in forms that cross threads at the cost of a copy:
 * numbers in typed arrays, sources, actions and outcomes as codes, and each record either as its place in a
 * decoded run of lines (`texts[text[i]]` from `from[i]`, `len[i]` long; the few runs are posted once,
 * not the thousands of lines cut from them) or, where `text[i]` is -1, as `own[i]`.
 */
export type BlockBatch = {
  orgId: string;
  ids: Float64Array;
  times: Float64Array;
  received: Float64Array;
  sourceNames: (string | null)[];
  sources: Int32Array;
  actions: Uint8Array;
  outcomes: Uint8Array;
  texts: string[];
  text: Int32Array;
  from: Int32Array;
  len: Int32Array;
  own: (string | null)[];
  /** The block's filter (BlockTerms.folded). */
  terms: Uint8Array;
};

export type EncodedBlock = {
  orgId: string;
  /** The block's smallest event id (also its row id). */
  id: number;
  idMax: number;
  count: number;
  timeMin: number;
  timeMax: number;
  terms: Uint8Array;
  payload: Uint8Array;
};

/** A block's events, decoded but not parsed: enough for times, ids, counts and text search. */
export type DecodedBlock = {
  ids: number[];
  times: number[];
  received: number[];
  sources: (string | null)[];
  actions: string[];
  outcomes: string[];
  raws: string[];
};

type Payload = {
  v: number;
  /** ids: the first, then differences */
  id: number[];
  /** times (epoch ms): the first, then differences */
  t: number[];
  r0: number;
  r: number[];
  sd: (string | null)[];
  s: number[];
  ad: string[];
  a: number[];
  od: string[];
  o: number[];
  /** the records' lengths (UTF-16 code units), the records following the head */
  len: number[];
};

/**
 * The fields in a block's filter, with their term prefixes: the ones of many values, which a search
 * looks for one of. (Hosts, programs, actions and outcomes are few: nearly every block of a busy
 * organisation holds them all, and a filter of them would rule out nothing.)
 */
export type TermField = 'user' | 'srcIp';
const PREFIX: Record<TermField, string> = { user: 'u:', srcIp: 'i:' };

const HASHES = 4;
/**
 * Bits of a block's filter: 16 per event, from 256 (a syslog flush of one event) to 65,536 (8 KiB for
 * a full block: under 1% false positives up to some 6,000 distinct values).
 */
function filterBits(events: number): number {
  let bits = 256;
  while (bits < events * 16 && bits < 1 << 16) bits *= 2;
  return bits;
}

/** FNV-1a from `seed` (the hash state after a field's prefix) over the value (no string built). */
function hashFrom(seed: number, value: string): number {
  let h = seed;
  for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function seedOf(prefix: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < prefix.length; i++) h = Math.imul(h ^ prefix.charCodeAt(i), 0x01000193);
  return h;
}

const SEED: Record<TermField, number> = { user: seedOf(PREFIX.user), srcIp: seedOf(PREFIX.srcIp) };
const USER = SEED.user;
const SRC_IP = SEED.srcIp;

function setBits(filter: Uint8Array, h1: number) {
  const bits = filter.length * 8;
  const h2 = (Math.imul(h1 ^ (h1 >>> 15), 0x2c1b3c6d) >>> 0) | 1;
  for (let k = 0; k < HASHES; k++) {
    const bit = (h1 + k * h2) & (bits - 1);
    filter[bit >>> 3]! |= 1 << (bit & 7);
  }
}

function hasBits(filter: Uint8Array, h1: number): boolean {
  const bits = filter.length * 8;
  const h2 = (Math.imul(h1 ^ (h1 >>> 15), 0x2c1b3c6d) >>> 0) | 1;
  for (let k = 0; k < HASHES; k++) {
    const bit = (h1 + k * h2) & (bits - 1);
    if ((filter[bit >>> 3]! & (1 << (bit & 7))) === 0) return false;
  }
  return true;
}

/**
 * The Bloom filter of a block being filled, sized for a full block; `folded` gives it at the size of
 * the block's event count (a filter of 2^n bits folds onto 2^(n-1) by OR-ing its halves: positions are
 * hashes modulo the size). A value equal to the previous event's is skipped.
 */
export class BlockTerms {
  private filter = new Uint8Array((1 << 16) / 8);
  // The previous event's values: runs of events often share them.
  private user: string | null = null;
  private srcIp: string | null = null;

  add(ev: SecurityEvent) {
    if (ev.user !== this.user && ev.user !== null) {
      this.user = ev.user;
      setBits(this.filter, hashFrom(USER, ev.user));
    }
    if (ev.srcIp !== this.srcIp && ev.srcIp !== null) {
      this.srcIp = ev.srcIp;
      setBits(this.filter, hashFrom(SRC_IP, ev.srcIp));
    }
  }

  folded(events: number): Uint8Array {
    let f = this.filter;
    const bytes = filterBits(events) / 8;
    while (f.length > bytes) {
      const half = f.length / 2;
      const g = f.slice(0, half);
      for (let i = 0; i < half; i++) g[i]! |= f[half + i]!;
      f = g;
    }
    return f;
  }
}

/** Whether a block's filter may hold every one of the given field values (false: it surely does not). */
export function mayHold(filter: Uint8Array, wanted: Partial<Record<TermField, string>>): boolean {
  for (const [field, value] of Object.entries(wanted))
    if (value !== undefined && !hasBits(filter, hashFrom(SEED[field as TermField], value))) return false;
  return true;
}
function dictionary<T>(values: T[]): { d: T[]; x: number[] } {
  const index = new Map<T, number>();
  const d: T[] = [];
  const x = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    let n = index.get(v);
    if (n === undefined) {
      n = d.length;
      index.set(v, n);
      d.push(v);
    }
    x[i] = n;
  }
  return { d, x };
}

function deltas(values: ArrayLike<number>, base: number): number[] {
  const out = new Array<number>(values.length);
  let prev = base;
  for (let i = 0; i < values.length; i++) {
    out[i] = values[i]! - prev;
    prev = values[i]!;
  }
  return out;
}

function undelta(values: number[], base: number): number[] {
  const out = new Array<number>(values.length);
  let acc = base;
  for (let i = 0; i < values.length; i++) {
    acc += values[i]!;
    out[i] = acc;
  }
  return out;
}

const reparser = new Reparser();

/**
 * A block from stored columns alone (data carried over, a block written again): each record read
 * again for the filter, its action and outcome.
 */
export function blockBatchOf(
  orgId: string,
  c: { ids: number[]; times: number[]; received: number[]; sources: (string | null)[]; raws: string[] },
): BlockBatch {
  const n = c.ids.length;
  const terms = new BlockTerms();
  const actions = new Uint8Array(n);
  const outcomes = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const ev = reparser.parse(c.raws[i]!, c.times[i]!, c.ids[i]!);
    if (ev) terms.add(ev);
    actions[i] = ev ? BLOCK_ACTIONS.indexOf(ev.action) : BLOCK_ACTIONS.length - 1;
    outcomes[i] = BLOCK_OUTCOMES.indexOf(ev?.outcome ?? 'unknown');
  }
  const src = dictionary(c.sources);
  return {
    orgId,
    ids: Float64Array.from(c.ids),
    times: Float64Array.from(c.times),
    received: Float64Array.from(c.received),
    sourceNames: src.d,
    sources: Int32Array.from(src.x),
    actions,
    outcomes,
    texts: [],
    text: new Int32Array(n).fill(-1),
    from: new Int32Array(n),
    len: new Int32Array(n),
    own: c.raws,
    terms: terms.folded(n),
  };
}

/** Codes used in a block, as a dictionary of their names and each event's index in it. */
function codes(
  values: ArrayLike<number>,
  names: readonly (string | null)[],
): { d: (string | null)[]; x: number[] } {
  const index = new Int32Array(names.length).fill(-1);
  const d: (string | null)[] = [];
  const x = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (index[v] === -1) {
      index[v] = d.length;
      d.push(names[v]!);
    }
    x[i] = index[v]!;
  }
  return { d, x };
}

/**
 * One block's row: the columns and records compressed, the id and time ranges. Records given as
 * places are copied byte for byte from their run of lines (pure ASCII: its Latin-1 bytes are its
 * UTF-8), without a string each.
 */
export function encodeBlock(b: BlockBatch): EncodedBlock {
  const n = b.ids.length;
  if (n === 0 || n > BLOCK_MAX) throw new Error(`a block holds 1 to ${BLOCK_MAX} events, not ${n}`);
  let idMin = Number.POSITIVE_INFINITY;
  let idMax = Number.NEGATIVE_INFINITY;
  let timeMin = Number.POSITIVE_INFINITY;
  let timeMax = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const id = b.ids[i]!;
    const time = b.times[i]!;
    if (id < idMin) idMin = id;
    if (id > idMax) idMax = id;
    if (time < timeMin) timeMin = time;
    if (time > timeMax) timeMax = time;
  }
  const src = codes(b.sources, b.sourceNames);
  const act = codes(b.actions, BLOCK_ACTIONS);
  const out = codes(b.outcomes, BLOCK_OUTCOMES);
  const lengths = new Array<number>(n);
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    if (b.text[i]! >= 0) {
      lengths[i] = b.len[i]!;
      bytes += b.len[i]!;
    } else {
      lengths[i] = b.own[i]!.length;
      bytes += Buffer.byteLength(b.own[i]!);
    }
  }
  const r0 = b.received[0]!;
  const head: Payload = {
    v: FORMAT,
    id: deltas(b.ids, 0),
    t: deltas(b.times, 0),
    r0,
    r: deltas(b.received, r0),
    sd: src.d,
    s: src.x,
    ad: act.d as string[],
    a: act.x,
    od: out.d as string[],
    o: out.x,
    len: lengths,
  };
  // The head as JSON on its first line, then the records one after the other (their lengths in the head).
  const headText = `${JSON.stringify(head)}\n`;
  const headBytes = Buffer.byteLength(headText);
  const text = Buffer.allocUnsafe(headBytes + bytes);
  text.write(headText, 0);
  const runs = b.texts.map((t) => Buffer.from(t, 'latin1'));
  let at = headBytes;
  for (let i = 0; i < n; i++) {
    const t = b.text[i]!;
    if (t >= 0) at += runs[t]!.copy(text, at, b.from[i]!, b.from[i]! + b.len[i]!);
    else at += text.write(b.own[i]!, at);
  }
  const compressed = zlib.brotliCompressSync(text, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 1,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: text.length,
      [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
    },
  });
  return {
    orgId: b.orgId,
    id: idMin,
    idMax,
    count: n,
    timeMin,
    timeMax,
    terms: b.terms,
    payload: new Uint8Array(compressed.buffer, compressed.byteOffset, compressed.byteLength),
  };
}

export function decodeBlock(payload: Uint8Array): DecodedBlock {
  const text = zlib.brotliDecompressSync(payload).toString('utf8');
  const nl = text.indexOf('\n');
  const p = JSON.parse(text.slice(0, nl)) as Payload;
  if (p.v !== FORMAT) throw new Error(`unknown security event block format ${p.v}`);
  const raws = new Array<string>(p.len.length);
  let at = nl + 1;
  for (let i = 0; i < raws.length; i++) {
    raws[i] = text.slice(at, at + p.len[i]!);
    at += p.len[i]!;
  }
  return {
    ids: undelta(p.id, 0),
    times: undelta(p.t, 0),
    received: undelta(p.r, p.r0),
    sources: p.s.map((i) => p.sd[i]!),
    actions: p.a.map((i) => p.ad[i]!),
    outcomes: p.o.map((i) => p.od[i]!),
    raws,
  };
}

/** The normalised event of a decoded block's i-th record (its fields read again from the record). */
export function eventAt(block: DecodedBlock, i: number): SecurityEvent {
  const raw = block.raws[i]!;
  const ev = reparser.parse(raw, block.times[i]!, block.ids[i]!);
  if (ev) return ev;
  // Parsers changed since it was stored: what the block itself says.
  return {
    time: block.times[i]!,
    host: null,
    program: null,
    pid: null,
    user: null,
    srcIp: null,
    srcPort: null,
    action: block.actions[i] as SecurityEvent['action'],
    outcome: block.outcomes[i] as SecurityEvent['outcome'],
    targetUser: null,
    group: null,
    method: null,
    detail: null,
    eventId: null,
    repeat: 1,
    ref: block.ids[i]!,
    raw,
  };
}
