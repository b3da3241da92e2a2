import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { TextDecoder } from 'node:util';
import { gunzipSync, inflateSync } from 'node:zlib';
import { decodeWindows1252 } from '../../../text-encoding.js';
import { PayloadError } from './errors.js';

export { PayloadError, type PayloadErrorReason } from './errors.js';

/** The cap on a decompressed (or plain) body, by default; real inventories are a few MB at most. */
export const DEFAULT_MAX_INFLATED = 64 * 1024 * 1024;

export type Compression = 'zlib' | 'gzip' | 'none';

export type DecodeOptions = {
  /** Bytes allowed after decompression (and for a plain body); over it → PayloadError 'too_large'. */
  maxInflated?: number;
};

export type DecodedBody = { format: 'xml' | 'json'; text: string; compression: Compression };

// zlib (RFC 1950): CMF 0x78 (deflate, 32 KiB window) and the FLG bytes of the four compression levels.
const ZLIB_FLG = new Set([0x01, 0x5e, 0x9c, 0xda]);

/** How the body is compressed, from its first bytes; agents' Content-Type headers are not trusted. */
export function detectCompression(body: Buffer): Compression {
  if (body.length >= 2 && body[0] === 0x78 && ZLIB_FLG.has(body[1]!)) return 'zlib';
  if (body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b) return 'gzip';
  return 'none';
}

/**
 * Decompresses and decodes an agent's body: compression and format are read from the bytes, never from
 * Content-Type. The decompressed size is capped with zlib's `maxOutputLength`, so a decompression bomb
 * stops at the cap instead of being allocated.
 *
 * Text encoding: a BOM wins; otherwise XML honours the `encoding` of its declaration (ISO-8859-1,
 * windows-1252, ISO-8859-15… through TextDecoder). UTF-8, declared or not, is decoded strictly and a
 * body that is not valid UTF-8 is read as windows-1252 (the WHATWG reading of "latin1", a superset of
 * ISO-8859-1 for printable characters): Windows agents that send their ANSI code page keep their accents.
 * JSON is UTF-8 with the same fallback.
 */
export function decodeBody(body: Buffer, opts: DecodeOptions = {}): DecodedBody {
  return decodeInflated(inflateBody(body, opts));
}

/** A body decompressed and classified, its text not decoded yet (`decodeInflated`, maybe in a worker). */
export type InflatedBody = { format: 'xml' | 'json'; compression: Compression; raw: Buffer };

/**
 * The first half of `decodeBody`: decompression (capped) and the format, with the same refusals, but
 * no text yet. Deciding that a body is the same as last time needs only its digest (`textDigest`).
 */
export function inflateBody(body: Buffer, opts: DecodeOptions = {}): InflatedBody {
  const max = capOf(opts.maxInflated);
  if (body.length === 0) throw new PayloadError('empty');
  const compression = detectCompression(body);
  let raw: Buffer;
  if (compression === 'none') {
    if (body.length > max) throw new PayloadError('too_large', `${body.length} bytes, cap ${max}`);
    raw = body;
  } else {
    raw = inflate(body, compression, max);
  }
  return { format: locateText(raw).format, compression, raw };
}

/** The second half of `decodeBody`: the text, in the encoding the body declares or shows. */
export function decodeInflated({ raw, compression }: InflatedBody): DecodedBody {
  const { format, text } = decodeText(raw);
  return { format, text, compression };
}

/**
 * SHA-256 (hex) of the text `decodeInflated` gives. When that text is the body's bytes read as UTF-8
 * (the usual case) the bytes are hashed as they are, without building a string of them.
 */
export function textDigest(body: InflatedBody): string {
  const where = locateText(body.raw);
  if (where.utf8) {
    const bytes = body.raw.subarray(where.start);
    if (isUtf8(bytes)) return createHash('sha256').update(bytes).digest('hex');
  }
  return createHash('sha256').update(decodeInflated(body).text).digest('hex');
}

function capOf(maxInflated: number | undefined): number {
  if (maxInflated === undefined || !Number.isFinite(maxInflated)) return DEFAULT_MAX_INFLATED;
  return Math.max(1, Math.floor(maxInflated));
}

