/**
 * The WhatsApp Cloud API's webhook payload: `{object: 'whatsapp_business_account', entry: [{id, changes:
 * [{field: 'messages', value: {metadata: {phone_number_id}, contacts, messages, statuses}}]}]}`. Parsed
 * leniently (Meta adds fields): each message on its own, so one unexpected message never hides the others.
 * Status updates (sent, delivered, read) and reactions are not messages to answer.
 */
import { z } from 'zod';
import { boundedName, boundedText, safeMessageId, type MetaDelivery, type MetaInbound } from '../meta/inbound.js';

const Contact = z.looseObject({ wa_id: z.string(), profile: z.looseObject({ name: z.string().optional() }).optional() });

const Message = z.looseObject({
  from: z.string().regex(/^\d{5,32}$/),
  id: z.string().min(1).max(512),
  timestamp: z.string().regex(/^\d{1,12}$/),
  type: z.string().min(1).max(64),
  text: z.looseObject({ body: z.string() }).optional(),
  button: z.looseObject({ text: z.string() }).optional(),
  interactive: z.looseObject({
    button_reply: z.looseObject({ title: z.string() }).optional(),
    list_reply: z.looseObject({ title: z.string() }).optional(),
  }).optional(),
});
type Message = z.infer<typeof Message>;

const Value = z.looseObject({
  metadata: z.looseObject({ phone_number_id: z.string().min(1).max(64) }),
  contacts: z.array(z.unknown()).optional(),
  messages: z.array(z.unknown()).optional(),
});

const Payload = z.looseObject({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(z.looseObject({ changes: z.array(z.looseObject({ field: z.string(), value: z.unknown() })).default([]) })),
});

/** Messages that are not for the agent: a reaction to a message, a notice about the customer's number. */
const IGNORED_TYPES = new Set(['reaction', 'system', 'ephemeral', 'request_welcome']);

/** Undefined when the body is not a WhatsApp webhook payload at all. */
export function parseWhatsAppWebhook(body: unknown): MetaDelivery | undefined {
  const payload = Payload.safeParse(body);
  if (!payload.success) return undefined;
  const accounts = new Set<string>();
  const messages: MetaInbound[] = [];
  for (const entry of payload.data.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'messages') continue;
      const value = Value.safeParse(change.value);
      if (!value.success) continue;
      const account = value.data.metadata.phone_number_id;
      accounts.add(account);
      const names = new Map((value.data.contacts ?? []).flatMap((c) => {
        const contact = Contact.safeParse(c);
        const name = contact.success ? boundedName(contact.data.profile?.name) : undefined;
        return contact.success && name ? [[contact.data.wa_id, name] as const] : [];
      }));
      for (const raw of value.data.messages ?? []) {
        const m = Message.safeParse(raw);
        if (!m.success || IGNORED_TYPES.has(m.data.type)) continue;
        const content = contentOf(m.data);
        if (!content) continue;
        const name = names.get(m.data.from);
        messages.push({
          account, from: m.data.from, ...(name ? { name } : {}),
          messageId: safeMessageId('wa', m.data.id), sentAt: Number(m.data.timestamp) * 1000, content,
        });
      }
    }
  }
  return { accounts: [...accounts], messages };
}

function contentOf(m: Message): MetaInbound['content'] | undefined {
  const text = m.type === 'text' ? m.text?.body
    : m.type === 'button' ? m.button?.text
      : m.type === 'interactive' ? m.interactive?.button_reply?.title ?? m.interactive?.list_reply?.title
        : undefined;
  if (text !== undefined) {
    const bounded = boundedText(text);
    return bounded ? { kind: 'text', text: bounded } : undefined;
  }
  return { kind: 'unsupported', type: m.type.slice(0, 32) };
}
