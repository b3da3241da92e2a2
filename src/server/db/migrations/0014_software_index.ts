import { deflateRawSync } from 'node:zlib';
import { type Kysely, sql } from 'kysely';
import type { DialectHelpers } from '../dialect.js';

// Frozen in time: a migration never imports application types, and never changes once released.
// biome-ignore lint/suspicious/noExplicitAny: migrations take Kysely<any>, as Kysely's documentation prescribes
export async function up(db: Kysely<any>, d: DialectHelpers): Promise<void> {
  await packDeviceInventories(db, d);
  // A new device writes about a thousand installations. Leaner rows: the organisation column goes
  // (it is the asset's), and so do the foreign keys, checked per row (on PostgreSQL a locking read
  // of the same thousand catalogue rows by every inventory at once). The rows are written only by
  // the inventory's software sync, with ids it has just resolved; assets and catalogue versions are
  // never deleted.
  //
  // "Where is version X installed" reads software_version_asset. On PostgreSQL it is a view over
  // the installations and an index on the version alone: its entries for one version share a
  // posting list (B-tree deduplication), where (version, asset) entries, all distinct, split pages
  // and cost twice as much to write. On SQLite each of those thousand scattered entries costs a
  // dirty page: software_version_asset is a table filled in batches from software_index_queue, and
  // the installations live in their key's tree (WITHOUT ROWID), written in order for a new asset.
  if (d.name === 'postgres') {
    await sql`ALTER TABLE software_installation
      DROP CONSTRAINT software_installation_asset_id_fkey,
      DROP CONSTRAINT software_installation_version_id_fkey,
      DROP COLUMN org_id`.execute(db);
    await sql`DROP INDEX software_installation_version_idx`.execute(db);
    await sql`CREATE INDEX software_installation_version_idx ON software_installation (version_id)`.execute(
      db,
    );
    await sql`CREATE VIEW software_version_asset AS
      SELECT version_id, asset_id, arch FROM software_installation`.execute(db);
    return;
  }
  await sql`CREATE TABLE software_installation_new (
    asset_id text NOT NULL,
    version_id text NOT NULL,
    arch text NOT NULL,
    installed_on text,
    first_seen_at text NOT NULL,
    CONSTRAINT software_installation_pk PRIMARY KEY (asset_id, version_id, arch)
  ) WITHOUT ROWID`.execute(db);
  await sql`INSERT INTO software_installation_new
    SELECT asset_id, version_id, arch, installed_on, first_seen_at FROM software_installation`.execute(db);
  await sql`DROP TABLE software_installation`.execute(db);
  await sql`ALTER TABLE software_installation_new RENAME TO software_installation`.execute(db);
  await sql`CREATE TABLE software_version_asset (
    version_id text NOT NULL,
    asset_id text NOT NULL,
    arch text NOT NULL,
    CONSTRAINT software_version_asset_pk PRIMARY KEY (version_id, asset_id, arch)
  ) WITHOUT ROWID`.execute(db);
  await sql`INSERT INTO software_version_asset (version_id, asset_id, arch)
    SELECT version_id, asset_id, arch FROM software_installation`.execute(db);
  // Installations changed but not yet in software_version_asset: one row per software sync, naming
  // the asset and the [version id, arch] keys it touched, or null for all of a first sync's.
  await db.schema
    .createTable('software_index_queue')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('asset_id', 'text', (c) => c.notNull())
    .addColumn('entries', 'text')
    .addColumn('queued_at', 'text', (c) => c.notNull())
    .execute();
}

/**
 * A device's merged inventory (80 KB of JSON for a thousand software) is kept deflated: as jsonb,
 * PostgreSQL spent 7 ms of CPU parsing and compressing each one written; on SQLite it was 20 pages
 * of WAL per inventory. Devices also get a summary for the lists (system, processor, memory, disks).
 * Existing rows are converted here.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations take Kysely<any>, as Kysely's documentation prescribes
async function packDeviceInventories(db: Kysely<any>, d: DialectHelpers): Promise<void> {
  await db.schema
    .alterTable('inventory_device')
    .addColumn('inventory_z', d.name === 'postgres' ? 'bytea' : 'blob')
    .execute();
  for (const column of ['os', 'manufacturer', 'cpu']) {
    await db.schema.alterTable('inventory_device').addColumn(column, 'text').execute();
  }
  for (const column of ['memory_mb', 'disk_mb']) {
    await db.schema.alterTable('inventory_device').addColumn(column, 'integer').execute();
  }
  // Already compressed: PostgreSQL would only try again.
  if (d.name === 'postgres') {
    await sql`ALTER TABLE inventory_device ALTER COLUMN inventory_z SET STORAGE EXTERNAL`.execute(db);
  }
  let after = '';
  for (;;) {
    const rows: Array<{ id: string; inventory: unknown }> = await db
      .selectFrom('inventory_device')
      .select(['id', 'inventory'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(200)
      .execute();
    for (const row of rows) {
      if (row.inventory === null) continue;
      const json = typeof row.inventory === 'string' ? row.inventory : JSON.stringify(row.inventory);
      await db
        .updateTable('inventory_device')
        .set({ inventory_z: deflateRawSync(json, { level: 1 }), ...summary(JSON.parse(json)) })
        .where('id', '=', row.id)
        .execute();
    }
    if (rows.length < 200) break;
    after = rows[rows.length - 1]!.id;
  }
  await db.schema.alterTable('inventory_device').dropColumn('inventory').execute();
}

type StoredInventory = {
  os?: { fullName?: string; name?: string; version?: string };
  bios?: { manufacturer?: string };
  cpus?: Array<{ name?: string }>;
  hardware?: { memoryMb?: number };
  storages?: Array<{ sizeMb?: number }>;
};

/** The list summary of a stored inventory, as the inventory module wrote it when this was released. */
function summary(inv: StoredInventory) {
  const os = inv.os?.fullName ?? ([inv.os?.name, inv.os?.version].filter(Boolean).join(' ') || null);
  const cpus = inv.cpus ?? [];
  const cpu =
    cpus.length === 0 ? null : `${cpus.length > 1 ? `${cpus.length} × ` : ''}${cpus[0]!.name ?? '?'}`;
  const disks = (inv.storages ?? []).reduce((mb, s) => mb + (s.sizeMb ?? 0), 0);
  return {
    os: os?.slice(0, 200) ?? null,
    manufacturer: inv.bios?.manufacturer?.slice(0, 200) ?? null,
    cpu: cpu?.slice(0, 200) ?? null,
    memory_mb: inv.hardware?.memoryMb ?? null,
    disk_mb: disks > 0 ? disks : null,
  };
}
