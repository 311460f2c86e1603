/**
 * `npm start`: the whole product on embedded defaults. A Temporal dev server (unless TEMPORAL_ADDRESS is
 * set), PGlite under DATA_DIR (unless DATABASE_URL is set), the worker, the API, the chat page and the
 * demo agent. Ctrl-C stops everything cleanly.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadDemo } from '../knowledge/demo/load.js';
import { ConfigError, loadConfig } from './config.js';
import { SearchAttributesRefusedError, portIsFree, startDevServer } from './dev-server.js';
import { prepareCluster, stopOnSignal } from './role.js';
import { startSystem } from './system.js';
import { ensureTemporalCli } from './temporal-cli.js';

async function main(): Promise<void> {
  const config = loadConfig();
  mkdirSync(config.DATA_DIR, { recursive: true });
  const say = (line: string) => console.log(line);

  let temporalAddress = config.TEMPORAL_ADDRESS;
  let uiUrl: string | undefined;
  let stopTemporal: (() => Promise<void>) | undefined;
  if (!temporalAddress) {
    const binary = await ensureTemporalCli({ version: config.TEMPORAL_CLI_VERSION, onProgress: say });
    const dev = await startDevServer({
      binary,
      ...(await portIsFree(config.TEMPORAL_PORT) ? { port: config.TEMPORAL_PORT } : {}),
      uiPort: config.TEMPORAL_UI_PORT,
      dbFile: resolve(join(config.DATA_DIR, 'temporal.sqlite')),
    });
    temporalAddress = dev.address;
    uiUrl = dev.uiUrl;
    stopTemporal = dev.stop;
  } else {
    await prepareCluster(config, say);
  }

  const system = await startSystem(config, {
    temporalAddress,
    beforeServe: async (runtime) => {
      if (config.DEMO) await loadDemo(runtime.db, runtime.embedder, { onProgress: say });
    },
  });

  say('');
  say(`  Chat page       ${system.url}/?agent=demo`);
  say(`  API             ${system.url}/v1  (OpenAPI: ${system.url}/openapi.json)`);
  say(`  Temporal        ${temporalAddress}${uiUrl ? `  (Web UI: ${uiUrl})` : ''}`);
  say(`  Database        ${config.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${resolve(config.DATA_DIR)}`}`);
  say('');
  say('  Ctrl-C stops everything.');

  stopOnSignal(async () => {
    await system.stop();
    await stopTemporal?.();
  }, say);
}

main().catch((err: unknown) => {
  const known = err instanceof ConfigError || err instanceof SearchAttributesRefusedError;
  console.error(known ? err.message : `customer-agent failed to start: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
