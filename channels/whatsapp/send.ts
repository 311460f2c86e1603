/**
 * WhatsApp replies through the Cloud API: a text message to the customer's WhatsApp id, with the cited
 * sources as plain lines (WhatsApp shows no links inline), split at 4096 characters. Only within the 24-hour
 * customer-service window; outside it the reply is not sent and the transcript says so.
 */
import { z } from 'zod';
import { DeliveryRefused, type ChannelSender } from '../channel.js';
import { postGraphMessage, sendParts, splitMessage, type MetaSenderDeps } from '../meta/graph.js';
import { MetaSettings } from '../meta/settings.js';
import { assertWindowOpen, CUSTOMER_SERVICE_WINDOW_MS } from '../meta/window.js';
import { withSourceLines } from '../render.js';

export const WHATSAPP_MAX_BODY = 4096;

/** Where a WhatsApp customer is reached (the webhook route writes it on every inbound message). */
export const WhatsAppAddress = z.object({
  waId: z.string().regex(/^\d{5,32}$/),
  /** When the customer sent the message (ms, Meta's clock): the window counts from it. */
  sentAt: z.number().optional(),
});
export type WhatsAppAddress = z.infer<typeof WhatsAppAddress>;

const Answer = z.looseObject({ messages: z.array(z.looseObject({ id: z.string() })).min(1) });

export function createWhatsAppSender({ graphBaseUrl, now = () => Date.now(), fetch, windowMs = CUSTOMER_SERVICE_WINDOW_MS }: MetaSenderDeps): ChannelSender {
  return {
    async send({ deployment, address, lastInboundAt, message }) {
      const settings = MetaSettings.parse(deployment.settings);
      const to = WhatsAppAddress.safeParse(address);
      if (!to.success || !deployment.account) throw new DeliveryRefused('the conversation has no WhatsApp number to reply to');
      assertWindowOpen({ channelName: 'WhatsApp', lastCustomerMessageAt: to.data.sentAt ?? lastInboundAt, now: now(), windowMs });
      const parts = splitMessage(withSourceLines(message.text, message.sources), WHATSAPP_MAX_BODY);
      return sendParts(parts, async (body) => {
        const answer = Answer.safeParse(await postGraphMessage({
          graphBaseUrl, account: deployment.account!, accessToken: settings.accessToken, ...(fetch ? { fetch } : {}),
          body: { messaging_product: 'whatsapp', recipient_type: 'individual', to: to.data.waId, type: 'text', text: { preview_url: false, body } },
        }));
        return answer.success ? answer.data.messages[0]!.id : undefined;
      });
    },
  };
}
