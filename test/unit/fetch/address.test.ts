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
    expect(() => checkAddress(STRICT_POLICY, 'intranet', parseIp('10.0.0.7')!)).toThrow(FetchRefusedError);
    expect(() => checkAddress(STRICT_POLICY, 'intranet', parseIp('10.0.0.7')!)).toThrow(/private address; add it to FETCH_ALLOW_HOSTS/);
  });

  it('an allowlist lets named hosts and CIDRs through, and nothing else', () => {
    const policy = parseAllowList('127.0.0.0/8, ::1 intranet.example.com');
    expect(() => checkAddress(policy, '127.0.0.1', parseIp('127.0.0.1')!)).not.toThrow();
    expect(() => checkAddress(policy, 'x', parseIp('::ffff:127.0.0.2')!)).not.toThrow();
    expect(() => checkAddress(policy, '[::1]', parseIp('::1')!)).not.toThrow();
    expect(() => checkAddress(policy, 'Intranet.Example.com', parseIp('10.9.9.9')!)).not.toThrow();
    expect(() => checkAddress(policy, 'other.example.com', parseIp('10.9.9.9')!)).toThrow(FetchRefusedError);
    expect(() => checkAddress(policy, 'x', parseIp('169.254.169.254')!)).toThrow(FetchRefusedError);
  });

  it('an unreadable allowlist entry is named', () => {
    expect(() => parseAllowList('127.0.0.0/33')).toThrow(/"127.0.0.0\/33"/);
    expect(() => parseAllowList('http://x')).toThrow(/FETCH_ALLOW_HOSTS/);
  });
});
