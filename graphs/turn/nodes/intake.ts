/** Reads the message: reply language, whether a person was asked for, whether it is too vague to answer. */
import { detectLanguage, resolveReplyLanguage } from '../../../knowledge/language.js';
import type { TurnStateType, TurnUpdate } from '../annotation.js';
import { detectHumanRequest } from '../human-request.js';
import { INTAKE, Trigger } from '../names.js';
import { isVague } from '../vague.js';

export function intakeNode({ input }: TurnStateType): TurnUpdate {
  const text = input.message.text;
  const detected = detectLanguage(text);
  const language = resolveReplyLanguage({
    text,
    history: input.history.filter((t) => t.role === 'customer').map((t) => t.text),
    ...(input.customer?.locale ? { locale: input.customer.locale } : {}),
    agentDefault: input.agent.defaultLanguage,
  });
  const update: TurnUpdate = {
    path: [INTAKE],
    language,
    queryLanguage: detected.language,
    vague: isVague(text),
    missStreak: input.missStreak,
    scores: { languageConfidence: detected.confidence },
  };
  const human = detectHumanRequest(text);
  if (!human.requested) return update;
  return {
    ...update,
    decision: { kind: 'handoff', reason: 'human_requested', confidence: 1 },
    triggers: [Trigger.humanRequested],
    reason: `human_requested: the customer asked for a person (“${human.evidence}”), so nothing was searched.`,
  };
}
