import { type Kysely, sql } from 'kysely';
import type { DialectHelpers } from '../dialect.js';

const BUILT_IN_TYPES: Array<[code: string, category: string, fr: string, en: string]> = [
  ['desktop', 'computer', 'Ordinateur fixe', 'Desktop computer'],
  ['laptop', 'computer', 'Ordinateur portable', 'Laptop'],
  ['server', 'server', 'Serveur', 'Server'],
  ['printer', 'printer', 'Imprimante', 'Printer'],
  ['scanner', 'scanner', 'Scanner', 'Scanner'],
  ['monitor', 'monitor', 'Écran', 'Monitor'],
  ['phone', 'phone', 'Téléphone', 'Phone'],
  ['switch', 'network', 'Commutateur', 'Switch'],
  ['router', 'network', 'Routeur', 'Router'],
  ['access_point', 'network', 'Point d’accès Wi-Fi', 'Wi-Fi access point'],
  ['firewall', 'network', 'Pare-feu', 'Firewall'],
  ['headset', 'peripheral', 'Casque', 'Headset'],
  ['dock', 'peripheral', 'Station d’accueil', 'Docking station'],
  ['keyboard', 'peripheral', 'Clavier', 'Keyboard'],
  ['mouse', 'peripheral', 'Souris', 'Mouse'],
  ['memory', 'component', 'Mémoire', 'Memory'],
  ['disk', 'component', 'Disque', 'Disk'],
  ['expansion_card', 'component', 'Carte d’extension', 'Expansion card'],
];

