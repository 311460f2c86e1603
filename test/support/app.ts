/**
 * The HTTP app alone, in-process, on a real database and without Temporal: for tests of the contract and
 * of routes that never reach a conversation. A conversation call fails the test, naming what was called.
 */
import { randomBytes } from 'node:crypto';
import { createApp } from '../../api/app.js';
import type { ApiDeps } from '../../api/deps.js';
import { createSecretBox } from '../../db/secret-box.js';
import type { Db } from '../../db/types.js';

const notUsed = (what: string) => () => {
  throw new Error(`${what} is not used by this test`);
};

/** `overrides` replace deps, e.g. a `fetchPolicy` that lets a test reach its own server on loopback. */
export function inProcessApp(db: Db, rootKey: string, overrides: Partial<ApiDeps> = {}) {
  return createApp({
    db,
    conversations: {
      send: notUsed('conversations.send'), deliver: notUsed('conversations.deliver'), human: notUsed('conversations.human'),
      // Deleting a person or a team tells their conversations; without Temporal there are none running to tell.
      requeue: async () => {}, teamRemoved: async () => {},
    },
    ingest: notUsed('ingest'),
    access: { rootKey, rateLimitPerKey: 0, rateLimitPerWidgetClient: 0, trustProxy: false },
    secrets: createSecretBox(randomBytes(32).toString('hex')),
    ...overrides,
  }, { log: () => {} });
}

export type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;

/** Calls the in-process app with `key`, JSON in and out. */
export function appCaller(app: ReturnType<typeof inProcessApp>, key: string): Call {
  return async (method, path, body) => {
    const headers: Record<string, string> = { authorization: `Bearer ${key}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await app.request(path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
}
