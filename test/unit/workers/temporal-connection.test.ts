import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../workers/config.js';
import { temporalConnectionOptions } from '../../../workers/temporal-connection.js';

// Dummy PEM text: the builder reads and pairs files; the TLS handshake is the SDK's business.
const CERT = '-----BEGIN CERTIFICATE-----\nMIIBdummycert\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIIEdummykey\n-----END PRIVATE KEY-----\n';
const EC_KEY = '-----BEGIN EC PRIVATE KEY-----\nMHcdummy\n-----END EC PRIVATE KEY-----\n';

const dir = mkdtempSync(join(tmpdir(), 'temporal-tls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const ADDRESS = 'my-ns.a1b2c.tmprl.cloud:7233';

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

describe('connecting to Temporal', () => {
  it('without TLS variables it is a plain connection to the address', () => {
    expect(temporalConnectionOptions('127.0.0.1:7233', {})).toEqual({ address: '127.0.0.1:7233' });
    expect(temporalConnectionOptions('127.0.0.1:7233', { TEMPORAL_TLS_CERT: '', TEMPORAL_TLS_KEY: '' })).toEqual({ address: '127.0.0.1:7233' });
  });

  it('mTLS reads the certificate, key and CA files and passes the server name', () => {
    const o = temporalConnectionOptions(ADDRESS, {
      TEMPORAL_TLS_CERT: file('client.pem', CERT), TEMPORAL_TLS_KEY: file('client.key', KEY),
      TEMPORAL_TLS_CA: file('ca.pem', CERT), TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
    });
    expect(o.address).toBe(ADDRESS);
    expect(Buffer.from(o.tls!.clientCertPair!.crt).toString()).toBe(CERT);
    expect(Buffer.from(o.tls!.clientCertPair!.key).toString()).toBe(KEY);
    expect(Buffer.from(o.tls!.serverRootCACertificate!).toString()).toBe(CERT);
    expect(o.tls!.serverNameOverride).toBe('temporal.internal');
    expect(o.apiKey).toBeUndefined();
  });

  it('accepts keys in any PEM private-key flavour (PKCS#8, EC, RSA)', () => {
    const o = temporalConnectionOptions(ADDRESS, { TEMPORAL_TLS_CERT: file('c2.pem', CERT), TEMPORAL_TLS_KEY: file('ec.key', EC_KEY) });
    expect(Buffer.from(o.tls!.clientCertPair!.key).toString()).toBe(EC_KEY);
  });

  it('an API key (Temporal Cloud) turns TLS on and is sent', () => {
    expect(temporalConnectionOptions(ADDRESS, { TEMPORAL_API_KEY: 'secret-key' })).toEqual({ address: ADDRESS, tls: {}, apiKey: 'secret-key' });
  });

  it('a CA alone means TLS that verifies the server against it, without a client certificate', () => {
    const o = temporalConnectionOptions(ADDRESS, { TEMPORAL_TLS_CA: file('ca2.pem', CERT) });
    expect(o.tls?.clientCertPair).toBeUndefined();
    expect(o.tls?.serverRootCACertificate).toBeDefined();
  });

  it('a certificate without its key, or a key without its certificate, is refused naming the missing variable', () => {
    const e1 = errorOf(() => temporalConnectionOptions(ADDRESS, { TEMPORAL_TLS_CERT: file('c3.pem', CERT) }));
    expect(e1).toBeInstanceOf(ConfigError);
    expect(e1.message).toMatch(/^TEMPORAL_TLS_CERT is set but TEMPORAL_TLS_KEY is not/);
    const e2 = errorOf(() => temporalConnectionOptions(ADDRESS, { TEMPORAL_TLS_KEY: file('k3.key', KEY) }));
    expect(e2.message).toMatch(/^TEMPORAL_TLS_KEY is set but TEMPORAL_TLS_CERT is not/);
  });

  it('a file that cannot be read is refused naming the variable, the path and why', () => {
    const missing = join(dir, 'nope.pem');
    const e = errorOf(() => temporalConnectionOptions(ADDRESS, { TEMPORAL_TLS_CERT: missing, TEMPORAL_TLS_KEY: file('k4.key', KEY) }));
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.message).toBe(`TEMPORAL_TLS_CERT: cannot read ${missing} (no such file); it should name a PEM file with the certificate`);
    const e2 = errorOf(() => temporalConnectionOptions(ADDRESS, { TEMPORAL_TLS_CA: dir }));
    expect(e2.message).toMatch(/^TEMPORAL_TLS_CA: cannot read .* \(it is a directory\)/);
  });

  it('a certificate given as the key (or the other way round) is refused before connecting', () => {
    const e = errorOf(() => temporalConnectionOptions(ADDRESS, { TEMPORAL_TLS_CERT: file('c6.pem', CERT), TEMPORAL_TLS_KEY: file('c6-as-key.pem', CERT) }));
    expect(e.message).toMatch(/^TEMPORAL_TLS_KEY: .* holds no PEM private key/);
    const e2 = errorOf(() => temporalConnectionOptions(ADDRESS, { TEMPORAL_TLS_CERT: file('k7-as-cert.pem', KEY), TEMPORAL_TLS_KEY: file('k7.key', KEY) }));
    expect(e2.message).toMatch(/^TEMPORAL_TLS_CERT: .* holds no PEM certificate/);
  });
});
