/** Builds a turn graph over the in-memory help centre, with a fixed clock. */
import { createTurnGraph, runTurn } from '../../../../graphs/turn/graph.js';
import type { ActionPicker } from '../../../../graphs/turn/pickers/types.js';
import { createExtractiveResponder } from '../../../../graphs/turn/responders/extractive.js';
import type { Responder } from '../../../../graphs/turn/responders/types.js';
import type { TurnInput, TurnResult } from '../../../../graphs/turn/state.js';
import { CHUNKS } from './knowledge.js';
import { createMemoryRetriever, type Chunk } from './memory-retriever.js';

export function buildWorld({ chunks = CHUNKS, responder = createExtractiveResponder(), picker }: { chunks?: Chunk[]; responder?: Responder; picker?: ActionPicker } = {}) {
  const retriever = createMemoryRetriever(chunks);
  let tick = 0;
  // Each reading advances 5 ms, so timings in insights are deterministic.
  const clock = () => new Date(Date.UTC(2025, 0, 1) + 5 * tick++);
  const graph = createTurnGraph({ retriever, responder, clock, ...(picker ? { picker } : {}) });
  const ask = (text: string, extra: Partial<TurnInput> = {}): Promise<TurnResult> =>
    runTurn(graph, {
      agent: { id: 'agent-1', name: 'Example Shop', defaultLanguage: 'en' },
      message: { id: `m-${text.length}`, text },
      history: [],
      missStreak: 0,
      ...extra,
    });
  return { graph, retriever, ask };
}
