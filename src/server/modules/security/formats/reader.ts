/**
 * Reads a log byte stream whatever it holds: syslog/auth.log lines (newline or octet-counting
 * framing), EVTX-XML or JSON lines, plain or gzip (both told from the first bytes), and hands each
 * security event to `onEvent`, counting what was read, ignored and refused (by reason).
 */
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import {
  countReject,
  MAX_LINE_BYTES,
  newCounters,
  type ParseCounters,
  type RejectReason,
  type SecurityEvent,
  type SyslogRecord,
} from './event.js';
import { decodeFrame, FrameSplitter } from './framing.js';
import { isTransient, normaliseSyslog } from './linux.js';
import { type HeaderContext, parseSyslogLine } from './syslog.js';
import { YearInference } from './time.js';
import { parseEvtxXmlEvent, parseJsonLine } from './windows.js';

export type LogFormat = 'syslog' | 'json' | 'evtx-xml';

export type ParserOptions = {
  /** Year inference reference for stamps without a year (a file's modification time, or now). */
  reference: number;
  /** Stamps more than a day after this are refused (`future_timestamp`). */
  now: number;
  /**
   * The actions to hand to `onEvent` (default: all). Syslog events of other actions are counted as
   * parsed without being built: an analysis whose rules need few actions skips the rest.
   */
  wanted?: ReadonlySet<string> | null;
  onEvent(ev: SecurityEvent): void;
  /**
   * Syslog events of actions not wanted, when they are still to be kept (stored without detection):
   * the normalisers' shared scratch event, lent for this call only.
   */
  onOther?(ev: SecurityEvent): void;
};

/** Parses decompressed bytes pushed in chunks; the format is read from the first bytes. */
export class LogParser {
  readonly counters: ParseCounters = newCounters();
  format: LogFormat | null = null;
  /** The earliest and latest times of the events parsed (delivered or not). */
  first = Number.POSITIVE_INFINITY;
  last = Number.NEGATIVE_INFINITY;
  private readonly wanted: ReadonlySet<string> | null;
  private years: YearInference;
  private now: number;
  private readonly onEvent: (ev: SecurityEvent) => void;
  private readonly onOther: ((ev: SecurityEvent) => void) | null;
  private readonly frames: FrameSplitter;
  private pending: Buffer[] = [];
  private xml: XmlSplitter | null = null;
  private line = 0;
  private currentLine: string | null = null;
  /**
   * Where the line being handed over sits, when it was cut from a decoded run of lines: that text
   * and the line's first index in it (`lineText` is null otherwise). An event whose `raw` is that line
   * can be kept as this place instead of a string of its own.
   */
  private lineText: string | null = null;
  private lineFrom = 0;

  /** The decoded text and index the event's `raw` was cut from, if it is the line just read. */
  placeOf(ev: SecurityEvent): { text: string; from: number } | null {
    if (this.currentLine === null || ev.raw !== this.currentLine) return null;
    this.place.text = this.lineText!;
    this.place.from = this.lineFrom;
    return this.place;
  }
  private readonly place = { text: '', from: 0 };
  private readonly headerCtx: HeaderContext;
  private readonly record: SyslogRecord = { time: 0, host: null, program: null, pid: null, message: '' };

  constructor(opts: ParserOptions) {
    this.years = new YearInference(opts.reference);
    this.now = opts.now;
    this.headerCtx = { years: this.years, now: this.now };
    this.wanted = opts.wanted ?? null;
    this.onEvent = opts.onEvent;
    this.onOther = opts.onOther ?? null;
    const recovered = () => {
      this.counters.recovered.invalid_utf8++;
    };
    this.frames = new FrameSplitter({
      frame: (buf, start, end) => {
        this.counters.read++;
        this.currentLine = null;
        const text = decodeFrame(buf, start, end, recovered);
        this.handle(this.format === 'json' ? this.jsonLine(text) : this.syslogLine(text, ++this.line));
      },
      text: (text, chunk, from) => {
        this.counters.read++;
        this.currentLine = text;
        this.lineText = chunk;
        this.lineFrom = from;
        this.handle(this.format === 'json' ? this.jsonLine(text) : this.syslogLine(text, ++this.line));
      },
      refused: (reason) => {
        this.counters.read++;
        this.line++;
        countReject(this.counters, reason);
      },
    });
  }

