import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddingDimensionMismatchError } from '../../../db/migrate.js';
import { openDb } from '../../../db/open.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('embedding dimension of a database', () => {
  it('refuses to open a data directory made for another embedder, saying what to do', async () => {
    dir = await mkdtemp(join(tmpdir(), 'ca-dims-'));
    const first = await openDb({ dataDir: dir, embeddingDimensions: 384 });
    await first.close();

    const error = await openDb({ dataDir: dir, embeddingDimensions: 512 }).then(
      async (db) => { await db.close(); return undefined; },
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(EmbeddingDimensionMismatchError);
    expect((error as Error).message).toMatch(
      /stores 384-dimensional embeddings.*produces 512.*EMBEDDING_DIMENSIONS=384.*new database.*add the sources again/s,
    );
  });
});
