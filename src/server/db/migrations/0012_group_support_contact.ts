import type { Kysely } from 'kysely';
import type { DialectHelpers } from '../dialect.js';

// Frozen in time: a migration never imports application types, and never changes once released.
// biome-ignore lint/suspicious/noExplicitAny: migrations take Kysely<any>, as Kysely's documentation prescribes
export async function up(db: Kysely<any>, d: DialectHelpers): Promise<void> {
  // An external supplier's support desk as a group: who to call when a ticket is escalated to it.
  await db.schema.alterTable('user_group').addColumn('support_contact', d.types.json).execute();
}