  /**
   * Moves the parser's clock (a listener's parser lives for days): stamps without a year are placed
   * against `now` again, and the future limit follows it.
   */
  setNow(now: number): void {
    this.now = now;
    this.years = new YearInference(now);
    this.headerCtx.now = now;
    this.headerCtx.years = this.years;
  }

  /** Parses `chunk`, whose memory may be reused once this returns. */
  push(chunk: Buffer): void {
    if (this.format === null) {
      this.pending.push(Buffer.from(chunk));
      const head = Buffer.concat(this.pending);
      const format = sniff(head);
      if (format === null && head.length < 4096) return;
      this.pending = [];
      this.format = format ?? 'syslog';
      if (this.format === 'evtx-xml') this.xml = new XmlSplitter();
      chunk = head;
    }
    if (this.xml) this.xml.push(chunk, (text, tooLong) => this.xmlEvent(text, tooLong));
    else this.frames.push(chunk);
  }

  end(): void {
    if (this.format === null && this.pending.length) {
      const head = Buffer.concat(this.pending);
      this.pending = [];
      this.format = sniff(head) ?? 'syslog';
      if (this.format === 'evtx-xml') this.xml = new XmlSplitter();
      this.push(head);
    }
    if (this.xml) this.xml.end((text, tooLong) => this.xmlEvent(text, tooLong));
    else this.frames.end();
  }

  /** One syslog line as text (also used by JSON objects that wrap a whole line). */
  syslogLine(text: string, ref: number): SecurityEvent | RejectReason | null {
    const rec = parseSyslogLine(text, this.headerCtx, this.record);
    if (typeof rec === 'string') return rec;
    return normaliseSyslog(rec, text, ref, this.wanted);
  }

  private jsonLine(text: string): SecurityEvent | RejectReason | null {
    const ref = ++this.line;
    return parseJsonLine(text, ref, { now: this.now, syslogLine: (t, r) => this.syslogLine(t, r) });
  }

  private xmlEvent(text: string, tooLong: boolean) {
    this.counters.read++;
    this.currentLine = null;
    const ref = ++this.line;
    if (tooLong) return countReject(this.counters, 'too_long');
    this.handle(parseEvtxXmlEvent(text, ref, { now: this.now }));
  }

  private handle(result: SecurityEvent | RejectReason | null) {
    if (result === null) this.counters.ignored++;
    else if (typeof result === 'string') countReject(this.counters, result);
    else {
      this.counters.parsed++;
      if (result.time < this.first) this.first = result.time;
      if (result.time > this.last) this.last = result.time;
      if (!isTransient(result)) this.onEvent(result);
      else this.onOther?.(result);
    }
  }
}

/**
 * Stored records (events' `raw`) read again into their events: the format from each record's first
 * bytes, the time as stored (so year inference and the future limit no longer matter).
 */
export class Reparser {
  private readonly ctx: HeaderContext = {
    // Any leap year: the stored time replaces the inferred one, only Feb 29 must resolve.
    years: new YearInference(Date.UTC(2024, 11, 31)),
    now: Number.POSITIVE_INFINITY,
  };
  private readonly record: SyslogRecord = { time: 0, host: null, program: null, pid: null, message: '' };
  private readonly syslogLine = (text: string, ref: number): SecurityEvent | RejectReason | null => {
    const rec = parseSyslogLine(text, this.ctx, this.record);
    return typeof rec === 'string' ? rec : normaliseSyslog(rec, text, ref);
  };
  private readonly json = { now: Number.POSITIVE_INFINITY, syslogLine: this.syslogLine };

