import { z } from 'zod';
import { PayloadError } from './errors.js';
import type { AgentMessage, Inventory } from './inventory.js';
import {
  agentVersionString,
  cleanString,
  isVirtualInterface,
  normalizeBiosDate,
  normalizeInstallDate,
  normalizeMac,
  toBoolean,
  toNonNegativeInt,
  UNNAMED_FIREWALL,
} from './normalize.js';

/*
 * The GLPI agent's JSON protocol (https://github.com/glpi-project/inventory_format), also spoken by
 * parc-agent. Validation is lenient on purpose: unknown fields are ignored, and a field of the wrong type
 * is dropped (undefined) instead of failing the inventory; a list entry without its required field
 * (a software without a name) is dropped alone. Only a missing deviceid refuses the message.
 */

// A string field: strings and numbers (agents send `"version": 12`), trimmed; anything else → undefined.
const str = z
  .union([z.string(), z.number()])
  .transform((v) => cleanString(v))
  .optional()
  .catch(undefined);
// A required string: the entry is dropped when it is missing or empty.
const requiredStr = z
  .union([z.string(), z.number()])
  .transform((v) => cleanString(v))
  .pipe(z.string());
const int = z
  .union([z.number(), z.string()])
  .transform((v) => toNonNegativeInt(v))
  .optional()
  .catch(undefined);
const bool = z
  .union([z.boolean(), z.number(), z.string()])
  .transform((v) => toBoolean(v))
  .optional()
  .catch(undefined);

/** An object section; anything but an object → undefined. */
function section<T extends z.ZodType>(schema: T) {
  return schema.optional().catch(undefined);
}

/** A list section: each entry is validated alone and dropped when invalid; a lone object counts as one entry. */
function list<T extends z.ZodType>(item: T) {
  return z
    .union([z.array(z.unknown()), z.record(z.string(), z.unknown())])
    .optional()
    .catch(undefined)
    .transform((value): Array<z.output<T>> | undefined => {
      if (value === undefined) return undefined;
      const entries = Array.isArray(value) ? value : [value];
      const out: Array<z.output<T>> = [];
      for (const entry of entries) {
        const parsed = item.safeParse(entry);
        if (parsed.success) out.push(parsed.data);
      }
      return out;
    });
}

const hardwareSchema = z.object({
  name: str,
  uuid: str,
  workgroup: str,
  memory: int,
  chassis_type: str,
  vmsystem: str,
  lastloggeduser: str,
  defaultgateway: str,
  dns: str,
});

const biosSchema = z.object({
  ssn: str,
  smanufacturer: str,
  smodel: str,
  bversion: str,
  bdate: str,
  assettag: str,
  msn: str,
});

const osSchema = z.object({
  name: str,
  version: str,
  full_name: str,
  arch: str,
  kernel_name: str,
  kernel_version: str,
  fqdn: str,
});

const cpuSchema = z.object({ name: str, manufacturer: str, core: int, thread: int, speed: int });

const memorySchema = z.object({
  capacity: int,
  type: str,
  speed: int,
  serialnumber: str,
  caption: str,
  numslots: str,
});

const storageSchema = z.object({
  name: str,
  model: str,
  manufacturer: str,
  serial: str,
  serialnumber: str,
  disksize: int,
  type: str,
});

const networkSchema = z.object({
  description: str,
  mac: str,
  macaddr: str,
  ipaddress: str,
  ipaddress6: str,
  ipmask: str,
  virtualdev: bool,
  status: str,
  type: str,
});

const softwareSchema = z.object({
  name: requiredStr,
  version: str,
  publisher: str,
  arch: str,
  install_date: str,
  installdate: str,
});

const userSchema = z.object({ login: requiredStr, domain: str });

const antivirusSchema = z.object({ name: str, company: str, enabled: bool, uptodate: bool, version: str });

const firewallSchema = z.object({ description: str, profile: str, status: str });

/** parc-agent's own section: pending updates (apt, dnf, Windows Update). */
const updateSchema = z.object({ name: requiredStr, version: str, security: bool });

const accountInfoSchema = z.object({ keyname: str, keyvalue: str });

const contentSchema = z.object({
  hardware: section(hardwareSchema),
  bios: section(biosSchema),
  operatingsystem: section(osSchema),
  cpus: list(cpuSchema),
  memories: list(memorySchema),
  storages: list(storageSchema),
  networks: list(networkSchema),
  softwares: list(softwareSchema),
  // `users` are the users logged in; `local_users` (accounts defined on the machine) are not read.
  users: list(userSchema),
  antivirus: list(antivirusSchema),
  firewalls: list(firewallSchema),
  updates: list(updateSchema),
  accountinfo: list(accountInfoSchema),
  versionclient: str,
  tag: str,
});

const messageSchema = z.object({
  action: str,
  deviceid: str,
  partial: bool,
  itemtype: str,
  tag: str,
  // CONTACT
  name: str,
  version: str,
  'enabled-tasks': list(requiredStr),
});

/**
 * Parses a GLPI agent JSON message: `{"action":"contact",…}` or `{"action":"inventory",…,"content":{…}}`
 * (an absent action means inventory, as on a GLPI server). In a partial inventory, sections absent
 * from `content` stay undefined ("unchanged"); in a full one, an absent list section is an empty array.
 */
