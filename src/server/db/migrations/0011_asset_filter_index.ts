import { type Kysely, sql } from 'kysely';
import type { DialectHelpers } from '../dialect.js';

// Frozen in time: a migration never imports application types, and never changes once released.
// biome-ignore lint/suspicious/noExplicitAny: migrations take Kysely<any>, as Kysely's documentation prescribes
export async function up(db: Kysely<any>, d: DialectHelpers): Promise<void> {
  // The asset list's usual filters together (type + status + location subtree): on PostgreSQL the
  // planner otherwise ANDs two bitmaps of thousands of rows to find a few hundred. SQLite already
  // answers these from asset_type_status_name_idx well under the target.
  if (d.name === 'postgres') {
    await sql`CREATE INDEX asset_org_type_status_path_idx ON asset (org_id, type_id, status, location_path text_pattern_ops)`.execute(
      db,
    );
  }
}
