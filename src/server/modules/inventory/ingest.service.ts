import { uuidv7 } from 'uuidv7';
import { type Ctx, inTransaction, systemPrincipal } from '../../context.js';
import { sha256 } from '../../crypto.js';
import { fromJson } from '../../db/values.js';
import { AppError, isUniqueViolation } from '../../http/errors.js';
import { createAsset, findAssetByIdentifier, getAsset, updateAsset, writeHistory } from '../assets/index.js';
import { listOrganisations } from '../orgs/index.js';
import { resolveEnrolment } from './enrolment.service.js';
import { type Compression, decodeBody } from './formats/decode.js';
import { PayloadError } from './formats/errors.js';
import { parseDecoded } from './formats/index.js';
import type { AgentMessage, Inventory } from './formats/inventory.js';
import * as repo from './inventory.repo.js';
import type { InventoryDeviceTable } from './inventory.tables.js';
import { canonical, diffInventory, identityOf, mergeInventory, softwareOf } from './reconcile.js';

/** Built-in asset types (migration 0002). */
const TYPE = {
  desktop: '00000000-0000-7000-8000-000000000001',
  laptop: '00000000-0000-7000-8000-000000000002',
  server: '00000000-0000-7000-8000-000000000003',
} as const;

const LAPTOP_CHASSIS = /laptop|notebook|portable|hand ?held|convertible|detachable|tablet/i;
const SERVER_CHASSIS = /rack|blade|server|multi-system/i;

export type IngestSource = {
  ip: string | null;
  /** The enrolment token the agent presented, if any. */
  token?: string | undefined;
  /** The organisation the caller files into without a token (the CLI's --org). */
  orgId?: string | undefined;
  userAgent?: string | undefined;
  requireToken: boolean;
  maxBytes: number;
};

export type IngestOutcome = 'created' | 'updated' | 'unchanged' | 'pending';

type Received = { deviceId: string; format: 'ocs-xml' | 'glpi-json'; compression: Compression };
export type IngestResult =
  | (Received & { kind: 'prolog' })
  | (Received & { kind: 'contact'; enabledTasks: string[] })
  | (Received & { kind: 'inventory'; outcome: IngestOutcome; assetId: string | null });

/** An inventory Parc refuses: `inventory.<reason>`, the reason also recorded for the fleet view. */
function refused(status: number, reason: string): AppError {
  return new AppError(`inventory.${reason}`, status, {});
}

/** Parc's own actor for what agents report; history shows it as the inventory. */
function agentCtx(ctx: Ctx): Ctx {
  return { ...ctx, actor: systemPrincipal('inventory') };
}

/**
 * Takes one agent request body, whatever the agent: decodes it (format and compression from its first
 * bytes), files it into an organisation, and reconciles it into the CMDB. Every refusal is recorded
 * with its reason for the fleet view, then thrown.
 */
export async function ingestBody(ctx: Ctx, body: Buffer, source: IngestSource): Promise<IngestResult> {
  const sys = agentCtx(ctx);
  let deviceId: string | null = null;
  let orgId: string | null = null;
  try {
    const token = source.token ? await resolveEnrolment(sys, source.token) : undefined;
    orgId = token?.orgId ?? source.orgId ?? null;
    if (body.length > source.maxBytes) throw new PayloadError('too_large', `over ${source.maxBytes} bytes`);
    const decoded = decodeBody(body, { maxInflated: source.maxBytes });
    // The same body as this device's last inventory: only its last contact changes.
    const bodyHash = sha256(decoded.text);
    const same = await repo.findDeviceByBody(sys, bodyHash);
    if (same && same.status === 'active' && (!token || token.orgId === same.org_id)) {
      await repo.updateDevice(sys, same.id, { last_contact_at: sys.now.toISOString(), last_ip: source.ip });
      return {
        kind: 'inventory',
        deviceId: same.device_id,
        format: decoded.format === 'xml' ? 'ocs-xml' : 'glpi-json',
        compression: decoded.compression,
        outcome: 'unchanged',
        assetId: null,
      };
    }
    const message = parseDecoded(decoded);
    deviceId = message.kind === 'inventory' ? message.inventory.deviceId : message.deviceId;
    const { compression } = decoded;
    if (message.kind === 'prolog') {
      await touchContact(sys, message, source.ip);
      return { kind: 'prolog', deviceId, format: 'ocs-xml', compression };
    }
    if (message.kind === 'contact') {
      await touchContact(sys, message, source.ip);
      return {
        kind: 'contact',
        deviceId,
        format: 'glpi-json',
        compression,
        enabledTasks: message.enabledTasks ?? [],
      };
    }
    const result = await ingestInventory(sys, message.inventory, {
      tokenOrgId: token?.orgId ?? source.orgId,
      ip: source.ip,
      requireToken: source.requireToken,
      bodyHash,
      format: message.format,
    });
    return { kind: 'inventory', deviceId, format: message.format, compression, ...result };
  } catch (err) {
    const reason =
      err instanceof PayloadError
        ? err.reason
        : err instanceof AppError && err.code.startsWith('inventory.')
          ? err.code.slice('inventory.'.length)
          : 'internal';
    await recordRefusal(sys, {
      reason,
      orgId,
      deviceId,
      ip: source.ip,
      agent: source.userAgent,
      // A refusal's reason is its code; the detail says more only for an unreadable payload.
      detail: err instanceof PayloadError || !(err instanceof AppError) ? (err as Error).message : undefined,
    });
    if (err instanceof PayloadError) throw refused(err.reason === 'too_large' ? 413 : 400, err.reason);
    throw err;
  }
}