  /** The event of a stored record; null when the parsers no longer make one of it. */
  parse(raw: string, time: number, ref: number): SecurityEvent | null {
    let i = 0;
    while (i < raw.length && raw.charCodeAt(i) <= 32) i++;
    const c = raw.charCodeAt(i);
    const ev =
      c === 123 /* { */
        ? parseJsonLine(raw, ref, this.json)
        : c === 60 /* < */ && !(raw.charCodeAt(i + 1) >= 48 && raw.charCodeAt(i + 1) <= 57)
          ? parseEvtxXmlEvent(raw, ref, this.json)
          : this.syslogLine(raw, ref);
    if (ev === null || typeof ev === 'string') return null;
    ev.time = time;
    ev.raw = raw;
    return ev;
  }
}

/** The format from the first bytes (after any BOM and blank space); null when there are too few. */
export function sniff(head: Buffer): LogFormat | null {
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 32 || head[i] === 9 || head[i] === 10 || head[i] === 13)) i++;
  if (i >= head.length) return null;
  if (head[i] === 123 /* { */) return 'json';
  if (head[i] === 60 /* < */) {
    if (i + 1 >= head.length) return null;
    const next = head[i + 1]!;
    return next >= 48 && next <= 57 ? 'syslog' : 'evtx-xml';
  }
  return 'syslog';
}

/** Cuts `<Event …>…</Event>` elements out of an XML stream (with or without an `<Events>` root). */
class XmlSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private text = '';
  private skipping = false;

  push(chunk: Buffer, onEvent: (text: string, tooLong: boolean) => void) {
    this.text += this.decoder.write(chunk);
    let pos = 0;
    for (;;) {
      if (this.skipping) {
        const close = this.text.indexOf('</Event>', pos);
        if (close < 0) {
          this.text = this.text.slice(Math.max(pos, this.text.length - 8));
          return;
        }
        this.skipping = false;
        pos = close + 8;
        continue;
      }
      const open = findEventStart(this.text, pos);
      if (open < 0) {
        this.text = this.text.slice(Math.max(pos, this.text.length - 8));
        return;
      }
      const close = this.text.indexOf('</Event>', open);
      if (close < 0) {
        this.text = this.text.slice(open);
        if (this.text.length > MAX_LINE_BYTES) {
          onEvent('', true);
          this.skipping = true;
          this.text = '';
        }
        return;
      }
      const end = close + 8;
      onEvent(this.text.slice(open, end), end - open > MAX_LINE_BYTES);
      pos = end;
    }
  }

  end(onEvent: (text: string, tooLong: boolean) => void) {
    this.text += this.decoder.end();
    const open = findEventStart(this.text, 0);
    if (open >= 0 && !this.skipping) onEvent(this.text.slice(open), false);
    this.text = '';
  }
}

function findEventStart(text: string, from: number): number {
  let i = text.indexOf('<Event', from);
  while (i >= 0) {
    const c = text.charCodeAt(i + 6);
    if (c === 32 || c === 62 || c === 10 || c === 13 || c === 9) return i;
    if (Number.isNaN(c)) return -1;
    i = text.indexOf('<Event', i + 6);
  }
  return -1;
}

/** A byte stream, gunzipped when its first bytes say gzip. */
export async function* decompressed(
  source: AsyncIterable<Buffer>,
  info: { compression: 'gzip' | 'none' } = { compression: 'none' },
): AsyncGenerator<Buffer> {
  const it = source[Symbol.asyncIterator]();
  let first = await it.next();
  while (!first.done && first.value.length < 2) {
    const next = await it.next();
    if (next.done) break;
    first = { done: false, value: Buffer.concat([first.value, next.value]) };
  }
  if (first.done) return;
  const head = first.value;
  const rest: AsyncIterable<Buffer> = { [Symbol.asyncIterator]: () => it };
  if (head[0] !== 0x1f || head[1] !== 0x8b) {
    info.compression = 'none';
    yield head;
    yield* rest;
    return;
  }
  info.compression = 'gzip';
  const all = (async function* () {
    yield head;
    yield* rest;
  })();
  yield* Readable.from(all).pipe(createGunzip()) as AsyncIterable<Buffer>;
}
