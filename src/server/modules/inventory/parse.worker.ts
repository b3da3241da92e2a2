/**
 * The inventory parser's worker thread (see parse-pool.ts): takes agents' bodies, answers with
 * `digestBody` or `prepareBody`'s result. Bundled on its own as dist/inventory-parse-worker.mjs.
 */
import { parentPort } from 'node:worker_threads';
import type { InflatedBody } from './formats/decode.js';
import type { ParseJob } from './parse-pool.js';
import { digestBody, prepareBody } from './prepare.js';

/**
 * Bodies decompressed by a digest, for the prepare that usually follows (a new or changed inventory)
 * not to decompress them again; the oldest go first past a few MB (an unchanged body is never
 * prepared).
 */
const KEPT_BYTES = 32 * 1024 * 1024;
const kept = new Map<number, InflatedBody>();
let keptBytes = 0;

function keep(id: number, inflated: InflatedBody): void {
  if (inflated.raw.length > KEPT_BYTES) return;
  kept.set(id, inflated);
  keptBytes += inflated.raw.length;
  for (const [oldest, body] of kept) {
    if (keptBytes <= KEPT_BYTES) break;
    kept.delete(oldest);
    keptBytes -= body.raw.length;
  }
}

function take(id: number | undefined): InflatedBody | undefined {
  const inflated = id === undefined ? undefined : kept.get(id);
  if (inflated) {
    kept.delete(id!);
    keptBytes -= inflated.raw.length;
  }
  return inflated;
}

parentPort?.on('message', (job: ParseJob) => {
  const result =
    job.step === 'digest'
      ? digestBody(job.body, job.maxInflated, (inflated) => keep(job.id, inflated))
      : prepareBody(job.body, job.maxInflated, take(job.digestId));
  parentPort?.postMessage({ id: job.id, result });
});
