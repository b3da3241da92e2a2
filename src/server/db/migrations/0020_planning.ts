import type { Kysely } from 'kysely';
import type { DialectHelpers } from '../dialect.js';

// Frozen in time: a migration never imports application types, and never changes once released.
// biome-ignore lint/suspicious/noExplicitAny: migrations take Kysely<any>, as Kysely's documentation prescribes
export async function up(db: Kysely<any>, d: DialectHelpers): Promise<void> {
  const { timestamp: ts } = d.types;

  // workorders module, planning: the slots a person declares unavailable (holidays, training…).
  await db.schema
    .createTable('user_unavailability')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisation.id'))
    // The person (orgs module), checked by the service to be of the organisation.
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('start_at', ts, (c) => c.notNull())
    .addColumn('end_at', ts, (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  // The planning reads a period of an organisation; scheduling reads a few people's slots.
  await db.schema
    .createIndex('user_unavailability_org_start_idx')
    .on('user_unavailability')
    .columns(['org_id', 'start_at'])
    .execute();
  await db.schema
    .createIndex('user_unavailability_user_start_idx')
    .on('user_unavailability')
    .columns(['user_id', 'start_at'])
    .execute();

  // A personal iCalendar feed: one token per person (a new one revokes the old), stored hashed.
  await db.schema
    .createTable('calendar_token')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();

  // Users told ahead: one row per scheduled work order, due N hours before its start; `sent_at`
  // set once mailed. Rescheduling rewrites the row (a new start is a new reminder).
  await db.schema
    .createTable('work_order_reminder')
    .addColumn('work_order_id', 'text', (c) => c.primaryKey().references('work_order.id'))
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('scheduled_start', ts, (c) => c.notNull())
    .addColumn('due_at', ts, (c) => c.notNull())
    .addColumn('sent_at', ts)
    .execute();
  await db.schema
    .createIndex('work_order_reminder_due_idx')
    .on('work_order_reminder')
    .columns(['sent_at', 'due_at'])
    .execute();

  // Per organisation: how many hours ahead the affected users are told (48 when no row).
  await db.schema
    .createTable('planning_setting')
    .addColumn('org_id', 'text', (c) => c.primaryKey().references('organisation.id'))
    .addColumn('reminder_hours', 'integer', (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
}
