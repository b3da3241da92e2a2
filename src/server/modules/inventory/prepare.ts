import { createHash } from 'node:crypto';
import {
  type Compression,
  decodeInflated,
  type InflatedBody,
  inflateBody,
  textDigest,
} from './formats/decode.js';
import { PayloadError } from './formats/errors.js';
import { parseDecoded } from './formats/index.js';
import type { AgentMessage, Inventory } from './formats/inventory.js';
import { canonical, type SoftwareItem, softwareOf } from './reconcile.js';
import { packInventory } from './stored-inventory.js';

/**
 * The CPU work on an agent's body, which needs no database, in two steps: `digestBody` (decompress,
 * classify, digest: enough to see that the body is the one received last time) and `prepareBody`
 * (decode, parse, and for a full inventory its canonical JSON, digest and software list). Both run in
 * worker threads (`parse-pool.ts`), so results cross threads as plain data, and big ones as JSON text:
 * JSON.parse of the canonical JSON costs a third of a structured clone of the parsed object.
 */

type Format = 'xml' | 'json';

/** A refusal as it crosses threads: a PayloadError's fields, or an unexpected error's message. */
export type FailedTransport = {
  ok: false;
  reason?: PayloadError['reason'] | undefined;
  message: string;
  format?: Format | undefined;
  compression?: Compression | undefined;
};

export type DigestTransport =
  | { ok: true; format: Format; compression: Compression; digest: string }
  | FailedTransport;

export type PreparedTransport =
  | { ok: true; kind: 'message'; message: Exclude<AgentMessage, { kind: 'inventory' }> }
  | {
      ok: true;
      kind: 'inventory';
      format: 'ocs-xml' | 'glpi-json';
      /** A full inventory's canonical JSON; a partial one's JSON. */
      json: string;
      /** Left out of the canonical JSON, still needed to find the device. */
      oldDeviceId?: string | undefined;
      /** Full inventories: SHA-256 of the canonical JSON, the software list as JSON, the stored form. */
      contentHash?: string | undefined;
      software?: string | undefined;
      packed?: Uint8Array | undefined;
    }
  | FailedTransport;

/** What a full inventory stores and syncs, computed once: canonical JSON, digest, stored form, software. */
export type Canonical = {
  stored: string;
  contentHash: string;
  /** `packInventory(stored)`. */
  packed: Buffer;
  software: Array<SoftwareItem & { key: string }>;
};

export type Prepared = { message: AgentMessage; canonical?: Canonical | undefined };

function failed(err: unknown): FailedTransport {
  if (err instanceof PayloadError) {
    return {
      ok: false,
      reason: err.reason,
      message: err.message,
      format: err.format,
      compression: err.compression,
    };
  }
  return { ok: false, message: err instanceof Error ? err.message : String(err) };
}

/** Decompresses and classifies a body, and digests the text it holds (`textDigest`). */
export function digestBody(
  body: Uint8Array,
  maxInflated: number,
  /** Gets the decompressed body, for `prepareBody` not to decompress it again. */
  keep?: (inflated: InflatedBody) => void,
): DigestTransport {
  try {
    const inflated = inflateBody(asBuffer(body), { maxInflated });
    keep?.(inflated);
    return {
      ok: true,
      format: inflated.format,
      compression: inflated.compression,
      digest: textDigest(inflated),
    };
  } catch (err) {
    return failed(err);
  }
}

/** Decodes and parses a body; a full inventory comes with its canonical JSON, digest and software. */
export function prepareBody(
  body: Uint8Array,
  maxInflated: number,
  /** The body as `digestBody` decompressed it, when kept. */
  inflated?: InflatedBody,
): PreparedTransport {
  try {
    const message = parseDecoded(decodeInflated(inflated ?? inflateBody(asBuffer(body), { maxInflated })));
    if (message.kind !== 'inventory') return { ok: true, kind: 'message', message };
    const inv = message.inventory;
    if (inv.partial)
      return { ok: true, kind: 'inventory', format: message.format, json: JSON.stringify(inv) };
    // A full inventory replaces what was stored whatever it was: its stored form is known already.
    const stored = canonical({ ...inv, partial: false });
    return {
      ok: true,
      kind: 'inventory',
      format: message.format,
      json: stored,
      oldDeviceId: inv.oldDeviceId,
      contentHash: createHash('sha256').update(stored).digest('hex'),
      software: JSON.stringify(softwareOf(inv)),
      packed: packInventory(stored),
    };
  } catch (err) {
    return failed(err);
  }
}

/** A refusal back on the caller's thread, thrown as it was raised. */
function raise(t: FailedTransport): never {
  if (!t.reason) throw new Error(`inventory parser: ${t.message}`);
  const err = new PayloadError(t.reason, undefined, { format: t.format, compression: t.compression });
  err.message = t.message;
  throw err;
}

export function fromDigest(t: DigestTransport): { format: Format; compression: Compression; digest: string } {
  if (!t.ok) raise(t);
  return { format: t.format, compression: t.compression, digest: t.digest };
}

export function fromPrepared(t: PreparedTransport): Prepared {
  if (!t.ok) raise(t);
  if (t.kind === 'message') return { message: t.message };
  const inventory = JSON.parse(t.json) as Inventory;
  if (t.oldDeviceId) inventory.oldDeviceId = t.oldDeviceId;
  return {
    message: { kind: 'inventory', format: t.format, inventory },
    canonical:
      t.contentHash && t.software && t.packed
        ? {
            stored: t.json,
            contentHash: t.contentHash,
            packed: asBuffer(t.packed),
            software: JSON.parse(t.software),
          }
        : undefined,
  };
}

/** Bytes that crossed threads arrive as a Uint8Array; the decoders read Buffers. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
