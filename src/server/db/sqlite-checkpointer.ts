import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * SQLite copies its write-ahead log into the database file (a checkpoint, with its fsyncs) inside the
 * commit that crosses `wal_autocheckpoint` pages, and that writer waits for it: an inventory commit
 * that drew the checkpoint took ten times its usual time. A worker thread with its own connection
 * checkpoints every second instead, in PASSIVE mode (it never waits for a lock and never blocks a
 * writer), so commits only append to the log; the next writer that finds the log fully copied starts
 * it over. The writer's own auto-checkpoint stays, far higher, as the backstop should this thread stop.
 */
const SOURCE = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 0');
setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
}, workerData.intervalMs);
`;

export type Checkpointer = { stop(): Promise<void> };

export function startCheckpointer(file: string, intervalMs = 1000): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(SOURCE, { eval: true, workerData: { driver, file, intervalMs } });
  // A CLI command ends when its work does; the thread never keeps the process alive.
  worker.unref();
  // Failing to start (say, the file became unreadable) leaves the writer's auto-checkpoint in charge.
  worker.on('error', () => {});
  return {
    async stop() {
      await worker.terminate();
    },
  };
}
