import { type RawBuilder, sql } from 'kysely';
import type { Ctx } from '../../context.js';
import { keysetAfter, type OrgScope, whereOrg } from '../../db/scope.js';
import type {
  InventoryDeviceTable,
  InventoryErrorTable,
  InventoryRuleTable,
  InventoryTokenTable,
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
  await ctx.dialect.transactionLock(`inventory:${deviceId}`)?.execute(ctx.db);
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
 * The device an inventory belongs to, in one query: the one with its agent id, else its previous
 * agent id (OCS OLD_DEVICEID), else the one that shares a hardware identifier with it, the machine
 * re-installed or renamed. UUID, BIOS serial and physical MACs identify a machine in any organisation
 * (so another organisation's token cannot claim it twice); strongest identifier first, and the most
 * recently heard of device for each.
 */
export async function findDeviceOfInventory(
  ctx: DbCtx,
  k: {
    deviceId: string;
    oldDeviceId?: string | undefined;
    uuid?: string | undefined;
    serial?: string | undefined;
    macs: string[];
  },
): Promise<InventoryDeviceTable | undefined> {
  const latest = (rank: number, where: RawBuilder<unknown>) =>
    sql`SELECT * FROM (SELECT ${sql.lit(rank)} AS rank, d.* FROM inventory_device d WHERE ${where}
      ORDER BY d.last_contact_at DESC LIMIT 1) AS ${sql.raw(`r${rank}`)}`;
  const parts = [sql`SELECT 1 AS rank, d.* FROM inventory_device d WHERE d.device_id = ${k.deviceId}`];
  if (k.oldDeviceId) {
    parts.push(sql`SELECT 2 AS rank, d.* FROM inventory_device d WHERE d.device_id = ${k.oldDeviceId}`);
  }
  if (k.uuid) parts.push(latest(3, sql`d.hw_uuid = ${k.uuid}`));
  if (k.serial) parts.push(latest(4, sql`d.serial = ${k.serial}`));
  if (k.macs.length > 0) {
    parts.push(
      latest(
        5,
        sql`d.id IN (SELECT device_row_id FROM inventory_device_mac WHERE mac IN (${sql.join(k.macs)}))`,
      ),
    );
  }
  const { rows } = await sql<InventoryDeviceTable & { rank: number }>`
    SELECT * FROM (${sql.join(parts, sql` UNION ALL `)}) AS c ORDER BY rank LIMIT 1`.execute(ctx.db);
  if (!rows[0]) return undefined;
  const { rank: _rank, ...device } = rows[0];
  return device;
}

/** A device of the organisation (or of none: waiting) by hostname and model, two clients may both have a PC-01. */
export async function findDeviceByHostname(
  ctx: DbCtx,
  orgId: string | null,
  hostname: string,
  model: string,
): Promise<InventoryDeviceTable | undefined> {
  const q = ctx.db
    .selectFrom('inventory_device')
    .selectAll()
    .where('hostname', '=', hostname)
    .where('model', '=', model)
    .orderBy('last_contact_at', 'desc');
  return (orgId === null ? q.where('org_id', 'is', null) : q.where('org_id', '=', orgId)).executeTakeFirst();
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

/** The device's MACs become `macs`; a device row just inserted (`created`) has none to delete. */
export async function replaceMacs(
  ctx: DbCtx,
  deviceRowId: string,
  macs: string[],
  created = false,
): Promise<void> {
  if (!created)
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
