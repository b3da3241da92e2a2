import { PayloadError } from './errors.js';
import type { AgentMessage, Inventory } from './inventory.js';
import {
  cleanString,
  isVirtualInterface,
  normalizeBiosDate,
  normalizeInstallDate,
  normalizeMac,
  toBoolean,
  toNonNegativeInt,
  UNNAMED_FIREWALL,
} from './normalize.js';
import { parseXmlTree, type XmlNode, XmlSyntaxError } from './xml-tree.js';

function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field(node: XmlNode | undefined, key: string): unknown {
  return node !== undefined && Object.hasOwn(node, key) ? node[key] : undefined;
}

/** A child element's text; a repeated leaf gives its first value. */
function text(node: XmlNode | undefined, key: string): string | undefined {
  const value = field(node, key);
  return cleanString(Array.isArray(value) ? value[0] : value);
}

/** A child element as a single node (the first one when repeated). */
function child(node: XmlNode | undefined, key: string): XmlNode | undefined {
  const value = field(node, key);
  const first = Array.isArray(value) ? value[0] : value;
  return isNode(first) ? first : undefined;
}

/** Repeated elements: the parser gives an object for one and an array for several; always an array. */
function children(node: XmlNode | undefined, key: string): XmlNode[] {
  const value = field(node, key);
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter(isNode);
}

/**
 * Parses an OCS Inventory / FusionInventory agent request: `<REQUEST><QUERY>PROLOG</QUERY>…` or
 * `<QUERY>INVENTORY</QUERY>` with its `<CONTENT>`. An OCS inventory is always complete: list sections
 * the XML does not carry are empty arrays (agents omit a section that has no entries).
 */
export function parseOcsXml(xml: string): AgentMessage {
  let doc: unknown;
  try {
    doc = parseXmlTree(xml);
  } catch (err) {
    if (!(err instanceof XmlSyntaxError)) throw err;
    throw new PayloadError('malformed_xml', err.message, { cause: err, format: 'xml' });
  }
  const request = isNode(doc) ? child(doc, 'REQUEST') : undefined;
  if (!request) throw new PayloadError('unknown_format', 'no <REQUEST> element', { format: 'xml' });

  const content = child(request, 'CONTENT');
  // Like GLPI, a request without QUERY but with a CONTENT is an inventory.
  const query = text(request, 'QUERY')?.toUpperCase() ?? (content ? 'INVENTORY' : undefined);
  if (query !== 'PROLOG' && query !== 'INVENTORY') {
    throw new PayloadError('unsupported_query', query ?? 'no QUERY', { format: 'xml' });
  }
  const deviceId = text(request, 'DEVICEID');
  if (!deviceId) throw new PayloadError('missing_device_id', undefined, { format: 'xml' });

  if (query === 'PROLOG') return { kind: 'prolog', deviceId, token: text(request, 'TOKEN') };
  return {
    kind: 'inventory',
    format: 'ocs-xml',
    inventory: inventoryFrom(deviceId, request, content),
  };
}

