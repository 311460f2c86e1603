/**
 * Production processes: `npm run worker` and `npm run api` run one role each against an existing
 * Temporal cluster and PostgreSQL server, so they scale apart. Both parse the same configuration.
 */
import { Connection } from '@temporalio/client';
import { temporalConnectionOptions, type TemporalTlsSettings } from './temporal-connection.js';
import { ConfigError, loadConfig, redactConfig, type Config } from './config.js';
import { SearchAttributesRefusedError, ensureSearchAttributes } from './dev-server.js';
import { startSystem, type System } from './system.js';

export type Role = 'worker' | 'api';

export function runRole(role: Role): void {
  start(role).catch((err: unknown) => {
    const known = err instanceof ConfigError || err instanceof SearchAttributesRefusedError;
    console.error(known ? err.message : `customer-agent ${role} failed to start: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  });
}

async function start(role: Role): Promise<void> {
  const config = loadConfig();
  // The embedded database lives in one process; split roles must share a server.
  const missing = (['TEMPORAL_ADDRESS', 'DATABASE_URL'] as const).filter((k) => !config[k]);
  if (missing.length > 0) {
    throw new ConfigError(`npm run ${role} needs ${missing.join(' and ')}: it joins an existing cluster and database. ` +
      'For everything in one process on embedded defaults, use npm start.');
  }
  await prepareCluster(config, (line) => console.warn(line));
  const system = await startSystem(config, { temporalAddress: config.TEMPORAL_ADDRESS!, worker: role === 'worker', api: role === 'api' });
  console.log(`customer-agent ${role} running${system.url ? ` on ${system.url}` : ''} with`, redactConfig(config));
  stopOnSignal(system.stop, (line) => console.log(line));
}

/**
 * Before serving: the namespace gets the search attributes every conversation start sets, so a fresh
 * cluster works from the first message instead of failing each one with a 500. Both roles run it (either
 * may start first); it is idempotent.
 */
export async function prepareCluster(config: Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE'> & TemporalTlsSettings, warn: (line: string) => void): Promise<void> {
  if (!config.TEMPORAL_ADDRESS) throw new ConfigError('TEMPORAL_ADDRESS is not set');
  const connection = await Connection.connect(temporalConnectionOptions(config.TEMPORAL_ADDRESS, config));
  try {
    await ensureSearchAttributes(connection, config.TEMPORAL_NAMESPACE, { address: config.TEMPORAL_ADDRESS, warn });
  } finally {
    await connection.close();
  }
}

/** Ctrl-C or SIGTERM stops cleanly once: in-flight turns finish or are retried elsewhere, never lost. */
export function stopOnSignal(stop: System['stop'], say: (line: string) => void): void {
  let stopping = false;
  const handler = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`\n${signal}: stopping…`);
    await stop();
    say('stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void handler('SIGINT'));
  process.on('SIGTERM', () => void handler('SIGTERM'));
}
