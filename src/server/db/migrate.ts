import { sql } from 'kysely';
import type { DbHandle } from './database.js';
import { migrations } from './migrations/index.js';

// Any 64-bit constant works; it only has to be the same for every Parc instance.
const MIGRATION_LOCK = 7_245_901_337;

export type MigrationResult = { applied: string[] };

/**
 * Applies pending migrations, each in its own transaction (SQLite included). On PostgreSQL an advisory
 * lock serialises instances that start together; the loser finds the migrations applied and moves on.
 */
export async function migrate(handle: DbHandle): Promise<MigrationResult> {
  const { db, dialect } = handle;
  await db.schema
    .createTable('schema_migration')
    .ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .execute();
  const applied: string[] = [];
  for (const migration of migrations) {
    await db.transaction().execute(async (trx) => {
      if (dialect.name === 'postgres')
        await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(trx);
      const done = await trx
        .selectFrom('schema_migration')
        .select('name')
        .where('name', '=', migration.name)
        .executeTakeFirst();
      if (done) return;
      await migration.up(trx, dialect);
      await trx
        .insertInto('schema_migration')
        .values({ name: migration.name, applied_at: new Date().toISOString() })
        .execute();
      applied.push(migration.name);
    });
  }
  return { applied };
}

/** Names of migrations the code knows but the database has not applied (for /readyz). */
export async function pendingMigrations(handle: DbHandle): Promise<string[]> {
  try {
    const rows = await handle.db.selectFrom('schema_migration').select('name').execute();
    const done = new Set(rows.map((r) => r.name));
    return migrations.map((m) => m.name).filter((n) => !done.has(n));
  } catch {
    return migrations.map((m) => m.name);
  }
}
