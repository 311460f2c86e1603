import { describe, expect, it } from 'vitest';
import { addressOf } from '../../../../channels/email/address.js';
import { renderEmail } from '../../../../channels/email/render.js';
import { composeReply, createEmailSender, replySubject } from '../../../../channels/email/send.js';
import { DeliveryRefused, type SendInput } from '../../../../channels/channel.js';
import { parseEmail } from '../../../../channels/email/parse.js';
import {
  conversationMessageId, newConversationId, replyMessageId, rootMessageId, threadKeys,
} from '../../../../channels/email/thread.js';
import { ExternalId } from '../../../../workflows/conversation.schemas.js';
import { GMAIL_REPLY, rawEmail } from '../../../fixtures/emails.js';

describe('threads and their conversations', () => {
  it('a new thread gets an id from its deployment and root message that is a valid conversation id', () => {
    const id = newConversationId('dep_1', 'CAH+x=first01@mail.example.test');
    expect(id).toMatch(/^email-[0-9a-f]{24}$/);
    expect(ExternalId.safeParse(id).success).toBe(true);
    expect(newConversationId('dep_1', 'CAH+x=first01@mail.example.test')).toBe(id);
    expect(newConversationId('dep_2', 'CAH+x=first01@mail.example.test')).not.toBe(id);
  });

  it('the root is the first reference, else what it answers, else the message itself', () => {
    expect(rootMessageId({ messageId: 'c@x', inReplyTo: 'b@x', references: ['a@x', 'b@x'] })).toBe('a@x');
    expect(rootMessageId({ messageId: 'c@x', inReplyTo: 'b@x', references: [] })).toBe('b@x');
    expect(rootMessageId({ messageId: 'c@x', references: [] })).toBe('c@x');
  });

  it('looks up the message itself, then what it answers, then its references newest first', () => {
    expect(threadKeys({ messageId: 'd@x', inReplyTo: 'c@x', references: ['a@x', 'b@x', 'c@x'] })).toEqual(['d@x', 'c@x', 'b@x', 'a@x']);
  });

  it('a Message-ID that is a valid message id is kept; any other is hashed into one', () => {
    expect(conversationMessageId('4d1c0f2b9e@shop.test')).toBe('4d1c0f2b9e@shop.test');
    const hashed = conversationMessageId('CAH+x=kT9p2Q_vR8@mail.example.test');
    expect(hashed).toMatch(/^email-[0-9a-f]{32}$/);
    expect(conversationMessageId('x'.repeat(200) + '@long.example')).toMatch(/^email-[0-9a-f]{32}$/);
  });

  it("our reply's Message-ID is the same for every retry of a delivery, at the support address's domain", () => {
    const id = replyMessageId('agt_1:email-abc:msg_2', 'support@shop.test');
    expect(id).toMatch(/^[0-9a-f]{32}@shop\.test$/);
    expect(replyMessageId('agt_1:email-abc:msg_2', 'support@shop.test')).toBe(id);
    expect(replyMessageId('agt_1:email-abc:msg_3', 'support@shop.test')).not.toBe(id);
  });

  it("the address an email leaves: the sender, the others it went to without us, its subject and thread ids", async () => {
    const mail = await parseEmail(Buffer.from(rawEmail({
      to: 'support@shop.test, Anna <anna@example.test>', cc: 'Kim <kim.jensen@example.test>, SUPPORT@shop.test, boss@example.test',
      messageId: 'm3@example.test', inReplyTo: 'm2@shop.test', references: ['m1@example.test', 'm2@shop.test'], text: 'Hi',
    })));
    expect(addressOf({ ...mail, from: mail.from! }, ['support@shop.test'])).toEqual({
      from: { address: 'kim.jensen@example.test', name: 'Kim Jensen' },
      cc: [{ address: 'anna@example.test', name: 'Anna' }, { address: 'boss@example.test' }],
      subject: 'Where is my order?',
      messageId: 'm3@example.test',
      references: ['m1@example.test', 'm2@shop.test'],
    });
  });

  it('a message that answers without References passes on what it answers, and a long thread keeps its root and latest ids', async () => {
    const onlyInReplyTo = await parseEmail(Buffer.from(rawEmail({ messageId: 'm2@example.test', inReplyTo: 'm1@shop.test', text: 'Hi' })));
    expect(addressOf({ ...onlyInReplyTo, from: onlyInReplyTo.from! }, []).references).toEqual(['m1@shop.test']);
    const ids = Array.from({ length: 30 }, (_, i) => `r${i}@example.test`);
    const long = await parseEmail(Buffer.from(rawEmail({ messageId: 'm31@example.test', references: ids, text: 'Hi' })));
    expect(addressOf({ ...long, from: long.from! }, []).references).toEqual([ids[0], ...ids.slice(-9)]);
  });
});

