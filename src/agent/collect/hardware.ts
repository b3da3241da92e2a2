import dns from 'node:dns';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findCommand, run } from '../exec.js';
import type {
  GlpiBios,
  GlpiCpu,
  GlpiHardware,
  GlpiMemory,
  GlpiNetwork,
  GlpiOperatingSystem,
  GlpiStorage,
  GlpiUser,
} from '../glpi.js';
import { shortHostname } from '../state.js';
import { bytesToMB, bytesToMiB, clean, localDateTime, positive, utcOffset } from '../util.js';
import { type CollectContext, optional } from './sources.js';

/** systeminformation's model for a container, and its virtual host, to GLPI's `vmsystem`. */
function vmSystem(system: { model: string; virtual: boolean; virtualHost?: string }): string {
  if (/docker/i.test(system.model)) return 'Docker';
  if (/\blxc\b/i.test(system.model)) return 'lxc';
  if (!system.virtual) return 'Physical';
  return clean(system.virtualHost) ?? 'Virtual';
}

function domainOf(fqdn: string | undefined): string | undefined {
  if (!fqdn) return undefined;
  const dot = fqdn.indexOf('.');
  return dot > 0 ? clean(fqdn.slice(dot + 1)) : undefined;
}

export async function collectHardware(ctx: CollectContext): Promise<GlpiHardware> {
  const { sources } = ctx;
  const [mem, system, chassis, users, gateway, osInfo] = await Promise.all([
    sources.mem(),
    optional(sources.system()),
    optional(sources.chassis()),
    optional(sources.users()),
    optional(sources.gateway()),
    optional(sources.osInfo()),
  ]);
  let resolvers: string[] = [];
  try {
    resolvers = dns.getServers();
  } catch {
    // no resolver configuration
  }
  const workgroup =
    ctx.platform === 'win32' ? clean(process.env.USERDOMAIN) : domainOf(clean(osInfo?.fqdn) ?? os.hostname());
  return {
    name: shortHostname(osInfo?.hostname || os.hostname()),
    uuid: clean(system?.uuid),
    memory: bytesToMiB(mem.total),
    swap: bytesToMiB(mem.swaptotal) ?? 0,
    vmsystem: system ? vmSystem(system) : undefined,
    chassis_type: clean(chassis?.type),
    lastloggeduser: users?.map((u) => splitLogin(u.user).login).find(Boolean),
    defaultgateway: clean(gateway),
    dns: resolvers.length > 0 ? resolvers.join('/') : undefined,
    workgroup,
  };
}

export async function collectBios(ctx: CollectContext): Promise<GlpiBios> {
  const [system, bios, board] = await Promise.all([
    ctx.sources.system(),
    optional(ctx.sources.bios()),
    optional(ctx.sources.baseboard()),
  ]);
  return {
    ssn: clean(system.serial),
    smanufacturer: clean(system.manufacturer),
    smodel: clean(system.model),
    skunumber: clean(system.sku),
    bmanufacturer: clean(bios?.vendor),
    bversion: clean(bios?.version),
    bdate: clean(bios?.releaseDate),
    biosserial: clean(bios?.serial),
    msn: clean(board?.serial),
    mmanufacturer: clean(board?.manufacturer),
    mmodel: clean(board?.model),
    assettag: clean(board?.assetTag),
  };
}

/** Node's architecture names to the ones the GLPI agent reports. */
export function glpiArch(arch: string): string {
  switch (arch) {
    case 'x64':
      return 'x86_64';
    case 'arm64':
      return 'aarch64';
    case 'ia32':
      return 'i386';
    default:
      return arch;
  }
}

