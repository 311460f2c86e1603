/**
 * The Temporal worker for conversations. The workflow bundle is built once per version of the code, in a
 * child process, and reused from disk (workers/workflow-bundle.ts).
 */
import type { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createWebhookNotifier, workflowDeliveryStarter } from '../activities/event-notifier.js';
import { createActivities, type CrawlSettings } from '../activities/index.js';
import { createActionCaller } from '../actions/http.js';
import { createPoster } from '../knowledge/fetch/post.js';
import { parseAllowList } from '../knowledge/fetch/policy.js';
import { channelSettings, verificationSettings, webhookSettings, type ChannelSettings, type Config } from './config.js';
import { rememberMessage } from '../channels/email/thread.js';
import { createSenders } from '../channels/senders.js';
import { createPlainEmailSender } from '../channels/email/send.js';
import { workflowOutboundStarter } from '../activities/outbound.js';
import type { Runtime } from './runtime.js';
import type { TemporalConnectionOptions } from './temporal-connection.js';
import { workflowBundle } from './workflow-bundle.js';

export interface WorkerOptions {
  /** From temporalConnectionOptions(): address, and TLS or an API key for a real cluster. */
  temporal: TemporalConnectionOptions;
  namespace: string;
  taskQueue: string;
  runtime: Pick<Runtime, 'db' | 'graph' | 'embedder' | 'secrets'>;
  faultDelayMs?: number;
  /** URL sync: what may be fetched and how politely. Default: public addresses only, config defaults. */
  crawl?: CrawlSettings;
  /**
   * Starts webhook deliveries when activities emit events; a Client on the same connection settings
   * (startSystem passes its own). Without one, events are stored but no webhook hears of them: only
   * for tests that start a bare worker.
   */
  client?: Client;
  /** Webhook deliveries: retry time, first backoff, per-POST timeout. Default: config defaults. */
  webhooks?: ReturnType<typeof webhookSettings>;
  /** Replies on asynchronous channels: retries and where each channel sends. Default: config defaults. */
  channels?: ChannelSettings;
  /** For tests: a second worker per process must not share the first one's identity. */
  identity?: string;
  /** One-time email codes: how long one works (VERIFICATION_CODE_TTL_SECONDS). Default: config defaults. */
  verification?: ReturnType<typeof verificationSettings>;
  /** Conversations kept in memory between messages (WORKER_MAX_CACHED_WORKFLOWS); the SDK's default when absent. */
  maxCachedWorkflows?: number;
}

/** The User-Agent of webhook deliveries. */
export const WEBHOOK_USER_AGENT = 'customer-agent-webhooks/0.1';

export async function createConversationWorker(options: WorkerOptions): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await NativeConnection.connect(options.temporal);
  const crawl = options.crawl ?? crawlSettings({});
  const webhooks = options.webhooks ?? webhookSettings({});
  const channels = options.channels ?? channelSettings({});
  const verification = options.verification ?? verificationSettings({});
  const sendEmail = createPlainEmailSender(channels.smtpUrl ? { smtpUrl: channels.smtpUrl } : {});
  // Events emitted by activities (the trial's, conversations') start one delivery workflow per webhook.
  const notifier = options.client && createWebhookNotifier({
    db: options.runtime.db,
    startDelivery: workflowDeliveryStarter({ client: options.client, taskQueue: options.taskQueue }),
    retryForMs: webhooks.retryForMs,
    retryInitialMs: webhooks.retryInitialMs,
  });
  // Deliveries pass the same address guard (FETCH_ALLOW_HOSTS) as URL sync, at every attempt.
  const post = createPoster({ policy: crawl.policy, userAgent: WEBHOOK_USER_AGENT, timeoutMs: webhooks.timeoutMs });
  // Workflows run in the SDK's worker thread. In the main thread (debugMode, with a 5 s isolate timeout
  // kept) a turn was slower, not faster: 60.0/75.8 ms p50 against 48.9/52.3, its local activity 34.6/43.2 ms
  // against 26.3/27.6 (PGlite, paired runs): measured, not adopted.
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: await workflowBundle(),
    activities: createActivities({
      db: options.runtime.db, graph: options.runtime.graph, faultDelayMs: options.faultDelayMs ?? 0,
      embedder: options.runtime.embedder, crawl, post, ...(notifier ? { notifier } : {}),
      // The trial's reminder and the codes go out through the same SMTP server as email replies.
      ...(sendEmail ? { sendEmail } : {}),
      actions: { call: createActionCaller({ policy: crawl.policy }), ...(options.runtime.secrets ? { secrets: options.runtime.secrets } : {}) },
      // Codes go out through the same SMTP server as email replies.
      verification: {
        codeTtlMs: verification.codeTtlMs, ...(sendEmail ? { sendEmail } : {}),
        ...(options.runtime.secrets ? { secrets: options.runtime.secrets } : {}),
      },
      outbound: {
        ...(options.runtime.secrets ? { secrets: options.runtime.secrets } : {}),
        // A custom channel's URL is the customer's to choose: its replies pass the same guard as webhooks.
        senders: createSenders({
          post, graphBaseUrl: channels.graphBaseUrl, ...(channels.smtpUrl ? { smtpUrl: channels.smtpUrl } : {}),
          // An email reply's Message-ID maps to its conversation, so the customer's answer to it threads back.
          emailThreads: { remember: (t) => rememberMessage(options.runtime.db, t) },
        }),
        ...(options.client ? { startOutbound: workflowOutboundStarter({ client: options.client, taskQueue: options.taskQueue }) } : {}),
        retryForMs: channels.retryForMs, retryInitialMs: channels.retryInitialMs, ...(channels.faultDelayMs ? { faultDelayMs: channels.faultDelayMs } : {}),
      },
    }),
    ...(options.identity ? { identity: options.identity } : {}),
    // The SDK refuses more concurrent workflow tasks than cached workflows (it lowers them, warning).
    ...(options.maxCachedWorkflows !== undefined ? {
      maxCachedWorkflows: options.maxCachedWorkflows,
      ...(options.maxCachedWorkflows > 0 && options.maxCachedWorkflows < 40 ? { maxConcurrentWorkflowTaskExecutions: Math.max(2, options.maxCachedWorkflows) } : {}),
    } : {}),
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
