/**
 * The Temporal worker for conversations. The workflow bundle is built once per process and reused,
 * because bundling takes seconds and every worker in a process runs the same code.
 */
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities, type CrawlSettings } from '../activities/index.js';
import { parseAllowList } from '../knowledge/fetch/policy.js';
import type { Config } from './config.js';
import type { Runtime } from './runtime.js';
import type { TemporalConnectionOptions } from './temporal-connection.js';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('../workflows/index.ts', import.meta.url)),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
  });
  return bundle;
}

export interface WorkerOptions {
  /** From temporalConnectionOptions(): address, and TLS or an API key for a real cluster. */
  temporal: TemporalConnectionOptions;
  namespace: string;
  taskQueue: string;
  runtime: Pick<Runtime, 'db' | 'graph' | 'embedder'>;
  faultDelayMs?: number;
  /** URL sync: what may be fetched and how politely. Default: public addresses only, config defaults. */
  crawl?: CrawlSettings;
  /** For tests: a second worker per process must not share the first one's identity. */
  identity?: string;
}

export async function createConversationWorker(options: WorkerOptions): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await NativeConnection.connect(options.temporal);
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: await workflowBundle(),
    activities: createActivities({
      db: options.runtime.db, graph: options.runtime.graph, faultDelayMs: options.faultDelayMs ?? 0,
      embedder: options.runtime.embedder, crawl: options.crawl ?? crawlSettings({}),
    }),
    ...(options.identity ? { identity: options.identity } : {}),
  });
  return { worker, connection };
}

/** Crawl settings from the configuration (the defaults of each variable where it is not set). */
export function crawlSettings(config: Partial<Pick<Config,
  'FETCH_ALLOW_HOSTS' | 'FETCH_TIMEOUT_MS' | 'FETCH_MAX_BYTES' | 'CRAWL_CONCURRENCY' | 'CRAWL_DELAY_MS' | 'CRAWL_USER_AGENT'>>): CrawlSettings {
  return {
    policy: parseAllowList(config.FETCH_ALLOW_HOSTS),
    userAgent: config.CRAWL_USER_AGENT ?? 'customer-agent/0.1 (+self-hosted support agent)',
    concurrency: config.CRAWL_CONCURRENCY ?? 2,
    delayMs: config.CRAWL_DELAY_MS ?? 250,
    ...(config.FETCH_TIMEOUT_MS ? { timeoutMs: config.FETCH_TIMEOUT_MS } : {}),
    ...(config.FETCH_MAX_BYTES ? { maxBytes: config.FETCH_MAX_BYTES } : {}),
  };
}
