import type { THistoryEntry } from '../../../shared/schemas/assets.js';
import { foldText } from '../../../shared/text.js';
import type { Inventory } from './formats/inventory.js';

/**
 * What an inventory says about identity and change, without the database: which identifiers are
 * worth matching on, how a partial inventory merges, and the readable diff between two inventories.
 */

/** Serials BIOS vendors ship unset: they identify nothing. */
const JUNK_SERIALS = new Set(
  [
    'to be filled by o.e.m.',
    'to be filled by oem',
    'default string',
    'system serial number',
    'chassis serial number',
    'base board serial number',
    'not specified',
    'not applicable',
    'not available',
    'none',
    'n/a',
    'na',
    'null',
    'invalid',
    'unknown',
    'serial',
    '0',
    '00000000',
    '0000000000',
    '0123456789',
    '123456789',
    '1234567890',
    'xxxxxxxxxx',
    'oem',
  ].map((s) => s.replace(/\s+/g, ' ')),
);

/** UUIDs of unset or cloned firmware. */
const JUNK_UUIDS = new Set([
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '03000200-0400-0500-0006-000700080009',
  '00020003-0004-0005-0006-000700080009',
]);

/** MACs of software adapters that many machines share (RAS, VPN, loopback adapters). */
const JUNK_MACS = new Set([
  '00:00:00:00:00:00',
  'ff:ff:ff:ff:ff:ff',
  '20:41:53:59:4e:ff',
  '00:53:45:00:00:00',
  '50:50:54:50:30:30',
  '33:50:6f:45:30:30',
  '02:00:4c:4f:4f:50',
  '00:05:9a:3c:7a:00',
]);

export function usableSerial(serial: string | undefined): string | undefined {
  if (!serial) return undefined;
  const s = serial.trim();
  if (s.length < 3 || JUNK_SERIALS.has(s.toLowerCase().replace(/\s+/g, ' '))) return undefined;
  if (/^(.)\1+$/.test(s)) return undefined; // "00000", "XXXX", "....."
  return s;
}

export function usableUuid(uuid: string | undefined): string | undefined {
  if (!uuid) return undefined;
  const u = uuid.trim().toLowerCase();
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(u) && !JUNK_UUIDS.has(u)
    ? u
    : undefined;
}

/** Physical MACs only: no virtual interface, no shared software adapter, no docker bridge. */
export function usableMacs(inv: Pick<Inventory, 'networks'>): string[] {
  const macs = new Set<string>();
  for (const n of inv.networks ?? []) {
    const mac = n.mac?.toLowerCase();
    if (!mac || n.virtual || !/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(mac)) continue;
    if (JUNK_MACS.has(mac) || mac.startsWith('02:42:')) continue;
    macs.add(mac);
  }
  return [...macs].sort();
}

export type Identity = {
  hostname?: string | undefined;
  uuid?: string | undefined;
  serial?: string | undefined;
  model?: string | undefined;
  macs: string[];
};

export function identityOf(inv: Inventory): Identity {
  return {
    hostname: inv.hardware?.name ?? inv.os?.fqdn,
    uuid: usableUuid(inv.hardware?.uuid),
    serial: usableSerial(inv.bios?.serial),
    model: inv.bios?.model,
    macs: usableMacs(inv),
  };
}

const SECTIONS = [
  'hardware',
  'bios',
  'os',
  'cpus',
  'memories',
  'storages',
  'networks',
  'software',
  'users',
  'antivirus',
  'firewalls',
  'updates',
] as const;

/**
 * The device's inventory after this one: a full inventory replaces everything, a partial one only the
 * sections it carries (a section it leaves out is unchanged, not deleted).
 */
export function mergeInventory(previous: Inventory | undefined, next: Inventory): Inventory {
  if (!next.partial || !previous) return { ...next, partial: false };
  const merged: Inventory = { ...previous, deviceId: next.deviceId, partial: false };
  for (const section of SECTIONS) {
    if (next[section] !== undefined) Object.assign(merged, { [section]: next[section] });
  }
  if (next.agentVersion) merged.agentVersion = next.agentVersion;
  if (next.tag) merged.tag = next.tag;
  return merged;
}

/**
 * The canonical JSON of an inventory (keys sorted): equal text, nothing changed. It is also what the
 * device row stores, so the agent id and partial flag stay in (they are the same for one device).
 */
