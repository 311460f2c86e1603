/**
 * The composition root for everything that is not Temporal: database, embedder, retriever, responder,
 * action picker and the turn graph, built once per process from the one configuration.
 */
import { join } from 'node:path';
import { openDb } from '../db/open.js';
import type { Db } from '../db/types.js';
import { createTurnGraph, type TurnGraph } from '../graphs/turn/graph.js';
import { createTurnModels } from '../graphs/turn/responders/index.js';
import { createEmbedder } from '../knowledge/embedders/index.js';
import { ingestSource } from '../knowledge/ingest.js';
import { createFileIngestor, type FileIngestor } from '../knowledge/extract/ingest-file.js';
import { createRetriever } from '../knowledge/retrieve.js';
import type { Embedder, Retriever } from '../knowledge/types.js';
import type { IngestInput } from '../api/deps.js';
import { cacheDir } from './cache-dir.js';
import type { Config } from './config.js';

import { createSecretBox, type SecretBox } from '../db/secret-box.js';

export interface Runtime {
  db: Db;
  embedder: Embedder;
  retriever: Retriever;
  graph: TurnGraph;
  ingest(input: IngestInput): Promise<{ id: string; chunks: number; updated?: true }>;
  /** Uploaded files: extraction and storage (knowledge/extract). */
  files: FileIngestor;
  /** Seals deployments' secrets (SECRETS_KEY); absent when it is not set. */
  secrets?: SecretBox;
  close(): Promise<void>;
}

export async function createRuntime(config: Config, overrides: { db?: Db } = {}): Promise<Runtime> {
  const db = overrides.db ?? await openDb({
    ...(config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : { dataDir: join(config.DATA_DIR, 'pglite') }),
    embeddingDimensions: config.EMBEDDING_DIMENSIONS,
  });
  const embedder = createEmbedder(config, { modelCacheDir: cacheDir('models') });
  const retriever = createRetriever({ db, embedder });
  const { responder, picker } = await createTurnModels(config);
  const graph = createTurnGraph({ retriever, responder, picker, clock: () => new Date() });
  const files = createFileIngestor({ db, embedder, settings: config });
  return {
    db,
    embedder,
    retriever,
    graph,
    ingest: (input) => ingestSource(db, embedder, { ...input, replaceSame: true }),
    files,
    ...(config.SECRETS_KEY ? { secrets: createSecretBox(config.SECRETS_KEY) } : {}),
    close: async () => {
      await files.close();
      if (!overrides.db) await db.close();
    },
  };
}
