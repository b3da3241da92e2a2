import type { Kysely } from 'kysely';
import type { DialectHelpers } from '../dialect.js';

// Frozen in time: a migration never imports application types, and never changes once released.
// biome-ignore lint/suspicious/noExplicitAny: migrations take Kysely<any>, as Kysely's documentation prescribes
export async function up(db: Kysely<any>, _d: DialectHelpers): Promise<void> {
  // The lowest U an asset occupies in its rack (1 at the bottom), and how many U it takes (null: 1).
  await db.schema.alterTable('asset').addColumn('rack_position', 'integer').execute();
  await db.schema.alterTable('asset').addColumn('rack_height', 'integer').execute();
  // A rack's contents, and the overlap check on every placement, read the placed assets of one location.
  await db.schema
    .createIndex('asset_location_rack_idx')
    .on('asset')
    .columns(['location_id', 'rack_position'])
    .where('rack_position', 'is not', null)
    .execute();
}
