import { describe, expect, it } from 'vitest';
import { safeMessageId } from '../../../../channels/meta/inbound.js';
import { parseMessengerWebhook } from '../../../../channels/messenger/parse.js';
import { parseWhatsAppWebhook } from '../../../../channels/whatsapp/parse.js';
import { unsupportedMessageText } from '../../../../domain/unsupported-message.js';
import { ExternalId, MAX_MESSAGE_BYTES } from '../../../../workflows/conversation.schemas.js';
import {
  SHOP_PAGE_ID, SHOP_PHONE_NUMBER_ID, messengerMessage, messengerReceipts, whatsappMessage, whatsappStatus,
} from '../../../fixtures/meta-payloads.js';

describe('WhatsApp webhook payloads', () => {
  it('reads a text message: the phone number id as account, the customer, a message id safe as an ExternalId, the time', () => {
    const d = parseWhatsAppWebhook(whatsappMessage({ text: '  Wie lange dauert der Versand?  ', timestamp: 1_760_000_000 }))!;
    expect(d.accounts).toEqual([SHOP_PHONE_NUMBER_ID]);
    expect(d.messages).toHaveLength(1);
    const m = d.messages[0]!;
    expect(m).toMatchObject({
      account: SHOP_PHONE_NUMBER_ID, from: '4915112345678', name: 'Lena Vogel', sentAt: 1_760_000_000_000,
      content: { kind: 'text', text: 'Wie lange dauert der Versand?' },
    });
    // The wamid is base64 ending in "=": hashed, the same way every time (a retry dedupes on it).
    expect(ExternalId.safeParse(m.messageId).success).toBe(true);
    expect(m.messageId).toBe(parseWhatsAppWebhook(whatsappMessage())!.messages[0]!.messageId);
    expect(m.messageId).not.toBe(parseWhatsAppWebhook(whatsappMessage({ id: 'wamid.other==' }))!.messages[0]!.messageId);
  });

  it('reads an image, a voice note or a sticker as a message that is not text', () => {
    for (const type of ['image', 'audio', 'sticker', 'document']) {
      const d = parseWhatsAppWebhook(whatsappMessage({ type }))!;
      expect(d.messages[0]!.content, type).toEqual({ kind: 'unsupported', type });
    }
  });

  it('finds nothing to answer in a status update, but still names its account', () => {
    expect(parseWhatsAppWebhook(whatsappStatus())).toEqual({ accounts: [SHOP_PHONE_NUMBER_ID], messages: [] });
  });

  it('skips reactions and messages it cannot read, keeping the others of the same delivery', () => {
    const payload = whatsappMessage();
    const value = payload.entry[0]!.changes[0]!.value as { messages: unknown[] };
    value.messages.push(
      { from: '4915112345678', id: 'wamid.reaction', timestamp: '1760000000', type: 'reaction', reaction: { message_id: 'wamid.x', emoji: '👍' } },
      { from: 'not-a-number', id: 'wamid.bad', timestamp: '1760000000', type: 'text', text: { body: 'hi' } },
      { id: 'wamid.nofrom', type: 'text' },
    );
    expect(parseWhatsAppWebhook(payload)!.messages).toHaveLength(1);
  });

  it('keeps a long message within the conversation\'s byte limit, and strips what cannot be stored', () => {
    const long = parseWhatsAppWebhook(whatsappMessage({ text: 'ü'.repeat(MAX_MESSAGE_BYTES) }))!.messages[0]!.content;
    expect(long.kind === 'text' && new TextEncoder().encode(long.text).length).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    const nul = parseWhatsAppWebhook(whatsappMessage({ text: 'a\u0000b' }))!.messages[0]!.content;
    expect(nul).toEqual({ kind: 'text', text: 'ab' });
  });

  it('is not a WhatsApp payload when the object is another', () => {
    expect(parseWhatsAppWebhook(messengerMessage())).toBeUndefined();
    expect(parseWhatsAppWebhook({})).toBeUndefined();
    expect(parseWhatsAppWebhook('text')).toBeUndefined();
  });
});

describe('Messenger webhook payloads', () => {
  it('reads a text message: the page id as account, the PSID, the time in ms', () => {
    const d = parseMessengerWebhook(messengerMessage({ text: 'Do you ship to Norway?', timestamp: 1_760_000_000_123 }))!;
    expect(d.accounts).toEqual([SHOP_PAGE_ID]);
    expect(d.messages[0]).toMatchObject({
      account: SHOP_PAGE_ID, from: '7011223344556677', sentAt: 1_760_000_000_123, content: { kind: 'text', text: 'Do you ship to Norway?' },
    });
    expect(ExternalId.safeParse(d.messages[0]!.messageId).success).toBe(true);
  });

  it('reads an attachment as a message that is not text', () => {
    const d = parseMessengerWebhook(messengerMessage({ attachment: 'image' }))!;
    expect(d.messages[0]!.content).toEqual({ kind: 'unsupported', type: 'image' });
  });

  it('ignores echoes of the page\'s own messages, and delivery and read receipts', () => {
    expect(parseMessengerWebhook(messengerMessage({ echo: true }))!.messages).toEqual([]);
    expect(parseMessengerWebhook(messengerReceipts())).toEqual({ accounts: [SHOP_PAGE_ID], messages: [] });
  });

  it('is not a Messenger payload when the object is another', () => {
    expect(parseMessengerWebhook(whatsappMessage())).toBeUndefined();
  });
});

describe('message ids and placeholders', () => {
  it('keeps an id that is already safe, and hashes one that is not or is too long', () => {
    expect(safeMessageId('fb', 'm_abc-DEF_123')).toBe('m_abc-DEF_123');
    for (const id of ['wamid.abc==', `m_${'x'.repeat(200)}`]) {
      const safe = safeMessageId('wa', id);
      expect(ExternalId.safeParse(safe).success, id).toBe(true);
      expect(safe).toMatch(/^wa-sha256:[0-9a-f]{48}$/);
    }
  });

  it('records a message that is not text as its kind in brackets', () => {
    expect(unsupportedMessageText('image')).toBe('[image]');
    expect(unsupportedMessageText('voice')).toBe('[audio]');
    expect(unsupportedMessageText('order')).toBe('[attachment]');
  });
});
