/**
 * Messenger replies through the Send API: a text message to the customer's page-scoped id, as a RESPONSE
 * (Messenger's standard 24-hour messaging window), with the cited sources as plain lines, split at 2000
 * characters. Outside the window the reply is not sent and the transcript says so.
 */
import { z } from 'zod';
import type { ChannelSender } from '../channel.js';
import { createMetaSender, type MetaSenderDeps } from '../meta/graph.js';

export const MESSENGER_MAX_TEXT = 2000;

/** Where a Messenger customer is reached (the webhook route writes it on every inbound message). */
export const MessengerAddress = z.object({
  psid: z.string().regex(/^\d{5,32}$/),
  /** When the customer sent the message (ms, Meta's clock): the window counts from it. */
  sentAt: z.number().optional(),
});
export type MessengerAddress = z.infer<typeof MessengerAddress>;

const Answer = z.looseObject({ message_id: z.string() });

export function createMessengerSender(deps: MetaSenderDeps): ChannelSender {
  return createMetaSender({
    channelName: 'Messenger',
    address: MessengerAddress,
    noAddress: 'the conversation has no Messenger recipient to reply to',
    maxText: MESSENGER_MAX_TEXT,
    body: (to, text) => ({ recipient: { id: to.psid }, messaging_type: 'RESPONSE', message: { text } }),
    sentId: (answer) => {
      const a = Answer.safeParse(answer);
      return a.success ? a.data.message_id : undefined;
    },
  }, deps);
}
