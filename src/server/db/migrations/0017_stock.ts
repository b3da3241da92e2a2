import { type Kysely, sql } from 'kysely';
import type { DialectHelpers } from '../dialect.js';

// Frozen in time: a migration never imports application types, and never changes once released.
// biome-ignore lint/suspicious/noExplicitAny: migrations take Kysely<any>, as Kysely's documentation prescribes
export async function up(db: Kysely<any>, d: DialectHelpers): Promise<void> {
  const { timestamp: ts } = d.types;

  // A store room or cabinet, inside a CMDB location (assets module; no foreign key across modules).
  await db.schema
    .createTable('stock_location')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('location_id', 'text', (c) => c.notNull())
    // store_room, cabinet
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('deleted_at', ts)
    .execute();
  await db.schema
    .createIndex('stock_location_org_name_idx')
    .on('stock_location')
    .columns(['org_id', 'name', 'id'])
    .execute();

  // Consumables counted by quantity (toner, cables, mice, batteries).
  await db.schema
    .createTable('stock_article')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    // The manufacturer's part number or the organisation's own reference.
    .addColumn('reference', 'text')
    .addColumn('unit', 'text', (c) => c.notNull())
    // CMDB model and supplier of the assets module's catalogue (checked by the service).
    .addColumn('model_id', 'text')
    .addColumn('supplier_id', 'text')
    .addColumn('lead_time_days', 'integer', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull())
    // Folded (lower case, accent-free) name and reference, for the lists' search.
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('deleted_at', ts)
    .execute();
  await db.schema
    .createIndex('stock_article_org_name_idx')
    .on('stock_article')
    .columns(['org_id', 'name', 'id'])
    .execute();

  // The quantity on hand per article and stock location, maintained in each movement's transaction
  // (never summed from the ledger at read time). The checks are the last guard: stock never goes
  // negative whatever the code above them does.
  await db.schema
    .createTable('stock_level')
    .addColumn('article_id', 'text', (c) => c.notNull().references('stock_article.id'))
    .addColumn('stock_location_id', 'text', (c) => c.notNull().references('stock_location.id'))
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('reserved', 'integer', (c) => c.notNull())
    // The reorder point: at or below it (available = quantity - reserved), the level is "to reorder".
    .addColumn('min_quantity', 'integer', (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    // Bumped by edits of the minimum only (If-Match), not by movements.
    .addColumn('version', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('stock_level_pk', ['article_id', 'stock_location_id'])
    .addCheckConstraint('stock_level_quantity_check', sql`quantity >= 0`)
    // What is reserved is on hand: a reservation never promises missing items.
    .addCheckConstraint('stock_level_reserved_check', sql`reserved >= 0 AND reserved <= quantity`)
    .addCheckConstraint('stock_level_min_check', sql`min_quantity >= 0`)
    .execute();
  await db.schema
    .createIndex('stock_level_location_idx')
    .on('stock_level')
    .columns(['stock_location_id', 'article_id'])
    .execute();
  await db.schema.createIndex('stock_level_org_idx').on('stock_level').columns(['org_id']).execute();

  // The ledger: append only. Direction is told by the locations: in (to), out (from), transfer (both),
  // adjustment (to when found, from when lost), reservation and release (from: where it is held).
  await db.schema
    .createTable('stock_movement')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('article_id', 'text', (c) => c.notNull().references('stock_article.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_location_id', 'text')
    .addColumn('to_location_id', 'text')
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    // The document it comes from: purchase_order, stock_take, reservation, work_order…
    .addColumn('document_kind', 'text')
    .addColumn('document_id', 'text')
    .addColumn('author_id', 'text')
    .addColumn('author_label', 'text', (c) => c.notNull())
    .addColumn('at', ts, (c) => c.notNull())
    .addCheckConstraint('stock_movement_quantity_check', sql`quantity > 0`)
    .execute();
  // Newest first: by organisation, or across all of them for a global administrator.
  await db.schema.createIndex('stock_movement_at_idx').on('stock_movement').columns(['at', 'id']).execute();
  await db.schema
    .createIndex('stock_movement_org_at_idx')
    .on('stock_movement')
    .columns(['org_id', 'at', 'id'])
    .execute();
  await db.schema
    .createIndex('stock_movement_article_at_idx')
    .on('stock_movement')
    .columns(['article_id', 'at', 'id'])
    .execute();
  // A store's ledger is two index walks merged (what left it, what arrived): an OR on both columns
  // would scan the organisation's whole ledger.
  for (const column of ['from_location_id', 'to_location_id']) {
    await db.schema
      .createIndex(`stock_movement_${column.replace('_location_id', '')}_at_idx`)
      .on('stock_movement')
      .columns([column, 'at', 'id'])
      .execute();
  }
  await db.schema
    .createIndex('stock_movement_document_idx')
    .on('stock_movement')
    .columns(['document_kind', 'document_id'])
    .execute();

  // Quantities held for a future use (a work order), by a generic owner.
  await db.schema
    .createTable('stock_reservation')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('article_id', 'text', (c) => c.notNull().references('stock_article.id'))
    .addColumn('stock_location_id', 'text', (c) => c.notNull().references('stock_location.id'))
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('owner_kind', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    // active, consumed, released
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('deleted_at', ts)
    .addCheckConstraint('stock_reservation_quantity_check', sql`quantity > 0`)
    .execute();
  await db.schema
    .createIndex('stock_reservation_owner_idx')
    .on('stock_reservation')
    .columns(['owner_kind', 'owner_id'])
    .execute();
  await db.schema
    .createIndex('stock_reservation_org_created_idx')
    .on('stock_reservation')
    .columns(['org_id', 'created_at', 'id'])
    .execute();

  await db.schema
    .createTable('purchase_order')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('supplier_id', 'text', (c) => c.notNull())
    // Where the delivery is received.
    .addColumn('stock_location_id', 'text', (c) => c.notNull().references('stock_location.id'))
    // ordered, partly_received, received, cancelled
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('ordered_at', ts, (c) => c.notNull())
    // A calendar day (YYYY-MM-DD): the order day plus the longest lead time, unless given.
    .addColumn('expected_date', 'text', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('deleted_at', ts)
    .execute();
  await db.schema
    .createIndex('purchase_order_org_created_idx')
    .on('purchase_order')
    .columns(['org_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('purchase_order_reference_idx')
    .on('purchase_order')
    .columns(['org_id', 'reference'])
    .unique()
    .execute();

  // A line orders a consumable article (quantities added to stock) or a CMDB model (assets created).
  await db.schema
    .createTable('purchase_order_line')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('purchase_order.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('article_id', 'text', (c) => c.references('stock_article.id'))
    .addColumn('model_id', 'text')
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('received_quantity', 'integer', (c) => c.notNull())
    .addCheckConstraint('purchase_order_line_quantity_check', sql`quantity > 0 AND received_quantity >= 0`)
    .execute();
  await db.schema
    .createIndex('purchase_order_line_order_idx')
    .on('purchase_order_line')
    .columns(['order_id', 'position'])
    .execute();

  await db.schema
    .createTable('stock_take')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('stock_location_id', 'text', (c) => c.notNull().references('stock_location.id'))
    // open, booked, cancelled
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('booked_by', 'text')
    .addColumn('booked_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('deleted_at', ts)
    .execute();
  await db.schema
    .createIndex('stock_take_org_created_idx')
    .on('stock_take')
    .columns(['org_id', 'created_at', 'id'])
    .execute();

  // Expected: the quantity on hand when the count started, then when it was booked.
  await db.schema
    .createTable('stock_take_line')
    .addColumn('stock_take_id', 'text', (c) => c.notNull().references('stock_take.id'))
    .addColumn('article_id', 'text', (c) => c.notNull().references('stock_article.id'))
    .addColumn('expected', 'integer', (c) => c.notNull())
    .addColumn('counted', 'integer')
    .addPrimaryKeyConstraint('stock_take_line_pk', ['stock_take_id', 'article_id'])
    .addCheckConstraint('stock_take_line_counted_check', sql`counted IS NULL OR counted >= 0`)
    .execute();
}
