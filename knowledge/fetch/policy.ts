/**
 * Which targets a fetch may reach. Public unicast addresses always, on any port; private, loopback,
 * link-local and the other special ranges only when the allowlist names the host or a CIDR that holds the
 * address, and only on the ports the entry opens: those it names, else 80 and 443. So allowing an
 * intranet wiki never opens the database, the mail server or the admin port beside it, also not through a
 * redirect (every hop is checked). The allowlist comes from configuration (FETCH_ALLOW_HOSTS), never from
 * a request.
 */
import { blockReason, cidrContains, formatIp, parseCidr, parseIp, type BlockReason, type Cidr, type Ip } from './address.js';

/** What an entry without a port opens: the web's ports, nothing else. */
export const DEFAULT_ALLOWED_PORTS: readonly number[] = [80, 443];

export interface AllowEntry {
  /** As written in FETCH_ALLOW_HOSTS, for messages. */
  text: string;
  /** The entry without its port, to suggest `<target>:<port>`. */
  target: string;
  /** A host name (lower case, no trailing dot)... */
  host?: string;
  /** ...or the addresses it holds. */
  cidr?: Cidr;
  /** Inclusive port range the entry opens; absent: DEFAULT_ALLOWED_PORTS. */
  ports?: { from: number; to: number };
}

export interface FetchPolicy {
  entries: readonly AllowEntry[];
}

export const STRICT_POLICY: FetchPolicy = { entries: [] };

/**
 * `FETCH_ALLOW_HOSTS`: a comma- or space-separated list of host names, addresses and CIDRs, each with an
 * optional port or port range: `intranet.example.com`, `wiki.internal:8080`, `127.0.0.1:3000`,
 * `10.0.0.0/8:8000-8099`, `[::1]:8080`, `[fd00::]/8:443`, `::1` (a bare IPv6 address takes no port).
 * Throws on an entry it cannot read, naming it.
 */
export function parseAllowList(text: string | undefined): FetchPolicy {
  return { entries: (text ?? '').split(/[\s,]+/).filter(Boolean).map(parseEntry) };
}

function parseEntry(text: string): AllowEntry {
  const bad = (why: string) => new Error(`FETCH_ALLOW_HOSTS: "${text}" ${why}; write a host name, an address or a CIDR, `
    + 'each with an optional :port or :from-to, e.g. intranet.example.com, 10.0.0.0/8:8080, [::1]:3000');
  let target = text;
  let portText: string | undefined;
  const bracketed = /^(\[[^\]]+\](?:\/\d+)?)(?::([^:]*))?$/.exec(text);
  if (bracketed) {
    target = bracketed[1]!;
    portText = bracketed[2];
  } else if (text.includes('/')) {
    // A CIDR: the prefix is digits, so a port after it is unambiguous, for IPv6 too.
    const m = /^([^/]+\/\d+)(?::([^:]*))?$/.exec(text);
    if (!m) throw bad('is not a CIDR');
    target = m[1]!;
    portText = m[2];
  } else if ((text.match(/:/g) ?? []).length === 1) {
    [target, portText] = text.split(':') as [string, string];
  }
  const ports = portText === undefined ? undefined : parsePorts(portText);
  if (portText !== undefined && !ports) throw bad(`has no port between 1 and 65535 after the colon ("${portText}")`);
  const address = target.replace(/^\[([^\]]+)\]/, '$1');
  const cidr = parseCidr(address);
  // A bare IPv6 address is suggested back bracketed: `::1:8080` would not read as a port.
  if (cidr) return { text, target: cidr.family === 6 && !/[[/]/.test(target) ? `[${target}]` : target, cidr, ...(ports ? { ports } : {}) };
  if (/^[a-z0-9.-]+$/i.test(target)) return { text, target, host: target.toLowerCase().replace(/\.$/, ''), ...(ports ? { ports } : {}) };
  throw bad('is neither a host name, an address nor a CIDR');
}

function parsePorts(text: string): { from: number; to: number } | undefined {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
  if (!m) return undefined;
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  return from >= 1 && to <= 65535 && from <= to ? { from, to } : undefined;
}

function opens(entry: AllowEntry, port: number): boolean {
  return entry.ports ? port >= entry.ports.from && port <= entry.ports.to : DEFAULT_ALLOWED_PORTS.includes(port);
}

export class FetchRefusedError extends Error {
  override name = 'FetchRefusedError';
  readonly code = 'refused';
  constructor(readonly target: string, readonly reason: BlockReason | 'scheme' | 'no-address' | 'port', detail?: string) {
    super(
      detail ?? (reason === 'scheme' ? `refused to fetch ${target}: only http and https URLs can be fetched`
        : reason === 'no-address' ? `refused to fetch ${target}: the host has no address`
          : `refused to fetch ${target}: it is a ${reason} address; add it to FETCH_ALLOW_HOSTS if this server is meant to reach it`),
    );
  }
}

/** Throws FetchRefusedError unless `ip` may be fetched on `port` for `host`. */
export function checkAddress(policy: FetchPolicy, host: string, ip: Ip, port: number): void {
  const reason = blockReason(ip);
  if (!reason) return;
  const name = normaliseHost(host);
  const naming = policy.entries.filter((e) => (e.host !== undefined ? e.host === name : cidrContains(e.cidr!, ip)));
  if (naming.some((e) => opens(e, port))) return;
  if (naming.length === 0) throw new FetchRefusedError(`${host} (${formatIp(ip)})`, reason);
  const open = naming.map((e) => (e.ports ? (e.ports.from === e.ports.to ? `${e.ports.from}` : `${e.ports.from}-${e.ports.to}`) : '80, 443'));
  const target = `${host}:${port} (${formatIp(ip)})`;
  throw new FetchRefusedError(target, 'port', `refused to fetch ${target}: FETCH_ALLOW_HOSTS opens this ${reason} address on port `
    + `${[...new Set(open)].join(', ')} only; add ${naming[0]!.target}:${port} if this server is meant to reach that port`);
}

/** The port a URL connects to: its own, else the scheme's. */
export function urlPort(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

/** Lower case, without brackets or a trailing dot. */
export function normaliseHost(host: string): string {
  return host.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
}

/** The host of a URL as an address when it is written as one (any spelling), else undefined. */
export function literalAddress(host: string): Ip | undefined {
  return parseIp(normaliseHost(host));
}
