/**
 * Value clean-up shared by the OCS XML and GLPI JSON parsers, so that both fill `Inventory` the same way.
 * Every function takes `unknown` and returns undefined rather than throwing: one odd value never costs
 * the whole inventory.
 */

// C0 controls other than tab, line feed and carriage return, and DEL: agents copy them from registry
// values and DMI tables, PostgreSQL refuses U+0000 in text, and none of them means anything here.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
// A lone UTF-16 surrogate (JSON allows "\ud800") cannot be stored as UTF-8.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A trimmed string, or undefined when empty. Numbers become strings (a JSON `"version": 12`). */
export function cleanString(value: unknown): string | undefined {
  let s: string;
  if (typeof value === 'string') s = value;
  else if (typeof value === 'number' && Number.isFinite(value)) s = String(value);
  else return undefined;
  s = s.replace(CONTROL_CHARS, '').replace(LONE_SURROGATE, '\uFFFD').trim();
  return s === '' ? undefined : s;
}

/**
 * A non-negative integer from a number or from the number a string starts with ("1600 MT/s", "2400 MHz",
 * "8192"). Negative values are the agents' "unknown" (FusionInventory reports SPEED -1): undefined.
 */
export function toNonNegativeInt(value: unknown): number | undefined {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string') {
    const m = /^\s*\+?(\d+(?:\.\d+)?)/.exec(value);
    if (!m) return undefined;
    n = Number(m[1]);
  } else return undefined;
  if (!Number.isFinite(n) || n < 0 || n > Number.MAX_SAFE_INTEGER) return undefined;
  return Math.round(n);
}

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on', 'enabled']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off', 'disabled']);

/** true/false from JSON booleans, 1/0 (OCS XML) and the usual words; anything else is undefined. */
export function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value !== 0 : undefined;
  if (typeof value === 'string') {
    const s = value.trim().toLowerCase();
    if (TRUE_WORDS.has(s)) return true;
    if (FALSE_WORDS.has(s)) return false;
  }
  return undefined;
}

/**
 * A MAC address in lower case, colon-separated: "00-1A-2B-3C-4D-5E", "001A2B3C4D5E", "001a.2b3c.4d5e"
 * and "0:1a:2b:3c:4d:5e" all become "00:1a:2b:3c:4d:5e". Anything else (InfiniBand's 20-byte
 * addresses…) is only trimmed and lower-cased.
 */
export function normalizeMac(value: unknown): string | undefined {
  const s = cleanString(value)?.toLowerCase();
  if (s === undefined) return undefined;
  const parts = s.split(/[:-]/);
  if (parts.length === 6 && parts.every((p) => /^[0-9a-f]{1,2}$/.test(p))) {
    return parts.map((p) => p.padStart(2, '0')).join(':');
  }
  const bare = /^[0-9a-f]{12}$/.test(s)
    ? s
    : /^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/.test(s)
      ? s.replaceAll('.', '')
      : '';
  if (bare) return bare.match(/../g)!.join(':');
  return s;
}

/** The all-zero MAC that loopback and some software interfaces report. */
export const NULL_MAC = '00:00:00:00:00:00';

/**
 * Whether a network interface is software-only: the agent says so (VIRTUALDEV), it is a loopback (by
 * type or by address), or its MAC is all zeros. Such interfaces never identify a machine.
 */
export function isVirtualInterface(nic: {
  virtualdev?: boolean | undefined;
  type?: string | undefined;
  mac?: string | undefined;
  ipv4?: string | undefined;
  ipv6?: string | undefined;
}): boolean {
  if (nic.virtualdev === true) return true;
  if (nic.type?.toLowerCase() === 'loopback') return true;
  if (nic.mac === NULL_MAC) return true;
  if (nic.ipv4?.startsWith('127.')) return true;
  if (nic.ipv6 === '::1') return true;
  return false;
}

function isoDate(y: string, m: string, d: string): string | undefined {
  const month = Number(m);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  return `${y}-${m}-${d}`;
}

/**
 * A software install date as YYYY-MM-DD when it can be read: ISO dates (GLPI agent, possibly with a
 * time), DD/MM/YYYY (FusionInventory), YYYYMMDD (raw Windows registry, old OCS agents). Anything else is
 * kept as sent.
 */
export function normalizeInstallDate(value: unknown): string | undefined {
  const s = cleanString(value);
  if (s === undefined) return undefined;
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:$|[ T])/.exec(s);
  if (m) return isoDate(m[1]!, m[2]!, m[3]!) ?? s;
  m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(s);
  if (m) return isoDate(m[3]!, m[2]!, m[1]!) ?? s;
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return isoDate(m[1]!, m[2]!, m[3]!) ?? s;
  return s;
}

/**
 * A BIOS release date as YYYY-MM-DD when it can be read: ISO dates, or MM/DD/YYYY (the SMBIOS / dmidecode
 * order that FusionInventory passes through). Anything else is kept as sent.
 */
export function normalizeBiosDate(value: unknown): string | undefined {
  const s = cleanString(value);
  if (s === undefined) return undefined;
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:$|[ T])/.exec(s);
  if (m) return isoDate(m[1]!, m[2]!, m[3]!) ?? s;
  m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(s);
  if (m) return isoDate(m[3]!, m[1]!, m[2]!) ?? s;
  return s;
}

/** "FusionInventory-Agent" + "2.6" → "FusionInventory-Agent_v2.6", the form agents use in User-Agent. */
export function agentVersionString(
  name: string | undefined,
  version: string | undefined,
): string | undefined {
  if (name && version) return `${name}_v${version}`;
  return version ?? name;
}

/** Fallback name of a firewall entry that names neither its profile nor its interface (Linux agents). */
export const UNNAMED_FIREWALL = 'firewall';
