/**
 * Messenger end to end: Meta's webhook (handshake, signed deliveries) in, the conversation workflow, and
 * replies out through a local server speaking the Send API as GRAPH_API_BASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationIdFor } from '../../../api/routes/channel-meta.js';
import { SHIPPING } from '../../fixtures/shop-articles.js';
import { messengerMessage, messengerReceipts } from '../../fixtures/meta-payloads.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';
import { waitFor } from '../../support/workspace.js';
import { startGraphServer, type GraphServer } from './graph-server.js';
import { deployOnMeta, handshake, postDelivery, randomDigits, transcriptOf, type MetaDeployment } from './meta-helpers.js';

let sys: TestSystem;
let graph: GraphServer;
let agentId: string;
let dep: MetaDeployment;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  graph = await startGraphServer({ accessTokens: tokens });
  sys = await startTestSystem('messenger', { GRAPH_API_BASE_URL: graph.baseUrl });
  agentId = await sys.createAgent({ name: 'Messenger Shop', articles: [SHIPPING] });
  dep = await deployOnMeta(sys, agentId, 'messenger');
  tokens[dep.account] = dep.accessToken;
});
afterAll(async () => {
  await sys?.stop();
  await graph?.close();
});

const conversation = (psid: string) => conversationIdFor('messenger', dep.id, psid);
const repliesTo = (psid: string) => graph.to(dep.account).filter((r) => r.body?.recipient?.id === psid);
const mid = () => `m_${randomDigits(20)}-_${randomDigits(10)}`;

describe('the webhook handshake', () => {
  it('answers the challenge when the verify token is a Messenger deployment\'s, and 403 otherwise', async () => {
    expect(await handshake(sys, 'messenger', { 'hub.mode': 'subscribe', 'hub.verify_token': dep.verifyToken, 'hub.challenge': 'CHALLENGE_ACCEPTED' }))
      .toMatchObject({ status: 200, text: 'CHALLENGE_ACCEPTED' });
    expect((await handshake(sys, 'messenger', { 'hub.mode': 'subscribe', 'hub.verify_token': `${dep.verifyToken}x`, 'hub.challenge': '1' })).status).toBe(403);
    expect((await handshake(sys, 'whatsapp', { 'hub.mode': 'subscribe', 'hub.verify_token': dep.verifyToken, 'hub.challenge': '1' })).status).toBe(403);
  });
});

describe('messages from Messenger', () => {
  it('answers a signed text message as a RESPONSE to the PSID, with the token and the sources as plain lines', async () => {
    const psid = randomDigits(16);
    const res = await postDelivery(sys, 'messenger', messengerMessage({ pageId: dep.account, psid, mid: mid(), text: 'How long does standard delivery take?' }), dep);
    expect(res).toEqual({ status: 200, text: 'EVENT_RECEIVED' });
    const [reply] = await waitFor('the reply', async () => repliesTo(psid), (r) => r.length > 0);
    expect(reply!.authorization).toBe(`Bearer ${dep.accessToken}`);
    expect(reply!.body).toMatchObject({ recipient: { id: psid }, messaging_type: 'RESPONSE' });
    expect(reply!.body.message.text).toMatch(/2 to 4 working days/);
    // The sources as plain lines under the text, listed once (the answer's own list, in its language).
    expect(reply!.body.message.text).toMatch(/\n\nSources:\n\[1\] Shipping times and costs\W+https:\/\/help\.example\.test\/shipping/);
    expect(reply!.body.message.text.split('[1] Shipping times and costs')).toHaveLength(2);
    expect(reply!.body.message.text.length).toBeLessThanOrEqual(2000);
    const transcript = await waitFor('the delivery state', () => transcriptOf(sys, agentId, conversation(psid)), (t) => t[1]?.delivery?.status === 'sent');
    expect(transcript.map((t) => t.role)).toEqual(['customer', 'agent']);
  });

  it('does not send a reply outside the 24-hour standard messaging window, and the transcript says why', async () => {
    const psid = randomDigits(16);
    const payload = messengerMessage({ pageId: dep.account, psid, mid: mid(), timestamp: Date.now() - 30 * 3600_000, text: 'How long does standard delivery take?' });
    expect((await postDelivery(sys, 'messenger', payload, dep)).status).toBe(200);
    const transcript = await waitFor('the delivery state', () => transcriptOf(sys, agentId, conversation(psid)), (t) => t[1]?.delivery && t[1].delivery.status !== 'pending');
    expect(transcript[1]).toMatchObject({ role: 'agent', delivery: { status: 'not_sent', reason: expect.stringMatching(/outside Messenger's 24-hour customer service window/) } });
    expect(repliesTo(psid)).toEqual([]);
  });

  it('refuses a delivery with a bad signature (401), and nothing is sent', async () => {
    const psid = randomDigits(16);
    const payload = messengerMessage({ pageId: dep.account, psid, mid: mid() });
    expect((await postDelivery(sys, 'messenger', payload, { appSecret: 'not-the-app-secret' })).status).toBe(401);
    expect((await postDelivery(sys, 'messenger', payload, { header: 'sha256=' })).status).toBe(401);
    await new Promise((r) => setTimeout(r, 1500));
    expect(repliesTo(psid)).toEqual([]);
    expect((await sys.request('GET', `/v1/agents/${agentId}/conversations/${conversation(psid)}`)).status).toBe(404);
  });

  it('answers a delivery Meta retries (the same mid) once, and ignores echoes and receipts', async () => {
    const psid = randomDigits(16);
    const payload = messengerMessage({ pageId: dep.account, psid, mid: mid(), text: 'How much does express shipping cost?' });
    expect((await postDelivery(sys, 'messenger', payload, dep)).status).toBe(200);
    expect((await postDelivery(sys, 'messenger', payload, dep)).status).toBe(200);
    await waitFor('the reply', async () => repliesTo(psid), (r) => r.length > 0);
    expect((await postDelivery(sys, 'messenger', messengerMessage({ pageId: dep.account, psid, mid: mid(), echo: true }), dep)).status).toBe(200);
    expect((await postDelivery(sys, 'messenger', messengerReceipts(dep.account, psid), dep)).status).toBe(200);
    expect((await postDelivery(sys, 'messenger', payload, dep)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2000));
    expect(repliesTo(psid)).toHaveLength(1);
    expect((await transcriptOf(sys, agentId, conversation(psid))).map((t) => t.role)).toEqual(['customer', 'agent']);
  });

  it('answers an attachment with the polite text-only reply', async () => {
    const psid = randomDigits(16);
    expect((await postDelivery(sys, 'messenger', messengerMessage({ pageId: dep.account, psid, mid: mid(), attachment: 'audio' }), dep)).status).toBe(200);
    const [reply] = await waitFor('the reply', async () => repliesTo(psid), (r) => r.length > 0);
    expect(reply!.body.message.text).toMatch(/only read text messages/);
    expect((await transcriptOf(sys, agentId, conversation(psid)))[0]).toMatchObject({ role: 'customer', text: '[audio]' });
  });
});
