/**
 * A generating responder over any LangChain chat model. The model sees only the numbered passages it is
 * given; its reply leaves only if it cites at least one of them. Invalid citation numbers and URLs that
 * appear in no passage are removed; a reply with no valid citation, a refusal or a provider error falls
 * back to the extractive responder, and the output says so (`answeredBy`, `fallback`).
 */
import type { BaseMessage } from '@langchain/core/messages';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { keepValidCitations } from '../citations.js';
import { createExtractiveResponder } from './extractive.js';
import { NO_ANSWER, systemPrompt, userPrompt } from './prompt.js';
import type { FallbackReason, Responder, ResponderInput, ResponderOutput } from './types.js';

/** The one method we need from a chat model (ChatOpenAI, ChatAnthropic, or a test double). */
export interface ChatModel {
  invoke(messages: BaseMessage[]): Promise<BaseMessage>;
}

export interface LlmResponderOptions {
  /** Shown in insights, e.g. "openai:gpt-4o-mini". Never include secrets. */
  name: string;
  model: ChatModel;
  fallback?: Responder;
}

export function createLlmResponder({ name, model, fallback = createExtractiveResponder() }: LlmResponderOptions): Responder {
  const fallBack = async (input: ResponderInput, reason: FallbackReason): Promise<ResponderOutput> => ({
    ...(await fallback.answer(input)),
    answeredBy: fallback.name,
    fallback: reason,
  });

  return {
    name,
    async answer(input) {
      let raw: string;
      try {
        const reply = await model.invoke([new SystemMessage(systemPrompt(input)), new HumanMessage(userPrompt(input))]);
        raw = reply.text.trim();
      } catch {
        // Provider down, misconfigured or rate-limited: the customer still gets the grounded extractive reply.
        return fallBack(input, 'provider_error');
      }
      if (!raw) return fallBack(input, 'empty_reply');
      if (raw.includes(NO_ANSWER)) return fallBack(input, 'model_declined');
      const checked = keepValidCitations(withoutForeignUrls(raw, input.passages.map((p) => p.text)), input.passages.length);
      if (checked.citations.length === 0) return fallBack(input, 'no_valid_citation');
      return checked;
    },
  };
}

/** URLs survive only when a passage contains them verbatim. */
export function withoutForeignUrls(text: string, passageTexts: readonly string[]): string {
  return text.replace(/\bhttps?:\/\/[^\s)\]]+|\bwww\.[^\s)\]]+/gi, (url) => {
    const bare = url.replace(/[.,;:!?]+$/, '');
    return passageTexts.some((t) => t.includes(bare)) ? url : '';
  });
}
