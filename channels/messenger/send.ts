/**
 * Messenger replies through the Send API: a text message to the customer's page-scoped id, as a RESPONSE
 * (Messenger's standard 24-hour messaging window), with the cited sources as plain lines, split at 2000
 * characters. Outside the window the reply is not sent and the transcript says so.
 */
import { z } from 'zod';
import { DeliveryRefused, type ChannelSender } from '../channel.js';
import { postGraphMessage, sendParts, splitMessage, type MetaSenderDeps } from '../meta/graph.js';
import { MetaSettings } from '../meta/settings.js';
import { assertWindowOpen, CUSTOMER_SERVICE_WINDOW_MS } from '../meta/window.js';
import { withSourceLines } from '../render.js';

export const MESSENGER_MAX_TEXT = 2000;

/** Where a Messenger customer is reached (the webhook route writes it on every inbound message). */
export const MessengerAddress = z.object({
  psid: z.string().regex(/^\d{5,32}$/),
  /** When the customer sent the message (ms, Meta's clock): the window counts from it. */
  sentAt: z.number().optional(),
});
export type MessengerAddress = z.infer<typeof MessengerAddress>;

const Answer = z.looseObject({ message_id: z.string() });

export function createMessengerSender({ graphBaseUrl, now = () => Date.now(), fetch, windowMs = CUSTOMER_SERVICE_WINDOW_MS }: MetaSenderDeps): ChannelSender {
  return {
    async send({ deployment, address, lastInboundAt, message }) {
      const settings = MetaSettings.parse(deployment.settings);
      const to = MessengerAddress.safeParse(address);
      if (!to.success || !deployment.account) throw new DeliveryRefused('the conversation has no Messenger recipient to reply to');
      assertWindowOpen({ channelName: 'Messenger', lastCustomerMessageAt: to.data.sentAt ?? lastInboundAt, now: now(), windowMs });
      const parts = splitMessage(withSourceLines(message.text, message.sources), MESSENGER_MAX_TEXT);
      return sendParts(parts, async (text) => {
        const answer = Answer.safeParse(await postGraphMessage({
          graphBaseUrl, account: deployment.account!, accessToken: settings.accessToken, ...(fetch ? { fetch } : {}),
          body: { recipient: { id: to.data.psid }, messaging_type: 'RESPONSE', message: { text } },
        }));
        return answer.success ? answer.data.message_id : undefined;
      });
    },
  };
}
