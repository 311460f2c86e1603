import { describe, expect, it } from 'vitest';
import { createResponder, createTurnModels } from '../../../graphs/turn/responders/index.js';
import { ConfigError } from '../../../workers/config.js';

describe('choosing the responder from configuration', () => {
  it('is extractive by default', () => {
    expect(createResponder({ CHAT_PROVIDER: 'extractive' }).name).toBe('extractive');
  });

  it('names the provider and model', () => {
    const responder = createResponder({ CHAT_PROVIDER: 'openai', CHAT_MODEL: 'llama3.1', CHAT_BASE_URL: 'http://127.0.0.1:11434/v1', CHAT_API_KEY: 'sk-secret' });
    expect(responder.name).toBe('openai:llama3.1');
    expect(createResponder({ CHAT_PROVIDER: 'anthropic', CHAT_MODEL: 'claude-x', CHAT_API_KEY: 'k' }).name).toBe('anthropic:claude-x');
  });

  it('works without a key for a local OpenAI-compatible server', () => {
    expect(createResponder({ CHAT_PROVIDER: 'openai', CHAT_MODEL: 'llama3.1', CHAT_BASE_URL: 'http://127.0.0.1:11434/v1' }).name).toBe('openai:llama3.1');
  });

  it('picks actions with the same chat model when one is configured, offline otherwise', () => {
    expect(createTurnModels({ CHAT_PROVIDER: 'extractive' }).picker.name).toBe('offline');
    expect(createTurnModels({ CHAT_PROVIDER: 'openai', CHAT_MODEL: 'llama3.1', CHAT_BASE_URL: 'http://127.0.0.1:11434/v1' }).picker.name).toBe('openai:llama3.1');
    expect(createTurnModels({ CHAT_PROVIDER: 'anthropic', CHAT_MODEL: 'claude-x', CHAT_API_KEY: 'k' }).picker.name).toBe('anthropic:claude-x');
  });

  it('fails fast without a model, or without a key for a hosted provider', () => {
    expect(() => createResponder({ CHAT_PROVIDER: 'openai', CHAT_API_KEY: 'k' })).toThrow(ConfigError);
    expect(() => createResponder({ CHAT_PROVIDER: 'anthropic', CHAT_MODEL: 'claude-x' })).toThrow(/CHAT_API_KEY/);
  });
});