function inventoryFrom(deviceId: string, request: XmlNode, content: XmlNode | undefined): Inventory {
  const hardware = child(content, 'HARDWARE');
  const bios = child(content, 'BIOS');
  return {
    deviceId,
    oldDeviceId: text(request, 'OLD_DEVICEID') ?? text(content, 'OLD_DEVICEID'),
    agentVersion: text(content, 'VERSIONCLIENT') ?? text(request, 'VERSIONCLIENT'),
    tag: tagFrom(content),
    partial: false,
    itemType: 'Computer',
    hardware: hardware && {
      name: text(hardware, 'NAME'),
      uuid: text(hardware, 'UUID'),
      domain: text(hardware, 'WORKGROUP'),
      memoryMb: toNonNegativeInt(text(hardware, 'MEMORY')),
      // FusionInventory carries the chassis in BIOS/TYPE; GLPI's converter moves it to the hardware.
      chassisType: text(hardware, 'CHASSIS_TYPE') ?? text(bios, 'TYPE'),
      vmSystem: text(hardware, 'VMSYSTEM'),
      lastLoggedUser: text(hardware, 'LASTLOGGEDUSER'),
      defaultGateway: text(hardware, 'DEFAULTGATEWAY'),
      dns: text(hardware, 'DNS'),
    },
    bios: bios && {
      serial: text(bios, 'SSN'),
      manufacturer: text(bios, 'SMANUFACTURER'),
      model: text(bios, 'SMODEL'),
      version: text(bios, 'BVERSION'),
      date: normalizeBiosDate(text(bios, 'BDATE')),
      assetTag: text(bios, 'ASSETTAG'),
      boardSerial: text(bios, 'MSN'),
    },
    os: osFrom(child(content, 'OPERATINGSYSTEM'), hardware),
    cpus: cpusFrom(content, hardware),
    memories: children(content, 'MEMORIES').map((m) => ({
      capacityMb: toNonNegativeInt(text(m, 'CAPACITY')),
      type: text(m, 'TYPE'),
      speedMhz: toNonNegativeInt(text(m, 'SPEED')),
      serial: text(m, 'SERIALNUMBER'),
      slot: text(m, 'CAPTION') ?? text(m, 'NUMSLOTS'),
    })),
    storages: children(content, 'STORAGES').map((s) => ({
      name: text(s, 'NAME'),
      model: text(s, 'MODEL'),
      manufacturer: text(s, 'MANUFACTURER'),
      serial: text(s, 'SERIALNUMBER') ?? text(s, 'SERIAL'),
      sizeMb: toNonNegativeInt(text(s, 'DISKSIZE')),
      type: text(s, 'TYPE'),
    })),
    networks: children(content, 'NETWORKS').map((n) => {
      const nic = {
        description: text(n, 'DESCRIPTION'),
        mac: normalizeMac(text(n, 'MACADDR') ?? text(n, 'MAC')),
        ipv4: text(n, 'IPADDRESS'),
        ipv6: text(n, 'IPADDRESS6'),
        mask: text(n, 'IPMASK'),
        status: text(n, 'STATUS')?.toLowerCase(),
        type: text(n, 'TYPE')?.toLowerCase(),
      };
      return {
        ...nic,
        virtual: isVirtualInterface({ ...nic, virtualdev: toBoolean(text(n, 'VIRTUALDEV')) }),
      };
    }),
    software: children(content, 'SOFTWARES').flatMap((s) => {
      const name = text(s, 'NAME');
      if (!name) return [];
      return [
        {
          name,
          version: text(s, 'VERSION'),
          publisher: text(s, 'PUBLISHER'),
          arch: text(s, 'ARCH'),
          installDate: normalizeInstallDate(text(s, 'INSTALLDATE') ?? text(s, 'INSTALL_DATE')),
        },
      ];
    }),
    users: children(content, 'USERS').flatMap((u) => {
      const login = text(u, 'LOGIN');
      return login ? [{ login, domain: text(u, 'DOMAIN') }] : [];
    }),
    antivirus: children(content, 'ANTIVIRUS').flatMap((a) => {
      const name = text(a, 'NAME') ?? text(a, 'COMPANY');
      if (!name) return [];
      return [
        {
          name,
          enabled: toBoolean(text(a, 'ENABLED')),
          upToDate: toBoolean(text(a, 'UPTODATE')),
          version: text(a, 'VERSION'),
        },
      ];
    }),
    // OCS/FusionInventory write FIREWALL; a converted inventory may say FIREWALLS.
    firewalls: [...children(content, 'FIREWALL'), ...children(content, 'FIREWALLS')].map((f) => ({
      name: text(f, 'DESCRIPTION') ?? text(f, 'PROFILE') ?? UNNAMED_FIREWALL,
      status: text(f, 'STATUS')?.toLowerCase(),
    })),
  };
}

/** ACCOUNTINFO entries are KEYNAME/KEYVALUE pairs; the one named TAG is the agent's tag. */
function tagFrom(content: XmlNode | undefined): string | undefined {
  for (const info of children(content, 'ACCOUNTINFO')) {
    if (text(info, 'KEYNAME')?.toUpperCase() === 'TAG') return text(info, 'KEYVALUE');
  }
  return undefined;
}

function osFrom(os: XmlNode | undefined, hardware: XmlNode | undefined): Inventory['os'] {
  if (os) {
    return {
      name: text(os, 'NAME'),
      version: text(os, 'VERSION'),
      fullName: text(os, 'FULL_NAME') ?? text(hardware, 'OSNAME'),
      arch: text(os, 'ARCH') ?? text(hardware, 'ARCH'),
      kernelName: text(os, 'KERNEL_NAME'),
      kernelVersion: text(os, 'KERNEL_VERSION'),
      fqdn: text(os, 'FQDN'),
    };
  }
  // Old OCS agents only fill HARDWARE: OSNAME is the full name; OSVERSION is the OS version on Windows
  // ("10.0.19045") but the kernel release on Unix ("6.1.0-18-amd64").
  const fullName = text(hardware, 'OSNAME');
  if (!fullName) return undefined;
  const osVersion = text(hardware, 'OSVERSION');
  const windows = /windows/i.test(fullName);
  return {
    name: fullName,
    fullName,
    version: windows ? osVersion : undefined,
    kernelVersion: windows ? undefined : osVersion,
    arch: text(hardware, 'ARCH'),
  };
}

/** Agents without a CPUS section (old OCS) describe processors in HARDWARE: PROCESSORT, -S (MHz), -N. */
function cpusFrom(
  content: XmlNode | undefined,
  hardware: XmlNode | undefined,
): NonNullable<Inventory['cpus']> {
  const cpus = children(content, 'CPUS');
  if (cpus.length > 0) {
    return cpus.map((c) => ({
      name: text(c, 'NAME'),
      manufacturer: text(c, 'MANUFACTURER'),
      cores: toNonNegativeInt(text(c, 'CORE')),
      threads: toNonNegativeInt(text(c, 'THREAD')),
      speedMhz: toNonNegativeInt(text(c, 'SPEED')),
    }));
  }
  const name = text(hardware, 'PROCESSORT');
  if (!name) return [];
  const count = Math.min(Math.max(toNonNegativeInt(text(hardware, 'PROCESSORN')) ?? 1, 1), 256);
  const speedMhz = toNonNegativeInt(text(hardware, 'PROCESSORS'));
  return Array.from({ length: count }, () => ({ name, speedMhz }));
}
