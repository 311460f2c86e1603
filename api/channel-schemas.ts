/** Request and response schemas of the channels' inbound routes. */
import { z } from '@hono/zod-openapi';
import { IGNORE_REASONS } from '../channels/email/filter.js';
import { ExternalId, MAX_MESSAGE_BYTES } from '../workflows/conversation.schemas.js';
import { CustomerInput, CustomerVerification } from './identity-schemas.js';

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
  /** With `identityToken` when the adapter vouches for the email (api/identity-schemas.ts). */
  customer: CustomerInput.optional(),
}).strict();

export const Accepted = z.object({
  status: z.literal('accepted'),
  conversationId: z.string(),
  messageId: z.string(),
  /** When the message named a customer: whether its identityToken verified them (and if not, why). */
  customer: CustomerVerification.optional(),
}).openapi('AcceptedMessage');

/** What POST /v1/channels/email/inbound did with an email. */
export const EmailReceipt = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('accepted'),
    agentId: z.string(),
    /** The conversation the email's thread maps to (GET /v1/agents/{agentId}/conversations/{conversationId}). */
    conversationId: z.string(),
    /** The message id in the conversation: the Message-ID, or a hash of it when it is not a valid id. */
    messageId: z.string(),
  }),
  z.object({
    status: z.literal('ignored'),
    /** Never answered: an auto-reply, a bounce, a list, an ignored sender, our own address, no sender or no text. */
    reason: z.enum([...IGNORE_REASONS, 'empty']),
  }),
]).meta({ id: 'EmailReceipt' });
