import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversationClient } from '../../../api/conversation-client.js';
import { conversationWorkflowId } from '../../../workflows/conversation.contract.js';
import { RETURNS, SHIPPING } from '../../fixtures/shop-articles.js';
import { say, startTestSystem, type TestSystem } from '../../support/system.js';
import { uniqueId } from '../../support/temporal.js';

let sys: TestSystem;

beforeAll(async () => {
  sys = await startTestSystem('lifecycle');
});
afterAll(async () => sys?.stop());

async function statusOf(agentId: string, conv: string): Promise<string | undefined> {
  const res = await sys.request('GET', `/v1/agents/${agentId}/conversations/${conv}`);
  return res.body?.status;
}

async function waitForStatus(agentId: string, conv: string, status: string, timeoutMs: number): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if ((await statusOf(agentId, conv)) === status) return Date.now() - start;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`conversation ${conv} did not become ${status} within ${timeoutMs} ms`);
}

describe('an idle conversation', () => {
  it('closes after the agent\'s chat idle time, while an email conversation waits for its own', async () => {
    const agentId = await sys.createAgent({ articles: [SHIPPING], settings: { idleTimeoutSeconds: { chat: 2, email: 8 } } });
    const chat = uniqueId('idle-chat');
    const email = uniqueId('idle-email');
    await say(sys, agentId, chat, 'How long does delivery take?');
    // Email needs its own deployment (a new agent answers on chat only); no SMTP here: only the idle timer matters.
    const deployed = await sys.request('POST', `/v1/agents/${agentId}/deployments`, { channel: 'email', account: `${uniqueId('support')}@shop.test` });
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
    const conversations = createConversationClient({ client: sys.client, taskQueue: sys.config.TEMPORAL_TASK_QUEUE });
    await conversations.deliver({ agentId, conversationId: email }, {
      messageId: 'e-1', text: 'How long does delivery take?', channel: 'email', customer: { email: 'kim@example.test' },
    });
    await waitForStatus(agentId, email, 'open', 10_000);

    await waitForStatus(agentId, chat, 'closed', 10_000);
    expect(await statusOf(agentId, email)).toBe('open');
    const chatHandle = sys.client.workflow.getHandle(conversationWorkflowId(agentId, chat));
    // The row says closed a moment before the run ends: wait for the run itself.
    await chatHandle.result();
    const described = await chatHandle.describe();
    expect(described.status.name).toBe('COMPLETED');
    expect(described.searchAttributes.ConversationStatus).toEqual(['closed']);

    await waitForStatus(agentId, email, 'closed', 15_000);
    const emailTranscript = await sys.request('GET', `/v1/agents/${agentId}/conversations/${email}`);
    expect(emailTranscript.body.transcript.map((t: { role: string }) => t.role)).toEqual(['customer', 'agent']);
  });

  it('counts its idle time from the last message, and messages add no timer events to its history', async () => {
    const agentId = await sys.createAgent({ articles: [SHIPPING, RETURNS], settings: { idleTimeoutSeconds: { chat: 3 } } });
    const conv = uniqueId('idle-last');
    const started = Date.now();
    await say(sys, agentId, conv, 'How long does delivery take?');
    await new Promise((r) => setTimeout(r, 1500));
    await say(sys, agentId, conv, 'How do refunds work?');
    // The idle time runs from when the workflow took the message, between sending it and its reply.
    const lastSent = Date.now();
    await say(sys, agentId, conv, 'How much is express shipping?');
    const lastAt = Date.now();
    // Past the first message's idle time, not the last one's: still open.
    await new Promise((r) => setTimeout(r, Math.max(0, started + 3600 - Date.now())));
    expect(Date.now() - lastAt).toBeLessThan(3000);
    expect(await statusOf(agentId, conv)).toBe('open');
    await waitForStatus(agentId, conv, 'closed', 10_000);
    expect(Date.now() - lastSent).toBeGreaterThanOrEqual(3000);

    const handle = sys.client.workflow.getHandle(conversationWorkflowId(agentId, conv));
    await handle.result();
    const events = (await handle.fetchHistory()).events ?? [];
    // One timer set when the conversation opened, rung early once (the deadline had moved) and set again.
    expect(events.filter((e) => e.timerCanceledEventAttributes)).toHaveLength(0);
    expect(events.filter((e) => e.timerStartedEventAttributes).length).toBeLessThanOrEqual(2);
  });

  it('reopens with its history when the customer writes again, and a repeated message id still gets its old reply', async () => {
    const agentId = await sys.createAgent({ articles: [SHIPPING, RETURNS], settings: { idleTimeoutSeconds: { chat: 1 } } });
    const conv = uniqueId('reopen');
    const first = await sys.request('POST', `/v1/agents/${agentId}/conversations/${conv}/messages`, { messageId: 'a', text: 'How much is express shipping?', channel: 'chat' });
    await waitForStatus(agentId, conv, 'closed', 10_000);

    const again = await sys.request('POST', `/v1/agents/${agentId}/conversations/${conv}/messages`, { messageId: 'a', text: 'How much is express shipping?', channel: 'chat' });
    expect(again.body.reply).toEqual(first.body.reply);
    const next = await sys.request('POST', `/v1/agents/${agentId}/conversations/${conv}/messages`, { messageId: 'b', text: 'How do refunds work?', channel: 'chat' });
    expect(next.body.conversation.status).toBe('open');
    expect(next.body.reply.sources[0].title).toBe('Returns and refunds');

    const transcript = await sys.request('GET', `/v1/agents/${agentId}/conversations/${conv}`);
    expect(transcript.body.transcript.map((t: { messageId: string; role: string }) => `${t.messageId}:${t.role}`))
      .toEqual(['a:customer', 'a:agent', 'b:customer', 'b:agent']);
  });
});

describe('a long conversation', () => {
  it('continues as new with its dedupe and transcript intact', async () => {
    const agentId = await sys.createAgent({ articles: [SHIPPING, RETURNS] });
    const conv = uniqueId('long');
    const post = (messageId: string, text: string) =>
      sys.request('POST', `/v1/agents/${agentId}/conversations/${conv}/messages`, { messageId, text, channel: 'chat' });
    const questions = ['How much is express shipping?', 'How do refunds work?', 'How long is the return window?', 'When do orders leave the warehouse?'];
    const replies: unknown[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await post(`m${i}`, questions[i % questions.length] as string);
      expect(res.status).toBe(200);
      replies.push(res.body.reply);
    }
    const handle = sys.client.workflow.getHandle(conversationWorkflowId(agentId, conv));
    const runs = [];
    for await (const wf of sys.client.workflow.list({ query: `WorkflowId = '${conversationWorkflowId(agentId, conv)}'` })) runs.push(wf);
    expect(runs.some((r) => r.status.name === 'CONTINUED_AS_NEW')).toBe(true);

    const repeat = await post('m1', questions[1] as string);
    expect(repeat.body.reply).toEqual(replies[1]);
    const transcript = await sys.request('GET', `/v1/agents/${agentId}/conversations/${conv}`);
    expect(transcript.body.transcript).toHaveLength(24);
    expect((await handle.describe()).status.name).toBe('RUNNING');
  });
});
