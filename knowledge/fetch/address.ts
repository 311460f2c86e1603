/**
 * IP address parsing and classification for the SSRF guard. Pure functions, no I/O.
 *
 * Danger: attackers spell addresses in many ways (2130706433, 0x7f.1, 0177.0.0.1, ::ffff:127.0.0.1,
 * ::ffff:7f00:1, 64:ff9b::127.0.0.1). Every spelling is parsed to one number before it is classified, and
 * addresses that embed an IPv4 address (mapped, compatible, NAT64, 6to4) are judged by the IPv4 address.
 */

export type Family = 4 | 6;

export interface Ip {
  family: Family;
  /** 32 bits for IPv4, 128 bits for IPv6. */
  value: bigint;
}

/** Why an address may not be fetched; undefined for a public address. */
export type BlockReason =
  | 'unspecified' | 'loopback' | 'private' | 'link-local' | 'unique-local' | 'cgnat' | 'multicast'
  | 'broadcast' | 'reserved' | 'documentation';

/**
 * IPv4 in every form inet_aton accepts: 1 to 4 parts, each decimal, hex (0x) or octal (leading 0); the
 * last part fills the remaining bytes (127.1 = 127.0.0.1, 2130706433 = 127.0.0.1).
 */
export function parseIPv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length === 0 || parts.length > 4) return undefined;
  const nums: bigint[] = [];
  for (const p of parts) {
    let n: bigint;
    if (/^0[xX][0-9a-fA-F]*$/.test(p)) n = p.length === 2 ? 0n : BigInt(p);
    else if (/^0[0-7]+$/.test(p)) n = BigInt(`0o${p.slice(1)}`);
    else if (/^(0|[1-9][0-9]*)$/.test(p)) n = BigInt(p);
    else return undefined;
    nums.push(n);
  }
  const last = nums.pop()!;
  for (const n of nums) if (n > 255n) return undefined;
  const lastBits = BigInt(8 * (4 - nums.length));
  if (last >= 1n << lastBits) return undefined;
  let value = 0n;
  nums.forEach((n, i) => { value |= n << BigInt(8 * (3 - i)); });
  return value | last;
}

/** IPv6 with optional brackets and zone id, '::' compression and a trailing dotted IPv4. */
export function parseIPv6(text: string): bigint | undefined {
  let s = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  s = s.replace(/%.*$/, '');
  if (!s.includes(':')) return undefined;
  let tailV4: bigint | undefined;
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(tail)) return undefined;
    tailV4 = parseIPv4(tail.split('.').map((x) => String(Number(x))).join('.'));
    if (tailV4 === undefined) return undefined;
    s = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const words = (h: string) => (h === '' ? [] : h.split(':'));
  const head = words(halves[0]!);
  const rest = halves.length === 2 ? words(halves[1]!) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  let value = 0n;
  for (const w of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(w)) return undefined;
    value = (value << 16n) | BigInt(`0x${w}`);
  }
  if (tailV4 !== undefined) value = (value & ~0xffffffffn) | tailV4;
  return value;
}

/** A host or DNS answer as an address, or undefined when it is a name. */
export function parseIp(text: string): Ip | undefined {
  const v6 = parseIPv6(text);
  if (v6 !== undefined) return { family: 6, value: v6 };
  const v4 = parseIPv4(text);
  if (v4 !== undefined) return { family: 4, value: v4 };
  return undefined;
}

export function formatIp(ip: Ip): string {
  if (ip.family === 4) return [24n, 16n, 8n, 0n].map((s) => String((ip.value >> s) & 255n)).join('.');
  const words: string[] = [];
  for (let i = 7; i >= 0; i--) words.push(((ip.value >> BigInt(i * 16)) & 0xffffn).toString(16));
  return words.join(':').replace(/(^|:)0(:0)+(:|$)/, '::').replace(/:{3,}/, '::');
}

export interface Cidr {
  family: Family;
  base: bigint;
  prefix: number;
}

export function parseCidr(text: string): Cidr | undefined {
  const [addr, bits, extra] = text.trim().split('/');
  if (extra !== undefined || !addr) return undefined;
  const ip = parseIp(addr);
  if (!ip) return undefined;
  const width = ip.family === 4 ? 32 : 128;
  const prefix = bits === undefined ? width : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > width || (bits !== undefined && !/^\d+$/.test(bits))) return undefined;
  return { family: ip.family, base: mask(ip.value, prefix, width), prefix };
}

export function cidrContains(cidr: Cidr, ip: Ip): boolean {
  const v = canonical(ip);
  if (v.family !== cidr.family) return false;
  const width = v.family === 4 ? 32 : 128;
  return mask(v.value, cidr.prefix, width) === cidr.base;
}

function mask(value: bigint, prefix: number, width: number): bigint {
  const hostBits = BigInt(width - prefix);
  return (value >> hostBits) << hostBits;
}

/** An IPv6 address that carries an IPv4 address (mapped, compatible, NAT64, 6to4) as that IPv4 address. */
export function canonical(ip: Ip): Ip {
  if (ip.family === 4) return ip;
  const v = ip.value;
  const low32 = v & 0xffffffffn;
  if (v >> 32n === 0xffffn) return { family: 4, value: low32 }; // ::ffff:0:0/96 mapped
  if (v >> 32n === 0n && low32 > 1n) return { family: 4, value: low32 }; // ::/96 compatible (deprecated)
  if (v >> 32n === 0x0064ff9b0000000000000000n) return { family: 4, value: low32 }; // 64:ff9b::/96 NAT64
  if (v >> 112n === 0x2002n) return { family: 4, value: (v >> 80n) & 0xffffffffn }; // 2002::/16 6to4
  return ip;
}

const V4_RANGES: [string, BlockReason][] = [
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'cgnat'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'],
  ['192.0.2.0/24', 'documentation'],
  ['192.88.99.0/24', 'reserved'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'reserved'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['255.255.255.255/32', 'broadcast'],
  ['240.0.0.0/4', 'reserved'],
];
const V6_RANGES: [string, BlockReason][] = [
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['64:ff9b:1::/48', 'private'],
  ['100::/64', 'reserved'],
  ['2001::/23', 'reserved'],
  ['2001:db8::/32', 'documentation'],
  ['fc00::/7', 'unique-local'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'private'],
  ['ff00::/8', 'multicast'],
];
const BLOCKED: [Cidr, BlockReason][] = [...V4_RANGES, ...V6_RANGES].map(([c, r]) => [parseCidr(c)!, r]);

/** Why fetching this address is refused, or undefined for a public unicast address. */
export function blockReason(ip: Ip): BlockReason | undefined {
  const v = canonical(ip);
  for (const [cidr, reason] of BLOCKED) if (cidrContains(cidr, v)) return reason;
  return undefined;
}