// Frozen in time: a migration never imports application types, and never changes once released.
// biome-ignore lint/suspicious/noExplicitAny: migrations take Kysely<any>, as Kysely's documentation prescribes
export async function up(db: Kysely<any>, d: DialectHelpers): Promise<void> {
  const { timestamp: ts, boolean: bool, json } = d.types;
  const real = d.name === 'postgres' ? 'double precision' : 'real';

  await db.schema
    .createTable('location')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('parent_id', 'text', (c) => c.references('location.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    // Materialised path "/<root id>/…/<own id>/": a subtree is one indexed prefix match.
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('latitude', real)
    .addColumn('longitude', real)
    .addColumn('rack_units', 'integer')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('deleted_at', ts)
    .execute();
  await db.schema.createIndex('location_org_path_idx').on('location').columns(['org_id', 'path']).execute();
  await db.schema.createIndex('location_parent_idx').on('location').columns(['parent_id', 'name']).execute();

  for (const table of ['manufacturer', 'supplier']) {
    await db.schema
      .createTable(table)
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('organisation.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('website', 'text')
      .addColumn('contact_email', 'text')
      .addColumn('phone', 'text')
      .addColumn('notes', 'text', (c) => c.notNull())
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('deleted_at', ts)
      .execute();
    await db.schema.createIndex(`${table}_org_name_idx`).on(table).columns(['org_id', 'name']).execute();
  }

  await db.schema
    .createTable('asset_type')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // NULL: a built-in type every organisation sees.
    .addColumn('org_id', 'text', (c) => c.references('organisation.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('name_fr', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('custom_fields', json, (c) => c.notNull())
    .addColumn('built_in', bool, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('deleted_at', ts)
    .execute();
  await db.schema
    .createIndex('asset_type_org_code_idx')
    .on('asset_type')
    .columns(['org_id', 'code'])
    .execute();

  await db.schema
    .createTable('asset_model')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('manufacturer_id', 'text', (c) => c.notNull().references('manufacturer.id'))
    .addColumn('type_id', 'text', (c) => c.notNull().references('asset_type.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('part_number', 'text')
    .addColumn('specs', json, (c) => c.notNull())
    .addColumn('lifetime_months', 'integer')
    .addColumn('power_watts', real)
    .addColumn('box_contents', json, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('deleted_at', ts)
    .execute();
  await db.schema
    .createIndex('asset_model_org_name_idx')
    .on('asset_model')
    .columns(['org_id', 'name'])
    .execute();

  await db.schema
    .createTable('asset')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('type_id', 'text', (c) => c.notNull().references('asset_type.id'))
    .addColumn('model_id', 'text', (c) => c.references('asset_model.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('asset_tag', 'text')
    .addColumn('serial', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('location_id', 'text', (c) => c.references('location.id'))
    // The location's path, copied, so "everything in this building" is one indexed prefix match.
    .addColumn('location_path', 'text')
    .addColumn('assigned_user_id', 'text', (c) => c.references('app_user.id'))
    .addColumn('supplier_id', 'text', (c) => c.references('supplier.id'))
    .addColumn('purchase_date', 'text')
    .addColumn('warranty_end', 'text')
    .addColumn('contract_end', 'text')
    .addColumn('custom', json, (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('deleted_at', ts)
    .execute();
  await sql`CREATE UNIQUE INDEX asset_org_tag_uq ON asset (org_id, asset_tag) WHERE asset_tag IS NOT NULL AND deleted_at IS NULL`.execute(
    db,
  );
  await sql`CREATE UNIQUE INDEX asset_org_serial_uq ON asset (org_id, serial) WHERE serial IS NOT NULL AND deleted_at IS NULL`.execute(
    db,
  );
  await db.schema.createIndex('asset_org_name_idx').on('asset').columns(['org_id', 'name', 'id']).execute();
  await db.schema
    .createIndex('asset_org_type_status_idx')
    .on('asset')
    .columns(['org_id', 'type_id', 'status', 'name'])
    .execute();
  // Lists sort by name (or time) and stop at a page: an index in that order answers the unfiltered
  // first page and the common type + status filter without sorting the whole fleet.
  await db.schema.createIndex('asset_name_idx').on('asset').columns(['name', 'id']).execute();
  await db.schema.createIndex('asset_updated_idx').on('asset').columns(['updated_at', 'id']).execute();
  await db.schema
    .createIndex('asset_type_status_name_idx')
    .on('asset')
    .columns(['type_id', 'status', 'name', 'id'])
    .execute();
  if (d.name === 'postgres') {
    await sql`CREATE INDEX asset_location_path_idx ON asset (org_id, location_path text_pattern_ops)`.execute(
      db,
    );
    await sql`CREATE INDEX location_path_prefix_idx ON location (org_id, path text_pattern_ops)`.execute(db);
  } else {
    await db.schema
      .createIndex('asset_location_path_idx')
      .on('asset')
      .columns(['org_id', 'location_path'])
      .execute();
  }
  await db.schema.createIndex('asset_assigned_idx').on('asset').columns(['assigned_user_id']).execute();
  await db.schema.createIndex('asset_warranty_idx').on('asset').columns(['org_id', 'warranty_end']).execute();

  // Substring search on the folded text (name, tag, serial, model…), from a trigram index.
  if (d.name === 'postgres') {
    // The extension is per database; wherever it already lives, the operator class is named with its
    // schema, so a connection whose search_path omits that schema still finds it.
    await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public`.execute(db);
    const { rows } = await sql<{ schema: string }>`
      SELECT extnamespace::regnamespace::text AS schema FROM pg_extension WHERE extname = 'pg_trgm'`.execute(
      db,
    );
    const opclass = sql.raw(`${rows[0]!.schema}.gin_trgm_ops`);
    await sql`CREATE INDEX asset_search_trgm_idx ON asset USING gin (search_text ${opclass})`.execute(db);
  } else {
    await sql`CREATE VIRTUAL TABLE asset_search USING fts5(search_text, content='asset', content_rowid='rowid', tokenize='trigram')`.execute(
      db,
    );
    await sql`CREATE TRIGGER asset_search_ai AFTER INSERT ON asset BEGIN
      INSERT INTO asset_search(rowid, search_text) VALUES (new.rowid, new.search_text); END`.execute(db);
    await sql`CREATE TRIGGER asset_search_ad AFTER DELETE ON asset BEGIN
      INSERT INTO asset_search(asset_search, rowid, search_text) VALUES ('delete', old.rowid, old.search_text); END`.execute(
      db,
    );
    await sql`CREATE TRIGGER asset_search_au AFTER UPDATE OF search_text ON asset BEGIN
      INSERT INTO asset_search(asset_search, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
      INSERT INTO asset_search(rowid, search_text) VALUES (new.rowid, new.search_text); END`.execute(db);
  }

  await db.schema
    .createTable('asset_relation')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_asset_id', 'text', (c) => c.notNull().references('asset.id'))
    .addColumn('to_asset_id', 'text', (c) => c.notNull().references('asset.id'))
    .addColumn('from_port', 'text')
    .addColumn('to_port', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('asset_relation_from_idx')
    .on('asset_relation')
    .columns(['from_asset_id'])
    .execute();
  await db.schema
    .createIndex('asset_relation_to_idx')
    .on('asset_relation')
    .columns(['to_asset_id'])
    .execute();

  await db.schema
    .createTable('asset_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('asset_id', 'text', (c) => c.notNull().references('asset.id'))
    .addColumn('at', ts, (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('changes', json, (c) => c.notNull())
    .addColumn('note', 'text')
    .execute();
  await db.schema
    .createIndex('asset_history_asset_idx')
    .on('asset_history')
    .columns(['asset_id', 'at', 'id'])
    .execute();

  // One row per asset, kind and end date already announced: the daily check never announces twice.
  await db.schema
    .createTable('asset_expiry_notice')
    .addColumn('asset_id', 'text', (c) => c.notNull().references('asset.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('end_date', 'text', (c) => c.notNull())
    .addColumn('notified_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('asset_expiry_notice_pk', ['asset_id', 'kind', 'end_date'])
    .execute();

  const now = new Date().toISOString();
  for (const [i, [code, category, fr, en]] of BUILT_IN_TYPES.entries()) {
    await db
      .insertInto('asset_type')
      .values({
        // Stable ids for built-in types, so every installation and every test knows them.
        id: `00000000-0000-7000-8000-${String(i + 1).padStart(12, '0')}`,
        org_id: null,
        code,
        category,
        name_fr: fr,
        name_en: en,
        custom_fields: '[]',
        built_in: d.name === 'postgres' ? true : 1,
        created_at: now,
        updated_at: now,
        version: 1,
        deleted_at: null,
      })
      .execute();
  }
}
