import { describe, expect, it } from 'vitest';
import { createResponder, createTurnModels } from '../../../graphs/turn/responders/index.js';
import { ConfigError } from '../../../workers/config.js';

describe('choosing the responder from configuration', () => {
  it('is extractive by default', async () => {
    expect((await createResponder({ CHAT_PROVIDER: 'extractive' })).name).toBe('extractive');
  });

  it('names the provider and model', async () => {
    const responder = await createResponder({ CHAT_PROVIDER: 'openai', CHAT_MODEL: 'llama3.1', CHAT_BASE_URL: 'http://127.0.0.1:11434/v1', CHAT_API_KEY: 'sk-secret' });
    expect(responder.name).toBe('openai:llama3.1');
    expect((await createResponder({ CHAT_PROVIDER: 'anthropic', CHAT_MODEL: 'claude-x', CHAT_API_KEY: 'k' })).name).toBe('anthropic:claude-x');
  });

  it('works without a key for a local OpenAI-compatible server', async () => {
    expect((await createResponder({ CHAT_PROVIDER: 'openai', CHAT_MODEL: 'llama3.1', CHAT_BASE_URL: 'http://127.0.0.1:11434/v1' })).name).toBe('openai:llama3.1');
  });

  it('picks actions with the same chat model when one is configured, offline otherwise', async () => {
    expect((await createTurnModels({ CHAT_PROVIDER: 'extractive' })).picker.name).toBe('offline');
    expect((await createTurnModels({ CHAT_PROVIDER: 'openai', CHAT_MODEL: 'llama3.1', CHAT_BASE_URL: 'http://127.0.0.1:11434/v1' })).picker.name).toBe('openai:llama3.1');
    expect((await createTurnModels({ CHAT_PROVIDER: 'anthropic', CHAT_MODEL: 'claude-x', CHAT_API_KEY: 'k' })).picker.name).toBe('anthropic:claude-x');
  });

  it('fails fast without a model, or without a key for a hosted provider', async () => {
    await expect(createResponder({ CHAT_PROVIDER: 'openai', CHAT_API_KEY: 'k' })).rejects.toThrow(ConfigError);
    await expect(createResponder({ CHAT_PROVIDER: 'anthropic', CHAT_MODEL: 'claude-x' })).rejects.toThrow(/CHAT_API_KEY/);
  });
});
