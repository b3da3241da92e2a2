import type { Kysely } from 'kysely';
import type { DialectHelpers } from '../dialect.js';

// Frozen in time: a migration never imports application types, and never changes once released.
// biome-ignore lint/suspicious/noExplicitAny: migrations take Kysely<any>, as Kysely's documentation prescribes
export async function up(db: Kysely<any>, d: DialectHelpers): Promise<void> {
  // When a technician will come (or connect) to fix it: told to the requester ahead of time.
  await db.schema.alterTable('ticket').addColumn('planned_at', d.types.timestamp).execute();
}
