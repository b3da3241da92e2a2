import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { Ctx } from '../../context.js';
import { chunksOf, inChunks } from '../../db/batch.js';
import { keysetAfter, type OrgScope, whereOrg } from '../../db/scope.js';
import type {
  InventoryDeviceTable,
  InventoryErrorTable,
  InventoryRuleTable,
  InventoryTokenTable,
  SoftwareInstallationTable,
} from './inventory.tables.js';

type DbCtx = Pick<Ctx, 'db' | 'dialect'>;

// --- tokens and rules ------------------------------------------------------------------------------

export async function findTokenByHash(ctx: DbCtx, hash: string): Promise<InventoryTokenTable | undefined> {
  return ctx.db.selectFrom('inventory_token').selectAll().where('token_hash', '=', hash).executeTakeFirst();
}

export async function insertToken(ctx: DbCtx, row: InventoryTokenTable): Promise<void> {
  await ctx.db.insertInto('inventory_token').values(row).execute();
}

export async function touchToken(ctx: DbCtx, id: string, at: string): Promise<void> {
  await ctx.db.updateTable('inventory_token').set({ last_used_at: at }).where('id', '=', id).execute();
}

export async function findToken(ctx: DbCtx, id: string): Promise<InventoryTokenTable | undefined> {
  return ctx.db.selectFrom('inventory_token').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function revokeToken(ctx: DbCtx, id: string, at: string): Promise<void> {
  await ctx.db
    .updateTable('inventory_token')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function listTokens(
  ctx: DbCtx,
  f: { scope: OrgScope; orgId?: string | undefined; after?: [string, string] | undefined; limit: number },
): Promise<InventoryTokenTable[]> {
  let q = whereOrg(ctx.db.selectFrom('inventory_token').selectAll(), 'org_id', f.scope);
  if (f.orgId) q = q.where('org_id', '=', f.orgId);
  if (f.after) q = q.where(keysetAfter('created_at', 'id', f.after, 'desc'));
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
}

export async function listRules(ctx: DbCtx, scope: OrgScope): Promise<InventoryRuleTable[]> {
  return whereOrg(ctx.db.selectFrom('inventory_rule').selectAll(), 'org_id', scope)
    .orderBy('priority')
    .orderBy('id')
    .execute();
}

export async function findRule(ctx: DbCtx, id: string): Promise<InventoryRuleTable | undefined> {
  return ctx.db.selectFrom('inventory_rule').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertRule(ctx: DbCtx, row: InventoryRuleTable): Promise<void> {
  await ctx.db.insertInto('inventory_rule').values(row).execute();
}

export async function deleteRule(ctx: DbCtx, id: string): Promise<void> {
  await ctx.db.deleteFrom('inventory_rule').where('id', '=', id).execute();
}

// --- devices ---------------------------------------------------------------------------------------

/** Serialises the inventories of one device on PostgreSQL (SQLite writers are serial already). */
export async function lockDevice(ctx: DbCtx, deviceId: string): Promise<void> {
  if (ctx.dialect.name === 'postgres') {
    await sql`select pg_advisory_xact_lock(hashtext(${`inventory:${deviceId}`}))`.execute(ctx.db);
  }
}

export async function findDeviceByAgentId(
  ctx: DbCtx,
  deviceId: string,
): Promise<InventoryDeviceTable | undefined> {
  return ctx.db
    .selectFrom('inventory_device')
    .selectAll()
    .where('device_id', '=', deviceId)
    .executeTakeFirst();
}

export async function findDevice(ctx: DbCtx, id: string): Promise<InventoryDeviceTable | undefined> {
  return ctx.db.selectFrom('inventory_device').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The device last inventoried with exactly this body: the same body again changes nothing. */
export async function findDeviceByBody(
  ctx: DbCtx,
  bodyHash: string,
): Promise<Pick<InventoryDeviceTable, 'id' | 'org_id' | 'device_id' | 'status'> | undefined> {
  return ctx.db
    .selectFrom('inventory_device')
    .select(['id', 'org_id', 'device_id', 'status'])
    .where('body_hash', '=', bodyHash)
    .executeTakeFirst();
}

/**
 * The device that shares a hardware identifier with a new agent id: the machine re-installed or renamed.
 * UUID, BIOS serial and physical MACs identify a machine in any organisation (so another organisation's
 * token cannot claim it twice); hostname and model only within `orgId` (two clients may both have a
 * PC-01). Strongest identifier first.
 */
export async function findDeviceByIdentity(
  ctx: DbCtx,
  orgId: string | null,
  id: {
    uuid?: string | undefined;
    serial?: string | undefined;
    macs: string[];
    hostname?: string | undefined;
    model?: string | undefined;
  },
): Promise<InventoryDeviceTable | undefined> {
  const base = () => ctx.db.selectFrom('inventory_device').selectAll().orderBy('last_contact_at', 'desc');
  if (id.uuid) {
    const hit = await base().where('hw_uuid', '=', id.uuid).executeTakeFirst();
    if (hit) return hit;
  }
  if (id.serial) {
    const hit = await base().where('serial', '=', id.serial).executeTakeFirst();
    if (hit) return hit;
  }
  if (id.macs.length > 0) {
    const hit = await base()
      .where(
        'id',
        'in',
        ctx.db.selectFrom('inventory_device_mac').select('device_row_id').where('mac', 'in', id.macs),
      )
      .executeTakeFirst();
    if (hit) return hit;
  }
  if (id.hostname && id.model) {
    const q = base().where('hostname', '=', id.hostname).where('model', '=', id.model);
    return (
      orgId === null ? q.where('org_id', 'is', null) : q.where('org_id', '=', orgId)
    ).executeTakeFirst();
  }
  return undefined;
}

export async function insertDevice(ctx: DbCtx, row: InventoryDeviceTable): Promise<void> {
  await ctx.db.insertInto('inventory_device').values(row).execute();
}

export async function updateDevice(
  ctx: DbCtx,
  id: string,
  set: Partial<Omit<InventoryDeviceTable, 'id'>>,
): Promise<void> {
  await ctx.db.updateTable('inventory_device').set(set).where('id', '=', id).execute();
}

export async function deleteDevice(ctx: DbCtx, id: string): Promise<void> {
  await ctx.db.deleteFrom('inventory_device').where('id', '=', id).execute();
}

export async function replaceMacs(ctx: DbCtx, deviceRowId: string, macs: string[]): Promise<void> {
  await ctx.db.deleteFrom('inventory_device_mac').where('device_row_id', '=', deviceRowId).execute();
  if (macs.length > 0) {
    await ctx.db
      .insertInto('inventory_device_mac')
      .values(macs.map((mac) => ({ device_row_id: deviceRowId, mac })))
      .execute();
  }
}

export type DeviceFilter = {
  scope: OrgScope;
  /** Devices waiting for validation (no organisation yet) instead of filed ones. */
  pending: boolean;
  orgId?: string | undefined;
  silentSince?: string | undefined;
  agent?: string | undefined;
  q?: string | undefined;
  after?: [string, string] | undefined;
  limit: number;
};

export async function listDevices(ctx: DbCtx, f: DeviceFilter): Promise<InventoryDeviceTable[]> {
  let q = ctx.db.selectFrom('inventory_device').selectAll();
  if (f.pending) q = q.where('org_id', 'is', null);
  else q = whereOrg(q.where('org_id', 'is not', null), 'org_id', f.scope);
  if (f.orgId) q = q.where('org_id', '=', f.orgId);
  if (f.silentSince) q = q.where('last_contact_at', '<', f.silentSince);
  if (f.agent) q = q.where('agent_version', '=', f.agent);
  if (f.q) q = q.where(ctx.dialect.containsInsensitive(sql.ref('hostname'), f.q));
  if (f.after) q = q.where(keysetAfter('last_contact_at', 'id', f.after, 'desc'));
  return q.orderBy('last_contact_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
}

export async function deviceOfAsset(ctx: DbCtx, assetId: string): Promise<InventoryDeviceTable | undefined> {
  return ctx.db
    .selectFrom('inventory_device')
    .selectAll()
    .where('asset_id', '=', assetId)
    .orderBy('last_contact_at', 'desc')
    .executeTakeFirst();
}

export async function fleetStats(
  ctx: DbCtx,
  scope: OrgScope,
  orgId: string | undefined,
  silentSince: string,
  errorsSince: string,
) {
  let devices = whereOrg(
    ctx.db.selectFrom('inventory_device').where('org_id', 'is not', null),
    'org_id',
    scope,
  );
  if (orgId) devices = devices.where('org_id', '=', orgId);
  const byAgent = await devices
    .select(['agent_version', sql<number>`count(*)`.as('count')])
    .groupBy('agent_version')
    .execute();
  const silent = await devices
    .select(sql<number>`count(*)`.as('count'))
    .where('last_contact_at', '<', silentSince)
    .executeTakeFirst();
  let errors = whereOrg(ctx.db.selectFrom('inventory_error'), 'org_id', scope).where('at', '>=', errorsSince);
  if (orgId) errors = errors.where('org_id', '=', orgId);
  const byReason = await errors
    .select(['reason', sql<number>`count(*)`.as('count')])
    .groupBy('reason')
    .execute();
  return { byAgent, silent: Number(silent?.count ?? 0), byReason };
}

export async function countPending(ctx: DbCtx): Promise<number> {
  const row = await ctx.db
    .selectFrom('inventory_device')
    .select(sql<number>`count(*)`.as('count'))
    .where('org_id', 'is', null)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

// --- errors ----------------------------------------------------------------------------------------

export async function insertError(ctx: DbCtx, row: InventoryErrorTable): Promise<void> {
  await ctx.db.insertInto('inventory_error').values(row).execute();
}

export async function listErrors(
  ctx: DbCtx,
  f: {
    scope: OrgScope;
    globalView: boolean;
    orgId?: string | undefined;
    after?: [string, string] | undefined;
    limit: number;
  },
): Promise<InventoryErrorTable[]> {
  let q = ctx.db.selectFrom('inventory_error').selectAll();
  // Errors before any organisation is known (bad token, unreadable body) are the global admin's.
  q = f.globalView && !f.orgId ? q : whereOrg(q, 'org_id', f.scope);
  if (f.orgId) q = q.where('org_id', '=', f.orgId);
  if (f.after) q = q.where(keysetAfter('at', 'id', f.after, 'desc'));
  return q.orderBy('at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
}

// --- software --------------------------------------------------------------------------------------

/** Catalogue ids for these (key → publisher, name), created where missing. */
export async function ensureSoftware(
  ctx: DbCtx,
  orgId: string,
  items: Map<string, { publisher: string; name: string }>,
  now: string,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const keys = [...items.keys()];
  const load = async (wanted: string[]) => {
    for (const chunk of chunksOf(wanted, 500)) {
      const rows = await ctx.db
        .selectFrom('software')
        .select(['id', 'match_key'])
        .where('org_id', '=', orgId)
        .where('match_key', 'in', chunk)
        .execute();
      for (const r of rows) ids.set(r.match_key, r.id);
    }
  };
  await load(keys);
  const missing = keys.filter((k) => !ids.has(k));
  if (missing.length > 0) {
    await inChunks(
      missing.map((k) => {
        const s = items.get(k)!;
        return {
          id: uuidv7(),
          org_id: orgId,
          publisher: s.publisher,
          name: s.name,
          match_key: k,
          created_at: now,
        };
      }),
      (chunk) =>
        ctx.db
          .insertInto('software')
          .values(chunk)
          .onConflict((oc) => oc.columns(['org_id', 'match_key']).doNothing())
          .execute(),
    );
    await load(missing);
  }
  return ids;
}

/** Version ids for these (software id, version) pairs, created where missing. */
export async function ensureVersions(
  ctx: DbCtx,
  pairs: Array<{ softwareId: string; version: string }>,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const key = (softwareId: string, version: string) => `${softwareId}\u0000${version}`;
  const load = async (wanted: typeof pairs) => {
    for (const chunk of chunksOf(wanted, 500)) {
      const rows = await ctx.db
        .selectFrom('software_version')
        .select(['id', 'software_id', 'version'])
        .where('software_id', 'in', [...new Set(chunk.map((p) => p.softwareId))])
        .execute();
      for (const r of rows) ids.set(key(r.software_id, r.version), r.id);
    }
  };
  await load(pairs);
  const missing = pairs.filter((p) => !ids.has(key(p.softwareId, p.version)));
  if (missing.length > 0) {
    await inChunks(
      missing.map((p) => ({ id: uuidv7(), software_id: p.softwareId, version: p.version })),
      (chunk) =>
        ctx.db
          .insertInto('software_version')
          .values(chunk)
          .onConflict((oc) => oc.columns(['software_id', 'version']).doNothing())
          .execute(),
    );
    await load(missing);
  }
  return ids;
}

export async function installationsOf(ctx: DbCtx, assetId: string): Promise<SoftwareInstallationTable[]> {
  return ctx.db.selectFrom('software_installation').selectAll().where('asset_id', '=', assetId).execute();
}

export async function deleteInstallations(
  ctx: DbCtx,
  assetId: string,
  rows: Array<Pick<SoftwareInstallationTable, 'version_id' | 'arch'>>,
): Promise<void> {
  for (const chunk of chunksOf(rows, 200)) {
    await ctx.db
      .deleteFrom('software_installation')
      .where('asset_id', '=', assetId)
      .where((eb) =>
        eb.or(chunk.map((r) => eb.and([eb('version_id', '=', r.version_id), eb('arch', '=', r.arch)]))),
      )
      .execute();
  }
}

export async function insertInstallations(ctx: DbCtx, rows: SoftwareInstallationTable[]): Promise<void> {
  await inChunks(rows, (chunk) => ctx.db.insertInto('software_installation').values(chunk).execute());
}

export async function listSoftware(
  ctx: DbCtx,
  f: {
    scope: OrgScope;
    orgId?: string | undefined;
    q?: string | undefined;
    after?: [string, string] | undefined;
    limit: number;
  },
) {
  let q = whereOrg(ctx.db.selectFrom('software').selectAll(), 'org_id', f.scope);
  if (f.orgId) q = q.where('org_id', '=', f.orgId);
  if (f.q) q = q.where(ctx.dialect.containsInsensitive(sql.ref('match_key'), f.q));
  if (f.after) q = q.where(keysetAfter('name', 'id', f.after, 'asc'));
  return q.orderBy('name').orderBy('id').limit(f.limit).execute();
}

export async function findSoftware(ctx: DbCtx, id: string) {
  return ctx.db.selectFrom('software').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Each version of a software with the number of assets it is installed on. */
export async function versionsOf(ctx: DbCtx, softwareId: string) {
  return ctx.db
    .selectFrom('software_version as v')
    .leftJoin('software_installation as i', 'i.version_id', 'v.id')
    .select(['v.id', 'v.version', sql<number>`count(i.asset_id)`.as('installations')])
    .where('v.software_id', '=', softwareId)
    .groupBy(['v.id', 'v.version'])
    .orderBy('v.version')
    .execute();
}

export async function findVersion(ctx: DbCtx, id: string) {
  return ctx.db
    .selectFrom('software_version as v')
    .innerJoin('software as s', 's.id', 'v.software_id')
    .select(['v.id', 'v.version', 's.id as software_id', 's.name', 's.publisher', 's.org_id'])
    .where('v.id', '=', id)
    .executeTakeFirst();
}

/** The assets a version is installed on, from the installation index. */
export async function installationsOfVersion(
  ctx: DbCtx,
  versionId: string,
  f: { after?: string | undefined; limit: number },
) {
  let q = ctx.db
    .selectFrom('software_installation')
    .select(['asset_id', 'arch', 'installed_on', 'first_seen_at'])
    .where('version_id', '=', versionId);
  if (f.after) q = q.where('asset_id', '>', f.after);
  return q.orderBy('asset_id').limit(f.limit).execute();
}

/** Installed software of an asset, with names, for its inventory tab. */
export async function softwareOfAsset(ctx: DbCtx, assetId: string) {
  return ctx.db
    .selectFrom('software_installation as i')
    .innerJoin('software_version as v', 'v.id', 'i.version_id')
    .innerJoin('software as s', 's.id', 'v.software_id')
    .select([
      's.id as software_id',
      's.name',
      's.publisher',
      'v.id as version_id',
      'v.version',
      'i.arch',
      'i.installed_on',
    ])
    .where('i.asset_id', '=', assetId)
    .orderBy('s.name')
    .execute();
}
