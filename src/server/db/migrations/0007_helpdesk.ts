import type { Kysely } from 'kysely';
import type { DialectHelpers } from '../dialect.js';

/** Built-in categories, one per typology; organisations add their own under a typology. */
const BUILT_IN_CATEGORIES: Array<[typology: string, fr: string, en: string]> = [
  ['hardware', 'Matériel', 'Hardware'],
  ['software', 'Logiciel', 'Software'],
  ['network', 'Réseau', 'Network'],
  ['access', 'Compte et accès', 'Account and access'],
  ['usage', 'Utilisation', 'Usage'],
  ['security', 'Sécurité', 'Security'],
];

// Frozen in time: a migration never imports application types, and never changes once released.
// biome-ignore lint/suspicious/noExplicitAny: migrations take Kysely<any>, as Kysely's documentation prescribes
export async function up(db: Kysely<any>, d: DialectHelpers): Promise<void> {
  const { timestamp: ts, json, boolean: bool } = d.types;
  await db.schema
    .createTable('ticket_category')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.references('organisation.id'))
    .addColumn('typology', 'text', (c) => c.notNull())
    .addColumn('name_fr', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('active', bool, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  const now = new Date().toISOString();
  for (const [i, [typology, fr, en]] of BUILT_IN_CATEGORIES.entries()) {
    await db
      .insertInto('ticket_category')
      .values({
        id: `00000000-0000-7000-8000-0000000001${String(i + 1).padStart(2, '0')}`,
        org_id: null,
        typology,
        name_fr: fr,
        name_en: en,
        active: d.name === 'postgres' ? true : 1,
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .execute();
  }
  // One row per organisation that changed the defaults: priority matrix, SLA targets, calendar, rules.
  await db.schema
    .createTable('helpdesk_settings')
    .addColumn('org_id', 'text', (c) => c.primaryKey().references('organisation.id'))
    .addColumn('settings', json, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('ticket')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('category_id', 'text', (c) => c.references('ticket_category.id'))
    .addColumn('typology', 'text')
    .addColumn('requester_id', 'text', (c) => c.references('app_user.id'))
    .addColumn('location_id', 'text', (c) => c.references('location.id'))
    .addColumn('impact', 'text', (c) => c.notNull())
    .addColumn('urgency', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // Open (not resolved nor closed): the queues read only these, from partial indexes.
    .addColumn('is_open', bool, (c) => c.notNull())
    .addColumn('waiting_for', 'text')
    .addColumn('waiting_until', ts)
    .addColumn('assignee_id', 'text', (c) => c.references('app_user.id'))
    .addColumn('group_id', 'text', (c) => c.references('user_group.id'))
    .addColumn('recurring', bool, (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('own_due_at', ts)
    // When the warning before breach is due (a share of the time to resolve).
    .addColumn('warn_at', ts)
    .addColumn('resolve_due_at', ts)
    .addColumn('owned_at', ts)
    .addColumn('resolved_at', ts)
    .addColumn('closed_at', ts)
    // SLA clock paused while waiting for the user: since when, and business minutes paused so far.
    .addColumn('paused_since', ts)
    .addColumn('paused_minutes', 'integer', (c) => c.notNull())
    .addColumn('own_minutes', 'integer')
    .addColumn('resolve_minutes', 'integer')
    .addColumn('sla_state', 'text', (c) => c.notNull())
    .addColumn('solution', 'text')
    .addColumn('satisfaction', 'integer')
    .addColumn('satisfaction_comment', 'text')
    .addColumn('merged_into_id', 'text')
    .addColumn('diagnostic_path', json)
    .addColumn('external_key', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  const openIndex = (name: string, columns: string[]) =>
    d.name === 'postgres'
      ? db.schema
          .createIndex(name)
          .on('ticket')
          .columns(columns)
          .where('is_open', '=', true as never)
          .execute()
      : db.schema
          .createIndex(name)
          .on('ticket')
          .columns(columns)
          .where('is_open', '=', 1 as never)
          .execute();
  // A technician's queue: open tickets assigned to them or to one of their groups, by SLA due time.
  await openIndex('ticket_open_assignee_due_idx', ['assignee_id', 'resolve_due_at', 'id']);
  await openIndex('ticket_open_group_due_idx', ['group_id', 'resolve_due_at', 'id']);
  await openIndex('ticket_open_org_due_idx', ['org_id', 'resolve_due_at', 'id']);
  // The SLA watch: open tickets by their next warning.
  await openIndex('ticket_open_warn_idx', ['warn_at']);
  await db.schema
    .createIndex('ticket_org_reference_uq')
    .on('ticket')
    .columns(['org_id', 'reference'])
    .unique()
    .execute();
  await db.schema
    .createIndex('ticket_org_created_idx')
    .on('ticket')
    .columns(['org_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('ticket_requester_idx')
    .on('ticket')
    .columns(['requester_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('ticket_category_created_idx')
    .on('ticket')
    .columns(['category_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('ticket_external_idx')
    .on('ticket')
    .columns(['org_id', 'external_key'])
    .execute();
  await db.schema
    .createTable('ticket_asset')
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('ticket.id'))
    .addColumn('asset_id', 'text', (c) => c.notNull().references('asset.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_asset_pk', ['ticket_id', 'asset_id'])
    .execute();
  await db.schema
    .createIndex('ticket_asset_asset_idx')
    .on('ticket_asset')
    .columns(['asset_id', 'created_at'])
    .execute();
  await db.schema
    .createTable('ticket_event')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('ticket.id'))
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('at', ts, (c) => c.notNull())
    .addColumn('author_id', 'text')
    .addColumn('author_label', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('public', bool, (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('data', json)
    .execute();
  await db.schema
    .createIndex('ticket_event_ticket_idx')
    .on('ticket_event')
    .columns(['ticket_id', 'at', 'id'])
    .execute();
  await db.schema
    .createTable('ticket_task')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('ticket.id'))
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('assignee_id', 'text', (c) => c.references('app_user.id'))
    .addColumn('done', bool, (c) => c.notNull())
    .addColumn('minutes', 'integer', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ticket_task_ticket_idx').on('ticket_task').columns(['ticket_id']).execute();
}
