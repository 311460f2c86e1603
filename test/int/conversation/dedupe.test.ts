import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHIPPING } from '../../fixtures/shop-articles.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';
import { uniqueId } from '../../support/temporal.js';

let sys: TestSystem;
let agentId: string;

beforeAll(async () => {
  sys = await startTestSystem('dedupe');
  agentId = await sys.createAgent({ articles: [SHIPPING] });
});
afterAll(async () => sys?.stop());

const post = (conv: string, body: unknown) => sys.request('POST', `/v1/agents/${agentId}/conversations/${conv}/messages`, body);

describe('a channel that sends the same message twice', () => {
  it('gets the same reply and the transcript holds one question and one answer', async () => {
    const conv = uniqueId('dup');
    const message = { messageId: 'msg-1', text: 'How much does express shipping cost?', channel: 'chat' };
    const [a, b] = await Promise.all([post(conv, message), post(conv, message)]);
    const c = await post(conv, message);
    expect(a.status).toBe(200);
    expect(b.body).toEqual(a.body);
    expect(c.body).toEqual(a.body);
    const transcript = await sys.request('GET', `/v1/agents/${agentId}/conversations/${conv}`);
    expect(transcript.body.transcript.map((t: { role: string }) => t.role)).toEqual(['customer', 'agent']);
  });

  it('is refused with 409 when it reuses a message id for a different text', async () => {
    const conv = uniqueId('conflict');
    await post(conv, { messageId: 'msg-1', text: 'How much does express shipping cost?', channel: 'chat' });
    const res = await post(conv, { messageId: 'msg-1', text: 'Something else entirely', channel: 'chat' });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'message_id_conflict', field: 'messageId' });
    const transcript = await sys.request('GET', `/v1/agents/${agentId}/conversations/${conv}`);
    expect(transcript.body.transcript).toHaveLength(2);
  });
});
