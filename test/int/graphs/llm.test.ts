/**
 * The LLM responders against local servers speaking the OpenAI chat-completions and Anthropic Messages
 * wire formats: what goes over the wire, and what happens to a reply citing a passage it was not given.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResponder } from '../../../graphs/turn/responders/index.js';
import { buildWorld } from '../../unit/graphs/support/world.js';
import { promptText, startModelServer as startServer } from './model-server.js';

const REPLY = 'Standard delivery takes 2 to 4 working days [1]. Express arrives the next day [1][5].';
const KEY = 'sk-test-not-a-real-key';

describe('an OpenAI-compatible server (Ollama, vLLM)', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    server = await startServer((body) => ({
      id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: body.model,
      choices: [{ index: 0, message: { role: 'assistant', content: REPLY }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
    }));
  });
  afterAll(async () => server?.close());

  it('receives the numbered passages and the question, and its invalid citation never reaches the customer', async () => {
    const responder = await createResponder({ CHAT_PROVIDER: 'openai', CHAT_BASE_URL: `${server.url}/v1`, CHAT_API_KEY: KEY, CHAT_MODEL: 'llama3.1' });
    const { ask } = buildWorld({ responder });
    const result = await ask('How long does standard delivery take?');

    expect(server.seen).toHaveLength(1);
    const [request] = server.seen;
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.body.model).toBe('llama3.1');
    expect(request?.headers.authorization).toBe(`Bearer ${KEY}`);
    const prompt = promptText(request?.body ?? {});
    expect(prompt).toMatch(/<passage number="1" title="Shipping times and costs – Delivery times" language="en">\nOrders placed before 14:00/);
    expect(prompt).toMatch(/<customer_message>\nHow long does standard delivery take\?\n<\/customer_message>/);
    expect(prompt).not.toContain(KEY);

    expect(result.reply.kind).toBe('answer');
    expect(result.reply.text).toMatch(/^Standard delivery takes 2 to 4 working days \[1\]\. Express arrives the next day \[1\]\.\n\nSources:\n\[1\] Shipping times and costs/);
    expect(result.reply.text).not.toContain('[5]');
    expect(result.reply.sources.map((s) => s.id)).toEqual(['shipping']);
    expect(result.insights.responder).toBe('openai:llama3.1');
  });
});

describe('an Anthropic Messages server', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let reply = REPLY;
  beforeAll(async () => {
    server = await startServer((body) => ({
      id: 'msg_1', type: 'message', role: 'assistant', model: body.model,
      content: [{ type: 'text', text: reply }],
      stop_reason: 'end_turn', stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 10 },
    }));
  });
  afterAll(async () => server?.close());

  it('receives the passages in the user turn and the rules in the system prompt; invalid citations are dropped', async () => {
    const responder = await createResponder({ CHAT_PROVIDER: 'anthropic', CHAT_BASE_URL: server.url, CHAT_API_KEY: KEY, CHAT_MODEL: 'claude-test' });
    const { ask } = buildWorld({ responder });
    const result = await ask('How long does standard delivery take?');

    const request = server.seen.at(-1);
    expect(request?.path).toBe('/v1/messages');
    expect(request?.body.model).toBe('claude-test');
    expect(request?.headers['x-api-key']).toBe(KEY);
    expect(JSON.stringify(request?.body.system)).toMatch(/ONLY the numbered passages/);
    const prompt = promptText(request?.body ?? {});
    expect(prompt).toMatch(/<passage number=\\?"1\\?" title=\\?"Shipping times and costs – Delivery times\\?"/);
    expect(prompt).not.toContain(KEY);

    expect(result.reply.text).toMatch(/^Standard delivery takes 2 to 4 working days \[1\]\. Express arrives the next day \[1\]\./);
    expect(result.reply.text).not.toContain('[5]');
    expect(result.insights.responder).toBe('anthropic:claude-test');
  });

  it('falls back to the extractive answer when the model cites only passages it was not given', async () => {
    reply = 'It takes two days [4].';
    const responder = await createResponder({ CHAT_PROVIDER: 'anthropic', CHAT_BASE_URL: server.url, CHAT_API_KEY: KEY, CHAT_MODEL: 'claude-test' });
    const { ask } = buildWorld({ responder });
    const result = await ask('How long does standard delivery take?');
    expect(result.reply.text).toMatch(/^Here is what I found in “Shipping times and costs”:\nStandard delivery takes 2 to 4 working days/);
    expect(result.insights.responder).toBe('extractive');
    expect(result.insights.triggers).toContain('llm_fallback:no_valid_citation');
  });
});
