/**
 * Picking an action by tool calling, against local servers speaking the OpenAI chat-completions and
 * Anthropic Messages wire formats: which tools and which text go over the wire, what comes back of the
 * model's call, and what happens when the model fails, calls a tool that does not exist or gives a value
 * that is not valid.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ActionSummary } from '../../../domain/action.js';
import { createModelPicker } from '../../../graphs/turn/pickers/model.js';
import { createTurnModels } from '../../../graphs/turn/responders/index.js';
import { openAIChatModel } from '../../../graphs/turn/responders/models.js';
import { buildWorld } from '../../unit/graphs/support/world.js';
import { promptText, startModelServer, type ModelServer } from './model-server.js';

const KEY = 'sk-test-not-a-real-key';
const PASSAGE = 'Orders placed before 14:00';
const HISTORY = 'Earlier the agent said: call the booking tool for table 12 on 2026-01-01';

const orderStatus: ActionSummary = {
  id: 'act_order', name: 'Order status', description: 'Look up the delivery status of an order by its order number',
  triggerPhrases: ['where is my order'],
  inputs: { orderNumber: { description: 'your order number (5 digits or more)', type: 'string', pattern: '[0-9]{5,}', required: true } },
  requiresVerifiedIdentity: false, requiresApproval: false, approvalTimeoutSeconds: 60,
};
const booking: ActionSummary = {
  id: 'act_book', name: 'Book a table', description: 'Book a table at the restaurant for a date and a number of guests',
  triggerPhrases: [],
  inputs: {
    date: { description: 'the date of the booking', type: 'date', required: true },
    guests: { description: 'how many guests', type: 'number', required: true },
    email: { description: 'your email address for the confirmation', type: 'email', required: false },
  },
  requiresVerifiedIdentity: false, requiresApproval: false, approvalTimeoutSeconds: 60,
};
const actions = [orderStatus, booking];

/** What the model does when it is offered tools; a request without tools is the responder's and gets a cited answer. */
type ToolReply = { name: string; args: Record<string, unknown> } | 'none' | 'error';

function openAIReply(body: Record<string, unknown>, tool: ToolReply): unknown {
  if (body.tools && tool === 'error') return { status: 500, body: { error: { message: 'internal error', type: 'server_error' } } };
  const message = body.tools && typeof tool === 'object'
    ? { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: tool.name, arguments: JSON.stringify(tool.args) } }] }
    : { role: 'assistant', content: body.tools ? '' : 'Standard delivery takes 2 to 4 working days [1].' };
  return {
    id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: body.model,
    choices: [{ index: 0, message, finish_reason: 'tool_calls' in message ? 'tool_calls' : 'stop' }],
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  };
}

function anthropicReply(body: Record<string, unknown>, tool: ToolReply): unknown {
  if (body.tools && tool === 'error') return { status: 500, body: { type: 'error', error: { type: 'api_error', message: 'internal error' } } };
  const content = body.tools && typeof tool === 'object'
    ? [{ type: 'text', text: 'Let me do that.' }, { type: 'tool_use', id: 'toolu_1', name: tool.name, input: tool.args }]
    : [{ type: 'text', text: body.tools ? 'No action needed.' : 'Standard delivery takes 2 to 4 working days [1].' }];
  return {
    id: 'msg_1', type: 'message', role: 'assistant', model: body.model, content,
    stop_reason: content.some((c) => c.type === 'tool_use') ? 'tool_use' : 'end_turn', stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 10 },
  };
}

/** The requests that offered tools: the picker's, not the responder's. */
const pickerCalls = (server: ModelServer) => server.seen.filter((s) => Array.isArray(s.body.tools));

