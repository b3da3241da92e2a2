/**
 * The security event blocks' worker thread (see block-pool.ts): encodes the blocks it is sent and
 * answers with them, their bytes transferred. Bundled on its own as dist/security-block-worker.mjs.
 */
import { parentPort } from 'node:worker_threads';
import type { BlockJob } from './block-pool.js';
import { batchInput, encodeBlock } from './blocks.js';

parentPort?.on('message', (job: BlockJob) => {
  try {
    const blocks = job.blocks.map((b) => encodeBlock(batchInput(b)));
    parentPort!.postMessage(
      { id: job.id, blocks },
      blocks.flatMap((b) => [b.payload.buffer, b.terms.buffer] as ArrayBuffer[]),
    );
  } catch (err) {
    parentPort!.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) });
  }
});
