/**
 * The graph's working state. Nodes return only the keys they change; `path`, `triggers` and `scores`
 * accumulate through reducers, every other key is last-write-wins. Everything here must stay
 * JSON-plain: the result lands in Temporal history.
 */
import { Annotation } from '@langchain/langgraph';
import type { Language, Passage } from '../../knowledge/types.js';
import type { Reply } from '../../workflows/conversation.contract.js';
import type { HandoffReason } from './names.js';
import type { TurnInput, TurnIntent } from './state.js';

export type Decision =
  | { kind: 'answer'; passages: Passage[]; confidence: number }
  /** A curated short answer, given verbatim: `passage.text` is its answer. */
  | { kind: 'short_answer'; passage: Passage; confidence: number }
  | { kind: 'clarify'; confidence: number }
  | { kind: 'rephrase'; confidence: number }
  | { kind: 'handoff'; reason: HandoffReason; confidence: number };

const concat = <T>(a: T[], b: T[]): T[] => a.concat(b);

export const TurnState = Annotation.Root({
  input: Annotation<TurnInput>(),
  /** Reply language (2-letter). */
  language: Annotation<Language>(),
  /** Language detected in the message itself, when sure; passed to retrieval for stemming. */
  queryLanguage: Annotation<Language | undefined>(),
  vague: Annotation<boolean>(),
  /** The question being answered: the message, or the original question when the message picks an offered topic. */
  question: Annotation<string>(),
  /** The offered topic (a source title) the customer picked; only its passages are answered from. */
  topic: Annotation<string | undefined>(),
  passages: Annotation<Passage[]>({ reducer: (_, b) => b, default: () => [] }),
  decision: Annotation<Decision | undefined>(),
  reply: Annotation<Reply | undefined>(),
  intent: Annotation<TurnIntent>({ reducer: (a, b) => ({ ...a, ...b }), default: () => ({}) }),
  missStreak: Annotation<number>(),
  path: Annotation<string[]>({ reducer: concat, default: () => [] }),
  triggers: Annotation<string[]>({ reducer: concat, default: () => [] }),
  scores: Annotation<Record<string, number>>({ reducer: (a, b) => ({ ...a, ...b }), default: () => ({}) }),
  /** Machine-readable code, a colon, then one human sentence: "ambiguous: …". Last writer wins. */
  reason: Annotation<string>(),
  responder: Annotation<string>(),
});

export type TurnStateType = typeof TurnState.State;
export type TurnUpdate = typeof TurnState.Update;
