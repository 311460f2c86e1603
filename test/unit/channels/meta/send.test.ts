import { describe, expect, it } from 'vitest';
import { DeliveryRefused, type SendInput } from '../../../../channels/channel.js';
import { splitMessage } from '../../../../channels/meta/graph.js';
import { createMessengerSender } from '../../../../channels/messenger/send.js';
import { createWhatsAppSender, WHATSAPP_MAX_BODY } from '../../../../channels/whatsapp/send.js';

const TOKEN = 'EAAG-access-token-of-the-shop-0123456789';
const NOW = Date.UTC(2026, 2, 10, 12, 0, 0);
const HOUR = 3600_000;

interface Call { url: string; headers: Record<string, string>; body: any }

/** A Graph API stand-in: records each call and answers with the next of `answers` (the last one repeats). */
function fakeGraph(answers: Array<{ status: number; body: unknown } | Error>) {
  const calls: Call[] = [];
  let i = 0;
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, headers: init.headers as Record<string, string>, body: JSON.parse(init.body as string) });
    const a = answers[Math.min(i++, answers.length - 1)]!;
    if (a instanceof Error) throw a;
    return new Response(JSON.stringify(a.body), { status: a.status, headers: { 'content-type': 'application/json' } });
  }) as unknown as typeof globalThis.fetch;
  return { calls, fetch };
}

const wamid = { status: 200, body: { messaging_product: 'whatsapp', contacts: [{ input: '4915112345678', wa_id: '4915112345678' }], messages: [{ id: 'wamid.reply1' }] } };

function input(over: Partial<SendInput> & { text?: string; channel?: 'whatsapp' | 'messenger' } = {}): SendInput {
  const channel = over.channel ?? 'whatsapp';
  return {
    deployment: {
      id: 'dep_1', workspaceId: 'ws_1', agentId: 'agt_1', channel, account: channel === 'whatsapp' ? '109876543210987' : '204060801002040',
      settings: { verifyToken: 'verify-token-1', appSecret: 'app-secret-1', accessToken: TOKEN },
    },
    address: channel === 'whatsapp' ? { waId: '4915112345678', sentAt: NOW - HOUR } : { psid: '7011223344556677', sentAt: NOW - HOUR },
    lastInboundAt: NOW - HOUR,
    message: {
      agentId: 'agt_1', conversationId: 'wa-1', messageId: 'm1', role: 'agent', language: 'en',
      text: over.text ?? 'Standard delivery takes 2 to 4 working days [1].',
      sources: [{ id: 's1', title: 'Shipping times', url: 'https://help.example.test/shipping', snippet: '…' }],
    },
    deliveryKey: 'agt_1:wa-1:m1',
    ...over,
  };
}

