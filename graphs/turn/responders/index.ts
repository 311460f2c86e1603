/**
 * The responder and the action picker named by the configuration: extractive answers and the offline
 * action matcher, or one chat model for both (grounded answers with extractive fallback; actions picked
 * by tool calling with the offline matcher as fallback).
 */
import { ConfigError } from '../../../domain/config-error.js';
import { createModelPicker } from '../pickers/model.js';
import { createOfflinePicker } from '../pickers/offline.js';
import type { ActionPicker } from '../pickers/types.js';
import { createExtractiveResponder } from './extractive.js';
import { createLlmResponder } from './llm.js';
import type { Responder } from './types.js';

/** The chat settings, as the composition root read them (CHAT_* in workers/config.ts). */
export interface ResponderConfig {
  CHAT_PROVIDER: 'extractive' | 'openai' | 'anthropic';
  CHAT_BASE_URL?: string | undefined;
  CHAT_API_KEY?: string | undefined;
  CHAT_MODEL?: string | undefined;
}

/** Local servers (Ollama, vLLM) ignore the key but the client libraries insist on one. */
const PLACEHOLDER_KEY = 'not-needed';

/**
 * The turn graph's two model-backed dependencies, over the one configured chat model (or none). The
 * provider SDKs are imported only when one is configured: the offline agent's process is spared about
 * 80 MB of RSS (importing responders/models.ts alone, measured: 75 → 155 MB).
 */
export async function createTurnModels(config: ResponderConfig): Promise<{ responder: Responder; picker: ActionPicker }> {
  const provider = config.CHAT_PROVIDER;
  if (provider === 'extractive') return { responder: createExtractiveResponder(), picker: createOfflinePicker() };
  const model = config.CHAT_MODEL;
  if (!model) throw new ConfigError(`CHAT_MODEL is required when CHAT_PROVIDER=${provider}`);
  if (!config.CHAT_API_KEY && !config.CHAT_BASE_URL) {
    throw new ConfigError(`CHAT_API_KEY is required when CHAT_PROVIDER=${provider} and CHAT_BASE_URL is not set`);
  }
  const options = {
    model,
    apiKey: config.CHAT_API_KEY ?? PLACEHOLDER_KEY,
    ...(config.CHAT_BASE_URL ? { baseURL: config.CHAT_BASE_URL } : {}),
  };
  const { anthropicChatModel, openAIChatModel } = await import('./models.js');
  const chat = provider === 'openai' ? openAIChatModel(options) : anthropicChatModel(options);
  const name = `${provider}:${model}`;
  return { responder: createLlmResponder({ name, model: chat }), picker: createModelPicker({ name, model: chat }) };
}

export async function createResponder(config: ResponderConfig): Promise<Responder> {
  return (await createTurnModels(config)).responder;
}

export type { Responder, ResponderInput, ResponderOutput, FallbackReason } from './types.js';
export { createExtractiveResponder } from './extractive.js';
export { createLlmResponder } from './llm.js';
