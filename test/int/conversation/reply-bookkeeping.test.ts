import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversationActivities } from '../../../activities/conversation.js';
import { createAgent } from '../../../db/agents.js';
import { openConversation } from '../../../db/conversations.js';
import { listEvents } from '../../../db/events.js';
import type { Db } from '../../../db/types.js';
import { createWebhook } from '../../../db/webhooks.js';
import { createWorkspace } from '../../../db/workspaces.js';
import type { WorkspaceEvent } from '../../../domain/events.js';
import { openTestDb } from '../../support/db.js';
import { uniqueId } from '../../support/temporal.js';

// recordReply writes the reply, its billing and its message.created in one statement (db/bookkeeping.ts).
let db: Db;
beforeAll(async () => { db = await openTestDb(); });
afterAll(async () => db?.close());

async function world(listening: boolean) {
  const workspace = await createWorkspace(db, { name: uniqueId('reply-bookkeeping') });
  const agent = await createAgent(db, { name: 'Shop', workspaceId: workspace.id });
  if (listening) await createWebhook(db, workspace.id, { url: 'https://hooks.example.test/in', events: ['message.created'] });
  const conversationId = uniqueId('conv');
  await openConversation(db, { agentId: agent.id, conversationId, channel: 'chat', workflowId: `wf-${conversationId}` });
  const notified: WorkspaceEvent[] = [];
  const acts = createConversationActivities({ db, notifier: { notify: async (e) => { notified.push(e); } } });
  const reply = {
    agentId: agent.id, conversationId, messageId: 'm1', messageEvent: true,
    reply: { text: 'Two to four working days.', kind: 'answer' as const, sources: [], language: 'en', confidence: 0.9 },
    insights: { path: [], reason: 'test', triggers: [], scores: {}, candidates: [], responder: 'fixed_message' as const },
  };
  return { workspace, agent, conversationId, notified, acts, reply };
}

describe('an agent reply and its message.created', () => {
  it('a retried reply is one row, one billed conversation and one event, notified on every attempt with the same id', async () => {
    const w = await world(true);
    await w.acts.recordReply(w.reply);
    await w.acts.recordReply(w.reply);
    const events = await listEvents(db, w.workspace.id, { type: 'message.created', limit: 10 });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      id: `${w.conversationId}:m1:agent`,
      data: { agentId: w.agent.id, conversationId: w.conversationId, messageId: 'm1', role: 'agent', text: 'Two to four working days.' },
    });
    // The notifier dedupes on the event id: a delivery workflow per webhook and event, started once.
    expect(w.notified.map((e) => e.id)).toEqual([events[0]!.id, events[0]!.id]);
    const messages = await db.query(`SELECT 1 FROM messages WHERE agent_id = $1 AND conversation_id = $2 AND role = 'agent'`, [w.agent.id, w.conversationId]);
    expect(messages.rows).toHaveLength(1);
    const usage = await db.query('SELECT credits FROM usage_ledger WHERE agent_id = $1 AND conversation_id = $2', [w.agent.id, w.conversationId]);
    expect(usage.rows).toHaveLength(1);
  });

  it('a workspace without a message.created webhook gets no event, and nothing is notified', async () => {
    const w = await world(false);
    await w.acts.recordReply(w.reply);
    expect(await listEvents(db, w.workspace.id, { limit: 10 })).toEqual([]);
    expect(w.notified).toEqual([]);
  });

  it('a reply recorded without the flag (histories from before it) leaves the event to emitMessageEvent', async () => {
    const w = await world(true);
    const { messageEvent: _, ...older } = w.reply;
    await w.acts.recordReply(older);
    expect(await listEvents(db, w.workspace.id, { limit: 10 })).toEqual([]);
    expect(w.notified).toEqual([]);
  });
});