const SOURCES = [
  { id: 's1', title: 'Shipping & delivery', url: 'https://shop.test/help/shipping', snippet: '…' },
  { id: 's2', title: 'Returns', snippet: '…' },
  { id: 's3', title: 'Sneaky', url: 'javascript:alert(1)', snippet: '…' },
];

describe('a reply as an email', () => {
  it('plain text lists the cited sources after the text, then the signature after the delimiter', () => {
    const { text } = renderEmail({ text: 'Delivery takes 2-4 days [1]. Returns are free [2].', sources: SOURCES, signature: 'The Shop team' });
    expect(text).toBe('Delivery takes 2-4 days [1]. Returns are free [2].\n\nSources:\n[1] Shipping & delivery: https://shop.test/help/shipping\n[2] Returns\n\n-- \nThe Shop team\n');
  });

  it('HTML links each marker to its web source, escapes the text, lists the sources and ends with the signature', () => {
    const { html } = renderEmail({ text: 'Use <b>code</b> & save [1].\n\nNot a link [3].', sources: SOURCES, signature: 'The Shop team\nshop.test' });
    expect(html).toContain('<p>Use &lt;b&gt;code&lt;/b&gt; &amp; save <a href="https://shop.test/help/shipping">[1]</a>.</p>');
    expect(html).toContain('<p>Not a link [3].</p>');
    expect(html).toContain('<li>[1] <a href="https://shop.test/help/shipping">Shipping &amp; delivery</a></li>');
    expect(html).toContain('<li>[3] Sneaky</li>');
    expect(html).not.toContain('javascript:');
    expect(html).toMatch(/-- <br>\nThe Shop team<br>\nshop\.test<\/p>\n<\/body>/);
  });

  it("a reply that lists its sources itself (the turn graph's answers) gets no second list, and its addresses are links", () => {
    const text = 'Delivery takes 2-4 days [1].\n\nKilder:\n[1] Shipping & delivery – https://shop.test/help/shipping?a=1&b=2.';
    const { text: plain, html } = renderEmail({ text, sources: SOURCES });
    expect(plain).toBe(`${text}\n`);
    expect(html).not.toContain('<ol');
    expect(html).toContain('<a href="https://shop.test/help/shipping">[1]</a> Shipping &amp; delivery – '
      + '<a href="https://shop.test/help/shipping?a=1&amp;b=2">https://shop.test/help/shipping?a=1&amp;b=2</a>.');
  });

  it('without sources or signature it is just the text', () => {
    expect(renderEmail({ text: 'Hello!', sources: [] }).text).toBe('Hello!\n');
  });

  it('answers once with Re:, whatever the language of the prefix already there', () => {
    expect(replySubject('Where is my order?')).toBe('Re: Where is my order?');
    for (const s of ['Re: Where is my order?', 'RE: x', 'Aw: x', 'SV: x', 'Antw: x', 're[2]: x']) expect(replySubject(s)).toBe(s);
    expect(replySubject('')).toBe('Re: your message');
  });
});