export function canonical(inv: Inventory): string {
  const { oldDeviceId: _o, ...rest } = inv;
  return JSON.stringify(sortKeys({ ...rest, partial: false }));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export type SoftwareItem = {
  publisher: string;
  name: string;
  version: string;
  arch: string;
  installedOn?: string;
};

/** Installed software, one entry per (publisher, name, version, arch), with the folded catalogue key. */
export function softwareOf(inv: Inventory): Array<SoftwareItem & { key: string }> {
  const seen = new Map<string, SoftwareItem & { key: string }>();
  for (const s of inv.software ?? []) {
    const name = s.name.trim();
    if (!name) continue;
    const publisher = (s.publisher ?? '').trim();
    const item = {
      publisher,
      name,
      version: (s.version ?? '').trim(),
      arch: (s.arch ?? '').trim(),
      key: softwareKey(publisher, name),
      ...(s.installDate && { installedOn: s.installDate }),
    };
    seen.set(`${item.key}\u0000${item.version}\u0000${item.arch}`, item);
  }
  return [...seen.values()];
}

export function softwareKey(publisher: string, name: string): string {
  return `${foldText(publisher.trim())}|${foldText(name.trim())}`;
}

type Change = THistoryEntry['changes'][number];

const label = (s: { name: string; version: string; arch?: string }) =>
  [s.name, s.version].filter(Boolean).join(' ');

/**
 * The readable diff of two inventories of one device, for the asset's history: memory, processor,
 * operating system, disks, network addresses, software, antivirus. Logged-in users and pending updates
 * change all the time and are not history.
 */
export function diffInventory(before: Inventory | undefined, after: Inventory): Change[] {
  const changes: Change[] = [];
  const push = (field: string, from: unknown, to: unknown) => {
    if ((from ?? null) !== (to ?? null)) changes.push({ field, from: from ?? null, to: to ?? null });
  };
  const b: Inventory | undefined = before;
  push('inventory.hostname', b?.hardware?.name, after.hardware?.name);
  push('inventory.memoryMb', b?.hardware?.memoryMb, after.hardware?.memoryMb);
  push('inventory.os', osLabel(b), osLabel(after));
  push('inventory.cpu', cpuLabel(b), cpuLabel(after));
  push('inventory.biosVersion', b?.bios?.version, after.bios?.version);
  keyedDiff(
    changes,
    'inventory.disk',
    b?.storages ?? [],
    after.storages ?? [],
    (d) => d.serial ?? d.name ?? '',
    // Sizes in decimal GB with the SI symbol, the same in French (Go) and English readers' eyes: "G".
    (d) => [d.name, d.model, d.sizeMb ? `${Math.round(d.sizeMb / 1000)} G` : ''].filter(Boolean).join(' '),
  );
  keyedDiff(
    changes,
    'inventory.network',
    (b?.networks ?? []).filter((n) => !n.virtual),
    after.networks?.filter((n) => !n.virtual) ?? [],
    (n) => `${n.mac ?? ''}|${n.description ?? ''}`,
    (n) => [n.description, n.ipv4, n.mac].filter(Boolean).join(' '),
  );
  keyedDiff(
    changes,
    'inventory.antivirus',
    b?.antivirus ?? [],
    after.antivirus ?? [],
    (a) => a.name,
    (a) => [a.name, a.version].filter(Boolean).join(' '),
  );
  // States as booleans, so each language words them.
  for (const a of after.antivirus ?? []) {
    const was = b?.antivirus?.find((x) => x.name === a.name);
    if (!was) continue;
    push(`inventory.antivirusEnabled`, was.enabled, a.enabled);
    push(`inventory.antivirusUpToDate`, was.upToDate, a.upToDate);
  }
  if (!before || after.software !== undefined) changes.push(...diffSoftware(before, after));
  return changes;
}

/** The operating system, processor, memory and disks in a few words, for lists of devices. */
export function summaryOf(inv: Inventory): {
  os: string | null;
  manufacturer: string | null;
  cpu: string | null;
  memoryMb: number | null;
  diskMb: number | null;
} {
  const disks = (inv.storages ?? []).reduce((mb, d) => mb + (d.sizeMb ?? 0), 0);
  return {
    os: osLabel(inv)?.slice(0, 200) ?? null,
    manufacturer: inv.bios?.manufacturer?.slice(0, 200) ?? null,
    cpu: cpuLabel(inv)?.slice(0, 200) ?? null,
    memoryMb: inv.hardware?.memoryMb ?? null,
    diskMb: disks > 0 ? disks : null,
  };
}

function osLabel(inv: Inventory | undefined): string | undefined {
  if (!inv?.os) return undefined;
  return inv.os.fullName ?? ([inv.os.name, inv.os.version].filter(Boolean).join(' ') || undefined);
}

function cpuLabel(inv: Inventory | undefined): string | undefined {
  const cpus = inv?.cpus;
  if (!cpus || cpus.length === 0) return undefined;
  const first = cpus[0]!;
  return `${cpus.length > 1 ? `${cpus.length} × ` : ''}${first.name ?? '?'}`;
}

/** Items matched by key: one change per item added, removed or whose description changed. */
function keyedDiff<T>(
  changes: Change[],
  field: string,
  before: T[],
  after: T[],
  key: (item: T) => string,
  describe: (item: T) => string,
): void {
  const old = new Map(before.map((i) => [key(i), describe(i)]));
  const now = new Map(after.map((i) => [key(i), describe(i)]));
  for (const [k, text] of now)
    if (old.get(k) !== text) changes.push({ field, from: old.get(k) ?? null, to: text });
  for (const [k, text] of old) if (!now.has(k)) changes.push({ field, from: text, to: null });
}

/** Software installed, removed or moved to another version (matched by publisher, name and arch). */
export function diffSoftware(before: Inventory | undefined, after: Inventory): Change[] {
  const byKey = (inv: Inventory | undefined) => {
    const m = new Map<string, SoftwareItem[]>();
    for (const s of inv ? softwareOf(inv) : []) {
      const k = `${s.key}|${s.arch}`;
      m.set(k, [...(m.get(k) ?? []), s]);
    }
    return m;
  };
  const old = byKey(before);
  const now = byKey(after);
  const changes: Change[] = [];
  for (const [k, items] of now) {
    const was = old.get(k);
    const from = was?.map(label).sort().join(', ');
    const to = items.map(label).sort().join(', ');
    if (from !== to) changes.push({ field: 'inventory.software', from: from ?? null, to });
  }
  for (const [k, items] of old) {
    if (!now.has(k))
      changes.push({ field: 'inventory.software', from: items.map(label).sort().join(', '), to: null });
  }
  return changes;
}
