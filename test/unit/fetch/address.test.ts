import { describe, expect, it } from 'vitest';
import { blockReason, formatIp, parseIp } from '../../../knowledge/fetch/address.js';
import { checkAddress, FetchRefusedError, parseAllowList, STRICT_POLICY } from '../../../knowledge/fetch/policy.js';

const reasonOf = (text: string) => {
  const ip = parseIp(text);
  if (!ip) throw new Error(`${text} did not parse`);
  return blockReason(ip);
};

describe('which addresses a URL sync may reach', () => {
  it.each([
    ['127.0.0.1', 'loopback'], ['127.255.1.2', 'loopback'], ['2130706433', 'loopback'], ['0x7f000001', 'loopback'],
    ['0177.0.0.1', 'loopback'], ['127.1', 'loopback'], ['0x7f.1', 'loopback'], ['::1', 'loopback'], ['[::1]', 'loopback'],
    ['10.1.2.3', 'private'], ['172.16.0.1', 'private'], ['172.31.255.255', 'private'], ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'], ['fe80::1%eth0', 'link-local'], ['fc00::1', 'unique-local'], ['fd12:3456::1', 'unique-local'],
    ['100.64.0.1', 'cgnat'], ['100.127.255.254', 'cgnat'], ['224.0.0.1', 'multicast'], ['ff02::1', 'multicast'],
    ['0.0.0.0', 'unspecified'], ['0', 'unspecified'], ['::', 'unspecified'], ['255.255.255.255', 'broadcast'],
    ['::ffff:127.0.0.1', 'loopback'], ['::ffff:7f00:1', 'loopback'], ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:10.0.0.1', 'private'], ['::127.0.0.1', 'loopback'], ['64:ff9b::10.0.0.1', 'private'], ['2002:7f00:1::', 'loopback'],
  ])('refuses %s as %s', (text, reason) => {
    expect(reasonOf(text)).toBe(reason);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::8.8.8.8'])(
    'allows the public address %s',
    (text) => {
      expect(reasonOf(text)).toBeUndefined();
    },
  );

  it('reads host names as names, not addresses', () => {
    for (const name of ['example.com', 'localhost', '1.2.3.4.example', '256.1.1.1', '1.2.3.4.5', '1::2::3', 'gggg::1']) {
      expect(parseIp(name), name).toBeUndefined();
    }
  });

  it('prints addresses in their usual form', () => {
    expect(formatIp(parseIp('2130706433')!)).toBe('127.0.0.1');
    expect(formatIp(parseIp('::1')!)).toBe('::1');
  });

  it('refuses a private address with a message that names the setting to change', () => {
    expect(() => checkAddress(STRICT_POLICY, 'intranet', parseIp('10.0.0.7')!, 80)).toThrow(FetchRefusedError);
    expect(() => checkAddress(STRICT_POLICY, 'intranet', parseIp('10.0.0.7')!, 80)).toThrow(/private address; add it to FETCH_ALLOW_HOSTS/);
  });

  it('an allowlist lets named hosts and CIDRs through, and nothing else', () => {
    const policy = parseAllowList('127.0.0.0/8, ::1 intranet.example.com');
    expect(() => checkAddress(policy, '127.0.0.1', parseIp('127.0.0.1')!, 80)).not.toThrow();
    expect(() => checkAddress(policy, 'x', parseIp('::ffff:127.0.0.2')!, 443)).not.toThrow();
    expect(() => checkAddress(policy, '[::1]', parseIp('::1')!, 80)).not.toThrow();
    expect(() => checkAddress(policy, 'Intranet.Example.com', parseIp('10.9.9.9')!, 443)).not.toThrow();
    expect(() => checkAddress(policy, 'other.example.com', parseIp('10.9.9.9')!, 443)).toThrow(FetchRefusedError);
    expect(() => checkAddress(policy, 'x', parseIp('169.254.169.254')!, 80)).toThrow(FetchRefusedError);
  });

  it('an entry without a port opens only 80 and 443 of a private host; other ports must be named', () => {
    const policy = parseAllowList('127.0.0.0/8 ::1 intranet.example.com');
    for (const [host, ip] of [['127.0.0.1', '127.0.0.1'], ['[::1]', '::1'], ['intranet.example.com', '10.1.2.3']] as const) {
      expect(() => checkAddress(policy, host, parseIp(ip)!, 80)).not.toThrow();
      expect(() => checkAddress(policy, host, parseIp(ip)!, 443)).not.toThrow();
      for (const port of [5432, 6379, 8080, 22, 25]) {
        const err = (() => { try { checkAddress(policy, host, parseIp(ip)!, port); } catch (e) { return e; } })() as FetchRefusedError;
        expect(err, `${host}:${port}`).toBeInstanceOf(FetchRefusedError);
        expect(err.reason).toBe('port');
      }
    }
    expect(() => checkAddress(policy, '[::1]', parseIp('::1')!, 5432)).toThrow(/opens this loopback address on port 80, 443 only; add \[::1\]:5432 if/);
    // A public address is not the allowlist's business: any port.
    expect(() => checkAddress(STRICT_POLICY, 'example.com', parseIp('93.184.215.14')!, 8443)).not.toThrow();
  });

  it('an entry with a port or range opens those ports only, for names, addresses, CIDRs and IPv6 alike', () => {
    const policy = parseAllowList('wiki.internal:8080, 127.0.0.1:3000 10.0.0.0/8:8000-8099 [::1]:9000 fd00::/8:7000 [fe80::]/10:6000');
    const ok = (host: string, ip: string, port: number) => expect(() => checkAddress(policy, host, parseIp(ip)!, port), `${host}:${port}`).not.toThrow();
    const refused = (host: string, ip: string, port: number) => expect(() => checkAddress(policy, host, parseIp(ip)!, port), `${host}:${port}`).toThrow(FetchRefusedError);
    ok('wiki.internal', '10.0.0.5', 8080);
    refused('wiki.internal', '10.0.0.5', 80);
    ok('127.0.0.1', '127.0.0.1', 3000);
    refused('127.0.0.1', '127.0.0.1', 443);
    refused('127.0.0.2', '127.0.0.2', 3000);
    ok('10.9.9.9', '10.9.9.9', 8000);
    ok('10.9.9.9', '10.9.9.9', 8099);
    refused('10.9.9.9', '10.9.9.9', 8100);
    ok('[::1]', '::1', 9000);
    refused('[::1]', '::1', 80);
    ok('[fd12::1]', 'fd12::1', 7000);
    refused('[fd12::1]', 'fd12::1', 443);
    ok('[fe80::1]', 'fe80::1', 6000);
    expect(() => checkAddress(policy, 'wiki.internal', parseIp('10.0.0.5')!, 5432)).toThrow(/add wiki\.internal:5432 if/);
  });

  it('an unreadable port is named', () => {
    for (const entry of ['host:0', 'host:65536', 'host:80-79', 'host:http', '127.0.0.1:', '[::1]:x', '10.0.0.0/8:1-2-3']) {
      expect(() => parseAllowList(entry), entry).toThrow(new RegExp(`"${entry.replace(/[.[\]]/g, '\\$&')}"`));
    }
  });

  it('an unreadable allowlist entry is named', () => {
    expect(() => parseAllowList('127.0.0.0/33')).toThrow(/"127.0.0.0\/33"/);
    expect(() => parseAllowList('http://x')).toThrow(/FETCH_ALLOW_HOSTS/);
  });
});
