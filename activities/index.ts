/** Composition of every activity the worker registers. */
import type { Db } from '../db/types.js';
import type { EventNotifier } from '../domain/events.js';
import type { TurnGraph } from '../graphs/turn/graph.js';
import type { Embedder } from '../knowledge/types.js';
import { createConversationActivities, refusalsAreFinal } from './conversation.js';
import { createHandoffActivities } from './handoff.js';
import { createSourceSyncActivities, type CrawlSettings } from './source-sync.js';
import { createTrialActivities } from './trial.js';
import { createTurnActivities } from './turn.js';

export function createActivities(deps: { db: Db; graph: TurnGraph; faultDelayMs?: number; embedder: Embedder; crawl: CrawlSettings; notifier?: EventNotifier }) {
  return {
    ...createConversationActivities(deps),
    ...createTurnActivities(deps),
    ...createSourceSyncActivities(deps),
    ...createTrialActivities(deps),
    ...refusalsAreFinal(createHandoffActivities(deps)),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { ConversationActivities } from './conversation.js';
export type { TurnActivities } from './turn.js';
export type { SourceSyncActivities, CrawlSettings } from './source-sync.js';
export type { TrialActivities } from './trial.js';
export type { HandoffActivities } from './handoff.js';
