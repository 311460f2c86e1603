/** Hybrid retrieval through the injected retriever: the graph's only read of the knowledge base. */
import type { Retriever } from '../../../knowledge/types.js';
import type { TurnStateType, TurnUpdate } from '../annotation.js';
import type { Clock } from '../clock.js';
import { RETRIEVE } from '../names.js';

export function createRetrieveNode({ retriever, clock, limit }: { retriever: Retriever; clock: Clock; limit: number }) {
  return async function retrieveNode({ input, queryLanguage, question, topic }: TurnStateType): Promise<TurnUpdate> {
    const started = clock().getTime();
    const ask = (text: string, n: number) => retriever.retrieve({ agentId: input.agent.id, text, limit: n, ...(queryLanguage ? { language: queryLanguage } : {}) });
    let passages = await ask(question, limit);
    if (topic !== undefined) {
      // A picked topic: only its passages, found with the original question (and the topic's name when needed).
      const own = (ps: typeof passages) => ps.filter((p) => p.title === topic && !p.shortAnswer);
      passages = own(passages);
      if (passages.length === 0) passages = own(await ask(`${topic}: ${question}`, limit * 2));
    }
    return {
      path: [RETRIEVE],
      passages,
      scores: { retrieved: passages.length, retrieveMs: Math.max(0, clock().getTime() - started) },
    };
  };
}
