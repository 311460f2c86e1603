/**
 * Keys the dev launcher keeps in the data directory: the install's root key when ADMIN_API_KEY is not
 * set, and a widget key for the demo chat page. Files are created 0600 and never logged.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { createKey, findKeyBySecret } from '../db/api-keys.js';
import type { Queryable } from '../db/types.js';
import { DEFAULT_WORKSPACE_ID } from '../domain/access.js';
import { HandoffSettings } from '../domain/handoff.js';
import { getAgent, updateAgent } from '../db/agents.js';
import { createTeam, createUser, listUsers } from '../db/people.js';

const ROOT_KEY_FILE = 'admin-api-key';
const DEMO_WIDGET_KEY_FILE = 'demo-widget-key';
const SECRETS_KEY_FILE = 'secrets-key';

/** Where npm start's root key came from: ADMIN_API_KEY, or the data directory's file (`generated` just now or not). */
export type RootKey = { key: string; from: 'env' } | { key: string; from: 'file'; file: string; generated: boolean };

/** ADMIN_API_KEY when set (the data directory is then neither read nor written), else the key kept there. */
export async function chooseRootKey(adminApiKey: string | undefined, dataDir: string): Promise<RootKey> {
  if (adminApiKey) return { key: adminApiKey, from: 'env' };
  return { ...(await ensureRootKey(dataDir)), from: 'file' };
}

/** The root key from DATA_DIR, generated on first use; `generated` says whether it was made just now. */
export async function ensureRootKey(dataDir: string): Promise<{ key: string; file: string; generated: boolean }> {
  return ensureKeyFile(join(dataDir, ROOT_KEY_FILE), () => `ca_root_${randomBytes(24).toString('hex')}`);
}

/** The key deployments' secrets are sealed with (SECRETS_KEY), generated on first use. Losing it loses those secrets. */
export async function ensureSecretsKey(dataDir: string): Promise<{ key: string; file: string; generated: boolean }> {
  return ensureKeyFile(join(dataDir, SECRETS_KEY_FILE), () => randomBytes(32).toString('hex'));
}

async function ensureKeyFile(file: string, make: () => string): Promise<{ key: string; file: string; generated: boolean }> {
  const existing = await readKey(file);
  if (existing) return { key: existing, file, generated: false };
  const key = make();
  await fs.writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' }).catch(async (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
  });
  const stored = await readKey(file);
  return { key: stored ?? key, file, generated: stored === key };
}

/** A live widget key for the demo agent, allowed from the chat page's origins; re-made if revoked. */
export async function ensureDemoWidgetKey(db: Queryable, dataDir: string, origins: string[]): Promise<string> {
  const file = join(dataDir, DEMO_WIDGET_KEY_FILE);
  const existing = await readKey(file);
  const live = existing ? await findKeyBySecret(db, existing) : undefined;
  if (existing && live && origins.every((o) => live.allowedOrigins.includes(o))) return existing;
  const { key } = await createKey(db, {
    workspaceId: DEFAULT_WORKSPACE_ID, name: 'demo chat page', role: 'widget', agentIds: ['demo'], allowedOrigins: origins, createdBy: 'root',
  });
  await fs.writeFile(file, `${key}\n`, { mode: 0o600 });
  return key;
}

/**
 * A first team and person for the demo, so the inbox has someone to act as and handoffs a queue to wait
 * in. Only when the default workspace has nobody yet: a team that made its own people is left alone.
 */
export async function ensureDemoTeam(db: Queryable): Promise<void> {
  if ((await listUsers(db, DEFAULT_WORKSPACE_ID)).length > 0) return;
  const team = await createTeam(db, DEFAULT_WORKSPACE_ID, 'Support');
  await createUser(db, DEFAULT_WORKSPACE_ID, { name: 'You (demo)', email: 'you@demo.invalid', teamIds: [team.id] });
  const demo = await getAgent(db, 'demo');
  if (demo && !demo.settings.handoff) {
    await updateAgent(db, DEFAULT_WORKSPACE_ID, 'demo', { settings: { ...demo.settings, handoff: HandoffSettings.parse({ assignTo: { type: 'teams', ids: [team.id] } }) } });
  }
}

async function readKey(file: string): Promise<string | undefined> {
  try {
    return (await fs.readFile(file, 'utf8')).trim() || undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
