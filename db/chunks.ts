/** Stored chunks of a source. Written only inside the ingestion transaction. */
import type { Queryable } from './types.js';
import { toVectorParam } from './vector-type.js';

export interface NewChunk {
  id: string;
  ord: number;
  title: string;
  heading?: string;
  /** Where in its source the chunk is ('page 3'), cited with it. */
  location?: string;
  text: string;
  /** Two-letter code the chunk was detected in (or the agent default). */
  language: string;
  /** PostgreSQL text-search configuration for that language ('simple' when unsupported). */
  tsConfig: string;
  embedding: readonly number[];
}

const COLUMNS_PER_ROW = 9;

/**
 * Inserts chunks in one statement. The tsvector weighs the title (A) and heading path (B) above the
 * body (D), so ts_rank_cd prefers chunks whose headings name the topic.
 */
export async function insertChunks(db: Queryable, agentId: string, sourceId: string, chunks: readonly NewChunk[]): Promise<void> {
  if (chunks.length === 0) return;
  const params: unknown[] = [agentId, sourceId];
  const values = chunks.map((c, i) => {
    const p = (k: number) => `$${3 + i * COLUMNS_PER_ROW + k}`;
    params.push(c.id, c.ord, c.title, c.heading ?? null, c.text, c.language, c.tsConfig, toVectorParam(c.embedding), c.location ?? null);
    return `(${p(0)}, $1, $2, ${p(1)}::int, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}::regconfig,
      setweight(to_tsvector(${p(6)}::regconfig, ${p(2)}), 'A') ||
      setweight(to_tsvector(${p(6)}::regconfig, coalesce(${p(3)}, '')), 'B') ||
      setweight(to_tsvector(${p(6)}::regconfig, ${p(4)}), 'D'),
      ${p(7)}::vector, ${p(8)})`;
  });
  await db.query(
    `INSERT INTO chunks (id, agent_id, source_id, ord, title, heading, text, language, ts_config, tsv, embedding, location)
     VALUES ${values.join(',\n')}`,
    params,
  );
}

export async function deleteChunksOfSource(db: Queryable, agentId: string, sourceId: string): Promise<void> {
  await db.query('DELETE FROM chunks WHERE agent_id = $1 AND source_id = $2', [agentId, sourceId]);
}
