/** Reads the message: reply language, whether a person was asked for, whether it is too vague to answer. */
import { unsupportedMessageKind } from '../../../domain/unsupported-message.js';
import { detectLanguage, resolveReplyLanguage } from '../../../knowledge/language.js';
import type { TurnStateType, TurnUpdate } from '../annotation.js';
import { readFollowUp } from '../follow-up.js';
import { detectHumanRequest } from '../human-request.js';
import { MESSAGES } from '../messages.js';
import { INTAKE, Trigger } from '../names.js';
import { isVague } from '../vague.js';
import { foldedWords } from '../words.js';

/** The first of the agent's trigger phrases found in the message, compared folded (case and accents). */
export function matchCustomTrigger(text: string, triggers: readonly { phrases: readonly string[]; description?: string | undefined }[]) {
  const folded = ` ${foldedWords(text).join(' ')} `;
  for (const t of triggers) {
    for (const phrase of t.phrases) {
      const p = foldedWords(phrase).join(' ');
      if (p && folded.includes(` ${p} `)) return { phrase, description: t.description, label: t.description ?? phrase };
    }
  }
  return undefined;
}

export function intakeNode({ input }: TurnStateType): TurnUpdate {
  const text = input.message.text;
  const detected = detectLanguage(text);
  const language = resolveReplyLanguage({
    text,
    history: input.history.filter((t) => t.role === 'customer').map((t) => t.text),
    ...(input.customer?.locale ? { locale: input.customer.locale } : {}),
    agentDefault: input.agent.defaultLanguage,
  });
  const followUp = readFollowUp(text, input.history);
  const pick = followUp?.kind === 'pick' ? followUp : undefined;
  const update: TurnUpdate = {
    path: [INTAKE],
    language,
    queryLanguage: pick ? detectLanguage(pick.question).language : detected.language,
    // A picked topic makes even a vague original question specific enough to answer.
    vague: !pick && isVague(text),
    question: pick?.question ?? text,
    topic: pick?.topic,
    missStreak: input.missStreak,
    scores: { languageConfidence: detected.confidence },
    ...(pick ? { triggers: [Trigger.topicPicked], reason: `topic_picked: the customer picked “${pick.topic}” from the topics offered for “${pick.question}”.` } : {}),
  };
  const unsupported = unsupportedMessageKind(text);
  if (unsupported) {
    // Nothing to search or hand off: a fixed reply asking for text, in the conversation's language.
    return {
      ...update,
      vague: false,
      decision: { kind: 'clarify', confidence: 1 },
      reply: { text: MESSAGES[language].textOnly(), kind: 'clarify', sources: [], language, confidence: 1 },
      triggers: [`${Trigger.unsupportedMessage}:${unsupported}`],
      reason: `unsupported_message: the customer sent ${unsupported === 'attachment' ? 'an attachment' : `a message of kind ${unsupported}`}, which the channel cannot pass on as text; asked for a text message.`,
    };
  }
  const custom = matchCustomTrigger(text, input.handoff?.triggers ?? []);
  if (custom) {
    return {
      ...update,
      decision: { kind: 'handoff', reason: 'custom_trigger', confidence: 1 },
      triggers: [`${Trigger.customTrigger}:${custom.label}`],
      reason: `custom_trigger: the message contains “${custom.phrase}”, one of the agent's handoff phrases${custom.description ? ` (${custom.description})` : ''}.`,
    };
  }
  if (followUp?.kind === 'accept_person') {
    return {
      ...update,
      decision: { kind: 'handoff', reason: 'human_requested', confidence: 1 },
      triggers: [Trigger.humanRequested],
      reason: 'human_requested: the customer accepted the offer of a person made when the knowledge did not state the answer.',
    };
  }
  const human = detectHumanRequest(text);
  if (!human.requested) return update;
  return {
    ...update,
    decision: { kind: 'handoff', reason: 'human_requested', confidence: 1 },
    triggers: [Trigger.humanRequested],
    reason: `human_requested: the customer asked for a person (“${human.evidence}”), so nothing was searched.`,
  };
}
