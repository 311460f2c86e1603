/**
 * `npm start`: the whole product on embedded defaults. A Temporal dev server (unless TEMPORAL_ADDRESS is
 * set), PGlite under DATA_DIR (unless DATABASE_URL is set), the worker, the API, the chat page and the
 * demo agent. Ctrl-C stops everything cleanly.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { systemGlossary } from '../knowledge/bridge.js';
import { loadDemo } from '../knowledge/demo/load.js';
import { dictionaryPackages } from '../knowledge/dictionary.js';
import { ConfigError, loadConfig, trialDurations } from './config.js';
import { SearchAttributesRefusedError, chooseDevServerPorts, portIsFree, startDevServer } from './dev-server.js';
import { prepareCluster, stopOnSignal } from './role.js';
import { startSystem } from './system.js';
import { ensureTemporalCli } from './temporal-cli.js';
import { temporalTlsVariablesSet } from './temporal-connection.js';
import { chooseRootKey, ensureDemoTeam, ensureDemoWidgetKey, ensureSecretsKey } from './keys.js';

async function main(): Promise<void> {
  const config = loadConfig();
  mkdirSync(config.DATA_DIR, { recursive: true });
  const say = (line: string) => console.log(line);
  const root = await chooseRootKey(config.ADMIN_API_KEY, config.DATA_DIR);
  config.ADMIN_API_KEY = root.key;
  config.SECRETS_KEY ??= (await ensureSecretsKey(config.DATA_DIR)).key;

  const tlsVariables = temporalTlsVariablesSet(config);
  if (!config.TEMPORAL_ADDRESS && tlsVariables.length > 0) {
    throw new ConfigError(`${tlsVariables.join(', ')} ${tlsVariables.length > 1 ? 'apply' : 'applies'} to a cluster named by TEMPORAL_ADDRESS; without it npm start runs its own dev server, which speaks plain gRPC`);
  }
  trialDurations(config); // a reminder longer than the trial stops us before a dev server starts
  // The API's port is the one people type and bookmark: a busy one stops us, before anything starts.
  if (config.PORT !== 0 && !(await portIsFree(config.PORT, config.HOST))) {
    throw new ConfigError(`PORT ${config.PORT} on ${config.HOST} is already in use (another npm start?): stop it, or run this one on another port, `
      + `e.g. PORT=${config.PORT + 1} npm start (with its own DATA_DIR, e.g. DATA_DIR=.data-2, for a second install beside the first)`);
  }
  let temporalAddress = config.TEMPORAL_ADDRESS;
  let uiUrl: string | undefined;
  let stopTemporal: (() => Promise<void>) | undefined;
  if (!temporalAddress) {
    const binary = await ensureTemporalCli({ version: config.TEMPORAL_CLI_VERSION, onProgress: say });
    const { notes, ...ports } = await chooseDevServerPorts({ port: config.TEMPORAL_PORT, uiPort: config.TEMPORAL_UI_PORT });
    for (const note of notes) say(note);
    const dev = await startDevServer({ binary, ...ports, dbFile: resolve(join(config.DATA_DIR, 'temporal.sqlite')) });
    temporalAddress = dev.address;
    uiUrl = dev.uiUrl;
    stopTemporal = dev.stop;
  } else {
    await prepareCluster(config, say);
  }

  const system = await startSystem(config, {
    temporalAddress,
    beforeServe: async (runtime) => {
      if (config.DEMO) {
        await loadDemo(runtime.db, runtime.embedder, { onProgress: say });
        await ensureDemoTeam(runtime.db);
      }
    },
  });

  const pageOrigins = [system.url, system.url.replace('127.0.0.1', 'localhost')];
  const widgetKey = config.DEMO ? await ensureDemoWidgetKey(system.runtime.db, config.DATA_DIR, pageOrigins) : undefined;

  say('');
  say(`  Chat page       ${system.url}/${widgetKey ? `?agent=demo&key=${widgetKey}` : '?agent=<agentId>&key=<widget key>'}`);
  say(`  Inbox           ${system.url}/inbox  (sign in with the admin key)`);
  say(`  API             ${system.url}/v1  (OpenAPI: ${system.url}/openapi.json)`);
  if (root.from === 'file' && root.generated) {
    say(`  Admin key       ${root.key}`);
    say(`                  (generated now and kept in ${resolve(root.file)}; shown once: export CUSTOMER_AGENT_API_KEY=…)`);
  } else {
    say(`  Admin key       ${root.from === 'file' ? `in ${resolve(root.file)}` : 'ADMIN_API_KEY'} (Authorization: Bearer <key>)`);
  }
  say(`  Temporal        ${temporalAddress}${uiUrl ? `  (Web UI: ${uiUrl})` : ''}`);
  say(`  Database        ${config.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${resolve(config.DATA_DIR)}`}`);
  const dictionaries = systemGlossary().languages;
  say(`  Dictionaries    ${dictionaries.length > 0 ? `${dictionaries.join(', ')} → en (questions find English articles in their words)` : `none: questions in other languages find English articles through the shop vocabulary only (apt-get install ${dictionaryPackages().join(' ')})`}`);
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
