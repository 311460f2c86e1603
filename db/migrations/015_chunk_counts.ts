import type { Migration } from './index.js';

/**
 * How many chunks each agent has per text-search configuration, kept by statement triggers on chunks,
 * and an index of each agent's short answers. Retrieval read both by scanning the agent's chunks on every
 * question (BM25's document count, the configurations to search, the short answers among thousands of
 * article chunks): 5–10 ms of a 5,500-chunk agent's question on PostgreSQL, growing with the knowledge
 * base. A statement trigger adds one upsert per insert or delete statement (one per ingested source); two
 * sources of one agent stored at once wait for each other only between that upsert and their commit.
 */
export const chunkCounts: Migration = {
  version: 15,
  name: 'chunk_counts',
  sql: () => `
    CREATE TABLE chunk_counts (
      agent_id  text NOT NULL,
      ts_config regconfig NOT NULL,
      n         bigint NOT NULL CHECK (n >= 0),
      PRIMARY KEY (agent_id, ts_config)
    );
    INSERT INTO chunk_counts (agent_id, ts_config, n) SELECT agent_id, ts_config, count(*) FROM chunks GROUP BY 1, 2;

    CREATE FUNCTION chunk_counts_added() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO chunk_counts (agent_id, ts_config, n)
      SELECT agent_id, ts_config, count(*) FROM added GROUP BY 1, 2 ORDER BY 1, 2
      ON CONFLICT (agent_id, ts_config) DO UPDATE SET n = chunk_counts.n + EXCLUDED.n;
      RETURN NULL;
    END $$;
    CREATE FUNCTION chunk_counts_removed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE chunk_counts k SET n = k.n - r.n
        FROM (SELECT agent_id, ts_config, count(*) AS n FROM removed GROUP BY 1, 2) r
       WHERE k.agent_id = r.agent_id AND k.ts_config = r.ts_config;
      RETURN NULL;
    END $$;
    CREATE TRIGGER chunks_counted_on_insert AFTER INSERT ON chunks
      REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION chunk_counts_added();
    CREATE TRIGGER chunks_counted_on_delete AFTER DELETE ON chunks
      REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION chunk_counts_removed();

    CREATE INDEX sources_short_answers_idx ON sources (agent_id) WHERE type = 'short_answer';
  `,
};
