/** Composition of every activity the worker registers. */
import type { Db } from '../db/types.js';
import type { TurnGraph } from '../graphs/turn/graph.js';
import { createConversationActivities } from './conversation.js';
import { createTurnActivities } from './turn.js';

export function createActivities(deps: { db: Db; graph: TurnGraph; faultDelayMs?: number }) {
  return {
    ...createConversationActivities(deps),
    ...createTurnActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { ConversationActivities } from './conversation.js';
export type { TurnActivities } from './turn.js';
