/**
 * One process running the whole product against a Temporal address: runtime, worker, API and chat page.
 * `npm start` uses it on embedded defaults; tests and benchmarks use it against their own servers.
 * Nothing here is shared state another process would need: any number of these can run side by side.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime as TemporalRuntime } from '@temporalio/worker';
import { createWebhookNotifier, workflowDeliveryStarter } from '../activities/event-notifier.js';
import type { EmailListener } from '../channels/email/listener.js';
import { createConversationClient } from '../api/conversation-client.js';
import { isLoopbackHost } from '../api/middleware/loopback-host.js';
import type { Db } from '../db/types.js';
import { ConfigError, channelSettings, trialDurations, verificationSettings, webhookSettings, type Config } from './config.js';
import { startReconciler } from './reconcile.js';
import { createRuntime, type Runtime } from './runtime.js';
import { createSourceSyncClient } from '../api/source-sync.js';
import { createTrialClient } from '../api/trial-client.js';
import { temporalConnectionOptions } from './temporal-connection.js';
import { crawlSettings, createConversationWorker } from './worker.js';

export interface System {
  url: string;
  /** The SMTP listener's port, when SMTP_LISTEN_PORT is set. */
  smtpPort?: number;
  runtime: Runtime;
  client: Client;
  stop(): Promise<void>;
}

export interface SystemOptions {
  temporalAddress: string;
  db?: Db;
  /** Run a worker in this process (default true). */
  worker?: boolean;
  /** Serve the HTTP API in this process (default true). */
  api?: boolean;
  beforeServe?: (runtime: Runtime) => Promise<void>;
}

let runtimeInstalled = false;

/** The SDK's logger follows LOG_LEVEL; it can be set once per process, before the first connection. */
function installTemporalRuntime(level: Config['LOG_LEVEL']): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    TemporalRuntime.install({ logger: new DefaultLogger(level.toUpperCase() as 'DEBUG' | 'INFO' | 'WARN' | 'ERROR') });
  } catch {
    // Already installed by the embedding process (a test harness, a bench): keep its logger.
  }
}

export async function startSystem(config: Config, options: SystemOptions): Promise<System> {
  // Settings that can be wrong are checked before anything starts.
  const temporal = temporalConnectionOptions(options.temporalAddress, config);
  const trial = trialDurations(config);
  installTemporalRuntime(config.LOG_LEVEL);
  const runtime = await createRuntime(config, options.db ? { db: options.db } : {});
  await options.beforeServe?.(runtime);

  const connection = await Connection.connect(temporal);
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });

  let workerRun: Promise<void> | undefined;
  let shutdownWorker: (() => Promise<void>) | undefined;
  if (options.worker !== false) {
    const { worker, connection: workerConnection } = await createConversationWorker({
      temporal,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      runtime,
      faultDelayMs: config.FAULT_TURN_DELAY_MS,
      crawl: crawlSettings(config),
      client,
      webhooks: webhookSettings(config),
      channels: channelSettings(config),
      verification: verificationSettings(config),
      maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    });
    workerRun = worker.run();
    const reconciler = startReconciler({
      client, db: runtime.db, intervalMs: config.RECONCILE_INTERVAL_SECONDS * 1000,
      log: (line) => console.error(JSON.stringify(line)),
    });
    shutdownWorker = async () => {
      await reconciler.stop();
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await workerRun;
      await workerConnection.close();
    };
  }

  let server: ServerType | undefined;
  let url = '';
  const conversations = createConversationClient({ client, taskQueue: config.TEMPORAL_TASK_QUEUE, replyTimeoutMs: config.REPLY_TIMEOUT_MS });
  if (options.api !== false) {
    if (!config.ADMIN_API_KEY) throw new ConfigError('the API needs ADMIN_API_KEY, the install\'s root key (at least 24 characters; e.g. openssl rand -hex 24)');
    const webhooks = webhookSettings(config);
    // Loaded only where the API runs: a worker-only process never holds the routes (~14 MB).
    const { createApp } = await import('../api/app.js');
    const app = createApp({
      access: {
        rootKey: config.ADMIN_API_KEY,
        rateLimitPerKey: config.RATE_LIMIT_PER_MINUTE,
        rateLimitPerWidgetClient: config.WIDGET_RATE_LIMIT_PER_MINUTE,
        trustProxy: config.TRUST_PROXY,
      },
      db: runtime.db,
      conversations,
      ingest: runtime.ingest,
      files: runtime.files,
      sourceSync: createSourceSyncClient({
        client, taskQueue: config.TEMPORAL_TASK_QUEUE,
        defaultIntervalHours: config.SOURCE_SYNC_INTERVAL_HOURS, minIntervalHours: config.SOURCE_SYNC_MIN_INTERVAL_HOURS,
      }),
      trial: createTrialClient({ client, taskQueue: config.TEMPORAL_TASK_QUEUE, db: runtime.db, durations: trial }),
      fetchPolicy: crawlSettings(config).policy,
      // Events the API causes reach webhooks as the worker's do: one delivery workflow per (webhook, event).
      events: createWebhookNotifier({
        db: runtime.db,
        startDelivery: workflowDeliveryStarter({ client, taskQueue: config.TEMPORAL_TASK_QUEUE }),
        retryForMs: webhooks.retryForMs,
        retryInitialMs: webhooks.retryInitialMs,
      }),
      ...(runtime.secrets ? { secrets: runtime.secrets } : {}),
      ...(config.PUBLIC_URL ? { publicUrl: config.PUBLIC_URL } : {}),
    }, {
      // Listening on loopback means "this machine only": a browser tricked into calling it under another
      // name (DNS rebinding) is refused. On other addresses, only when ALLOWED_HOSTS names the hosts.
      ...(isLoopbackHost(config.HOST) || config.ALLOWED_HOSTS.length > 0 ? { hostCheck: { allowedHosts: config.ALLOWED_HOSTS } } : {}),
    });
    server = await new Promise<ServerType>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, () => resolve(s));
      s.once('error', (e: NodeJS.ErrnoException) => reject(e.code === 'EADDRINUSE'
        ? new ConfigError(`PORT ${config.PORT} on ${config.HOST} is already in use: stop what listens there, or set PORT to a free port`)
        : e));
    });
    const { port } = server.address() as AddressInfo;
    url = `http://${config.HOST}:${port}`;
  }

  // Inbound email over SMTP, beside the HTTP route that takes the same mail.
  let smtp: EmailListener | undefined;
  if (config.SMTP_LISTEN_PORT !== undefined && options.api !== false) {
    if (!runtime.secrets) throw new ConfigError('SMTP_LISTEN_PORT needs SECRETS_KEY: email is routed to deployments, which need it');
    // Imported here: the SMTP server and MIME parser are for the API role with a listen port only.
    const { startEmailListener } = await import('../channels/email/listener.js');
    smtp = await startEmailListener({ port: config.SMTP_LISTEN_PORT, host: config.HOST, deps: { db: runtime.db, box: runtime.secrets, conversations } });
  }

  return {
    url,
    ...(smtp ? { smtpPort: smtp.port } : {}),
    runtime,
    client,
    async stop() {
      await smtp?.close();
      if (server) await new Promise<void>((resolve) => server?.close(() => resolve()));
      await shutdownWorker?.();
      await conversations.settle();
      await connection.close();
      await runtime.close();
    },
  };
}
