import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { FastifyBaseLogger } from 'fastify';
import { startWorker } from '../../worker-thread.js';
import type { Compression } from './formats/decode.js';
import {
  type DigestTransport,
  digestBody,
  fromDigest,
  fromPrepared,
  type Prepared,
  type PreparedTransport,
  prepareBody,
} from './prepare.js';

/**
 * The CPU work on agents' bodies (decompressing, digesting, decoding, parsing, canonical JSON: ~15 ms
 * for a FusionInventory inventory of a thousand software) runs in worker threads, so the main thread
 * keeps to HTTP and the database. One worker per core beyond the first, at least two (a digest then
 * need not wait behind another body's parse) and at most four, started on first use, not keeping the
 * process alive when idle. If no worker can run, the work is done in the calling thread, as before.
 */

export type ParseJob = {
  id: number;
  step: 'digest' | 'prepare';
  body: Uint8Array;
  maxInflated: number;
  /** prepare: the digest job of the same body, whose worker may still hold it decompressed. */
  digestId?: number | undefined;
};

/** A worker and its jobs in flight; a job resolves undefined when the worker died under it. */
type Slot = { worker: Worker; pending: Map<number, (result: unknown) => void> };

/** Which worker digested a body: its prepare goes there, to reuse the decompressed bytes. */
export type DigestTicket = { slot: Slot; id: number } | undefined;

const MAX_WORKERS = 4;

let slots: Slot[] | undefined;
let unavailable = false;
let nextId = 1;

/** Decompresses a body and digests its text; refusals are thrown as PayloadError. */
export async function digestInWorker(
  body: Buffer,
  maxInflated: number,
  log?: FastifyBaseLogger,
): Promise<{ format: 'xml' | 'json'; compression: Compression; digest: string; ticket: DigestTicket }> {
  const job = await run(body, { step: 'digest', maxInflated }, log);
  const result = job?.result as DigestTransport | undefined;
  return { ...fromDigest(result ?? digestBody(body, maxInflated)), ticket: job?.ticket };
}

/** Decodes and parses a body (and a full inventory's canonical form); refusals are thrown. */
export async function prepareInWorker(
  body: Buffer,
  maxInflated: number,
  ticket: DigestTicket,
  log?: FastifyBaseLogger,
): Promise<Prepared> {
  const job = await run(body, { step: 'prepare', maxInflated, digestId: ticket?.id }, log, ticket?.slot);
  const result = job?.result as PreparedTransport | undefined;
  return fromPrepared(result ?? prepareBody(body, maxInflated));
}

/**
 * Runs a step in the given worker if it still runs, else in the least busy one; undefined when no
 * worker could (the caller does the work).
 */
async function run(
  body: Buffer,
  step: Omit<ParseJob, 'id' | 'body'>,
  log: FastifyBaseLogger | undefined,
  preferred?: Slot,
): Promise<{ result: unknown; ticket: DigestTicket } | undefined> {
  const workers = pool(log);
  if (!workers) return undefined;
  const slot =
    preferred && workers.includes(preferred)
      ? preferred
      : workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  const id = nextId++;
  // A view of a larger buffer would be cloned whole: send exactly the body's bytes.
  const whole = body.byteOffset === 0 && body.buffer.byteLength === body.byteLength;
  const job: ParseJob = { ...step, id, body: whole ? body : new Uint8Array(body) };
  const result = await new Promise((resolve) => {
    slot.pending.set(id, resolve);
    slot.worker.ref();
    slot.worker.postMessage(job);
  });
  return result === undefined ? undefined : { result, ticket: { slot, id } };
}

function pool(log: FastifyBaseLogger | undefined): Slot[] | undefined {
  if (unavailable) return undefined;
  if (!slots) {
    const size = Math.max(2, Math.min(MAX_WORKERS, os.availableParallelism() - 1));
    try {
      slots = Array.from({ length: size }, () => startSlot(log));
    } catch (err) {
      giveUp(log, err);
    }
  }
  return slots;
}

function giveUp(log: FastifyBaseLogger | undefined, err: unknown): void {
  if (!unavailable) log?.warn({ err }, 'inventory parser worker unavailable; parsing in the main thread');
  unavailable = true;
  for (const slot of slots ?? []) {
    for (const [, resolve] of slot.pending) resolve(undefined);
    slot.pending.clear();
    void slot.worker.terminate();
  }
  slots = undefined;
}

function startSlot(log: FastifyBaseLogger | undefined): Slot {
  const worker = newWorker();
  const slot: Slot = { worker, pending: new Map() };
  // Unreferenced before it is online, a worker's port is referenced again when it comes online.
  worker.unref();
  worker.once('online', () => {
    if (slot.pending.size === 0) worker.unref();
  });
  worker.on('message', ({ id, result }: { id: number; result: unknown }) => {
    const resolve = slot.pending.get(id);
    slot.pending.delete(id);
    if (slot.pending.size === 0) worker.unref();
    resolve?.(result);
  });
  // A worker that cannot start or dies: its jobs and all later ones are done in the main thread.
  worker.on('error', (err) => giveUp(log, err));
  worker.on('exit', (code) => {
    if (slots?.includes(slot)) giveUp(log, new Error(`inventory parser worker exited with code ${code}`));
  });
  return slot;
}

function newWorker() {
  return startWorker('inventory-parse-worker.mjs', new URL('./parse.worker.ts', import.meta.url));
}
