import type { Kysely } from 'kysely';
import type { DialectHelpers } from '../dialect.js';

// Frozen in time: a migration never imports application types, and never changes once released.
// biome-ignore lint/suspicious/noExplicitAny: migrations take Kysely<any>, as Kysely's documentation prescribes
export async function up(db: Kysely<any>, d: DialectHelpers): Promise<void> {
  const { timestamp: ts, json } = d.types;
  // Enrolment tokens: an agent configured with one is filed into the token's organisation.
  await db.schema
    .createTable('inventory_token')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', 'text', (c) => c.references('app_user.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('last_used_at', ts)
    .addColumn('revoked_at', ts)
    .execute();
  await db.schema.createIndex('inventory_token_org_idx').on('inventory_token').columns(['org_id']).execute();
  // Rules for agents without a token: IP range, agent tag or hostname pattern, tried in priority order.
  await db.schema
    .createTable('inventory_rule')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('pattern', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  // One row per agent install; org_id null while it waits for validation.
  await db.schema
    .createTable('inventory_device')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('device_id', 'text', (c) => c.notNull().unique())
    .addColumn('org_id', 'text', (c) => c.references('organisation.id'))
    .addColumn('asset_id', 'text', (c) => c.references('asset.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('hostname', 'text')
    .addColumn('hw_uuid', 'text')
    .addColumn('serial', 'text')
    .addColumn('model', 'text')
    .addColumn('agent_version', 'text')
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('tag', 'text')
    .addColumn('last_ip', 'text')
    .addColumn('first_seen_at', ts, (c) => c.notNull())
    .addColumn('last_contact_at', ts, (c) => c.notNull())
    .addColumn('last_inventory_at', ts)
    .addColumn('body_hash', 'text')
    .addColumn('content_hash', 'text')
    .addColumn('inventory', json)
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  for (const [name, columns] of [
    ['inventory_device_org_contact_idx', ['org_id', 'last_contact_at']],
    ['inventory_device_asset_idx', ['asset_id']],
    ['inventory_device_uuid_idx', ['hw_uuid']],
    ['inventory_device_serial_idx', ['serial']],
    ['inventory_device_hostname_idx', ['hostname']],
    ['inventory_device_body_idx', ['body_hash']],
  ] as const) {
    await db.schema
      .createIndex(name)
      .on('inventory_device')
      .columns([...columns])
      .execute();
  }
  await db.schema
    .createTable('inventory_device_mac')
    .addColumn('device_row_id', 'text', (c) =>
      c.notNull().references('inventory_device.id').onDelete('cascade'),
    )
    .addColumn('mac', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('inventory_device_mac_pk', ['device_row_id', 'mac'])
    .execute();
  await db.schema
    .createIndex('inventory_device_mac_idx')
    .on('inventory_device_mac')
    .columns(['mac'])
    .execute();
  // Refused payloads, with the reason, for the fleet view.
  await db.schema
    .createTable('inventory_error')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', ts, (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.references('organisation.id'))
    .addColumn('device_id', 'text')
    .addColumn('ip', 'text')
    .addColumn('agent', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('inventory_error_at_idx').on('inventory_error').columns(['at', 'id']).execute();
  await db.schema
    .createIndex('inventory_error_org_at_idx')
    .on('inventory_error')
    .columns(['org_id', 'at'])
    .execute();
  // The software catalogue: (publisher, name) per organisation, its versions, and where each is installed.
  await db.schema
    .createTable('software')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisation.id'))
    .addColumn('publisher', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('match_key', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addUniqueConstraint('software_org_key_uq', ['org_id', 'match_key'])
    .execute();
  await db.schema
    .createIndex('software_org_name_idx')
    .on('software')
    .columns(['org_id', 'name', 'id'])
    .execute();
  await db.schema
    .createTable('software_version')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('software_id', 'text', (c) => c.notNull().references('software.id'))
    .addColumn('version', 'text', (c) => c.notNull())
    .addUniqueConstraint('software_version_uq', ['software_id', 'version'])
    .execute();
  await db.schema
    .createTable('software_installation')
    .addColumn('asset_id', 'text', (c) => c.notNull().references('asset.id'))
    .addColumn('version_id', 'text', (c) => c.notNull().references('software_version.id'))
    .addColumn('arch', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('installed_on', 'text')
    .addColumn('first_seen_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('software_installation_pk', ['asset_id', 'version_id', 'arch'])
    .execute();
  // "Where is version X installed" reads this index.
  await db.schema
    .createIndex('software_installation_version_idx')
    .on('software_installation')
    .columns(['version_id', 'asset_id'])
    .execute();
}