function inflate(body: Buffer, compression: 'zlib' | 'gzip', max: number): Buffer {
  try {
    return compression === 'zlib'
      ? inflateSync(body, { maxOutputLength: max })
      : gunzipSync(body, { maxOutputLength: max });
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new PayloadError('too_large', `inflated body over ${max} bytes`, { cause: err });
    }
    // Z_BUF_ERROR (cut short), Z_DATA_ERROR (corrupt, bad checksum, trailing garbage after gzip), …
    throw new PayloadError('truncated', (err as Error).message, { cause: err });
  }
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

function startsWithBytes(buf: Buffer, bytes: number[], at = 0): boolean {
  return buf.length >= at + bytes.length && bytes.every((b, i) => buf[at + i] === b);
}

function isAsciiSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

function formatOf(firstChar: string | number | undefined): 'xml' | 'json' | undefined {
  if (firstChar === '<' || firstChar === 0x3c) return 'xml';
  if (firstChar === '{' || firstChar === 0x7b) return 'json';
  return undefined;
}

type TextLocation = {
  format: 'xml' | 'json';
  /** Where the text starts (after a BOM and leading white space), for a body that is not UTF-16. */
  start: number;
  /** The text is bytes[start…] read as UTF-8 when they are valid UTF-8 (else windows-1252). */
  utf8: boolean;
  utf16?: 'utf-16le' | 'utf-16be';
};

/** The body's format and encoding, from its first bytes (a UTF-16 body is decoded to find them). */
function locateText(raw: Buffer): TextLocation {
  // UTF-16 with a BOM: decode first, then look at the first character.
  const utf16 = startsWithBytes(raw, [0xff, 0xfe])
    ? 'utf-16le'
    : startsWithBytes(raw, [0xfe, 0xff])
      ? 'utf-16be'
      : undefined;
  if (utf16) {
    const trimmed = new TextDecoder(utf16).decode(raw.subarray(2)).trimStart();
    if (trimmed === '') throw new PayloadError('empty');
    const format = formatOf(trimmed[0]);
    if (!format) throw new PayloadError('unknown_format');
    return { format, start: 2, utf8: false, utf16 };
  }

  const hasBom = startsWithBytes(raw, UTF8_BOM);
  let start = hasBom ? UTF8_BOM.length : 0;
  while (start < raw.length && isAsciiSpace(raw[start])) start++;
  if (start >= raw.length) throw new PayloadError('empty');
  const format = formatOf(raw[start]);
  if (!format) throw new PayloadError('unknown_format');
  const utf8 = hasBom || format === 'json' || !declaredEncoding(raw.subarray(start));
  return { format, start, utf8 };
}

function decodeText(raw: Buffer): { format: 'xml' | 'json'; text: string } {
  const { format, start, utf8, utf16 } = locateText(raw);
  if (utf16) return { format, text: new TextDecoder(utf16).decode(raw.subarray(start)).trimStart() };
  const bytes = raw.subarray(start);
  if (utf8) return { format, text: utf8OrLatin1(bytes) };
  return { format, text: declaredEncoding(bytes)!(bytes) };
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function utf8OrLatin1(bytes: Buffer): string {
  try {
    return utf8Strict.decode(bytes);
  } catch {
    return decodeWindows1252(bytes);
  }
}

/**
 * The decoder for the encoding an XML declaration names, when it is a single-byte or other ASCII-compatible
 * encoding TextDecoder knows (windows-1252 and its aliases latin1/ISO-8859-1/us-ascii by hand). UTF-8 and unknown labels return undefined (strict UTF-8, then Latin-1);
 * so does a UTF-16 label, since a declaration we could read as ASCII proves the body is not UTF-16.
 */
function declaredEncoding(bytes: Buffer): ((bytes: Buffer) => string) | undefined {
  const head = bytes.subarray(0, 512).toString('latin1');
  const m = /^<\?xml\s[^>]*?\bencoding\s*=\s*["']\s*([A-Za-z0-9._:-]+)\s*["']/.exec(head);
  if (!m) return undefined;
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(m[1]!);
  } catch {
    return undefined;
  }
  const { encoding } = decoder;
  if (encoding === 'utf-8' || encoding.startsWith('utf-16') || encoding === 'replacement') return undefined;
  if (encoding === 'windows-1252') return decodeWindows1252;
  return (b) => decoder.decode(b);
}