describe('the WhatsApp sender', () => {
  it('posts a text message to <base>/<phone number id>/messages with the token, the sources as plain lines', async () => {
    const graph = fakeGraph([wamid]);
    const sent = await createWhatsAppSender({ graphBaseUrl: 'http://graph.test/v21.0/', now: () => NOW, fetch: graph.fetch }).send(input());
    expect(sent).toEqual({ externalId: 'wamid.reply1' });
    expect(graph.calls).toHaveLength(1);
    expect(graph.calls[0]!.url).toBe('http://graph.test/v21.0/109876543210987/messages');
    expect(graph.calls[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(graph.calls[0]!.body).toEqual({
      messaging_product: 'whatsapp', recipient_type: 'individual', to: '4915112345678', type: 'text',
      text: { preview_url: false, body: 'Standard delivery takes 2 to 4 working days [1].\n\nSources:\n[1] Shipping times: https://help.example.test/shipping' },
    });
  });

  it('does not send outside the 24-hour window, and says why', async () => {
    const graph = fakeGraph([wamid]);
    const sender = createWhatsAppSender({ graphBaseUrl: 'http://graph.test/v21.0', now: () => NOW, fetch: graph.fetch });
    const late = sender.send(input({ address: { waId: '4915112345678', sentAt: NOW - 25 * HOUR } }));
    await expect(late).rejects.toBeInstanceOf(DeliveryRefused);
    await expect(late).rejects.toMatchObject({ status: 'not_sent', message: expect.stringMatching(/outside WhatsApp's 24-hour customer service window: the customer last wrote 25 hours ago/) });
    // Without the time in the address, the time the message arrived counts.
    await expect(sender.send(input({ address: { waId: '4915112345678' }, lastInboundAt: NOW - 30 * HOUR }))).rejects.toMatchObject({ status: 'not_sent' });
    expect(graph.calls).toEqual([]);
    // Just inside it, the reply goes.
    await sender.send(input({ address: { waId: '4915112345678', sentAt: NOW - 24 * HOUR + 60_000 } }));
    expect(graph.calls).toHaveLength(1);
  });

  it('splits a reply longer than 4096 characters into parts sent in order', async () => {
    const graph = fakeGraph([wamid]);
    const paragraph = `${'Our returns policy explains every step in detail. '.repeat(40).trim()}`;
    const text = [paragraph, paragraph, paragraph].join('\n\n');
    await createWhatsAppSender({ graphBaseUrl: 'http://graph.test/v21.0', now: () => NOW, fetch: graph.fetch }).send(input({ text }));
    const bodies = graph.calls.map((c) => c.body.text.body as string);
    expect(bodies.length).toBe(2);
    for (const b of bodies) expect(b.length).toBeLessThanOrEqual(WHATSAPP_MAX_BODY);
    expect(bodies[0]).toBe([paragraph, paragraph].join('\n\n'));
    expect(bodies.join('\n\n')).toBe(text);
  });

  it('turns Graph refusals into DeliveryRefused with Graph\'s message, and retries what may pass later', async () => {
    const refusal = (code: number, message: string, status = 400, extra = {}) => ({ status, body: { error: { message, type: 'OAuthException', code, fbtrace_id: 'AbC123', ...extra } } });
    const send = (answer: { status: number; body: unknown } | Error) =>
      createWhatsAppSender({ graphBaseUrl: 'http://graph.test/v21.0', now: () => NOW, fetch: fakeGraph([answer]).fetch }).send(input());

    const invalid = send(refusal(190, 'Invalid OAuth access token - Cannot parse access token', 401));
    await expect(invalid).rejects.toBeInstanceOf(DeliveryRefused);
    await expect(invalid).rejects.toMatchObject({ status: 'failed', message: expect.stringContaining('Invalid OAuth access token') });
    await expect(send(refusal(131047, 'Re-engagement message'))).rejects.toMatchObject({ status: 'not_sent' });

    for (const retryable of [
      { status: 500, body: { error: { message: 'An unknown error occurred', code: 1 } } },
      { status: 503, body: 'upstream' },
      refusal(130429, 'Rate limit hit'),
      refusal(4, 'Application request limit reached'),
      refusal(2, 'Service temporarily unavailable', 400, { is_transient: true }),
      { status: 429, body: {} },
      new TypeError('fetch failed'),
    ]) {
      const err = await send(retryable).then(() => undefined, (e: unknown) => e as Error);
      expect(err, JSON.stringify(retryable)).toBeInstanceOf(Error);
      expect(err, JSON.stringify(retryable)).not.toBeInstanceOf(DeliveryRefused);
      expect(err!.message).not.toContain(TOKEN);
    }
  });

  it('fails, without retrying, when a later part is refused: the parts already sent must not go twice', async () => {
    const graph = fakeGraph([wamid, { status: 500, body: {} }]);
    const text = `${'a'.repeat(3000)} ${'b'.repeat(3000)}`;
    const err = await createWhatsAppSender({ graphBaseUrl: 'http://graph.test/v21.0', now: () => NOW, fetch: graph.fetch }).send(input({ text }))
      .then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryRefused);
    expect((err as DeliveryRefused).message).toMatch(/only 1 of the reply's 2 parts were sent/);
  });

  it('refuses when the conversation has no WhatsApp number', async () => {
    const sender = createWhatsAppSender({ graphBaseUrl: 'http://graph.test/v21.0', now: () => NOW, fetch: fakeGraph([wamid]).fetch });
    await expect(sender.send(input({ address: undefined }))).rejects.toMatchObject({ status: 'failed' });
  });
});

describe('the Messenger sender', () => {
  it('posts a RESPONSE to the PSID through <base>/<page id>/messages, within 2000 characters a part', async () => {
    const graph = fakeGraph([{ status: 200, body: { recipient_id: '7011223344556677', message_id: 'm_reply1' } }]);
    const sender = createMessengerSender({ graphBaseUrl: 'http://graph.test/v21.0', now: () => NOW, fetch: graph.fetch });
    expect(await sender.send(input({ channel: 'messenger' }))).toEqual({ externalId: 'm_reply1' });
    expect(graph.calls[0]!.url).toBe('http://graph.test/v21.0/204060801002040/messages');
    expect(graph.calls[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(graph.calls[0]!.body).toEqual({
      recipient: { id: '7011223344556677' }, messaging_type: 'RESPONSE',
      message: { text: 'Standard delivery takes 2 to 4 working days [1].\n\nSources:\n[1] Shipping times: https://help.example.test/shipping' },
    });
    await sender.send(input({ channel: 'messenger', text: 'word '.repeat(900) }));
    expect(graph.calls.slice(1).map((c) => c.body.message.text.length).every((n: number) => n <= 2000)).toBe(true);
    expect(graph.calls.length).toBe(4);
  });

  it('does not send outside the 24-hour standard messaging window', async () => {
    const graph = fakeGraph([]);
    const sender = createMessengerSender({ graphBaseUrl: 'http://graph.test/v21.0', now: () => NOW, fetch: graph.fetch });
    await expect(sender.send(input({ channel: 'messenger', address: { psid: '7011223344556677', sentAt: NOW - 48 * HOUR } })))
      .rejects.toMatchObject({ status: 'not_sent', message: expect.stringMatching(/outside Messenger's 24-hour/) });
    expect(graph.calls).toEqual([]);
  });
});

describe('splitting a message', () => {
  it('leaves a message that fits as it is', () => {
    expect(splitMessage('Hello there.', 20)).toEqual(['Hello there.']);
  });

  it('cuts at a paragraph, else a line, else a sentence, else a word', () => {
    expect(splitMessage('First paragraph here.\n\nSecond one.', 30)).toEqual(['First paragraph here.', 'Second one.']);
    expect(splitMessage('Line one is here\nline two', 20)).toEqual(['Line one is here', 'line two']);
    expect(splitMessage('One sentence. Another sentence follows', 25)).toEqual(['One sentence.', 'Another sentence follows']);
    expect(splitMessage('words and more words and more', 12)).toEqual(['words and', 'more words', 'and more']);
  });

  it('cuts a word that has no space only where it must, never inside an emoji', () => {
    const parts = splitMessage(`${'x'.repeat(9)}😀😀`, 10);
    expect(parts).toEqual(['x'.repeat(9), '😀😀']);
    expect(parts.join('')).toBe(`${'x'.repeat(9)}😀😀`);
  });
});
