/**
 * WhatsApp replies through the Cloud API: a text message to the customer's WhatsApp id, with the cited
 * sources as plain lines (WhatsApp shows no links inline), split at 4096 characters. Only within the 24-hour
 * customer-service window; outside it the reply is not sent and the transcript says so.
 */
import { z } from 'zod';
import type { ChannelSender } from '../channel.js';
import { createMetaSender, type MetaSenderDeps } from '../meta/graph.js';

export const WHATSAPP_MAX_BODY = 4096;

/** Where a WhatsApp customer is reached (the webhook route writes it on every inbound message). */
export const WhatsAppAddress = z.object({
  waId: z.string().regex(/^\d{5,32}$/),
  /** When the customer sent the message (ms, Meta's clock): the window counts from it. */
  sentAt: z.number().optional(),
});
export type WhatsAppAddress = z.infer<typeof WhatsAppAddress>;

const Answer = z.looseObject({ messages: z.array(z.looseObject({ id: z.string() })).min(1) });

export function createWhatsAppSender(deps: MetaSenderDeps): ChannelSender {
  return createMetaSender({
    channelName: 'WhatsApp',
    address: WhatsAppAddress,
    noAddress: 'the conversation has no WhatsApp number to reply to',
    maxText: WHATSAPP_MAX_BODY,
    body: (to, body) => ({ messaging_product: 'whatsapp', recipient_type: 'individual', to: to.waId, type: 'text', text: { preview_url: false, body } }),
    sentId: (answer) => {
      const a = Answer.safeParse(answer);
      return a.success ? a.data.messages[0]!.id : undefined;
    },
  }, deps);
}
