/** Tells the customer a person takes over and returns the handoff intent; the workflow requests it. */
import type { TurnStateType, TurnUpdate } from '../annotation.js';
import { messagesFor } from '../messages.js';
import { HANDOFF } from '../names.js';

export function handoffNode({ decision, language }: TurnStateType): TurnUpdate {
  const reason = decision?.kind === 'handoff' ? decision.reason : 'human_requested';
  const m = messagesFor(language);
  return {
    path: [HANDOFF],
    reply: {
      text: reason === 'human_requested' || reason === 'custom_trigger' ? m.handoffRequested() : m.handoffAfterMisses(),
      kind: 'handoff',
      sources: [],
      language,
      confidence: decision?.confidence ?? 1,
    },
    intent: { handoff: { reason } },
    // A person takes over; if the conversation comes back to the agent, misses count afresh.
    missStreak: 0,
    responder: 'fixed_message',
  };
}
