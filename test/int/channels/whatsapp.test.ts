/**
 * WhatsApp end to end: Meta's webhook (handshake, signed deliveries) in, the conversation workflow, and
 * replies out through a local server speaking the Cloud API as GRAPH_API_BASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationIdFor } from '../../../api/routes/channel-meta.js';
import { SHIPPING } from '../../fixtures/shop-articles.js';
import { whatsappMessage, whatsappStatus } from '../../fixtures/meta-payloads.js';
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
  sys = await startTestSystem('whatsapp', { GRAPH_API_BASE_URL: graph.baseUrl });
  agentId = await sys.createAgent({ name: 'WhatsApp Shop', articles: [SHIPPING] });
  dep = await deployOnMeta(sys, agentId, 'whatsapp');
  tokens[dep.account] = dep.accessToken;
});
afterAll(async () => {
  await sys?.stop();
  await graph?.close();
});

const conversation = (waId: string) => conversationIdFor('whatsapp', dep.id, waId);
const repliesTo = (waId: string) => graph.to(dep.account).filter((r) => r.body?.to === waId);

describe('the webhook handshake', () => {
  it('answers the challenge as plain text when the verify token is a deployment\'s, and 403 otherwise', async () => {
    const ok = await handshake(sys, 'whatsapp', { 'hub.mode': 'subscribe', 'hub.verify_token': dep.verifyToken, 'hub.challenge': '1158201444' });
    expect(ok).toMatchObject({ status: 200, text: '1158201444' });
    expect(ok.type).toMatch(/^text\/plain/);
    expect((await handshake(sys, 'whatsapp', { 'hub.mode': 'subscribe', 'hub.verify_token': 'not-the-token', 'hub.challenge': '1' })).status).toBe(403);
    // Messenger's webhook does not accept a WhatsApp deployment's token.
    expect((await handshake(sys, 'messenger', { 'hub.mode': 'subscribe', 'hub.verify_token': dep.verifyToken, 'hub.challenge': '1' })).status).toBe(403);
    expect((await handshake(sys, 'whatsapp', { 'hub.mode': 'subscribe' })).status).toBe(422);
  });
});

describe('messages from WhatsApp', () => {
  it('answers a signed text message through the Graph API, with the token and the sources as plain lines', async () => {
    const waId = randomDigits(12);
    const res = await postDelivery(sys, 'whatsapp', whatsappMessage({ phoneNumberId: dep.account, waId, id: `wamid.${randomDigits()}=`, text: 'How long does standard delivery take?' }), dep);
    expect(res).toEqual({ status: 200, text: 'EVENT_RECEIVED' });
    const [reply] = await waitFor('the reply', async () => repliesTo(waId), (r) => r.length > 0);
    expect(reply!.authorization).toBe(`Bearer ${dep.accessToken}`);
    expect(reply!.body).toMatchObject({ messaging_product: 'whatsapp', recipient_type: 'individual', to: waId, type: 'text', text: { preview_url: false } });
    expect(reply!.body.text.body).toMatch(/2 to 4 working days/);
    // The sources as plain lines under the text, listed once (the answer's own list, in its language).
    expect(reply!.body.text.body).toMatch(/\n\nSources:\n\[1\] Shipping times and costs\W+https:\/\/help\.example\.test\/shipping/);
    expect(reply!.body.text.body.split('[1] Shipping times and costs')).toHaveLength(2);
    const transcript = await waitFor('the delivery state', () => transcriptOf(sys, agentId, conversation(waId)), (t) => t[1]?.delivery?.status === 'sent');
    expect(transcript.map((t) => t.role)).toEqual(['customer', 'agent']);
    expect(transcript[1]!.channel).toBe('whatsapp');
    const conv = await sys.request('GET', `/v1/agents/${agentId}/conversations/${conversation(waId)}`);
    expect(conv.body).toMatchObject({ channel: 'whatsapp', customer: { id: waId, name: 'Lena Vogel' } });
  });

  it('refuses a delivery with a bad or missing signature (401), and nothing reaches a conversation', async () => {
    const waId = randomDigits(12);
    const payload = whatsappMessage({ phoneNumberId: dep.account, waId, id: `wamid.${randomDigits()}` });
    expect((await postDelivery(sys, 'whatsapp', payload, { appSecret: 'not-the-app-secret' })).status).toBe(401);
    expect((await postDelivery(sys, 'whatsapp', payload, {})).status).toBe(401);
    // An account nobody deployed gets the same answer, whoever signed it.
    const elsewhere = whatsappMessage({ phoneNumberId: randomDigits(), waId, id: `wamid.${randomDigits()}` });
    expect((await postDelivery(sys, 'whatsapp', elsewhere, dep)).status).toBe(401);
    await new Promise((r) => setTimeout(r, 1500));
    expect(repliesTo(waId)).toEqual([]);
    expect((await sys.request('GET', `/v1/agents/${agentId}/conversations/${conversation(waId)}`)).status).toBe(404);
  });

  it('answers a delivery Meta retries (the same message id) once', async () => {
    const waId = randomDigits(12);
    const payload = whatsappMessage({ phoneNumberId: dep.account, waId, id: `wamid.${randomDigits()}==`, text: 'How much does express shipping cost?' });
    expect((await postDelivery(sys, 'whatsapp', payload, dep)).status).toBe(200);
    expect((await postDelivery(sys, 'whatsapp', payload, dep)).status).toBe(200);
    await waitFor('the reply', async () => repliesTo(waId), (r) => r.length > 0);
    expect((await postDelivery(sys, 'whatsapp', payload, dep)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2000));
    expect(repliesTo(waId)).toHaveLength(1);
    const transcript = await transcriptOf(sys, agentId, conversation(waId));
    expect(transcript.map((t) => t.role)).toEqual(['customer', 'agent']);
  });

  it('answers an image with the polite text-only reply', async () => {
    const waId = randomDigits(12);
    expect((await postDelivery(sys, 'whatsapp', whatsappMessage({ phoneNumberId: dep.account, waId, id: `wamid.${randomDigits()}`, type: 'image' }), dep)).status).toBe(200);
    const [reply] = await waitFor('the reply', async () => repliesTo(waId), (r) => r.length > 0);
    expect(reply!.body.text.body).toMatch(/only read text messages/);
    const transcript = await transcriptOf(sys, agentId, conversation(waId));
    expect(transcript[0]).toMatchObject({ role: 'customer', text: '[image]' });
  });

  it('does not send a reply outside the 24-hour customer service window, and the transcript says why', async () => {
    const waId = randomDigits(12);
    // Meta delivers a message the customer sent 25 hours ago (a webhook retried for that long).
    const sentAt = Math.floor(Date.now() / 1000) - 25 * 3600;
    const payload = whatsappMessage({ phoneNumberId: dep.account, waId, id: `wamid.${randomDigits()}`, timestamp: sentAt, text: 'How long does standard delivery take?' });
    expect((await postDelivery(sys, 'whatsapp', payload, dep)).status).toBe(200);
    const transcript = await waitFor('the delivery state', () => transcriptOf(sys, agentId, conversation(waId)), (t) => t[1]?.delivery && t[1].delivery.status !== 'pending');
    expect(transcript[1]).toMatchObject({ role: 'agent', delivery: { status: 'not_sent', reason: expect.stringMatching(/outside WhatsApp's 24-hour customer service window: the customer last wrote 25 hours ago/) } });
    expect(repliesTo(waId)).toEqual([]);
  });

  it('acknowledges a status update without starting anything', async () => {
    const before = graph.requests.length;
    expect(await postDelivery(sys, 'whatsapp', whatsappStatus(dep.account), dep)).toEqual({ status: 200, text: 'EVENT_RECEIVED' });
    await new Promise((r) => setTimeout(r, 500));
    expect(graph.requests.length).toBe(before);
  });
});
