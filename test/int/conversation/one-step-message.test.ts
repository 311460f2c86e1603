/**
 * A message the agent answers plainly is recorded, thought about and its reply recorded in one local
 * activity (activities/message.ts): the conversation's history shows one step per message, and a
 * failure inside that step still ends in one answer, billed once, through the steps taken one at a time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, Queryable } from '../../../db/types.js';
import { conversationWorkflowId } from '../../../workflows/conversation.contract.js';
import { SHIPPING } from '../../fixtures/shop-articles.js';
import { say, startTestSystem, type TestSystem } from '../../support/system.js';
import { uniqueId } from '../../support/temporal.js';

/** The next agent reply write fails once, as a dropped connection would fail it. */
const faults = { failNextReply: false };

function flaky(db: Db): Db {
  const check = (text: string) => {
    if (faults.failNextReply && /^\s*WITH inserted AS \(\s*INSERT INTO messages [^)]*\)\s*VALUES \(\$1, \$2, \$3, 'agent'/.test(text)) {
      faults.failNextReply = false;
      throw Object.assign(new Error('Connection terminated unexpectedly'), { code: '08006' });
    }
  };
  const wrap = (q: Queryable): Queryable => ({ query: async (text, params) => { check(typeof text === 'string' ? text : text.text); return q.query(text, params); } });
  return { ...db, query: wrap(db).query as Db['query'], transaction: (fn) => db.transaction((tx) => fn(wrap(tx))) };
}

let sys: TestSystem;
let agentId: string;

beforeAll(async () => {
  sys = await startTestSystem('one-step', {}, { wrapDb: flaky });
  agentId = await sys.createAgent({ articles: [SHIPPING] });
});
afterAll(async () => sys?.stop());

/** The local activities the conversation's history records, by type, in order. */
async function localActivities(conversationId: string): Promise<string[]> {
  const history = await sys.client.workflow.getHandle(conversationWorkflowId(agentId, conversationId)).fetchHistory();
  return (history.events ?? []).flatMap((e) => {
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_local_activity') return [];
    const data = marker.details?.data?.payloads?.[0]?.data;
    const parsed = data ? JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: string; activityType?: string } : {};
    return [parsed.activity_type ?? parsed.activityType ?? '?'];
  });
}

const transcript = async (conv: string) =>
  (await sys.request('GET', `/v1/agents/${agentId}/conversations/${conv}`)).body.transcript.map((t: { role: string; messageId: string }) => `${t.messageId}:${t.role}`);
const billed = async (conv: string) =>
  (await sys.db.query('SELECT 1 FROM usage_ledger WHERE agent_id = $1 AND conversation_id = $2', [agentId, conv])).rows.length;

describe('a message the agent answers plainly', () => {
  it('takes one step in the conversation history: recorded, answered and billed together', async () => {
    const conv = uniqueId('one-step');
    const first = await say(sys, agentId, conv, 'How long does standard delivery take?', { messageId: 'm1' });
    expect(first.body.reply.text).toMatch(/2 to 4 working days/);
    const second = await say(sys, agentId, conv, 'Is express delivery possible?', { messageId: 'm2' });
    expect(second.body.reply.kind).toBeDefined();
    // Opening the conversation, then one step per message.
    expect(await localActivities(conv)).toEqual(['openConversation', 'handleMessage', 'handleMessage']);
    expect(await transcript(conv)).toEqual(['m1:customer', 'm1:agent', 'm2:customer', 'm2:agent']);
    expect(await billed(conv)).toBe(1);
  });

  it('a reply write that fails once is retried step by step: answered once, billed once', async () => {
    const conv = uniqueId('one-step-flaky');
    faults.failNextReply = true;
    const res = await say(sys, agentId, conv, 'How long does standard delivery take?', { messageId: 'm1' });
    expect(res.status).toBe(200);
    expect(res.body.reply.kind).toBe('answer');
    expect(res.body.reply.text).toMatch(/2 to 4 working days/);
    expect(faults.failNextReply).toBe(false);
    // The one step failed at its last write; the steps taken one at a time found the message recorded.
    expect(await localActivities(conv)).toEqual(['openConversation', 'handleMessage', 'recordInbound', 'agentTurn', 'recordReply']);
    expect(await transcript(conv)).toEqual(['m1:customer', 'm1:agent']);
    expect(await billed(conv)).toBe(1);
  });
});
