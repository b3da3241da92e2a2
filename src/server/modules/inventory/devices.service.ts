import { can, orgsWhere } from '../../../shared/policy.js';
import type { Page } from '../../../shared/schemas/common.js';
import type { TDevice } from '../../../shared/schemas/inventory.js';
import { type Ctx, inTransaction, requireActor } from '../../context.js';
import { forbidden, notFound } from '../../http/errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { type Locale, problemText } from '../../i18n/messages.js';
import { getAsset } from '../assets/index.js';
import { recordAudit } from '../audit/index.js';
import { ingestInventory } from './ingest.service.js';
import * as repo from './inventory.repo.js';
import type { InventoryDeviceTable, InventoryErrorTable } from './inventory.tables.js';
import { unpackInventory } from './stored-inventory.js';

const DAY_MS = 24 * 3600_000;

function toDevice(row: InventoryDeviceTable): TDevice {
  return {
    id: row.id,
    deviceId: row.device_id,
    orgId: row.org_id,
    assetId: row.asset_id,
    status: row.status,
    hostname: row.hostname,
    serial: row.serial,
    model: row.model,
    agentVersion: row.agent_version,
    format: row.format,
    tag: row.tag,
    lastIp: row.last_ip,
    firstSeenAt: row.first_seen_at,
    lastContactAt: row.last_contact_at,
    lastInventoryAt: row.last_inventory_at,
    os: row.os,
    manufacturer: row.manufacturer,
    cpu: row.cpu,
    memoryMb: row.memory_mb,
    diskMb: row.disk_mb,
  };
}

/** What an error reason reads like; the same words as the problem the agent received. */
export function reasonText(locale: Locale, reason: string): string {
  return problemText(locale, `inventory.${reason}`, {}).title;
}

/** A device the caller may see: filed in one of their organisations, or waiting (global admins only). */
async function visibleDevice(ctx: Ctx, id: string): Promise<InventoryDeviceTable> {
  const actor = requireActor(ctx);
  const row = await repo.findDevice(ctx, id);
  const visible = row && (row.org_id ? can(actor, 'asset.read', { orgId: row.org_id }) : actor.globalAdmin);
  if (!row || !visible) throw notFound('device');
  return row;
}

export async function listDevices(
  ctx: Ctx,
  q: {
    orgId?: string | undefined;
    pending?: boolean | undefined;
    silentDays?: number | undefined;
    agent?: string | undefined;
    q?: string | undefined;
    limit: number;
    cursor?: string | undefined;
  },
): Promise<Page<TDevice>> {
  const actor = requireActor(ctx);
  if (!can(actor, 'asset.read')) throw forbidden();
  // Devices nobody claimed have no organisation yet: only an administrator of every organisation sees them.
  if (q.pending && !actor.globalAdmin) return { items: [], nextCursor: null };
  const rows = await repo.listDevices(ctx, {
    scope: orgsWhere(actor, 'asset.read'),
    pending: !!q.pending,
    orgId: q.orgId,
    silentSince: q.silentDays ? new Date(ctx.now.getTime() - q.silentDays * DAY_MS).toISOString() : undefined,
    agent: q.agent,
    q: q.q,
    after: decodeCursor(q.cursor, 2) as [string, string] | undefined,
    limit: q.limit + 1,
  });
  return toPage(rows, q.limit, toDevice, (r) => [r.last_contact_at, r.id]);
}

export async function getDevice(
  ctx: Ctx,
  id: string,
): Promise<TDevice & { inventory: Record<string, unknown> | null }> {
  const row = await visibleDevice(ctx, id);
  return { ...toDevice(row), inventory: unpackInventory(row.inventory_z) ?? null };
}

/** The device an asset was inventoried from, with what it reported. */
export async function deviceOfAsset(
  ctx: Ctx,
  assetId: string,
): Promise<(TDevice & { inventory: Record<string, unknown> | null }) | null> {
  await getAsset(ctx, assetId);
  const row = await repo.deviceOfAsset(ctx, assetId);
  return row ? { ...toDevice(row), inventory: unpackInventory(row.inventory_z) ?? null } : null;
}

