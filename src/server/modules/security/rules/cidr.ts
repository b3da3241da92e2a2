/** IPv4 and IPv6 CIDR ranges for the `|cidr` modifier. */

function parseV4(s: string): number | null {
  let n = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0 || ++dots > 3) return null;
      n = n * 256 + part;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      part = part * 10 + (c - 48);
      digits++;
      if (part > 255) return null;
    } else return null;
  }
  if (dots !== 3 || digits === 0) return null;
  return n * 256 + part;
}

/** 16 bytes, or null. Accepts "::" shortening and a trailing dotted IPv4. */
function parseV6(s: string): Uint8Array | null {
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  const out = new Uint8Array(16);
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string): number[] | null => {
    if (h === '') return [];
    const res: number[] = [];
    const parts = h.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseV4(p);
        if (v4 === null) return null;
        res.push(v4 >>> 16, v4 & 0xffff);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return null;
        res.push(Number.parseInt(p, 16));
      }
    }
    return res;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return null;
  const total = head.length + tail.length;
  if (halves.length === 1 ? total !== 8 : total > 7) return null;
  const all = [...head, ...new Array(8 - total).fill(0), ...tail];
  all.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

export type CidrMatcher = (ip: string) => boolean;

/** A matcher for "10.0.0.0/8", "2001:db8::/32" or a bare address; null when the text is not a range. */
export function compileCidr(range: string): CidrMatcher | null {
  const slash = range.indexOf('/');
  const addr = slash < 0 ? range : range.slice(0, slash);
  const bitsText = slash < 0 ? null : range.slice(slash + 1);
  if (bitsText !== null && !/^\d{1,3}$/.test(bitsText)) return null;
  const v4 = parseV4(addr);
  if (v4 !== null) {
    const bits = bitsText === null ? 32 : Number(bitsText);
    if (bits > 32) return null;
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    const net = (v4 & mask) >>> 0;
    return (ip) => {
      let n = parseV4(ip);
      // IPv4-mapped IPv6 (::ffff:1.2.3.4) as sshd logs them on dual-stack sockets
      if (n === null && ip.startsWith('::ffff:')) n = parseV4(ip.slice(7));
      return n !== null && (n & mask) >>> 0 === net;
    };
  }
  const v6 = parseV6(addr);
  if (v6 === null) return null;
  const bits = bitsText === null ? 128 : Number(bitsText);
  if (bits > 128) return null;
  return (ip) => {
    const a = ip.includes(':') ? parseV6(ip) : null;
    if (!a) return false;
    for (let i = 0; i < 16; i++) {
      const left = bits - i * 8;
      if (left <= 0) return true;
      const mask = left >= 8 ? 0xff : (0xff << (8 - left)) & 0xff;
      if ((a[i]! & mask) !== (v6[i]! & mask)) return false;
    }
    return true;
  };
}
