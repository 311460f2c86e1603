import type { Language, Passage } from '../../../knowledge/types.js';
import type { Turn } from '../../../workflows/conversation.contract.js';
import type { AgentProfile } from '../state.js';

export interface ResponderInput {
  question: string;
  /** The reply language; passages may be in another one. */
  language: Language;
  /** Numbered 1..n in this order; citations refer to these numbers. */
  passages: readonly Passage[];
  agent: AgentProfile;
  /** Recent turns, oldest first, excluding the question. */
  history: readonly Turn[];
}

/** Why a generating responder handed the question to the extractive one. */
export type FallbackReason = 'no_valid_citation' | 'model_declined' | 'empty_reply' | 'provider_error';

export interface ResponderOutput {
  text: string;
  /** 1-based passage numbers the text cites. */
  citations: number[];
  /** Set when another responder than the one called produced the text. */
  answeredBy?: string;
  fallback?: FallbackReason;
}

export interface Responder {
  readonly name: string;
  answer(input: ResponderInput): Promise<ResponderOutput>;
}
