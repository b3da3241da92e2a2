/**
 * Splits a byte stream into frames: newline-delimited (files, RFC 6587 non-transparent framing) or
 * octet-counted ("LEN SP MSG", RFC 6587 3.4.1, read from the first bytes). A frame over
 * MAX_LINE_BYTES is skipped, never buffered, and reported once.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { MAX_LINE_BYTES } from './event.js';

export type FrameSink = {
  frame(buf: Buffer, start: number, end: number): void;
  /**
   * A line already decoded. Pure-ASCII chunks are decoded at once and cut into substrings that share
   * the chunk's text: whoever keeps a part of such a line for long must copy it (`detach`), or keep
   * the text and where the line starts in it (`from`).
   */
  text(line: string, text: string, from: number): void;
  /** A frame refused: too long, or a broken octet count. */
  refused(reason: 'too_long' | 'unparseable'): void;
};

const EMPTY = Buffer.alloc(0);
/** Bytes decoded at once on the fast path. */
const FAST_SLICE = 64 * 1024;

export class FrameSplitter {
  private rest: Buffer = EMPTY;
  private mode: 'unknown' | 'newline' | 'octet' = 'unknown';
  /** Bytes still to drop of a frame refused as too long (octet mode), or -1 to drop to the next newline. */
  private skip = 0;

  constructor(
    private readonly sink: FrameSink,
    private readonly maxBytes = MAX_LINE_BYTES,
  ) {}

  /** Frames of `chunk`; its memory may be reused once this returns (the partial frame is copied). */
  push(chunk: Buffer): void {
    let buf = chunk;
    if (this.rest.length && this.mode === 'newline' && this.skip === 0) {
      // Finish the pending line with the head of the chunk: only that line is copied, not the chunk.
      const nl = chunk.indexOf(10);
      if (nl < 0) buf = Buffer.concat([this.rest, chunk]);
      else {
        const line = Buffer.concat([this.rest, chunk.subarray(0, nl + 1)]);
        this.rest = EMPTY;
        this.lines(line);
        buf = chunk.subarray(nl + 1);
      }
    } else if (this.rest.length) buf = Buffer.concat([this.rest, chunk]);
    this.rest = EMPTY;
    if (this.mode === 'unknown') {
      if (buf.length < 8 && !buf.includes(10)) {
        this.rest = Buffer.from(buf);
        return;
      }
      this.mode = /^[1-9][0-9]{0,5} </.test(buf.toString('latin1', 0, 8)) ? 'octet' : 'newline';
    }
    if (this.mode === 'octet') buf = this.octets(buf);
    else buf = this.lines(buf);
    // A copy: the caller may reuse its chunk's memory for the next read.
    this.rest = buf.length ? Buffer.from(buf) : EMPTY;
  }

  /** The last frame, without its newline. */
  end(): void {
    if (this.rest.length && this.skip === 0) {
      if (this.mode === 'octet') this.sink.refused('unparseable');
      else this.emit(this.rest, 0, this.rest.length);
    }
    this.rest = EMPTY;
  }

  private lines(buf: Buffer): Buffer {
    let start = 0;
    if (this.skip === -1) {
      const nl = buf.indexOf(10);
      if (nl < 0) return EMPTY;
      this.skip = 0;
      start = nl + 1;
    }
    // The fast path: pure-ASCII runs of lines decoded at once (in slices small enough to be ordinary
    // young objects), lines as substrings of them.
    while (start < buf.length) {
      const last = buf.lastIndexOf(10, Math.min(buf.length, start + FAST_SLICE) - 1);
      if (last <= start || !isAscii(buf.subarray(start, last))) break;
      const text = buf.toString('latin1', start, last + 1);
      let from = 0;
      for (;;) {
        const nl = text.indexOf('\n', from);
        if (nl < 0) break;
        const end = nl > from && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        if (nl - from > this.maxBytes) this.sink.refused('too_long');
        else if (end > from) this.sink.text(text.slice(from, end), text, from);
        from = nl + 1;
      }
      start = last + 1;
    }
    for (;;) {
      const nl = buf.indexOf(10, start);
      if (nl < 0) break;
      if (nl - start > this.maxBytes) this.sink.refused('too_long');
      else this.emit(buf, start, nl);
      start = nl + 1;
    }
    if (buf.length - start > this.maxBytes) {
      this.sink.refused('too_long');
      this.skip = -1;
      return EMPTY;
    }
    return start === 0 ? buf : buf.subarray(start);
  }

  private emit(buf: Buffer, start: number, end: number) {
    const e = end > start && buf[end - 1] === 13 ? end - 1 : end;
    if (e > start) this.sink.frame(buf, start, e);
  }

  private octets(buf: Buffer): Buffer {
    let i = 0;
    for (;;) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, buf.length - i);
        this.skip -= n;
        i += n;
        if (this.skip > 0) return EMPTY;
      }
      while (i < buf.length && (buf[i] === 10 || buf[i] === 13)) i++;
      const sp = buf.indexOf(32, i);
      if (sp < 0 || sp - i > 7) {
        if (buf.length - i > 7) {
          // Not an octet count: the sender does not frame as it began; read the rest as lines.
          this.sink.refused('unparseable');
          this.mode = 'newline';
          this.skip = -1;
          return this.lines(buf.subarray(i));
        }
        return buf.subarray(i);
      }
      const len = Number(buf.toString('latin1', i, sp));
      if (!Number.isInteger(len) || len <= 0) {
        this.sink.refused('unparseable');
        this.mode = 'newline';
        this.skip = -1;
        return this.lines(buf.subarray(i));
      }
      if (len > this.maxBytes) {
        this.sink.refused('too_long');
        this.skip = len;
        i = sp + 1;
        continue;
      }
      if (buf.length - (sp + 1) < len) return buf.subarray(i);
      this.emit(buf, sp + 1, sp + 1 + len);
      i = sp + 1 + len;
    }
  }
}

/** Decodes a frame: UTF-8, or Latin-1 when it is not valid UTF-8 (told through `recovered`). */
export function decodeFrame(buf: Buffer, start: number, end: number, recovered: () => void): string {
  const s = buf.toString('utf8', start, end);
  // A real U+FFFD in the text is valid UTF-8 (EF BF BD): only fall back when the bytes are broken.
  if (s.indexOf('\uFFFD') < 0 || isUtf8(buf.subarray(start, end))) return s;
  recovered();
  return buf.toString('latin1', start, end);
}

/**
 * A copy of `s` that does not share the text it was cut from: V8 keeps a substring of 13 characters or
 * more as a view on its parent, which would keep a whole decoded chunk alive.
 */
export function detach(s: string): string;
export function detach(s: string | null): string | null;
export function detach(s: string | null): string | null {
  if (s === null || s.length < 13) return s;
  // Concatenating then cutting flattens into a new string of its own.
  return ` ${s}`.slice(1);
}
