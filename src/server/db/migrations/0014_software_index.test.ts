import { randomBytes } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PG_URL } from '../../test/harness.js';
import { type DbHandle, openDatabase } from '../database.js';
import { migrations } from './index.js';

// A database as 0013 left it, with an inventoried device, then 0014 on top.
let handle: DbHandle;
let schema: string | undefined;
const now = '2026-11-29T10:00:00.000Z';
const DESKTOP = '00000000-0000-7000-8000-000000000001';
const inventory = {
  deviceId: 'pc-1',
  partial: false,
  itemType: 'Computer',
  os: { fullName: 'Windows 11 Professionnel' },
  bios: { manufacturer: 'Lenovo' },
  cpus: [{ name: 'Intel Core i7' }, { name: 'Intel Core i7' }],
  hardware: { name: 'PC-1', memoryMb: 16384 },
  storages: [{ sizeMb: 256000 }, { sizeMb: 1000000 }],
  software: [{ name: 'Outil', version: '1.0' }],
};

beforeAll(async () => {
  if (TEST_PG_URL) {
    schema = `t_${randomBytes(6).toString('hex')}`;
    handle = await openDatabase({ kind: 'postgres', url: TEST_PG_URL }, { pgSchema: schema, poolSize: 2 });
  } else {
    handle = await openDatabase({ kind: 'sqlite', file: ':memory:' });
  }
  const { db, dialect } = handle;
  for (const m of migrations.slice(
    0,
    migrations.findIndex((m) => m.name === '0014_software_index'),
  )) {
    await db.transaction().execute((trx) => m.up(trx, dialect));
  }
  // The tables as they were then: the Database type describes them as they are now.
  // biome-ignore lint/suspicious/noExplicitAny: rows of a past schema
  const q = db as unknown as Kysely<any>;
  await q
    .insertInto('organisation')
    .values({
      id: 'org-1',
      name: 'Org',
      slug: 'org',
      time_zone: 'Europe/Paris',
      locale: 'fr',
      is_home: dialect.name === 'postgres' ? true : 1,
      created_at: now,
      updated_at: now,
      version: 1,
    })
    .execute();
  await q
    .insertInto('asset')
    .values({
      id: 'asset-1',
      org_id: 'org-1',
      type_id: DESKTOP,
      name: 'PC-1',
      status: 'deployed',
      custom: '{}',
      notes: '',
      search_text: 'pc-1',
      created_at: now,
      updated_at: now,
      version: 1,
    })
    .execute();
  await q
    .insertInto('software')
    .values({
      id: 'sw-1',
      org_id: 'org-1',
      publisher: '',
      name: 'Outil',
      match_key: '|outil',
      created_at: now,
    })
    .execute();
  await q.insertInto('software_version').values({ id: 'v-1', software_id: 'sw-1', version: '1.0' }).execute();
  await q
    .insertInto('software_installation')
    .values({
      asset_id: 'asset-1',
      version_id: 'v-1',
      arch: '',
      org_id: 'org-1',
      installed_on: null,
      first_seen_at: now,
    })
    .execute();
  await q
    .insertInto('inventory_device')
    .values({
      id: 'dev-1',
      device_id: 'pc-1',
      org_id: 'org-1',
      asset_id: 'asset-1',
      status: 'active',
      format: 'glpi-json',
      first_seen_at: now,
      last_contact_at: now,
      inventory: JSON.stringify(inventory),
      updated_at: now,
      version: 1,
    })
    .execute();
  const m14 = migrations.find((m) => m.name === '0014_software_index')!;
  await db.transaction().execute((trx) => m14.up(trx, dialect));
});

afterAll(async () => {
  await handle.close();
  if (schema) {
    const admin = await openDatabase({ kind: 'postgres', url: TEST_PG_URL! }, { poolSize: 1 });
    await admin.db.schema.dropSchema(schema).ifExists().cascade().execute();
    await admin.close();
  }
});

describe('migration 0014 on an inventoried database', () => {
  it('packs stored inventories and fills the devices’ summaries', async () => {
    const { rows } = await sql<Record<string, unknown>>`SELECT * FROM inventory_device`.execute(handle.db);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect('inventory' in row).toBe(false);
    expect(JSON.parse(inflateRawSync(row.inventory_z as Buffer).toString())).toEqual(inventory);
    expect(row).toMatchObject({
      os: 'Windows 11 Professionnel',
      manufacturer: 'Lenovo',
      cpu: '2 × Intel Core i7',
      memory_mb: 16384,
      disk_mb: 1256000,
    });
  });

  it('keeps the installations and indexes them by version', async () => {
    const { rows } = await sql<Record<string, unknown>>`SELECT * FROM software_installation`.execute(
      handle.db,
    );
    expect(rows).toEqual([
      { asset_id: 'asset-1', version_id: 'v-1', arch: '', installed_on: null, first_seen_at: now },
    ]);
    const index = await sql`SELECT version_id, asset_id, arch FROM software_version_asset`.execute(handle.db);
    expect(index.rows).toEqual([{ version_id: 'v-1', asset_id: 'asset-1', arch: '' }]);
  });
});
