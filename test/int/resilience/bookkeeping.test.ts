/**
 * Bookkeeping that cannot succeed: the database refuses a message, a reply or a status change for good.
 * The customer still gets the fallback handoff reply, and the conversation answers the next message;
 * before, the refused write was retried until the run failed, and every message meanwhile hung.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversationClient } from '../../../api/conversation-client.js';
import type { Db, Queryable } from '../../../db/types.js';
import { conversationWorkflowId } from '../../../workflows/conversation.contract.js';
import { fallbackReplyText } from '../../../workflows/fallback.js';
import { SHIPPING } from '../../fixtures/shop-articles.js';
import { say, startTestSystem, type TestSystem } from '../../support/system.js';
import { uniqueId } from '../../support/temporal.js';

/** Faults a test switches on: the database refuses agent replies and status changes, as PostgreSQL refuses a row. */
const faults = { refuseReplies: false };

function refusing(db: Db): Db {
  const check = (text: string, params?: readonly unknown[]) => {
    if (!faults.refuseReplies) return;
    // An agent reply is written alone (role the fourth parameter) or in db/bookkeeping.ts's one statement.
    const agentReply = (/^\s*INSERT INTO messages/.test(text) && params?.[3] === 'agent')
      || /^\s*WITH inserted AS \(\s*INSERT INTO messages [^)]*\)\s*VALUES \(\$1, \$2, \$3, 'agent'/.test(text);
    if (agentReply || /^\s*UPDATE conversations SET status/.test(text)) {
      throw Object.assign(new Error('value too long for type character varying(8)'), { code: '22001' });
    }
  };
  const wrap = (q: Queryable): Queryable => ({
    query: async (text, params) => {
      check(typeof text === 'string' ? text : text.text, params);
      return q.query(text, params);
    },
  });
  return { ...db, query: wrap(db).query as Db['query'], transaction: (fn) => db.transaction((tx) => fn(wrap(tx))) };
}

let sys: TestSystem;
let agentId: string;
const fallbackText = fallbackReplyText('en').text;

beforeAll(async () => {
  sys = await startTestSystem('bookkeeping', {}, { wrapDb: refusing });
  agentId = await sys.createAgent({ articles: [SHIPPING] });
});
afterAll(async () => sys?.stop());

const roles = async (conv: string) =>
  (await sys.request('GET', `/v1/agents/${agentId}/conversations/${conv}`)).body.transcript.map((t: { role: string; messageId: string }) => `${t.messageId}:${t.role}`);

describe('a bookkeeping step that fails for good', () => {
  it('a message the database refuses gets the fallback reply, and the next message is answered', async () => {
    const conv = uniqueId('refused-message');
    // Past the API (which refuses it with a 422), the way a channel that forgot to strip it would send it.
    const conversations = createConversationClient({ client: sys.client, taskQueue: sys.config.TEMPORAL_TASK_QUEUE });
    const refused = await conversations.send({ agentId, conversationId: conv }, { messageId: 'm1', text: 'hello\u0000world', channel: 'chat' });
    expect(refused.reply).toMatchObject({ kind: 'handoff', text: fallbackText });
    expect(refused.conversation.status).toBe('handoff_requested');

    // The fallback handed it to the team: the next message is kept for them, and the agent is silent…
    const next = await say(sys, agentId, conv, 'How long does standard delivery take?', { messageId: 'm2' });
    expect(next.status).toBe(200);
    expect(next.body.reply).toBeNull();
    // …until a person hands it back; then the conversation runs on.
    expect((await sys.request('POST', `/v1/agents/${agentId}/conversations/${conv}/hand-back`)).status).toBe(200);
    const answered = await say(sys, agentId, conv, 'How long does standard delivery take?', { messageId: 'm3' });
    expect(answered.body.reply.kind).toBe('answer');
    expect(answered.body.reply.text).toMatch(/2 to 4 working days/);
    // The refused message is not in the transcript; the fallback reply to it is.
    expect(await roles(conv)).toEqual(['m1:agent', 'm2:customer', 'm3:customer', 'm3:agent']);
    const description = await sys.client.workflow.getHandle(conversationWorkflowId(agentId, conv)).describe();
    expect(description.status.name).toBe('RUNNING');
  });

  it('a reply and a status change the database refuses still reach the customer as the fallback reply', async () => {
    const conv = uniqueId('refused-reply');
    faults.refuseReplies = true;
    let first;
    try {
      first = await say(sys, agentId, conv, 'How long does standard delivery take?', { messageId: 'm1' });
    } finally {
      faults.refuseReplies = false;
    }
    expect(first.status).toBe(200);
    expect(first.body.reply).toMatchObject({ kind: 'handoff', text: fallbackText });
    expect(first.body.conversation.status).toBe('handoff_requested');

    const next = await say(sys, agentId, conv, 'How long does standard delivery take?', { messageId: 'm2' });
    expect(next.status).toBe(200);
    expect(next.body.reply).toBeNull();
    expect(await roles(conv)).toEqual(['m1:customer', 'm2:customer']);
    // A retry of the first message gets the same fallback reply (deduplicated in the workflow).
    const retry = await say(sys, agentId, conv, 'How long does standard delivery take?', { messageId: 'm1' });
    expect(retry.body.reply).toEqual(first.body.reply);
  });
});
