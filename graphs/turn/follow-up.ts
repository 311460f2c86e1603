/**
 * Reads the customer's message as a reply to the agent's previous turn, from the history alone (pure):
 * - a pick: the agent asked which of some topics was meant and the customer names one, so the original
 *   question is answered from that topic (the pick itself is not a question);
 * - a yes to the offer of a person, made when the knowledge did not state what was asked.
 * The agent's fixed messages are recognised in every language, so a conversation that changed language
 * still reads right.
 */
import type { Turn } from '../../workflows/conversation.contract.js';
import { SUPPORTED_LANGUAGES } from '../../knowledge/types.js';
import { MESSAGES } from './messages.js';
import { contentTerms, foldedWords, sameStem } from './words.js';

export type FollowUp =
  | { kind: 'pick'; question: string; topic: string }
  | { kind: 'accept_person' };

/** A reply naming a topic may add a word or two ("the gift card one please"), not a new question. */
const MAX_EXTRA_TERMS = 1;
const MAX_PICK_WORDS = 10;

const YES_WORDS = new Set('yes yeah yep yup sure please ok okay ja jo gerne gern graag oui volontiers si claro vale bitte tak thanks thank you merci gracias dank por favor s il vous plait alstublieft absolutely of course'.split(' '));
const AFFIRMATIVE = new Set('yes yeah yep yup sure ok okay ja jo gerne gern graag oui volontiers si claro vale absolutely'.split(' '));

const HOLE = '\u0000';

/** The topics the agent offered in `text`, if it is one of its clarifying questions (any language). */
export function offeredTopics(text: string): string[] {
  for (const language of SUPPORTED_LANGUAGES) {
    const m = MESSAGES[language];
    const [open, close] = m.quote(HOLE).split(HOLE) as [string, string];
    for (const template of [m.clarifyTopics({ topics: HOLE }), m.clarifyVague({ topics: HOLE })]) {
      const [before, after] = template.split(HOLE) as [string, string];
      if (!text.startsWith(before) || !text.endsWith(after)) continue;
      const list = text.slice(before.length, text.length - after.length);
      const topics: string[] = [];
      let at = 0;
      while (true) {
        const start = list.indexOf(open, at);
        if (start < 0) break;
        const end = list.indexOf(close, start + open.length);
        if (end < 0) break;
        topics.push(list.slice(start + open.length, end));
        at = end + close.length;
      }
      if (topics.length > 0) return topics;
    }
  }
  return [];
}

function offeredPerson(text: string): boolean {
  return SUPPORTED_LANGUAGES.some((l) => text.trim() === MESSAGES[l].notStated());
}

/** The offered topic the reply names, when it names exactly one and asks nothing new. */
export function pickedTopic(reply: string, topics: readonly string[]): string | undefined {
  const words = foldedWords(reply);
  if (words.length === 0 || words.length > MAX_PICK_WORDS) return undefined;
  const terms = contentTerms(reply);
  const matched = topics.map((topic) => {
    const topicWords = foldedWords(topic);
    return terms.filter((t) => topicWords.some((w) => sameStem(t, w)));
  });
  const best = Math.max(0, ...matched.map((m) => m.length));
  if (best === 0) return undefined;
  const winners = topics.filter((_, i) => matched[i]!.length === best);
  if (winners.length !== 1) return undefined;
  const named = new Set(matched[topics.indexOf(winners[0]!)]);
  const extra = terms.filter((t) => !named.has(t) && !YES_WORDS.has(t));
  return extra.length <= MAX_EXTRA_TERMS ? winners[0] : undefined;
}

function isYes(reply: string): boolean {
  const words = foldedWords(reply);
  return words.length > 0 && words.length <= 6 && words.some((w) => AFFIRMATIVE.has(w)) && words.every((w) => YES_WORDS.has(w));
}

export function readFollowUp(text: string, history: readonly Turn[]): FollowUp | undefined {
  const agent = history.at(-1);
  if (agent?.role !== 'agent') return undefined;
  if (offeredPerson(agent.text)) return isYes(text) ? { kind: 'accept_person' } : undefined;
  const question = history.at(-2);
  if (question?.role !== 'customer') return undefined;
  const topic = pickedTopic(text, offeredTopics(agent.text));
  return topic ? { kind: 'pick', question: question.text, topic } : undefined;
}