async function readOsRelease(): Promise<Record<string, string>> {
  for (const file of ['/etc/os-release', '/usr/lib/os-release']) {
    try {
      const text = await fs.readFile(file, 'utf8');
      const fields: Record<string, string> = {};
      for (const line of text.split('\n')) {
        const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
        if (match?.[1] && match[2] !== undefined) fields[match[1]] = match[2].replace(/^(["'])(.*)\1$/, '$2');
      }
      return fields;
    } catch {
      // try the next one
    }
  }
  return {};
}

/** Debian's point release ("12.11"), which /etc/os-release does not carry. */
async function debianPointRelease(): Promise<string | undefined> {
  try {
    const text = (await fs.readFile('/etc/debian_version', 'utf8')).trim();
    return /^\d+(\.\d+)*$/.test(text) ? text : undefined;
  } catch {
    return undefined;
  }
}

export async function collectOperatingSystem(ctx: CollectContext): Promise<GlpiOperatingSystem> {
  const info = await ctx.sources.osInfo();
  const now = new Date();
  const fqdn = clean(info.fqdn) ?? os.hostname();
  const common: GlpiOperatingSystem = {
    arch: glpiArch(clean(info.arch) ?? os.arch()),
    fqdn,
    dns_domain: domainOf(fqdn),
    boot_time: localDateTime(new Date(now.getTime() - os.uptime() * 1000)),
    timezone: { name: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC', offset: utcOffset(now) },
  };
  const distro = clean(info.distro);
  const release = clean(info.release);
  const codename = clean(info.codename);
  switch (ctx.platform) {
    case 'linux': {
      const osRelease = await readOsRelease();
      const debian = /debian/i.test(distro ?? '') ? await debianPointRelease() : undefined;
      return {
        name: distro ?? clean(osRelease.NAME) ?? 'Linux',
        version: debian ?? release ?? clean(osRelease.VERSION_ID),
        full_name:
          clean(osRelease.PRETTY_NAME) ??
          [distro, release, codename ? `(${codename})` : undefined].filter(Boolean).join(' '),
        kernel_name: 'linux',
        kernel_version: clean(info.kernel) ?? os.release(),
        ...common,
      };
    }
    case 'win32':
      return {
        name: distro ?? 'Windows',
        version: release,
        full_name: distro,
        kernel_name: 'MSWin32',
        kernel_version: release ?? os.release(),
        service_pack: clean(info.servicepack),
        ...common,
      };
    case 'darwin':
      return {
        name: distro ?? 'macOS',
        version: release,
        full_name: [distro ?? 'macOS', release, codename].filter(Boolean).join(' '),
        kernel_name: 'darwin',
        kernel_version: clean(info.kernel) ?? os.release(),
        ...common,
      };
    default:
      return {
        name: distro ?? ctx.platform,
        version: release,
        full_name: [distro, release].filter(Boolean).join(' ') || undefined,
        kernel_name: ctx.platform,
        kernel_version: clean(info.kernel) ?? os.release(),
        ...common,
      };
  }
}

/** One entry per processor package, as the GLPI agent does; `thread` is threads per core. */
export async function collectCpus(ctx: CollectContext): Promise<GlpiCpu[]> {
  const cpu = await ctx.sources.cpu();
  const sockets = Math.max(1, Math.round(positive(cpu.processors) ?? 1));
  const logical = positive(cpu.cores) ?? os.cpus().length;
  const physical = positive(cpu.physicalCores) ?? logical;
  const manufacturer = clean(cpu.manufacturer);
  const brand = clean(cpu.brand);
  const name =
    manufacturer && brand && !brand.toLowerCase().startsWith(manufacturer.toLowerCase())
      ? `${manufacturer} ${brand}`
      : (brand ?? manufacturer ?? clean(os.cpus()[0]?.model));
  const ghz = positive(cpu.speed) ?? positive(cpu.speedMax);
  const mhz = ghz ? Math.round(ghz * 1000) : positive(os.cpus()[0]?.speed);
  const stepping = Number.parseInt(cpu.stepping, 10);
  const entry: GlpiCpu = {
    name,
    manufacturer,
    core: Math.max(1, Math.round(physical / sockets)),
    thread: Math.max(1, Math.round(logical / physical)),
    speed: mhz,
    familynumber: clean(cpu.family),
    model: clean(cpu.model),
    stepping: Number.isFinite(stepping) ? stepping : undefined,
  };
  return Array.from({ length: sockets }, () => ({ ...entry }));
}

export async function collectMemories(ctx: CollectContext): Promise<GlpiMemory[] | undefined> {
  const modules = (await ctx.sources.memLayout()).filter((m) => positive(m.size));
  // Without dmidecode (not root, containers) systeminformation invents one module of the total size
  // and nothing else: the modules are then unknown, which is not "none".
  const real = modules.filter(
    (m) => clean(m.bank) || clean(m.type) || clean(m.serialNum) || clean(m.partNum),
  );
  if (real.length === 0) return modules.length === 0 ? [] : undefined;
  return real.map((m, i) => {
    const speed = positive(m.clockSpeed);
    return {
      capacity: bytesToMiB(m.size),
      caption: clean(m.bank) ?? `Slot ${i}`,
      description: clean(m.formFactor),
      type: clean(m.type),
      speed: speed ? String(Math.round(speed)) : undefined,
      serialnumber: clean(m.serialNum),
      manufacturer: clean(m.manufacturer),
      model: clean(m.partNum),
      numslots: i + 1,
    };
  });
}

type LsblkDevice = {
  name?: string | null;
  type?: string | null;
  size?: number | string | null;
  model?: string | null;
  serial?: string | null;
  vendor?: string | null;
  rota?: boolean | string | null;
  tran?: string | null;
  rev?: string | null;
};

/** systeminformation skips whole-disk file systems and virtio disks without a model; lsblk does not. */
async function lsblkDisks(timeoutMs: number): Promise<GlpiStorage[]> {
  const lsblk = findCommand('lsblk');
  if (!lsblk) return [];
  const result = await run(
    lsblk,
    ['-J', '-b', '-d', '-o', 'NAME,TYPE,SIZE,MODEL,SERIAL,VENDOR,ROTA,TRAN,REV'],
    { timeoutMs },
  );
  if (result.code !== 0) return [];
  const parsed = JSON.parse(result.stdout) as { blockdevices?: LsblkDevice[] };
  const disks = (parsed.blockdevices ?? []).filter(
    (d) => d.type === 'disk' && d.name && !/^(loop|ram|zram)/.test(d.name) && positive(d.size),
  );
  return Promise.all(
    disks.map(async (d) => {
      const name = d.name ?? '';
      let serial = clean(d.serial);
      if (!serial) {
        serial = clean(await fs.readFile(path.join('/sys/block', name, 'serial'), 'utf8').catch(() => ''));
      }
      const rotational = d.rota === true || d.rota === '1';
      return {
        name,
        model: clean(d.model),
        manufacturer: clean(d.vendor),
        serial,
        disksize: bytesToMB(d.size),
        type: name.startsWith('nvme') ? 'NVMe' : rotational ? 'HD' : 'SSD',
        interface: clean(d.tran)?.toUpperCase(),
        firmware: clean(d.rev),
      };
    }),
  );
}

export async function collectStorages(ctx: CollectContext): Promise<GlpiStorage[]> {
  const disks = await ctx.sources.diskLayout();
  const storages: GlpiStorage[] = disks.map((d) => ({
    name: clean(path.basename(d.device || '')) ?? clean(d.name),
    model: clean(d.name),
    manufacturer: clean(d.vendor),
    serial: clean(d.serialNum),
    disksize: bytesToMB(d.size),
    type: clean(d.type),
    interface: clean(d.interfaceType),
    firmware: clean(d.firmwareRevision),
  }));
  if (storages.length === 0 && ctx.platform === 'linux') return lsblkDisks(ctx.timeoutMs);
  return storages;
}

async function isLinuxVirtualInterface(iface: string): Promise<boolean> {
  try {
    return (await fs.realpath(path.join('/sys/class/net', iface))).includes('/devices/virtual/');
  } catch {
    return false;
  }
}

function ipv4Subnet(address: string, mask: string): string | undefined {
  const a = address.split('.').map(Number);
  const m = mask.split('.').map(Number);
  if (a.length !== 4 || m.length !== 4) return undefined;
  return a.map((part, i) => part & (m[i] ?? 0)).join('.');
}

export async function collectNetworks(ctx: CollectContext): Promise<GlpiNetwork[]> {
  const [interfaces, gateway] = await Promise.all([
    ctx.sources.networkInterfaces(),
    optional(ctx.sources.gateway()),
  ]);
  const addresses = os.networkInterfaces();
  const entries: GlpiNetwork[] = [];
  for (const nic of interfaces) {
    const own = addresses[nic.iface] ?? [];
    const hasAddress = own.length > 0 || Boolean(clean(nic.ip4) || clean(nic.ip6));
    const virtual =
      nic.internal || nic.virtual || (ctx.platform === 'linux' && (await isLinuxVirtualInterface(nic.iface)));
    const state = (nic.operstate || '').toLowerCase();
    const up = state === 'up' || (state === 'unknown' && (nic.internal || hasAddress));
    let bridge = false;
    if (ctx.platform === 'linux') {
      bridge = await fs
        .access(path.join('/sys/class/net', nic.iface, 'bridge'))
        .then(() => true)
        .catch(() => false);
    }
    const mac = clean(nic.mac)?.toLowerCase();
    const speed = positive(nic.speed);
    const base: GlpiNetwork = {
      description: (ctx.platform === 'win32' ? clean(nic.ifaceName) : undefined) ?? nic.iface,
      mac,
      virtualdev: virtual,
      status: up ? 'up' : 'down',
      type: nic.internal
        ? 'loopback'
        : bridge
          ? 'bridge'
          : nic.type === 'wireless'
            ? 'wifi'
            : nic.type === 'wired'
              ? 'ethernet'
              : undefined,
      speed: speed ? String(Math.round(speed)) : undefined,
      mtu: positive(nic.mtu),
    };
    type Address = { address: string; netmask: string };
    const v4: Address[] = own.filter((a) => a.family === 'IPv4');
    const v6: Address[] = own.filter((a) => a.family === 'IPv6');
    if (v4.length === 0 && v6.length === 0) {
      // Node sees no address (Windows names differ, or none): fall back on systeminformation's.
      if (clean(nic.ip4)) v4.push({ address: nic.ip4, netmask: nic.ip4subnet });
      if (clean(nic.ip6)) v6.push({ address: nic.ip6, netmask: nic.ip6subnet });
    }
    for (const a of v4) {
      entries.push({
        ...base,
        ipaddress: a.address,
        ipmask: clean(a.netmask),
        ipsubnet: a.netmask ? ipv4Subnet(a.address, a.netmask) : undefined,
        ipgateway: nic.default ? clean(gateway) : undefined,
      });
    }
    for (const a of v6) entries.push({ ...base, ipaddress6: a.address, ipmask6: clean(a.netmask) });
    if (v4.length === 0 && v6.length === 0) entries.push(base);
  }
  return entries;
}

/** "DOMAIN\\user" (Windows) or "user@domain" to login and domain. */
export function splitLogin(user: string): GlpiUser {
  const text = user.trim();
  const backslash = text.indexOf('\\');
  if (backslash > 0) return { login: text.slice(backslash + 1), domain: text.slice(0, backslash) };
  const at = text.lastIndexOf('@');
  if (at > 0) return { login: text.slice(0, at), domain: text.slice(at + 1) };
  return { login: text };
}

/** The users logged in now, once each. */
export async function collectUsers(ctx: CollectContext): Promise<GlpiUser[]> {
  const sessions = await ctx.sources.users();
  const seen = new Set<string>();
  const users: GlpiUser[] = [];
  for (const session of sessions) {
    const user = splitLogin(session.user ?? '');
    const key = `${user.domain ?? ''}\\${user.login}`.toLowerCase();
    if (!user.login || seen.has(key)) continue;
    seen.add(key);
    users.push(user);
  }
  return users;
}
