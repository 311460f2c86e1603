/**
 * A whole product per test file: the real worker, API, database and the run's Temporal dev server, on a
 * unique task queue so test files never see each other's work.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/types.js';
import { createWebhookNotifier, workflowDeliveryStarter } from '../../activities/event-notifier.js';
import type { EventNotifier } from '../../domain/events.js';
import { loadConfig, webhookSettings, type Config } from '../../workers/config.js';
import { startSystem, type System, type SystemOptions } from '../../workers/system.js';
import type { Article } from '../fixtures/shop-articles.js';
import { openTestDb } from './db.js';
import { temporalAddress, temporalNamespace, uniqueId } from './temporal.js';

export interface TestSystem extends System {
  db: Db;
  config: Config;
  /** The install's root key (admin of the default workspace); request() sends it unless told otherwise. */
  rootKey: string;
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
  createAgent(input?: { name?: string; defaultLanguage?: string; settings?: unknown; articles?: Article[] }): Promise<string>;
}

export interface TestSystemOptions extends Partial<Omit<SystemOptions, 'db'>> {
  /** Wraps the database the product uses (API and worker), e.g. to inject faults; `sys.db` stays the real one. */
  wrapDb?: (db: Db) => Db;
}

export async function startTestSystem(name: string, env: Record<string, string> = {}, options: TestSystemOptions = {}): Promise<TestSystem> {
  const { wrapDb, ...systemOptions } = options;
  const db = await openTestDb();
  const rootKey = `ca_root_${randomBytes(24).toString('hex')}`;
  const config = loadConfig({
    ADMIN_API_KEY: rootKey,
    SECRETS_KEY: randomBytes(32).toString('hex'),
    PORT: '0',
    DEMO: 'false',
    LOG_LEVEL: 'warn',
    TEMPORAL_NAMESPACE: temporalNamespace(),
    TEMPORAL_TASK_QUEUE: uniqueId(`q-${name}`),
    ...env,
  });
  const system = await startSystem(config, { temporalAddress: temporalAddress(), ...systemOptions, db: wrapDb ? wrapDb(db) : db });

  /** Sends the root key unless `headers` give an authorization (an empty one sends none). */
  async function request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    // One connection per request: a kept-alive socket the server has just closed would fail the test with
    // ECONNRESET on a busy machine, which says nothing about the product.
    const sent: Record<string, string> = { authorization: `Bearer ${rootKey}`, connection: 'close', ...headers };
    if (!sent.authorization) delete sent.authorization;
    const init: RequestInit = { method, headers: sent };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${system.url}${path}`, init);
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  }

  return {
    ...system,
    db,
    config,
    rootKey,
    request,
    async createAgent(input = {}) {
      const res = await request('POST', '/v1/agents', {
        name: input.name ?? 'Test Shop Assistant',
        ...(input.defaultLanguage ? { defaultLanguage: input.defaultLanguage } : {}),
        ...(input.settings ? { settings: input.settings } : {}),
      });
      if (res.status !== 201) throw new Error(`creating the agent failed: ${res.status} ${JSON.stringify(res.body)}`);
      const agentId = res.body.id as string;
      for (const a of input.articles ?? []) {
        const s = await request('POST', `/v1/agents/${agentId}/sources`, { type: a.type, title: a.title, content: a.content, ...(a.url ? { url: a.url } : {}) });
        if (s.status !== 201) throw new Error(`adding ${a.title} failed: ${s.status} ${JSON.stringify(s.body)}`);
      }
      return agentId;
    },
    async stop() {
      await system.stop();
      await db.close();
    },
  };
}

export function say(sys: TestSystem, agentId: string, conversationId: string, text: string, extra: Record<string, unknown> = {}) {
  return sys.request('POST', `/v1/agents/${agentId}/conversations/${conversationId}/messages`, {
    messageId: uniqueId('m'), text, channel: 'chat', ...extra,
  });
}

/** The worker's webhook notifier for this system, built as the worker builds it: events go out through delivery workflows. */
export function workerNotifier(sys: TestSystem): EventNotifier {
  const settings = webhookSettings(sys.config);
  return createWebhookNotifier({
    db: sys.db,
    startDelivery: workflowDeliveryStarter({ client: sys.client, taskQueue: sys.config.TEMPORAL_TASK_QUEUE }),
    retryForMs: settings.retryForMs,
    retryInitialMs: settings.retryInitialMs,
  });
}
