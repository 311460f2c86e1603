/**
 * Chat models for the configured provider. The API key goes only into the client's configuration,
 * never into prompts, names or errors we produce.
 */
import { ChatAnthropic } from '@langchain/anthropic';
import { ChatOpenAI } from '@langchain/openai';
import type { ToolCallingModel } from '../pickers/model.js';
import type { ChatModel } from './llm.js';

export interface ChatModelOptions {
  model: string;
  apiKey: string;
  /** OpenAI-compatible: include the version path (".../v1"). Anthropic: the host root. */
  baseURL?: string;
  timeoutMs?: number;
}

/** The responder answers through `invoke`; the action picker calls tools through `bindTools`. */
export type ToolCallingChatModel = ChatModel & ToolCallingModel;

const DEFAULT_TIMEOUT_MS = 30_000;
/** The activity retries too; one quick retry here covers a dropped connection without doubling latency. */
const MAX_RETRIES = 1;

/** OpenAI or any OpenAI-compatible server (Ollama, vLLM, LM Studio) through chat completions. */
export function openAIChatModel({ model, apiKey, baseURL, timeoutMs = DEFAULT_TIMEOUT_MS }: ChatModelOptions): ToolCallingChatModel {
  return new ChatOpenAI({
    model,
    apiKey,
    // Compatible servers speak chat completions only, never the Responses API.
    useResponsesApi: false,
    maxRetries: MAX_RETRIES,
    timeout: timeoutMs,
    ...(baseURL ? { configuration: { baseURL } } : {}),
  });
}

export function anthropicChatModel({ model, apiKey, baseURL, timeoutMs = DEFAULT_TIMEOUT_MS }: ChatModelOptions): ToolCallingChatModel {
  return new ChatAnthropic({
    model,
    apiKey,
    maxRetries: MAX_RETRIES,
    maxTokens: 1024,
    clientOptions: { timeout: timeoutMs },
    ...(baseURL ? { anthropicApiUrl: baseURL } : {}),
  });
}
