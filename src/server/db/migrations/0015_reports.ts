import type { Kysely } from 'kysely';
import type { DialectHelpers } from '../dialect.js';

// Frozen in time: a migration never imports application types, and never changes once released.
// biome-ignore lint/suspicious/noExplicitAny: migrations take Kysely<any>, as Kysely's documentation prescribes
export async function up(db: Kysely<any>, d: DialectHelpers): Promise<void> {
  const { timestamp: ts, json, boolean: bool } = d.types;
  // The incident report reads an organisation's tickets by the moment each figure is about, from
  // indexes that hold the columns it needs (no table lookups): resolved (volumes, times, ratings,
  // first contact, backlog), owned (time to own) and the two deadlines (SLA compliance). Creation
  // already has ticket_org_created_idx. Open tickets by creation serve the backlog and the oldest.
  const index = (name: string, columns: string[]) =>
    db.schema.createIndex(name).on('ticket').columns(columns).execute();
  await index('ticket_org_resolved_idx', [
    'org_id',
    'resolved_at',
    'created_at',
    'resolve_minutes',
    'satisfaction',
    'merged_into_id',
  ]);
  await index('ticket_org_owned_idx', ['org_id', 'owned_at', 'own_minutes', 'merged_into_id']);
  await index('ticket_org_resolve_due_idx', ['org_id', 'resolve_due_at', 'resolved_at', 'merged_into_id']);
  await index('ticket_org_own_due_idx', ['org_id', 'own_due_at', 'owned_at', 'merged_into_id']);
  await db.schema
    .createIndex('ticket_open_org_created_idx')
    .on('ticket')
    .columns(['org_id', 'created_at', 'id'] as string[])
    .where('is_open', '=', (d.name === 'postgres' ? true : 1) as never)
    .execute();
  // The technician's dashboard counts its queue (by assignee, by group) with what is at risk and recurring.
  for (const [name, columns] of [
    ['ticket_open_assignee_warn_idx', ['assignee_id', 'warn_at', 'recurring']],
    ['ticket_open_group_warn_idx', ['group_id', 'warn_at', 'recurring', 'assignee_id']],
  ] as const) {
    await db.schema
      .createIndex(name)
      .on('ticket')
      .columns([...columns] as string[])
      .where('is_open', '=', (d.name === 'postgres' ? true : 1) as never)
      .execute();
  }

  // reports module: the incident report mailed every week or month to chosen recipients.
  await db.schema
    .createTable('report_schedule')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisation.id'))
    // weekly, monthly
    .addColumn('frequency', 'text', (c) => c.notNull())
    // [{email, locale}]
    .addColumn('recipients', json, (c) => c.notNull())
    .addColumn('active', bool, (c) => c.notNull())
    .addColumn('next_run_at', ts, (c) => c.notNull())
    .addColumn('last_run_at', ts)
    .addColumn('last_mail_ids', json, (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('deleted_at', ts)
    .execute();
  await db.schema
    .createIndex('report_schedule_org_idx')
    .on('report_schedule')
    .columns(['org_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('report_schedule_due_idx')
    .on('report_schedule')
    .columns(['next_run_at'])
    .execute();
}
