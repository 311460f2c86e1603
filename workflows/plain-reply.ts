/**
 * Which turn results the conversation workflow sends exactly as the turn gave them: no contact write, no
 * code to email, no lead to announce, no action to run and no handoff to route (carryOut and shapeHandoff
 * in conversation.ts leave such a result as it is). Their reply can be recorded in the turn's own
 * activity (activities/message.ts). Pure: the workflow and the activity share it.
 */
import type { TurnIntent } from '../graphs/turn/state.js';

export function repliesAsThought(intent: TurnIntent): boolean {
  return !intent.handoff && !intent.verifyFor && !intent.crm && !intent.leadQualified && !intent.action;
}
