/**
 * How every process connects to Temporal: the one builder of connection options, used by the client
 * (Connection.connect) and the worker (NativeConnection.connect) alike, so a cluster with TLS or an API key
 * is reached the same way everywhere. Certificate files are read and checked at start: a missing file, one
 * half of a pair or a certificate given as the key stops the process with the variable at fault.
 */
import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import { ConfigError, type Config } from './config.js';

export type TemporalTlsSettings = Partial<Pick<Config,
  'TEMPORAL_TLS_CERT' | 'TEMPORAL_TLS_KEY' | 'TEMPORAL_TLS_CA' | 'TEMPORAL_TLS_SERVER_NAME' | 'TEMPORAL_API_KEY'>>;

/** What Connection.connect and NativeConnection.connect both take. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig;
  apiKey?: string;
}

const TLS_VARIABLES = ['TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY', 'TEMPORAL_TLS_CA', 'TEMPORAL_TLS_SERVER_NAME', 'TEMPORAL_API_KEY'] as const;

/** The TLS and API-key variables that are set (an empty value counts as unset). */
export function temporalTlsVariablesSet(settings: TemporalTlsSettings): string[] {
  return TLS_VARIABLES.filter((name) => Boolean(settings[name]));
}

export function temporalConnectionOptions(address: string, settings: TemporalTlsSettings): TemporalConnectionOptions {
  const cert = settings.TEMPORAL_TLS_CERT || undefined;
  const key = settings.TEMPORAL_TLS_KEY || undefined;
  if (cert && !key) throw new ConfigError('TEMPORAL_TLS_CERT is set but TEMPORAL_TLS_KEY is not: mTLS needs the client certificate and its private key (both PEM files)');
  if (key && !cert) throw new ConfigError('TEMPORAL_TLS_KEY is set but TEMPORAL_TLS_CERT is not: mTLS needs the client certificate and its private key (both PEM files)');
  if (temporalTlsVariablesSet(settings).length === 0) return { address };

  const tls: TLSConfig = {};
  if (cert && key) {
    tls.clientCertPair = { crt: readPem('TEMPORAL_TLS_CERT', cert, 'certificate'), key: readPem('TEMPORAL_TLS_KEY', key, 'private key') };
  }
  if (settings.TEMPORAL_TLS_CA) tls.serverRootCACertificate = readPem('TEMPORAL_TLS_CA', settings.TEMPORAL_TLS_CA, 'certificate');
  if (settings.TEMPORAL_TLS_SERVER_NAME) tls.serverNameOverride = settings.TEMPORAL_TLS_SERVER_NAME;
  return { address, tls, ...(settings.TEMPORAL_API_KEY ? { apiKey: settings.TEMPORAL_API_KEY } : {}) };
}

const PEM_BLOCK = {
  certificate: /-----BEGIN CERTIFICATE-----/,
  'private key': /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/,
} as const;

function readPem(variable: string, path: string, kind: keyof typeof PEM_BLOCK): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message;
    throw new ConfigError(`${variable}: cannot read ${path} (${why}); it should name a PEM file with the ${kind}`);
  }
  if (!PEM_BLOCK[kind].test(bytes.toString('latin1'))) {
    throw new ConfigError(`${variable}: ${path} holds no PEM ${kind} (a "-----BEGIN ${kind === 'certificate' ? 'CERTIFICATE' : '… PRIVATE KEY'}-----" block)`);
  }
  return bytes;
}
