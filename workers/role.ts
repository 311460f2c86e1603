/**
 * Production processes: `npm run worker` and `npm run api` run one role each against an existing
 * Temporal cluster and PostgreSQL server, so they scale apart. Both parse the same configuration.
 */
import { ConfigError, loadConfig, redactConfig } from './config.js';
import { startSystem, type System } from './system.js';

export type Role = 'worker' | 'api';

export function runRole(role: Role): void {
  start(role).catch((err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : `customer-agent ${role} failed to start: ${(err as Error).stack ?? String(err)}`);
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
  const system = await startSystem(config, { temporalAddress: config.TEMPORAL_ADDRESS!, worker: role === 'worker', api: role === 'api' });
  console.log(`customer-agent ${role} running${system.url ? ` on ${system.url}` : ''} with`, redactConfig(config));
  stopOnSignal(system.stop, (line) => console.log(line));
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
