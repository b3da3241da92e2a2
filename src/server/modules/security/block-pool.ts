/**
 * Encoding security event blocks (parsing their records for the filter, compressing them) in one
 * worker thread, so that the pipeline's thread keeps parsing and detecting meanwhile: on two cores
 * the import stores at the rate it analyses. Started on first use, not keeping the process alive
 * when idle. If the worker cannot run, blocks are encoded in the calling thread, as they would be.
 */
import type { Worker } from 'node:worker_threads';
import type { FastifyBaseLogger } from 'fastify';
import { startWorker } from '../../worker-thread.js';
import { type BlockBatch, type EncodedBlock, encodeBlock } from './blocks.js';

export type BlockJob = { id: number; blocks: BlockBatch[] };
type Answer = { id: number; blocks?: EncodedBlock[]; error?: string };

let worker: Worker | undefined;
let unavailable = false;
let nextId = 1;
const pending = new Map<number, (answer: Answer | undefined) => void>();

/** The blocks encoded, in order. */
export async function encodeBlocks(blocks: BlockBatch[], log?: FastifyBaseLogger): Promise<EncodedBlock[]> {
  if (!blocks.length) return [];
  const w = current(log);
  if (w) {
    const id = nextId++;
    const answer = await new Promise<Answer | undefined>((resolve) => {
      pending.set(id, resolve);
      w.ref();
      w.postMessage({ id, blocks } satisfies BlockJob);
    });
    if (answer?.error) throw new Error(answer.error);
    if (answer?.blocks) return answer.blocks;
  }
  return blocks.map(encodeBlock);
}

function current(log: FastifyBaseLogger | undefined): Worker | undefined {
  if (unavailable) return undefined;
  if (worker) return worker;
  try {
    const w = startWorker('security-block-worker.mjs', new URL('./block.worker.ts', import.meta.url));
    w.unref();
    w.on('message', (answer: Answer) => {
      const resolve = pending.get(answer.id);
      pending.delete(answer.id);
      if (pending.size === 0) w.unref();
      resolve?.(answer);
    });
    w.on('error', (err) => giveUp(log, err));
    w.on('exit', (code) => {
      if (worker === w) giveUp(log, new Error(`security block worker exited with code ${code}`));
    });
    worker = w;
    return w;
  } catch (err) {
    giveUp(log, err);
    return undefined;
  }
}

/** Jobs in flight and later ones are encoded in the calling thread. */
function giveUp(log: FastifyBaseLogger | undefined, err: unknown) {
  if (!unavailable) log?.warn({ err }, 'security block worker unavailable; encoding in the main thread');
  unavailable = true;
  const w = worker;
  worker = undefined;
  for (const [, resolve] of pending) resolve(undefined);
  pending.clear();
  void w?.terminate();
}
