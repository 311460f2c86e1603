/**
 * The keys npm start keeps in its data directory (workers/keys.ts): the install's root key, made once and
 * kept private, and the demo chat page's widget key, made again when it no longer works for the page.
 * On the test database (PGlite in memory unless TEST_DATABASE says otherwise); no Temporal.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findKeyBySecret, listKeys, revokeKey } from '../../../db/api-keys.js';
import type { Db } from '../../../db/types.js';
import { DEFAULT_WORKSPACE_ID } from '../../../domain/access.js';
import { loadConfig } from '../../../workers/config.js';
import { chooseRootKey, ensureDemoWidgetKey, ensureRootKey } from '../../../workers/keys.js';
import { appCaller, inProcessApp } from '../../support/app.js';
import { openTestDb } from '../../support/db.js';

let dataDir: string;
beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'keys-'));
});
afterEach(async () => {
  await fs.rm(dataDir, { recursive: true, force: true });
});

let db: Db;
// The first run of a machine builds PGlite's migrated template (test/support/db.ts): give it time.
beforeAll(async () => {
  db = await openTestDb();
}, 120_000);
afterAll(async () => db?.close());

const modeOf = async (file: string) => (await fs.stat(file)).mode & 0o777;

describe('the root key npm start makes when ADMIN_API_KEY is not set', () => {
  it('is generated once into the data directory, readable by its owner only, and the same key on the next start', async () => {
    const first = await ensureRootKey(dataDir);
    expect(first.generated).toBe(true);
    expect(first.file).toBe(path.join(dataDir, 'admin-api-key'));
    expect((await fs.readFile(first.file, 'utf8')).trim()).toBe(first.key);
    expect(await modeOf(first.file)).toBe(0o600);

    const second = await ensureRootKey(dataDir);
    expect(second).toEqual({ key: first.key, file: first.file, generated: false });
  });

  it('is a valid ADMIN_API_KEY and opens the API as the root key', async () => {
    const { key } = await ensureRootKey(dataDir);
    expect(loadConfig({ ADMIN_API_KEY: key }).ADMIN_API_KEY).toBe(key);
    const call = appCaller(inProcessApp(db, key), key);
    expect((await call('GET', '/v1/agents')).status).toBe(200);
    expect((await call('POST', '/v1/workspaces', { name: 'Second shop' })).status).toBe(201);
  });

  it('ADMIN_API_KEY wins: the data directory is neither read nor written', async () => {
    const fromEnv = 'ca_root_set_by_the_operator_0123456789';
    expect(await chooseRootKey(fromEnv, dataDir)).toEqual({ key: fromEnv, from: 'env' });
    expect(await fs.readdir(dataDir)).toEqual([]);

    // Even when a generated key is already kept there.
    const kept = await ensureRootKey(dataDir);
    expect(await chooseRootKey(fromEnv, dataDir)).toEqual({ key: fromEnv, from: 'env' });
    expect(await chooseRootKey(undefined, dataDir)).toEqual({ ...kept, generated: false, from: 'file' });
  });
});

describe('the demo chat page’s widget key', () => {
  const page = ['http://127.0.0.1:3000', 'http://localhost:3000'];

  it('is a widget key for the demo agent from the page’s origins, kept owner-only and the same on the next start', async () => {
    const key = await ensureDemoWidgetKey(db, dataDir, page);
    const file = path.join(dataDir, 'demo-widget-key');
    expect((await fs.readFile(file, 'utf8')).trim()).toBe(key);
    expect(await modeOf(file)).toBe(0o600);
    expect(await findKeyBySecret(db, key)).toMatchObject({
      workspaceId: DEFAULT_WORKSPACE_ID, role: 'widget', agentIds: ['demo'], allowedOrigins: page,
    });

    const live = (await listKeys(db, DEFAULT_WORKSPACE_ID)).length;
    expect(await ensureDemoWidgetKey(db, dataDir, page)).toBe(key);
    expect((await listKeys(db, DEFAULT_WORKSPACE_ID)).length).toBe(live);
  });

  it('is made again when the kept one was revoked', async () => {
    const key = await ensureDemoWidgetKey(db, dataDir, page);
    const record = await findKeyBySecret(db, key);
    expect(await revokeKey(db, DEFAULT_WORKSPACE_ID, record!.id)).toBe(true);

    const remade = await ensureDemoWidgetKey(db, dataDir, page);
    expect(remade).not.toBe(key);
    expect(await findKeyBySecret(db, remade)).toMatchObject({ role: 'widget', allowedOrigins: page });
    expect((await fs.readFile(path.join(dataDir, 'demo-widget-key'), 'utf8')).trim()).toBe(remade);
  });

  it('is made again when the page moved to an origin the kept one does not allow (another port)', async () => {
    const key = await ensureDemoWidgetKey(db, dataDir, page);
    const moved = ['http://127.0.0.1:3001', 'http://localhost:3001'];

    const remade = await ensureDemoWidgetKey(db, dataDir, moved);
    expect(remade).not.toBe(key);
    expect(await findKeyBySecret(db, remade)).toMatchObject({ role: 'widget', agentIds: ['demo'], allowedOrigins: moved });
    expect(await ensureDemoWidgetKey(db, dataDir, moved)).toBe(remade);
  });
});
