/**
 * Which targets a fetch may reach. Public unicast addresses always; private, loopback, link-local and
 * the other special ranges only when the allowlist names the host or a CIDR that holds the address.
 * The allowlist comes from configuration (FETCH_ALLOW_HOSTS), never from a request.
 */
import { blockReason, cidrContains, formatIp, parseCidr, parseIp, type BlockReason, type Cidr, type Ip } from './address.js';

export interface FetchPolicy {
  /** Host names allowed even when they resolve to a blocked range (lower case, no port). */
  hosts: ReadonlySet<string>;
  cidrs: readonly Cidr[];
}

export const STRICT_POLICY: FetchPolicy = { hosts: new Set(), cidrs: [] };

/**
 * `FETCH_ALLOW_HOSTS`: a comma- or space-separated list of host names, addresses and CIDRs, e.g.
 * `127.0.0.0/8,::1,intranet.example.com`. Throws on an entry it cannot read, naming it.
 */
export function parseAllowList(text: string | undefined): FetchPolicy {
  const hosts = new Set<string>();
  const cidrs: Cidr[] = [];
  for (const entry of (text ?? '').split(/[\s,]+/).filter(Boolean)) {
    const cidr = parseCidr(entry);
    if (cidr) cidrs.push(cidr);
    else if (/^[a-z0-9.-]+$/i.test(entry) && !entry.includes('/')) hosts.add(entry.toLowerCase().replace(/\.$/, ''));
    else throw new Error(`FETCH_ALLOW_HOSTS: "${entry}" is neither a host name, an address nor a CIDR such as 127.0.0.0/8`);
  }
  return { hosts, cidrs };
}

export class FetchRefusedError extends Error {
  override name = 'FetchRefusedError';
  readonly code = 'refused';
  constructor(readonly target: string, readonly reason: BlockReason | 'scheme' | 'no-address') {
    super(
      reason === 'scheme' ? `refused to fetch ${target}: only http and https URLs can be fetched`
        : reason === 'no-address' ? `refused to fetch ${target}: the host has no address`
          : `refused to fetch ${target}: it is a ${reason} address; add it to FETCH_ALLOW_HOSTS if this server is meant to reach it`,
    );
  }
}

/** Throws FetchRefusedError unless `ip` may be fetched for `host`. */
export function checkAddress(policy: FetchPolicy, host: string, ip: Ip): void {
  const reason = blockReason(ip);
  if (!reason) return;
  if (policy.hosts.has(normaliseHost(host))) return;
  if (policy.cidrs.some((c) => cidrContains(c, ip))) return;
  throw new FetchRefusedError(`${host} (${formatIp(ip)})`, reason);
}

/** Lower case, without brackets or a trailing dot. */
export function normaliseHost(host: string): string {
  return host.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
}

/** The host of a URL as an address when it is written as one (any spelling), else undefined. */
export function literalAddress(host: string): Ip | undefined {
  return parseIp(normaliseHost(host));
}