export function parseGlpiJson(json: string): AgentMessage {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new PayloadError('malformed_json', (err as Error).message, { cause: err, format: 'json' });
  }
  if (!isObject(raw)) throw new PayloadError('unknown_format', 'not a JSON object', { format: 'json' });
  const message = validated(messageSchema, raw);

  const action = message.action?.toLowerCase() ?? 'inventory';
  if (action !== 'contact' && action !== 'inventory') {
    throw new PayloadError('unsupported_query', action, { format: 'json' });
  }
  const deviceId = message.deviceid;
  if (!deviceId) throw new PayloadError('missing_device_id', undefined, { format: 'json' });

  if (action === 'contact') {
    return {
      kind: 'contact',
      deviceId,
      agentVersion: agentVersionString(message.name, message.version),
      tag: message.tag,
      enabledTasks: message['enabled-tasks']?.map((task) => task.toLowerCase()),
    };
  }

  const rawContent = raw.content;
  if (!isObject(rawContent)) {
    throw new PayloadError('malformed_json', 'inventory without a content object', { format: 'json' });
  }
  const partial = message.partial === true;
  return {
    kind: 'inventory',
    format: 'glpi-json',
    inventory: inventoryFrom(deviceId, message, rawContent, partial),
  };
}

/** The schemas drop what they cannot read, so this should never throw; if it does, the body is at fault. */
function validated<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new PayloadError('malformed_json', result.error.message, { format: 'json' });
  return result.data;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type Message = z.output<typeof messageSchema>;

function inventoryFrom(
  deviceId: string,
  message: Message,
  rawContent: Record<string, unknown>,
  partial: boolean,
): Inventory {
  const content = validated(contentSchema, rawContent);
  /**
   * A list section as Inventory wants it. Absent from a full inventory: the agent has none → [].
   * Absent from a partial one, or present but not a list: unknown → undefined (leave what is stored).
   */
  function listOf<T, U>(
    key: string,
    items: T[] | undefined,
    map: (item: T) => U | undefined,
  ): U[] | undefined {
    if (items === undefined) return !partial && !Object.hasOwn(rawContent, key) ? [] : undefined;
    const out: U[] = [];
    for (const item of items) {
      const mapped = map(item);
      if (mapped !== undefined) out.push(mapped);
    }
    return out;
  }

  const { hardware: hw, bios, operatingsystem: os } = content;
  return {
    deviceId,
    agentVersion: content.versionclient,
    tag:
      message.tag ??
      content.tag ??
      content.accountinfo?.find((i) => i.keyname?.toUpperCase() === 'TAG')?.keyvalue,
    partial,
    itemType: message.itemtype ?? 'Computer',
    hardware: hw && {
      name: hw.name,
      uuid: hw.uuid,
      domain: hw.workgroup,
      memoryMb: hw.memory,
      chassisType: hw.chassis_type,
      vmSystem: hw.vmsystem,
      lastLoggedUser: hw.lastloggeduser,
      defaultGateway: hw.defaultgateway,
      dns: hw.dns,
    },
    bios: bios && {
      serial: bios.ssn,
      manufacturer: bios.smanufacturer,
      model: bios.smodel,
      version: bios.bversion,
      date: normalizeBiosDate(bios.bdate),
      assetTag: bios.assettag,
      boardSerial: bios.msn,
    },
    os: os && {
      name: os.name,
      version: os.version,
      fullName: os.full_name,
      arch: os.arch,
      kernelName: os.kernel_name,
      kernelVersion: os.kernel_version,
      fqdn: os.fqdn,
    },
    cpus: listOf('cpus', content.cpus, (c) => ({
      name: c.name,
      manufacturer: c.manufacturer,
      cores: c.core,
      threads: c.thread,
      speedMhz: c.speed,
    })),
    memories: listOf('memories', content.memories, (m) => ({
      capacityMb: m.capacity,
      type: m.type,
      speedMhz: m.speed,
      serial: m.serialnumber,
      slot: m.caption ?? m.numslots,
    })),
    storages: listOf('storages', content.storages, (s) => ({
      name: s.name,
      model: s.model,
      manufacturer: s.manufacturer,
      serial: s.serial ?? s.serialnumber,
      sizeMb: s.disksize,
      type: s.type,
    })),
    networks: listOf('networks', content.networks, (n) => {
      const nic = {
        description: n.description,
        mac: normalizeMac(n.mac ?? n.macaddr),
        ipv4: n.ipaddress,
        ipv6: n.ipaddress6,
        mask: n.ipmask,
        status: n.status?.toLowerCase(),
        type: n.type?.toLowerCase(),
      };
      return { ...nic, virtual: isVirtualInterface({ ...nic, virtualdev: n.virtualdev }) };
    }),
    software: listOf('softwares', content.softwares, (s) => ({
      name: s.name,
      version: s.version,
      publisher: s.publisher,
      arch: s.arch,
      installDate: normalizeInstallDate(s.install_date ?? s.installdate),
    })),
    users: listOf('users', content.users, (u) => ({ login: u.login, domain: u.domain })),
    antivirus: listOf('antivirus', content.antivirus, (a) => {
      const name = a.name ?? a.company;
      return name ? { name, enabled: a.enabled, upToDate: a.uptodate, version: a.version } : undefined;
    }),
    firewalls: listOf('firewalls', content.firewalls, (f) => ({
      name: f.description ?? f.profile ?? UNNAMED_FIREWALL,
      status: f.status?.toLowerCase(),
    })),
    // Only parc-agent reports updates: an absent section means "not reported", even in a full inventory.
    updates: content.updates?.map((u) => ({ name: u.name, version: u.version, security: u.security })),
  };
}
