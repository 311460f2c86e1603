import { it } from 'vitest';
import { createAgent } from '../db/agents.js';
import { toVectorParam } from '../db/vector-type.js';
import { ingestSource } from '../knowledge/ingest.js';
import { openTestDb } from '../test/support/db.js';
import { hashEmbedder, longArticle } from '../test/int/knowledge/helpers.js';
it('plan', async () => {
  for (let round = 0; round < 3; round++) {
  const db = await openTestDb();
  const embedder = hashEmbedder();
  const agent = await createAgent(db, { name: 'Big help centre' });
  for (let a = 0; a < 40; a++) await ingestSource(db, embedder, { agentId: agent.id, type: 'markdown', title: `Topic ${a}`, content: longArticle(`topic ${a}`, 25) });
  const [vector] = await embedder.embed(['detail about topic 7']);
  for (const off of [false, true]) {
    const plan = await db.transaction(async (tx) => {
      await tx.query(`SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true)`);
      if (off) await tx.query(`SET LOCAL enable_indexscan = off`);
      const { rows } = await tx.query<{ 'QUERY PLAN': string }>('EXPLAIN SELECT id FROM chunks WHERE agent_id = $1 ORDER BY embedding <=> $2::vector LIMIT 40', [agent.id, toVectorParam(vector!)]);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    console.log(plan);
  }
  const s = await db.query(`select relname, reltuples, relpages from pg_class where relname in ('chunks','chunks_embedding_idx')`); console.log(JSON.stringify(s.rows));
  const v = await db.query(`select extversion from pg_extension where extname='vector'`); console.log(JSON.stringify(v.rows));
  await db.close();
  }
}, 300000);
