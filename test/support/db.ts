/**
 * A fresh, isolated database per call. TEST_DATABASE unset or `pglite`: PGlite in memory, started from
 * a migrated template cached in the OS temp dir (keyed by schema and PGlite version), which skips initdb.
 * TEST_DATABASE=postgres: a new database on the server at TEST_POSTGRES_URL, dropped on close.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { openDb, DEFAULT_EMBEDDING_DIMENSIONS } from '../../db/open.js';
import { MIGRATIONS } from '../../db/migrations/index.js';
import { openPglite } from '../../db/pglite.js';
import type { Db } from '../../db/types.js';

export const DEFAULT_TEST_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export function testDatabaseKind(): 'pglite' | 'postgres' {
  const kind = process.env.TEST_DATABASE || 'pglite';
  if (kind !== 'pglite' && kind !== 'postgres') throw new Error(`TEST_DATABASE must be pglite or postgres, not ${kind}`);
  return kind;
}

export async function openTestDb(opts: { embeddingDimensions?: number } = {}): Promise<Db> {
  const embeddingDimensions = opts.embeddingDimensions ?? DEFAULT_EMBEDDING_DIMENSIONS;
  if (testDatabaseKind() === 'pglite') {
    const { db } = await openPglite({ embeddingDimensions, loadDataDir: await pgliteTemplate(embeddingDimensions) });
    return db;
  }
  const database = await createTestDatabaseUrl();
  try {
    const db = await openDb({ databaseUrl: database.url, embeddingDimensions });
    return { ...db, close: async () => { await db.close(); await database.drop(); } };
  } catch (err) {
    await database.drop();
    throw err;
  }
}

/** An empty database on the test server (no schema yet), for tests that start the product themselves. */
export async function createTestDatabaseUrl(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = process.env.TEST_POSTGRES_URL || DEFAULT_TEST_POSTGRES_URL;
  const name = `ca_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  };
}

async function withAdmin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const templates = new Map<number, Promise<Blob>>();

function pgliteTemplate(embeddingDimensions: number): Promise<Blob> {
  let t = templates.get(embeddingDimensions);
  if (!t) {
    t = loadOrBuildTemplate(embeddingDimensions);
    templates.set(embeddingDimensions, t);
  }
  return t;
}

async function loadOrBuildTemplate(embeddingDimensions: number): Promise<Blob> {
  const file = join(tmpdir(), `customer-agent-pglite-${templateKey(embeddingDimensions)}.tar`);
  try {
    return new Blob([await readFile(file)]);
  } catch {
    // Not cached yet: build it below.
  }
  const { db, pglite } = await openPglite({ embeddingDimensions });
  const dump = await pglite.dumpDataDir('none');
  await db.close();
  // Written under a unique name and renamed: concurrent test workers never read a half-written file.
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(tmp, Buffer.from(await dump.arrayBuffer()));
  await rename(tmp, file);
  return dump;
}

function templateKey(embeddingDimensions: number): string {
  const require = createRequire(import.meta.url);
  // Package roots from their entry points: neither package exports its package.json.
  const versions = ['@electric-sql/pglite', '@electric-sql/pglite-pgvector'].map((name) => {
    const manifest = join(dirname(require.resolve(name)), '..', 'package.json');
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
  });
  const schema = MIGRATIONS.map((m) => `${m.version}:${m.sql({ embeddingDimensions })}`).join('\n');
  return createHash('sha256').update([...versions, embeddingDimensions, schema].join('\n')).digest('hex').slice(0, 16);
}