/** A refused payload, kept with its reason for the fleet view. */
export async function recordRefusal(
  ctx: Ctx,
  r: {
    reason: string;
    orgId?: string | null;
    deviceId?: string | null;
    ip: string | null;
    agent?: string | undefined;
    detail?: string | undefined;
  },
): Promise<void> {
  await repo.insertError(ctx, {
    id: uuidv7(),
    at: ctx.now.toISOString(),
    org_id: r.orgId ?? null,
    device_id: r.deviceId ?? null,
    ip: r.ip,
    agent: r.agent?.slice(0, 200) ?? null,
    reason: r.reason,
    detail: r.detail?.slice(0, 500) ?? null,
  });
}

/** A PROLOG or CONTACT: the device is alive. */
async function touchContact(ctx: Ctx, message: AgentMessage, ip: string | null): Promise<void> {
  if (message.kind === 'inventory') return;
  const device = await repo.findDeviceByAgentId(ctx, message.deviceId);
  if (!device) return;
  await repo.updateDevice(ctx, device.id, {
    last_contact_at: ctx.now.toISOString(),
    last_ip: ip,
    ...(message.kind === 'contact' && message.agentVersion && { agent_version: message.agentVersion }),
  });
}

type InventoryInput = {
  tokenOrgId: string | undefined;
  ip: string | null;
  requireToken: boolean;
  bodyHash: string | null;
  format: 'ocs-xml' | 'glpi-json';
};

/** Files one inventory: the device's organisation, then its asset, history and software. */
export async function ingestInventory(
  ctx: Ctx,
  inv: Inventory,
  input: InventoryInput,
): Promise<{ outcome: IngestOutcome; assetId: string | null }> {
  const sys = agentCtx(ctx);
  // Two requests of one new device at once: the loser of the insert race retries and finds the row.
  for (let attempt = 0; ; attempt++) {
    try {
      return await inTransaction(sys, (tx) => fileInventory(tx, inv, input));
    } catch (err) {
      if (attempt < 2 && isUniqueViolation(err)) continue;
      throw err;
    }
  }
}

