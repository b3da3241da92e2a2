import { uuidv7 } from 'uuidv7';
import { type Ctx, inTransaction, systemPrincipal } from '../../context.js';
import { sha256 } from '../../crypto.js';
import { AppError, isUniqueViolation } from '../../http/errors.js';
import { createAsset, findAssetByIdentifier, getAsset, updateAsset, writeHistory } from '../assets/index.js';
import { resolveEnrolment } from './enrolment.service.js';
import { onlyOrganisation, orgByRules } from './filing-rules.js';
import type { Compression } from './formats/decode.js';
import { PayloadError } from './formats/errors.js';
import type { AgentMessage, Inventory } from './formats/inventory.js';
import {
  type CatalogueCache,
  catalogueCacheOf,
  type Learned,
  mergeSoftwareIndex,
  rememberCatalogue,
  syncInstallations,
} from './installations.service.js';
import * as repo from './inventory.repo.js';
import type { InventoryDeviceTable } from './inventory.tables.js';
import { digestInWorker, prepareInWorker } from './parse-pool.js';
import type { Canonical } from './prepare.js';
import { canonical, diffInventory, identityOf, mergeInventory, summaryOf } from './reconcile.js';
import { packInventory, unpackInventory } from './stored-inventory.js';

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
    // Decompressing, digesting and parsing happen in worker threads (parse-pool.ts).
    const inflated = await digestInWorker(body, source.maxBytes, ctx.log);
    // The same body as this device's last inventory: only its last contact changes.
    const bodyHash = inflated.digest;
    const same = await repo.findDeviceByBody(sys, bodyHash);
    if (same && same.status === 'active' && (!token || token.orgId === same.org_id)) {
      await repo.updateDevice(sys, same.id, { last_contact_at: sys.now.toISOString(), last_ip: source.ip });
      return {
        kind: 'inventory',
        deviceId: same.device_id,
        format: inflated.format === 'xml' ? 'ocs-xml' : 'glpi-json',
        compression: inflated.compression,
        outcome: 'unchanged',
        assetId: null,
      };
    }
    const { message, canonical: prepared } = await prepareInWorker(
      body,
      source.maxBytes,
      inflated.ticket,
      ctx.log,
    );
    deviceId = message.kind === 'inventory' ? message.inventory.deviceId : message.deviceId;
    const { compression } = inflated;
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
      canonical: prepared,
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
  /** A full inventory's canonical JSON, digest and software, when already computed (`prepareBody`). */
  canonical?: Canonical | undefined;
};

/** Files one inventory: the device's organisation, then its asset, history and software. */
export async function ingestInventory(
  ctx: Ctx,
  inv: Inventory,
  input: InventoryInput,
): Promise<{ outcome: IngestOutcome; assetId: string | null }> {
  const sys = agentCtx(ctx);
  // Two requests of one new device at once: the loser of the insert race retries and finds the row.
  // Inside a caller's transaction nothing is committed here: no cache, and no merge afterwards.
  const outerTransaction = ctx.db.isTransaction;
  const cache = catalogueCacheOf(ctx.db);
  for (let attempt = 0; ; attempt++) {
    try {
      const { indexDue, learned, ...result } = await inTransaction(sys, (tx) =>
        fileInventory(tx, inv, { ...input, cache }),
      );
      rememberCatalogue(cache, learned);
      // Committed: write the queued installations into the version index, once per batch. The
      // inventory is filed either way; a merge that fails is retried by the next one or a reader.
      if (indexDue && !outerTransaction) {
        await mergeSoftwareIndex(sys).catch((err: unknown) =>
          ctx.log.warn({ err }, 'software index merge failed; it will be retried'),
        );
      }
      return result;
    } catch (err) {
      if (attempt < 2 && isUniqueViolation(err)) continue;
      throw err;
    }
  }
}

async function fileInventory(
  tx: Ctx,
  inv: Inventory,
  input: InventoryInput & { cache: CatalogueCache | undefined },
): Promise<{
  outcome: IngestOutcome;
  assetId: string | null;
  indexDue?: boolean;
  learned?: Learned;
}> {
  await repo.lockDevice(tx, inv.deviceId);
  const now = tx.now.toISOString();
  const identity = identityOf(inv);
  // The device by its agent id, else by its hardware (a re-installed agent, a renamed machine).
  let device = await repo.findDeviceOfInventory(tx, {
    deviceId: inv.deviceId,
    oldDeviceId: inv.oldDeviceId,
    uuid: identity.uuid,
    serial: identity.serial,
    macs: identity.macs,
  });
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
  // UUID, serial and MACs found nothing above: what is left to try is hostname and model.
  if (!device && identity.hostname && identity.model) {
    device = await repo.findDeviceByHostname(tx, orgId, identity.hostname, identity.model);
  }
  const previous = unpackInventory(device?.inventory_z);
  const merged = mergeInventory(previous, inv);
  // A full inventory's stored form does not depend on the previous one: computed in the parser's worker.
  const prepared = inv.partial ? undefined : input.canonical;
  const stored = prepared?.stored ?? canonical(merged);
  const contentHash = prepared?.contentHash ?? sha256(stored);
  const packed = () => prepared?.packed ?? packInventory(stored);
  const summary = summaryOf(merged);
  const base = {
    device_id: inv.deviceId,
    os: summary.os,
    manufacturer: summary.manufacturer,
    cpu: summary.cpu,
    memory_mb: summary.memoryMb,
    disk_mb: summary.diskMb,
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
      packed(),
    );
    await repo.replaceMacs(tx, row.id, identity.macs, !device);
    return { outcome: 'pending', assetId: null };
  }
  const { assetId, created } = await reconcileAsset(tx, orgId, device, previous, merged);
  const row = await saveDevice(
    tx,
    device,
    { ...base, org_id: orgId, asset_id: assetId, status: 'active' },
    packed(),
  );
  await repo.replaceMacs(tx, row.id, identity.macs, !device);
  const synced =
    merged.software !== undefined && (inv.software !== undefined || !previous)
      ? await syncInstallations(tx, {
          orgId,
          assetId,
          inventory: merged,
          software: prepared?.software,
          newAsset: created,
          cache: input.cache,
        })
      : undefined;
  return { outcome: created ? 'created' : 'updated', assetId, ...synced };
}

async function saveDevice(
  tx: Ctx,
  device: InventoryDeviceTable | undefined,
  set: Omit<InventoryDeviceTable, 'id' | 'first_seen_at' | 'inventory_z' | 'version'>,
  /** The merged inventory, packed (`packInventory`). */
  packed: Buffer,
): Promise<{ id: string }> {
  if (device) {
    await repo.updateDevice(tx, device.id, { ...set, inventory_z: packed, version: device.version + 1 });
    return device;
  }
  const row: InventoryDeviceTable = {
    id: uuidv7(),
    ...set,
    first_seen_at: set.last_contact_at,
    inventory_z: packed,
    version: 1,
  };
  await repo.insertDevice(tx, row);
  return row;
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
