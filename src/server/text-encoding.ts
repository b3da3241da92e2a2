/** Text decodings Node gets wrong. */

// windows-1252 at 0x80-0x9F (the rest is ISO-8859-1); the five unassigned bytes keep their C1 code.
const CP1252_HIGH =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

/**
 * windows-1252, what WHATWG (and browsers) mean by "latin1" and "ISO-8859-1": ISO-8859-1 plus the
 * typographic characters of 0x80-0x9F (€, ’, “, œ…). Decoded by hand because Node's TextDecoder reads
 * the windows-1252 labels as plain ISO-8859-1 (its Latin-1 fast path), turning ’ into a control character.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('latin1')
    .replace(/[\u0080-\u009F]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
}