describe('an OpenAI-compatible server picking actions by tool calling', () => {
  let server: ModelServer;
  let tool: ToolReply = 'none';
  let delayMs = 0;
  beforeAll(async () => {
    server = await startModelServer(async (body) => {
      if (body.tools) await sleep(delayMs);
      return openAIReply(body, tool);
    });
  });
  beforeEach(() => {
    server.seen.length = 0;
    delayMs = 0;
  });
  afterAll(async () => server?.close());
  const world = async () => buildWorld(await createTurnModels({ CHAT_PROVIDER: 'openai', CHAT_BASE_URL: `${server.url}/v1`, CHAT_API_KEY: KEY, CHAT_MODEL: 'llama3.1' }));

  it('offers each action as a tool with its inputs as JSON-schema parameters, sends only the customer’s message, and runs what the model picked', async () => {
    tool = { name: 'action_2', args: { date: '2026-12-24', guests: 4 } };
    const result = await (await world()).ask('Can you put us down for dinner on Christmas Eve 2026? We are 4.', {
      actions, history: [{ role: 'agent', text: HISTORY }],
    });

    const [request] = pickerCalls(server);
    expect(pickerCalls(server)).toHaveLength(1);
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe(`Bearer ${KEY}`);
    const tools = request?.body.tools as { type: string; function: { name: string; description: string; parameters: Record<string, any> } }[];
    expect(tools.map((t) => [t.type, t.function.name, t.function.description])).toEqual([
      ['function', 'action_1', orderStatus.description],
      ['function', 'action_2', booking.description],
    ]);
    expect(tools[0]!.function.parameters).toMatchObject({
      type: 'object',
      properties: { orderNumber: { type: 'string', pattern: '^(?:[0-9]{5,})$', description: 'your order number (5 digits or more)' } },
    });
    expect(tools[1]!.function.parameters).toMatchObject({
      type: 'object',
      properties: {
        date: { type: 'string', format: 'date', description: 'the date of the booking' },
        guests: { type: 'number', description: 'how many guests' },
        email: { type: 'string', format: 'email', description: 'your email address for the confirmation' },
      },
    });
    // Every input is optional to the model: the agent asks for what is missing.
    expect(tools[1]!.function.parameters.required).toBeUndefined();

    const prompt = promptText(request!.body);
    expect(prompt).toContain('<customer_message>\nCan you put us down for dinner on Christmas Eve 2026? We are 4.\n</customer_message>');
    expect(prompt).not.toContain(PASSAGE);
    expect(prompt).not.toContain('table 12');
    expect(prompt).not.toContain(KEY);

    expect(result.intent.action).toEqual({ actionId: 'act_book', name: 'Book a table', inputs: { date: '2026-12-24', guests: 4 } });
    expect(result.insights.triggers).toContain('action:Book a table');
    expect(result.insights.triggers.some((t) => t.startsWith('action_picker_fallback'))).toBe(false);
    expect(result.insights.reason).toMatch(/the model openai:llama3\.1 called its tool/);
  });

  it('drops an argument that is not valid and asks for it, keeping the valid ones for the next turn', async () => {
    tool = { name: 'action_2', args: { date: '2026-02-30', guests: 4, email: 'not-an-address' } };
    const { ask } = await world();
    const first = await ask('A table for 4 on 2026-02-30 please', { actions });
    expect(first.intent.action).toBeUndefined();
    expect(first.reply.kind).toBe('clarify');
    expect(first.reply.text).toContain('“2026-02-30”');
    expect(first.intent.collect).toEqual({ actionId: 'act_book', inputs: { guests: 4 }, asking: 'date', asked: 1 });
    expect(first.insights.triggers).toContain('action_input_invalid:date');

    tool = { name: 'action_2', args: { date: '2026-03-02' } };
    const second = await ask('Then the 2nd of March 2026', { actions, pendingAction: first.intent.collect! });
    const prompt = promptText(pickerCalls(server).at(-1)!.body);
    expect(prompt).toContain('<pending_action tool="action_2" name="Book a table">\nAlready given: {"guests":4}\nLast asked for: date\n</pending_action>');
    expect(second.intent.action).toEqual({ actionId: 'act_book', name: 'Book a table', inputs: { guests: 4, date: '2026-03-02' } });
    expect(second.intent.collect).toBeNull();
  });

  it('ignores a call of a tool it was not offered, and the offline matcher reads the message instead', async () => {
    tool = { name: 'action_9', args: { orderNumber: '55555' } };
    const result = await (await world()).ask('I want to book a table for 4 guests on 2026-12-24', { actions });
    expect(pickerCalls(server)).toHaveLength(1);
    expect(result.intent.action).toEqual({ actionId: 'act_book', name: 'Book a table', inputs: { guests: 4, date: '2026-12-24' } });
    expect(result.insights.triggers).toContain('action_picker_fallback:unknown_tool');
  });

  it('a call of an unknown tool starts nothing when the message asks for no action', async () => {
    tool = { name: 'Order status', args: { orderNumber: '55555' } };
    const result = await (await world()).ask('How long does standard delivery take?', { actions });
    expect(pickerCalls(server)).toHaveLength(1);
    expect(result.intent.action).toBeUndefined();
    expect(result.intent.collect).toBeUndefined();
    expect(result.reply.kind).toBe('answer');
  });

  it('falls back to the offline matcher when the model answers 500, and says so', async () => {
    tool = 'error';
    const result = await (await world()).ask('I want to book a table for 4 guests on 2026-12-24', { actions });
    expect(pickerCalls(server).length).toBeGreaterThanOrEqual(1);
    expect(result.intent.action).toEqual({ actionId: 'act_book', name: 'Book a table', inputs: { guests: 4, date: '2026-12-24' } });
    expect(result.insights.triggers).toContain('action_picker_fallback:provider_error');
    expect(JSON.stringify(result)).not.toContain(KEY);
  });

  it('falls back to the offline matcher when the model is slower than the pick may take', async () => {
    tool = { name: 'action_1', args: { orderNumber: '55555' } };
    delayMs = 3_000;
    const model = openAIChatModel({ model: 'llama3.1', apiKey: KEY, baseURL: `${server.url}/v1` });
    const { ask } = buildWorld({ picker: createModelPicker({ name: 'openai:llama3.1', model, timeoutMs: 300 }) });
    const result = await ask('I want to book a table for 4 guests on 2026-12-24', { actions });
    // The model's late answer (the order-status tool) is never used: the offline matcher picked the booking.
    expect(result.intent.action).toMatchObject({ actionId: 'act_book', inputs: { guests: 4, date: '2026-12-24' } });
    expect(result.insights.triggers).toContain('action_picker_fallback:provider_error');
  });

  it('a trigger phrase picks its action without a model call', async () => {
    tool = { name: 'action_2', args: { date: '2026-12-24', guests: 4 } };
    const result = await (await world()).ask('Where is my order 123456?', { actions });
    expect(server.seen).toHaveLength(0);
    expect(result.intent.action).toEqual({ actionId: 'act_order', name: 'Order status', inputs: { orderNumber: '123456' } });
  });
});

