import { type Kysely, type SqlBool, sql } from 'kysely';
import type { DialectHelpers } from '../dialect.js';

// Frozen in time: a migration never imports application types, and never changes once released.
// biome-ignore lint/suspicious/noExplicitAny: migrations take Kysely<any>, as Kysely's documentation prescribes
export async function up(db: Kysely<any>, d: DialectHelpers): Promise<void> {
  const { timestamp: ts, json, boolean: bool } = d.types;

  // The assets module's models learn their installation steps (the work orders' checklists).
  await db.schema
    .alterTable('asset_model')
    .addColumn('install_steps', json, (c) => c.notNull().defaultTo(sql`'[]'`))
    .execute();

  // A work order. Planning (a later part) reads technician_id and the scheduled interval; the date
  // window says when it may happen. Location and users are of the orgs and assets modules (checked by
  // the service, no foreign key across modules).
  await db.schema
    .createTable('work_order')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('location_id', 'text', (c) => c.notNull())
    .addColumn('stock_location_id', 'text')
    .addColumn('earliest_date', 'text')
    .addColumn('latest_date', 'text')
    .addColumn('scheduled_start', ts)
    .addColumn('scheduled_end', ts)
    .addColumn('technician_id', 'text')
    .addColumn('affected_user_ids', json, (c) => c.notNull())
    .addColumn('expected_date', 'text')
    .addColumn('configuration', json)
    .addColumn('outcome_note', 'text', (c) => c.notNull())
    .addColumn('completed_at', ts)
    .addColumn('completed_by', 'text')
    // Folded reference and title, for the list's search.
    .addColumn('search_text', 'text', (c) => c.notNull())
    // The day the list sorts and filters by: the scheduled start's, else the window's earliest, else ''
    // (not null, so the keyset walks the index).
    .addColumn('sort_day', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('deleted_at', ts)
    .execute();
  await db.schema
    .createIndex('work_order_org_ref_idx')
    .on('work_order')
    .columns(['org_id', 'reference'])
    .unique()
    .execute();
  await db.schema
    .createIndex('work_order_org_created_idx')
    .on('work_order')
    .columns(['org_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('work_order_org_day_idx')
    .on('work_order')
    .columns(['org_id', 'sort_day', 'id'])
    .execute();
  // A technician's agenda (planning, the "today" tile).
  await db.schema
    .createIndex('work_order_technician_idx')
    .on('work_order')
    .columns(['technician_id', 'scheduled_start'])
    .execute();
  // The periodic report counts the work orders closed in a period.
  await db.schema
    .createIndex('work_order_org_completed_idx')
    .on('work_order')
    .columns(['org_id', 'completed_at'])
    .execute();
  await db.schema
    .createIndex('work_order_org_status_idx')
    .on('work_order')
    .columns(['org_id', 'status', 'latest_date'])
    .execute();

  // What is installed: an article (reserved from stock) or a model (with its serialised units).
  await db.schema
    .createTable('work_order_item')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('work_order_id', 'text', (c) => c.notNull().references('work_order.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('article_id', 'text')
    .addColumn('model_id', 'text')
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('reservation_id', 'text')
    .addColumn('missing_since', ts)
    .addColumn('missing_note', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('work_order_item_wo_idx')
    .on('work_order_item')
    .columns(['work_order_id', 'position'])
    .execute();

  // The serialised units (CMDB assets) an item installs. A unit is held by one open work order at a
  // time: the partial unique index is the last guard when two work orders claim it at once.
  await db.schema
    .createTable('work_order_unit')
    .addColumn('work_order_id', 'text', (c) => c.notNull().references('work_order.id'))
    .addColumn('item_id', 'text', (c) => c.notNull().references('work_order_item.id'))
    .addColumn('asset_id', 'text', (c) => c.notNull())
    .addColumn('held', bool, (c) => c.notNull())
    .addPrimaryKeyConstraint('work_order_unit_pk', ['work_order_id', 'asset_id'])
    .execute();
  await db.schema
    .createIndex('work_order_unit_held_idx')
    .on('work_order_unit')
    .column('asset_id')
    .unique()
    .where(sql<SqlBool>`held`)
    .execute();

  await db.schema
    .createTable('work_order_test')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('work_order_id', 'text', (c) => c.notNull().references('work_order.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('host', 'text')
    .addColumn('port', 'integer')
    .addColumn('url', 'text')
    .addColumn('expected_status', 'integer')
    .addColumn('expected_address', 'text')
    .execute();
  await db.schema
    .createIndex('work_order_test_wo_idx')
    .on('work_order_test')
    .columns(['work_order_id', 'position'])
    .execute();

  // Every run of a test is kept (append-only).
  await db.schema
    .createTable('work_order_test_run')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('test_id', 'text', (c) => c.notNull().references('work_order_test.id'))
    .addColumn('work_order_id', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('by_id', 'text')
    .addColumn('by_label', 'text', (c) => c.notNull())
    .addColumn('at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('work_order_test_run_test_idx')
    .on('work_order_test_run')
    .columns(['test_id', 'at', 'id'])
    .execute();

  await db.schema
    .createTable('work_order_check')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('work_order_id', 'text', (c) => c.notNull().references('work_order.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('model_name', 'text')
    .addColumn('test_id', 'text')
    .addColumn('mandatory', bool, (c) => c.notNull())
    .addColumn('done', bool, (c) => c.notNull())
    .addColumn('done_by', 'text')
    .addColumn('done_at', ts)
    .execute();
  await db.schema
    .createIndex('work_order_check_wo_idx')
    .on('work_order_check')
    .columns(['work_order_id', 'position'])
    .execute();
}
