import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config.js';
import { type DialectHelpers, dialectHelpers } from './dialect.js';
import type { Database } from './schema.js';
import { startCheckpointer } from './sqlite-checkpointer.js';
import { cachedSqlite } from './sqlite-driver.js';

export type Db = Kysely<Database>;

export type DbHandle = {
  db: Db;
  dialect: DialectHelpers;
  /** The SQLite file, for `parc db backup`; undefined on PostgreSQL or in memory. */
  sqliteFile: string | undefined;
  /** SQLite only: the raw connection, for the online backup API. */
  sqliteRaw: BetterSqlite3.Database | undefined;
  close(): Promise<void>;
};

export class DatabaseUnavailableError extends Error {}

const PG_INT8 = 20;
const PG_NUMERIC = 1700;
const PG_TIMESTAMP = 1114;
const PG_TIMESTAMPTZ = 1184;

// The same ISO-8601 string on both databases: "2026-01-31T08:00:00.000Z".
function pgTypes(): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: string) => {
      if (oid === PG_TIMESTAMPTZ) return (v: string) => new Date(v).toISOString();
      if (oid === PG_TIMESTAMP) return (v: string) => new Date(`${v}Z`).toISOString();
      // Counts and sequences stay far below 2^53; numbers are what the code expects.
      if (oid === PG_INT8) return (v: string) => Number(v);
      if (oid === PG_NUMERIC) return (v: string) => Number(v);
      return pg.types.getTypeParser(oid, format as 'text');
    }) as pg.CustomTypesConfig['getTypeParser'],
  };
}

export type OpenOptions = {
  /** PostgreSQL schema to use (tests get one each); created when missing. */
  pgSchema?: string;
  poolSize?: number;
};

export async function openDatabase(config: DatabaseConfig, options: OpenOptions = {}): Promise<DbHandle> {
  if (config.kind === 'postgres') return openPostgres(config.url, options);
  return openSqlite(config.file);
}

function openSqlite(file: string): DbHandle {
  const inMemory = file === ':memory:';
  if (!inMemory) {
    const dir = path.dirname(file);
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.accessSync(dir, fs.constants.W_OK);
    } catch {
      throw new DatabaseUnavailableError(
        `PARC_DATA_DIR: the folder ${dir} is not writable; create it or point PARC_DATA_DIR at a writable folder`,
      );
    }
  }
  let raw: BetterSqlite3.Database;
  try {
    raw = new BetterSqlite3(file);
    raw.pragma('journal_mode = WAL');
    raw.pragma('foreign_keys = ON');
    raw.pragma('busy_timeout = 5000');
    raw.pragma('synchronous = NORMAL');
    // A checkpoint (copying the WAL into the database, with its fsyncs) runs inside the commit that
    // crosses this many pages. At SQLite's default of 1,000 (4 MB), bulk writers (an inventory writes
    // ~150 pages) paid one every few commits: a commit averaged 33 ms instead of 9. A file database
    // is checkpointed by a thread of its own (sqlite-checkpointer.ts); this is the backstop.
    raw.pragma(`wal_autocheckpoint = ${inMemory ? 10_000 : 50_000}`);
  } catch (err) {
    throw new DatabaseUnavailableError(
      `DATABASE_URL: cannot open the SQLite file ${file}: ${(err as Error).message}`,
    );
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachedSqlite(raw) }) });
  const checkpointer = inMemory ? undefined : startCheckpointer(file);
  return {
    db,
    dialect: dialectHelpers('sqlite'),
    sqliteFile: inMemory ? undefined : file,
    sqliteRaw: raw,
    close: async () => {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

async function openPostgres(url: string, options: OpenOptions): Promise<DbHandle> {
  const schema = options.pgSchema;
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    types: pgTypes(),
    connectionTimeoutMillis: 5000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    try {
      if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end().catch(() => {});
    const safeUrl = url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
    throw new DatabaseUnavailableError(
      `DATABASE_URL: cannot connect to ${safeUrl}: ${(err as Error).message}; check that PostgreSQL runs and the URL is right`,
    );
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: dialectHelpers('postgres'),
    sqliteFile: undefined,
    sqliteRaw: undefined,
    close: () => db.destroy(),
  };
}

export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
