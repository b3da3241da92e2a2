import type { Ctx } from '../../context.js';
import { listOrganisations } from '../orgs/index.js';
import type { Inventory } from './formats/inventory.js';
import * as repo from './inventory.repo.js';

/**
 * Which organisation an agent without a token belongs to: the first matching rule (IP range, agent
 * tag, hostname pattern), else the only organisation of a single-organisation install.
 */

/** The organisation of the first matching rule (IP range, tag, hostname pattern), by priority. */
export async function orgByRules(tx: Ctx, inv: Inventory, ip: string | null): Promise<string | undefined> {
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
export async function onlyOrganisation(tx: Ctx): Promise<string | undefined> {
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
