import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';

// SQLite only: a file database's write-ahead log is copied into the file by a thread of its own.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parc-checkpoint-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the SQLite checkpointer', () => {
  it('copies committed pages into the database file without a writer paying for it', async () => {
    const file = path.join(dir, 'parc.db');
    const handle = await openDatabase({ kind: 'sqlite', file });
    try {
      await sql`CREATE TABLE filler (id INTEGER PRIMARY KEY, body BLOB)`.execute(handle.db);
      const sizeBefore = fs.statSync(file).size;
      // 4 MB in 1,000 pages: far below the writer's own auto-checkpoint (50,000 pages).
      for (let i = 0; i < 16; i++)
        await sql`INSERT INTO filler (body) VALUES (zeroblob(${256 * 1024}))`.execute(handle.db);
      expect(fs.statSync(file).size - sizeBefore).toBeLessThan(1024 * 1024);
      let size = fs.statSync(file).size;
      for (let waited = 0; size < 4 * 1024 * 1024 && waited < 10_000; waited += 100) {
        await new Promise((r) => setTimeout(r, 100));
        size = fs.statSync(file).size;
      }
      expect(size).toBeGreaterThanOrEqual(4 * 1024 * 1024);
    } finally {
      await handle.close();
    }
  });
});