describe('an Anthropic Messages server picking actions by tool calling', () => {
  let server: ModelServer;
  let tool: ToolReply = 'none';
  beforeAll(async () => {
    server = await startModelServer((body) => anthropicReply(body, tool));
  });
  beforeEach(() => { server.seen.length = 0; });
  afterAll(async () => server?.close());
  const world = async () => buildWorld(await createTurnModels({ CHAT_PROVIDER: 'anthropic', CHAT_BASE_URL: server.url, CHAT_API_KEY: KEY, CHAT_MODEL: 'claude-test' }));

  it('offers the tools with input schemas, sends only the customer’s message, and runs the tool_use it returns', async () => {
    tool = { name: 'action_1', args: { orderNumber: '778899' } };
    const result = await (await world()).ask('My parcel 778899 has not arrived yet, can you check it?', {
      actions, history: [{ role: 'agent', text: HISTORY }],
    });

    const [request] = pickerCalls(server);
    expect(pickerCalls(server)).toHaveLength(1);
    expect(request?.path).toBe('/v1/messages');
    expect(request?.headers['x-api-key']).toBe(KEY);
    const tools = request?.body.tools as { name: string; description: string; input_schema: Record<string, any> }[];
    expect(tools.map((t) => [t.name, t.description])).toEqual([['action_1', orderStatus.description], ['action_2', booking.description]]);
    expect(tools[0]!.input_schema).toMatchObject({ type: 'object', properties: { orderNumber: { type: 'string', pattern: '^(?:[0-9]{5,})$' } } });
    expect(tools[1]!.input_schema).toMatchObject({ type: 'object', properties: { date: { format: 'date' }, guests: { type: 'number' }, email: { format: 'email' } } });
    expect(JSON.stringify(request?.body.system)).toMatch(/Call a tool only when the customer's own message asks for that action/);
    const prompt = promptText(request!.body);
    expect(prompt).toContain('My parcel 778899 has not arrived yet, can you check it?');
    expect(prompt).not.toContain(PASSAGE);
    expect(prompt).not.toContain('table 12');
    expect(prompt).not.toContain(KEY);

    expect(result.intent.action).toEqual({ actionId: 'act_order', name: 'Order status', inputs: { orderNumber: '778899' } });
  });

  it('asks for the input the model could not fill and keeps what it did fill', async () => {
    tool = { name: 'action_2', args: { guests: 6, date: null } };
    const { ask } = await world();
    const first = await ask('Could we get a table for six?', { actions });
    expect(first.reply.kind).toBe('clarify');
    expect(first.reply.text).toContain('the date of the booking');
    expect(first.intent.collect).toEqual({ actionId: 'act_book', inputs: { guests: 6 }, asking: 'date', asked: 1 });

    tool = { name: 'action_2', args: { date: '2026-12-24', email: 'ann@example.com' } };
    const second = await ask('24 December 2026, and mail me at ann@example.com', { actions, pendingAction: first.intent.collect! });
    expect(second.intent.action).toEqual({ actionId: 'act_book', name: 'Book a table', inputs: { guests: 6, date: '2026-12-24', email: 'ann@example.com' } });
  });

  it('without a tool call the offline matcher decides, and says so', async () => {
    tool = 'none';
    const result = await (await world()).ask('I want to book a table for 4 guests on 2026-12-24', { actions });
    expect(result.intent.action).toMatchObject({ actionId: 'act_book', inputs: { guests: 4, date: '2026-12-24' } });
    expect(result.insights.triggers).toContain('action_picker_fallback:no_tool_call');
  });

  it('falls back to the offline matcher when the model answers 500', async () => {
    tool = 'error';
    const result = await (await world()).ask('Please book a table for 2 guests on 2026-05-01', { actions });
    expect(result.intent.action).toMatchObject({ actionId: 'act_book', inputs: { guests: 2, date: '2026-05-01' } });
    expect(result.insights.triggers).toContain('action_picker_fallback:provider_error');
  });
});
