/** Request and response schemas of the channels' inbound routes. */
import { z } from '@hono/zod-openapi';
import { Customer, ExternalId, MAX_MESSAGE_BYTES } from '../workflows/conversation.contract.js';

export const CustomDeploymentParam = z.object({ deploymentId: z.string().min(1).max(128) });

/** A message from a custom channel's adapter; the reply is POSTed to the deployment's settings.url. */
export const CustomInbound = z.object({
  /** The adapter's thread or contact id: one conversation per id and deployment. */
  conversationId: ExternalId,
  /** The adapter's id for this message: a retried POST with the same id is processed once. */
  messageId: ExternalId,
  text: z.string().trim().min(1, 'text is empty').refine((t) => new TextEncoder().encode(t).length <= MAX_MESSAGE_BYTES, {
    message: `text is longer than ${MAX_MESSAGE_BYTES} bytes`, params: { tooLarge: true },
  }),
  customer: Customer.optional(),
}).strict();

export const Accepted = z.object({
  status: z.literal('accepted'),
  conversationId: z.string(),
  messageId: z.string(),
}).openapi('AcceptedMessage');
