import type { Kysely } from 'kysely';
import type { DialectHelpers } from '../dialect.js';

// Frozen in time: a migration never imports application types, and never changes once released.
// biome-ignore lint/suspicious/noExplicitAny: migrations take Kysely<any>, as Kysely's documentation prescribes
export async function up(db: Kysely<any>, d: DialectHelpers): Promise<void> {
  const { timestamp: ts, boolean: bool } = d.types;

  // disposal module: hardware leaving the organisation, one channel per batch.
  await db.schema
    .createTable('disposal_batch')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisation.id'))
    // DSP-000001, the organisation's counter
    .addColumn('reference', 'text', (c) => c.notNull())
    // reuse, refurbish, recycle
    .addColumn('channel', 'text', (c) => c.notNull())
    // open, closed, cancelled
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull())
    // The day the batch left (YYYY-MM-DD), and the slip or certificate that proves it.
    .addColumn('handed_over_on', 'text')
    .addColumn('certificate_ref', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('closed_by', 'text')
    .addColumn('closed_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    // Never set (a batch is cancelled, not deleted); versioned records share the column.
    .addColumn('deleted_at', ts)
    .execute();
  await db.schema
    .createIndex('disposal_batch_org_ref_idx')
    .on('disposal_batch')
    .columns(['org_id', 'reference'])
    .unique()
    .execute();
  await db.schema
    .createIndex('disposal_batch_org_created_idx')
    .on('disposal_batch')
    .columns(['org_id', 'created_at', 'id'])
    .execute();
  // The environmental report reads the batches handed over in a period.
  await db.schema
    .createIndex('disposal_batch_org_handed_idx')
    .on('disposal_batch')
    .columns(['org_id', 'status', 'handed_over_on'])
    .execute();

  // An asset leaves once: it is in at most one batch (removed from an open batch, its row goes).
  // The asset (assets module) is referenced without a foreign key across modules, checked by the service.
  await db.schema
    .createTable('disposal_item')
    .addColumn('asset_id', 'text', (c) => c.primaryKey())
    .addColumn('batch_id', 'text', (c) => c.notNull().references('disposal_batch.id'))
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('type_id', 'text', (c) => c.notNull())
    // Grams: an integer sums exactly on both databases.
    .addColumn('weight_grams', 'integer')
    .addColumn('holds_data', bool, (c) => c.notNull())
    .addColumn('added_by', 'text')
    .addColumn('added_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('disposal_item_batch_idx')
    .on('disposal_item')
    .columns(['batch_id', 'added_at'])
    .execute();

  // Data-wiping records: evidence, never changed (a second pass is a second record).
  await db.schema
    .createTable('data_wipe')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('asset_id', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    // success, failed
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('performed_at', ts, (c) => c.notNull())
    .addColumn('operator', 'text', (c) => c.notNull())
    .addColumn('tool', 'text', (c) => c.notNull())
    .addColumn('media_serial', 'text', (c) => c.notNull())
    .addColumn('certificate_ref', 'text', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text')
    .addColumn('recorded_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('data_wipe_asset_idx')
    .on('data_wipe')
    .columns(['asset_id', 'performed_at'])
    .execute();
  await db.schema
    .createIndex('data_wipe_org_recorded_idx')
    .on('data_wipe')
    .columns(['org_id', 'recorded_at', 'id'])
    .execute();
}