/** Files a waiting device into an organisation: its stored inventory is reconciled as if just sent. */
export async function validateDevice(ctx: Ctx, id: string, orgId: string): Promise<TDevice> {
  const actor = requireActor(ctx);
  const row = await visibleDevice(ctx, id);
  if (!can(actor, 'org.read', { orgId })) throw notFound('org');
  if (!can(actor, 'inventory.manage', { orgId })) throw forbidden();
  if (row.org_id) return toDevice(row);
  const inventory = unpackInventory(row.inventory_z);
  if (!inventory) throw notFound('device');
  return inTransaction(ctx, async (tx) => {
    await ingestInventory(
      tx,
      { ...inventory, partial: false },
      {
        tokenOrgId: orgId,
        ip: row.last_ip,
        requireToken: false,
        bodyHash: null,
        format: row.format as 'ocs-xml' | 'glpi-json',
      },
    );
    const after = toDevice((await repo.findDevice(tx, id))!);
    await recordAudit(tx, {
      orgId,
      action: 'inventory.device_validated',
      entityType: 'inventory_device',
      entityId: id,
      after,
    });
    return after;
  });
}

/** Refuses a waiting device: it is forgotten, and comes back to the queue if it reports again. */
export async function rejectDevice(ctx: Ctx, id: string): Promise<void> {
  const actor = requireActor(ctx);
  const row = await visibleDevice(ctx, id);
  if (row.org_id ? !can(actor, 'inventory.manage', { orgId: row.org_id }) : !actor.globalAdmin)
    throw forbidden();
  await repo.deleteDevice(ctx, id);
}

export async function listInventoryErrors(
  ctx: Ctx,
  q: { orgId?: string | undefined; limit: number; cursor?: string | undefined },
  locale: Locale,
) {
  const actor = requireActor(ctx);
  if (!can(actor, 'asset.read')) throw forbidden();
  const rows = await repo.listErrors(ctx, {
    scope: orgsWhere(actor, 'asset.read'),
    globalView: actor.globalAdmin,
    orgId: q.orgId,
    after: decodeCursor(q.cursor, 2) as [string, string] | undefined,
    limit: q.limit + 1,
  });
  return toPage(
    rows,
    q.limit,
    (r: InventoryErrorTable) => ({
      id: r.id,
      at: r.at,
      orgId: r.org_id,
      deviceId: r.device_id,
      ip: r.ip,
      agent: r.agent,
      reason: r.reason,
      message: reasonText(locale, r.reason),
      detail: r.detail,
    }),
    (r) => [r.at, r.id],
  );
}

export async function fleetStats(
  ctx: Ctx,
  q: { orgId?: string | undefined; silentDays: number },
  locale: Locale,
) {
  const actor = requireActor(ctx);
  if (!can(actor, 'asset.read')) throw forbidden();
  const since = (days: number) => new Date(ctx.now.getTime() - days * DAY_MS).toISOString();
  const scope = orgsWhere(actor, 'asset.read');
  const stats = await repo.fleetStats(ctx, scope, q.orgId, since(q.silentDays), since(7));
  return {
    devices: stats.byAgent.reduce((n, a) => n + Number(a.count), 0),
    pending: actor.globalAdmin ? await repo.countPending(ctx) : 0,
    silent: stats.silent,
    silentDays: q.silentDays,
    agents: stats.byAgent
      .map((a) => ({ agentVersion: a.agent_version, count: Number(a.count) }))
      .sort((a, b) => b.count - a.count),
    errors: stats.byReason
      .map((e) => ({ reason: e.reason, message: reasonText(locale, e.reason), count: Number(e.count) }))
      .sort((a, b) => b.count - a.count),
  };
}