async function fileInventory(
  tx: Ctx,
  inv: Inventory,
  input: InventoryInput,
): Promise<{ outcome: IngestOutcome; assetId: string | null }> {
  await repo.lockDevice(tx, inv.deviceId);
  const now = tx.now.toISOString();
  const identity = identityOf(inv);
  // The device by its agent id, else by its hardware (a re-installed agent, a renamed machine).
  let device =
    (await repo.findDeviceByAgentId(tx, inv.deviceId)) ??
    (inv.oldDeviceId ? await repo.findDeviceByAgentId(tx, inv.oldDeviceId) : undefined) ??
    (await repo.findDeviceByIdentity(tx, null, { ...identity, hostname: undefined }));
  if (device?.org_id && input.tokenOrgId && device.org_id !== input.tokenOrgId) {
    throw refused(409, 'claimed_elsewhere');
  }
  const orgId =
    input.tokenOrgId ??
    device?.org_id ??
    (await orgByRules(tx, inv, input.ip)) ??
    (input.requireToken ? undefined : await onlyOrganisation(tx)) ??
    null;
  if (!orgId && input.requireToken && !device) throw refused(401, 'token_required');
  device ??= await repo.findDeviceByIdentity(tx, orgId, identity);
  const previous = device?.inventory ? fromJson<Inventory>(device.inventory as string) : undefined;
  const merged = mergeInventory(previous ?? undefined, inv);
  const stored = canonical(merged);
  const contentHash = sha256(stored);
  const base = {
    device_id: inv.deviceId,
    hostname: identity.hostname ?? null,
    hw_uuid: identity.uuid ?? null,
    serial: identity.serial ?? null,
    model: identity.model ?? null,
    agent_version: merged.agentVersion ?? null,
    format: input.format,
    tag: merged.tag ?? null,
    last_ip: input.ip,
    last_contact_at: now,
    last_inventory_at: now,
    body_hash: input.bodyHash,
    content_hash: contentHash,
    updated_at: now,
  };
  if (
    device &&
    device.content_hash === contentHash &&
    device.org_id === orgId &&
    (device.asset_id || !orgId)
  ) {
    await repo.updateDevice(tx, device.id, {
      device_id: inv.deviceId,
      last_contact_at: now,
      last_inventory_at: now,
      last_ip: input.ip,
      body_hash: input.bodyHash,
    });
    return { outcome: 'unchanged', assetId: device.asset_id };
  }
  if (!orgId) {
    // Nobody claims it: it waits in the queue to validate, with what it reported.
    const row = await saveDevice(
      tx,
      device,
      { ...base, org_id: null, asset_id: null, status: 'pending' },
      stored,
    );
    await repo.replaceMacs(tx, row.id, identity.macs);
    return { outcome: 'pending', assetId: null };
  }
  const { assetId, created } = await reconcileAsset(tx, orgId, device, previous, merged);
  const row = await saveDevice(
    tx,
    device,
    { ...base, org_id: orgId, asset_id: assetId, status: 'active' },
    stored,
  );
  await repo.replaceMacs(tx, row.id, identity.macs);
  if (merged.software !== undefined && (inv.software !== undefined || !previous)) {
    await syncSoftware(tx, orgId, assetId, merged);
  }
  return { outcome: created ? 'created' : 'updated', assetId };
}

async function saveDevice(
  tx: Ctx,
  device: InventoryDeviceTable | undefined,
  set: Omit<InventoryDeviceTable, 'id' | 'first_seen_at' | 'inventory' | 'version'>,
  /** The merged inventory's canonical JSON. */
  inventory: string,
): Promise<{ id: string }> {
  if (device) {
    await repo.updateDevice(tx, device.id, { ...set, inventory, version: device.version + 1 });
    return device;
  }
  const row: InventoryDeviceTable = {
    id: uuidv7(),
    ...set,
    first_seen_at: set.last_contact_at,
    inventory,
    version: 1,
  };
  await repo.insertDevice(tx, row);
  return row;
}

/** The organisation of the first matching rule (IP range, tag, hostname pattern), by priority. */
async function orgByRules(tx: Ctx, inv: Inventory, ip: string | null): Promise<string | undefined> {
  const rules = await repo.listRules(tx, 'all');
  const hostname = inv.hardware?.name ?? inv.os?.fqdn;
  for (const rule of rules) {
    if (rule.kind === 'tag' && inv.tag && inv.tag.toLowerCase() === rule.pattern.toLowerCase())
      return rule.org_id;
    if (rule.kind === 'hostname' && hostname && globMatch(rule.pattern, hostname)) return rule.org_id;
    if (rule.kind === 'ip_range') {
      const ips = [ip, ...(inv.networks ?? []).map((n) => n.ipv4)].filter((a): a is string => !!a);
      if (ips.some((a) => inCidr(a, rule.pattern))) return rule.org_id;
    }
  }
  return undefined;
}

/** On an install with a single organisation, every agent belongs to it. */
async function onlyOrganisation(tx: Ctx): Promise<string | undefined> {
  const page = await listOrganisations(tx, { limit: 2 });
  return page.items.length === 1 ? page.items[0]!.id : undefined;
}

