/**
 * Messenger's webhook payload: `{object: 'page', entry: [{id, time, messaging: [{sender: {id}, recipient:
 * {id}, timestamp, message: {mid, text, attachments}}]}]}`. Echoes of the page's own messages, delivery and
 * read receipts, reactions and other events are not messages to answer. Parsed leniently, event by event.
 */
import { z } from 'zod';
import { boundedText, safeMessageId, type MetaDelivery, type MetaInbound } from '../meta/inbound.js';

const Event = z.looseObject({
  sender: z.looseObject({ id: z.string().regex(/^\d{5,32}$/) }),
  recipient: z.looseObject({ id: z.string().min(1).max(64) }),
  timestamp: z.number().int().nonnegative(),
  message: z.looseObject({
    mid: z.string().min(1).max(512),
    text: z.string().optional(),
    is_echo: z.boolean().optional(),
    attachments: z.array(z.looseObject({ type: z.string().max(64).optional() })).optional(),
  }).optional(),
});

const Payload = z.looseObject({
  object: z.literal('page'),
  entry: z.array(z.looseObject({ id: z.string().min(1).max(64), messaging: z.array(z.unknown()).default([]) })),
});

/** Undefined when the body is not a Messenger (page) webhook payload at all. */
export function parseMessengerWebhook(body: unknown): MetaDelivery | undefined {
  const payload = Payload.safeParse(body);
  if (!payload.success) return undefined;
  const accounts = new Set<string>();
  const messages: MetaInbound[] = [];
  for (const entry of payload.data.entry) {
    accounts.add(entry.id);
    for (const raw of entry.messaging) {
      const e = Event.safeParse(raw);
      if (!e.success || !e.data.message || e.data.message.is_echo) continue;
      const { message } = e.data;
      const text = message.text === undefined ? '' : boundedText(message.text);
      const attachment = message.attachments?.[0]?.type;
      let content: MetaInbound['content'];
      if (text) content = { kind: 'text', text };
      else if (message.attachments) content = { kind: 'unsupported', type: (attachment ?? 'attachment').slice(0, 32) };
      else continue;
      messages.push({
        account: entry.id, from: e.data.sender.id,
        messageId: safeMessageId('fb', message.mid), sentAt: e.data.timestamp, content,
      });
    }
  }
  return { accounts: [...accounts], messages };
}
