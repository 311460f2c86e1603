import type { Migration } from './index.js';

/** Agents, their knowledge sources and the searchable chunks (full text + embedding). */
export const knowledge: Migration = {
  version: 1,
  name: 'knowledge',
  sql: ({ embeddingDimensions }) => `
    CREATE TABLE agents (
      id               text PRIMARY KEY,
      name             text NOT NULL,
      personality      text,
      default_language text NOT NULL DEFAULT 'en',
      settings         jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at       timestamptz NOT NULL DEFAULT now(),
      updated_at       timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE sources (
      id           text PRIMARY KEY,
      agent_id     text NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
      type         text NOT NULL CHECK (type IN ('text', 'markdown', 'html')),
      kind         text NOT NULL DEFAULT 'article',
      title        text NOT NULL,
      url          text,
      status       text NOT NULL DEFAULT 'ready',
      enabled      boolean NOT NULL DEFAULT true,
      content_hash text,
      chunk_count  integer NOT NULL DEFAULT 0,
      metadata     jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at   timestamptz NOT NULL DEFAULT now(),
      updated_at   timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX sources_agent_idx ON sources (agent_id, created_at);

    -- agent_id is denormalised from the source so every search filters one tenant without a join.
    CREATE TABLE chunks (
      id         text PRIMARY KEY,
      agent_id   text NOT NULL,
      source_id  text NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
      ord        integer NOT NULL,
      title      text NOT NULL,
      heading    text,
      text       text NOT NULL,
      language   text NOT NULL,
      ts_config  regconfig NOT NULL,
      tsv        tsvector NOT NULL,
      embedding  vector(${embeddingDimensions}) NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (source_id, ord)
    );
    -- (agent_id, ts_config) also serves agent-only lookups and the per-agent distinct-config skip scan.
    CREATE INDEX chunks_agent_config_idx ON chunks (agent_id, ts_config);
    CREATE INDEX chunks_tsv_idx ON chunks USING gin (tsv);
    CREATE INDEX chunks_embedding_idx ON chunks USING hnsw (embedding vector_cosine_ops);
  `,
};
