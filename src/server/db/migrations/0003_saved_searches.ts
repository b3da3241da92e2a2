import type { Kysely } from 'kysely';
import type { DialectHelpers } from '../dialect.js';

// Frozen in time: a migration never imports application types, and never changes once released.
// biome-ignore lint/suspicious/noExplicitAny: migrations take Kysely<any>, as Kysely's documentation prescribes
export async function up(db: Kysely<any>, d: DialectHelpers): Promise<void> {
  const { timestamp: ts, boolean: bool, json } = d.types;
  await db.schema
    .createTable('saved_search')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('org_id', 'text', (c) => c.references('organisation.id'))
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('query', json, (c) => c.notNull())
    .addColumn('shared', bool, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('saved_search_user_idx')
    .on('saved_search')
    .columns(['user_id', 'scope', 'name'])
    .execute();
  await db.schema
    .createIndex('saved_search_org_idx')
    .on('saved_search')
    .columns(['org_id', 'scope', 'shared'])
    .execute();
}
