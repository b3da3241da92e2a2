import { Worker } from 'node:worker_threads';

/**
 * Starts a module's worker thread. The server bundle (dist/parc.mjs) has each worker bundled next to
 * it (scripts/build-server.mjs: `bundled` is that file's name); when the server runs from its
 * TypeScript sources (tests, tsx), the worker's `source` is loaded through tsx's loader.
 */
export function startWorker(bundled: string, source: URL): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(`./${bundled}`, import.meta.url));
  return new Worker(
    `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source.href)}); });`,
    { eval: true },
  );
}
