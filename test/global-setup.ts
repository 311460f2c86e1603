/**
 * Integration global setup: ONE Temporal dev server per vitest run, its address handed to tests via
 * provide/inject. With TEMPORAL_ADDRESS set, that cluster is used instead (our search attributes are
 * registered on it); ids must then be unique across runs (see uniqueId).
 */
import type { TestProject } from 'vitest/node';
import { Connection } from '@temporalio/client';
import { ensureTemporalCli, DEFAULT_TEMPORAL_CLI_VERSION } from '../workers/temporal-cli.js';
import { registerSearchAttributes, startDevServer } from '../workers/dev-server.js';
import { workflowBundle } from '../workers/workflow-bundle.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    temporalNamespace: string;
  }
}

/** Small enough that a test can reach continueAsNewSuggested in a few dozen events. */
export const SUGGEST_CONTINUE_AS_NEW_AT = 60;

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  const namespace = process.env.TEMPORAL_NAMESPACE || 'default';
  project.provide('temporalNamespace', namespace);
  // Built once here, so the test processes' workers all start from the cached file.
  await workflowBundle();
  if (process.env.TEMPORAL_ADDRESS) {
    const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
    try {
      await registerSearchAttributes(connection, namespace);
    } finally {
      await connection.close();
    }
    project.provide('temporalAddress', process.env.TEMPORAL_ADDRESS);
    return;
  }
  const binary = await ensureTemporalCli({ version: process.env.TEMPORAL_CLI_VERSION || DEFAULT_TEMPORAL_CLI_VERSION });
  const server = await startDevServer({
    binary,
    headless: true,
    namespace,
    dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': SUGGEST_CONTINUE_AS_NEW_AT },
  });
  project.provide('temporalAddress', server.address);
  return () => server.stop();
}
