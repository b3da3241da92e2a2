/**
 * The security event blocks' worker thread (see block-pool.ts): encodes the blocks it is sent and
 * answers with them, their bytes transferred. Bundled on its own as dist/security-block-worker.mjs.
 */
import { parentPort } from 'node:worker_threads';
import type { BlockJob } from './block-pool.js';
import { encodeBlock } from './blocks.js';

parentPort?.on('message', (job: BlockJob) => {
  try {
    const blocks = job.blocks.map(encodeBlock);
    // Moved, not copied: each block's bytes in an ArrayBuffer of their own, each listed once.
    const own = (u: Uint8Array) =>
      u.byteOffset === 0 && u.byteLength === u.buffer.byteLength ? u : new Uint8Array(u);
    for (const b of blocks) b.payload = own(b.payload);
    const transfer = new Set<ArrayBuffer>();
    for (const b of blocks) transfer.add(b.payload.buffer as ArrayBuffer).add(b.terms.buffer as ArrayBuffer);
    parentPort!.postMessage({ id: job.id, blocks }, [...transfer]);
  } catch (err) {
    parentPort!.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) });
  }
});
