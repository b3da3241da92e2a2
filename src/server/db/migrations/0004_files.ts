import type { Kysely } from 'kysely';
import type { DialectHelpers } from '../dialect.js';

// Frozen in time: a migration never imports application types, and never changes once released.
// biome-ignore lint/suspicious/noExplicitAny: migrations take Kysely<any>, as Kysely's documentation prescribes
export async function up(db: Kysely<any>, d: DialectHelpers): Promise<void> {
  const ts = d.types.timestamp;
  await db.schema
    .createTable('file_blob')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('content', d.name === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .alterTable('asset_model')
    .addColumn('notice_sha256', 'text', (c) => c.references('file_blob.sha256'))
    .execute();
  await db.schema.alterTable('asset_model').addColumn('notice_name', 'text').execute();
}
