/** Conditional edges: pure functions of state, unit-tested on their own. */
import { END } from '@langchain/langgraph';
import type { TurnStateType } from './annotation.js';
import { ACTION, ANSWER, HANDOFF, RETRIEVE } from './names.js';

/** A request for a person skips retrieval entirely; a reply intake already wrote (a message that is not text) ends the turn. */
export function routeAfterIntake({ decision }: Pick<TurnStateType, 'decision'>): typeof HANDOFF | typeof ACTION | typeof END {
  if (decision?.kind === 'handoff') return HANDOFF;
  return decision?.kind === 'clarify' ? END : ACTION;
}

/** An action asked for ends the turn with its reply (an input question, the run, or a handoff); otherwise the knowledge answers. */
export function routeAfterAction({ reply }: Pick<TurnStateType, 'reply'>): typeof RETRIEVE | typeof END {
  return reply ? END : RETRIEVE;
}

/** Answers (short answers too) go on to the answer node; clarify and rephrase replies are complete; a second miss hands off. */
export function routeAfterDecide({ decision }: Pick<TurnStateType, 'decision'>): typeof ANSWER | typeof HANDOFF | typeof END {
  switch (decision?.kind) {
    case 'answer':
    case 'short_answer': return ANSWER;
    case 'handoff': return HANDOFF;
    default: return END;
  }
}