export function globMatch(pattern: string, value: string): boolean {
  const re = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${re}$`, 'i').test(value);
}

function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    const v = Number(p);
    if (!/^\d{1,3}$/.test(p) || v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

/** IPv4 address in a CIDR range ("10.1.0.0/16"), or equal to a single address. */
export function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const a = ipv4ToInt(ip);
  const b = ipv4ToInt(base ?? '');
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (a === undefined || b === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return (a & mask) >>> 0 === (b & mask) >>> 0;
}

function assetTypeOf(inv: Inventory): string {
  const chassis = inv.hardware?.chassisType ?? '';
  if (LAPTOP_CHASSIS.test(chassis)) return TYPE.laptop;
  const vm = inv.hardware?.vmSystem;
  if (SERVER_CHASSIS.test(chassis) || /server/i.test(inv.os?.name ?? '') || (vm && !/physical/i.test(vm)))
    return TYPE.server;
  return TYPE.desktop;
}

/**
 * The device's asset: the one it is linked to, else the organisation's asset with its BIOS serial
 * (registered by hand or imported), else a new one. Changes land in the asset's history as a diff.
 */
async function reconcileAsset(
  tx: Ctx,
  orgId: string,
  device: InventoryDeviceTable | undefined,
  previous: Inventory | undefined,
  merged: Inventory,
): Promise<{ assetId: string; created: boolean }> {
  const identity = identityOf(merged);
  const name = identity.hostname ?? merged.deviceId;
  let asset =
    device?.asset_id && device.org_id === orgId
      ? await getAsset(tx, device.asset_id).catch(() => undefined)
      : undefined;
  const linked = !!asset;
  if (!asset && identity.serial) asset = await findAssetByIdentifier(tx, orgId, 'serial', identity.serial);
  if (!asset) {
    const created = await createAsset(tx, {
      orgId,
      typeId: assetTypeOf(merged),
      modelId: null,
      name: name.slice(0, 200),
      assetTag: null,
      serial: identity.serial?.slice(0, 100) ?? null,
      status: 'deployed',
      locationId: null,
      assignedUserId: null,
      supplierId: null,
      purchaseDate: null,
      warrantyEnd: null,
      contractEnd: null,
      custom: {},
      notes: '',
    });
    return { assetId: created.id, created: true };
  }
  const patch: { name?: string; serial?: string } = {};
  if (name && asset.name !== name && (!previous || previous.hardware?.name !== name))
    patch.name = name.slice(0, 200);
  if (identity.serial && !asset.serial) patch.serial = identity.serial.slice(0, 100);
  if (Object.keys(patch).length > 0) asset = await updateAsset(tx, asset.id, asset.version, patch);
  const changes = linked
    ? diffInventory(previous, merged)
    : [{ field: 'inventory.agent', from: null, to: `${merged.agentVersion ?? merged.deviceId}` }];
  if (changes.length > 0) await writeHistory(tx, { id: asset.id, orgId }, 'inventory', changes);
  return { assetId: asset.id, created: false };
}

/** The asset's installations follow the inventory's software list: added, removed, upgraded. */
async function syncSoftware(tx: Ctx, orgId: string, assetId: string, inv: Inventory): Promise<void> {
  const now = tx.now.toISOString();
  const items = softwareOf(inv);
  const catalogue = new Map(
    items.map((s) => [s.key, { publisher: s.publisher, name: s.name, id: uuidv7() }]),
  );
  const softwareIds = await repo.ensureSoftware(tx, orgId, catalogue, now);
  const pairs = new Map<string, { softwareId: string; version: string }>();
  for (const s of items) {
    const softwareId = softwareIds.get(s.key)!;
    pairs.set(`${softwareId}\u0000${s.version}`, { softwareId, version: s.version });
  }
  const versionIds = await repo.ensureVersions(tx, [...pairs.values()]);
  const wanted = new Map<string, { version_id: string; arch: string; installed_on: string | null }>();
  for (const s of items) {
    const versionId = versionIds.get(`${softwareIds.get(s.key)!}\u0000${s.version}`)!;
    wanted.set(`${versionId}|${s.arch}`, {
      version_id: versionId,
      arch: s.arch,
      installed_on: s.installedOn ?? null,
    });
  }
  const current = await repo.installationsOf(tx, assetId);
  const have = new Set(current.map((r) => `${r.version_id}|${r.arch}`));
  const removed = current.filter((r) => !wanted.has(`${r.version_id}|${r.arch}`));
  if (removed.length > 0) await repo.deleteInstallations(tx, assetId, removed);
  const added = [...wanted.entries()].filter(([k]) => !have.has(k)).map(([, v]) => v);
  await repo.insertInstallations(
    tx,
    added.map((a) => ({ asset_id: assetId, org_id: orgId, first_seen_at: now, ...a })),
  );
}
