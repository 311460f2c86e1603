/**
 * The HTTP app alone, in-process, on a real database and without Temporal: for tests of the contract and
 * of routes that never reach a conversation. A conversation call fails the test, naming what was called.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { createApp } from '../../api/app.js';
import type { ApiDeps } from '../../api/deps.js';
import { createSecretBox } from '../../db/secret-box.js';
import type { Db } from '../../db/types.js';
import { openTestDb } from './db.js';

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

/**
 * The in-process app on a fresh test database for one test file: opened before its tests, closed after.
 * `caller(key)` calls it with that key; `root` with the install's root key.
 */
export function useInProcessApp() {
  const rootKey = `ca_root_${randomBytes(16).toString('hex')}`;
  let db: Db | undefined;
  let app: ReturnType<typeof inProcessApp> | undefined;
  beforeAll(async () => {
    db = await openTestDb();
    app = inProcessApp(db, rootKey);
  });
  afterAll(async () => db?.close());
  return {
    rootKey,
    get db(): Db { return db!; },
    caller: (key: string): Call => appCaller(app!, key),
  };
}
