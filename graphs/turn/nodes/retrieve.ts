/** Hybrid retrieval through the injected retriever: the graph's only read of the knowledge base. */
import type { Retriever } from '../../../knowledge/types.js';
import type { TurnStateType, TurnUpdate } from '../annotation.js';
import type { Clock } from '../clock.js';
import { RETRIEVE } from '../names.js';

export function createRetrieveNode({ retriever, clock, limit }: { retriever: Retriever; clock: Clock; limit: number }) {
  return async function retrieveNode({ input, queryLanguage }: TurnStateType): Promise<TurnUpdate> {
    const started = clock().getTime();
    const passages = await retriever.retrieve({
      agentId: input.agent.id,
      text: input.message.text,
      limit,
      ...(queryLanguage ? { language: queryLanguage } : {}),
    });
    return {
      path: [RETRIEVE],
      passages,
      scores: { retrieved: passages.length, retrieveMs: Math.max(0, clock().getTime() - started) },
    };
  };
}