describe('composing the reply', () => {
  const input = (over: Partial<SendInput> = {}, settings: Record<string, unknown> = {}): SendInput => ({
    deployment: { id: 'dep_1', workspaceId: 'default', agentId: 'agt_1', channel: 'email', account: 'support@shop.test', settings },
    address: {
      from: { address: 'kim.jensen@example.test', name: 'Kim Jensen' }, cc: [{ address: 'anna@example.test' }],
      subject: 'Where is my order?', messageId: 'm2@example.test', references: ['m1@example.test'],
    },
    message: { agentId: 'agt_1', conversationId: 'email-abc', messageId: 'msg_9', role: 'agent', text: 'It ships today [1].', sources: SOURCES, author: 'Shop Assistant' },
    deliveryKey: 'agt_1:email-abc:msg_9',
    ...over,
  });

  it('from the support address, to the sender, threaded, with both parts and the loop guards', () => {
    const { messageId, mail } = composeReply(input({}, { signature: 'The Shop team' }));
    expect(mail).toMatchObject({
      from: { name: 'Shop Assistant', address: 'support@shop.test' },
      to: [{ name: 'Kim Jensen', address: 'kim.jensen@example.test' }],
      subject: 'Re: Where is my order?',
      messageId: `<${messageId}>`,
      inReplyTo: '<m2@example.test>',
      references: ['<m1@example.test>', '<m2@example.test>'],
      headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' },
    });
    expect(mail.cc).toBeUndefined();
    expect(mail.text).toContain('-- \nThe Shop team');
    expect(mail.html).toContain('<a href="https://shop.test/help/shipping">[1]</a>');
  });

  it('copies the others with replyAll, never our own address; answers Reply-To when the customer set one', () => {
    const address = { ...input().address!, replyTo: { address: 'orders@example.test' }, cc: [{ address: 'anna@example.test' }, { address: 'SUPPORT@shop.test' }] };
    const { mail } = composeReply(input({ address }, { replyAll: true }));
    expect(mail.to).toEqual([{ name: '', address: 'orders@example.test' }]);
    expect(mail.cc).toEqual([{ name: '', address: 'anna@example.test' }]);
  });

  it("a person's reply is not marked automatic", () => {
    const { mail } = composeReply(input({ message: { ...input().message, role: 'human', author: 'Mette' } }));
    expect(mail.headers).toEqual({ 'X-Auto-Response-Suppress': 'All' });
    expect(mail.from).toEqual({ name: 'Mette', address: 'support@shop.test' });
  });

  it('a conversation without an email thread is not sent', () => {
    for (const address of [undefined, { chat: true }]) {
      const refused = (() => {
        try {
          composeReply(input({ address }));
        } catch (err) {
          return err;
        }
      })();
      expect(refused).toBeInstanceOf(DeliveryRefused);
      expect((refused as DeliveryRefused).status).toBe('not_sent');
    }
  });
});

describe('sending without an SMTP server', () => {
  it('fails, to be retried, with an error naming SMTP_URL', async () => {
    const sender = createEmailSender({});
    await expect(sender.send({
      deployment: { id: 'dep_1', workspaceId: 'default', agentId: 'agt_1', channel: 'email', account: 'support@shop.test', settings: {} },
      address: { from: { address: 'kim@example.test' }, subject: 'x', messageId: 'm1@example.test', references: [] },
      message: { agentId: 'agt_1', conversationId: 'c', messageId: 'm', role: 'agent', text: 'Hi', sources: [] },
      deliveryKey: 'agt_1:c:m',
    })).rejects.toThrow(/set SMTP_URL/);
  });
});

describe('a Gmail reply threads under what it answers', () => {
  it('its In-Reply-To and References are looked up before a new conversation is made', async () => {
    const mail = await parseEmail(Buffer.from(GMAIL_REPLY));
    expect(threadKeys(mail)).toEqual(['CAH+x=kT9p2Q_vR8@mail.example.test', '4d1c0f2b9e@shop.test', 'CAH+x=first01@mail.example.test']);
  });
});
