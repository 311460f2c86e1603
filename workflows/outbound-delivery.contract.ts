/**
 * The outbound delivery workflow's contract: one workflow per message leaving on an asynchronous
 * channel, `deliver:<agentId>:<conversationId>:<messageId>`, so a reply is handed to its channel once
 * however often it is queued, and every attempt is visible in the Temporal Web UI. Wire names live in
 * history forever.
 */
import { z } from 'zod';

export const OUTBOUND_DELIVERY_WORKFLOW = 'outboundDelivery';

export const OutboundRole = z.enum(['agent', 'human', 'system']);
export type OutboundRole = z.infer<typeof OutboundRole>;

export const OutboundDeliveryInput = z.object({
  agentId: z.string().min(1),
  conversationId: z.string().min(1),
  messageId: z.string().min(1),
  role: OutboundRole,
  /** How long a failing channel is retried (24 h in production), and the first wait between attempts. */
  retryForMs: z.number().int().positive(),
  retryInitialMs: z.number().int().positive(),
});
export type OutboundDeliveryInput = z.infer<typeof OutboundDeliveryInput>;

/** sent; not_sent: the channel may not send now (WhatsApp's window); failed: refused, or still failing when the time ran out. */
export const DeliveryState = z.enum(['pending', 'sent', 'failed', 'not_sent']);
export type DeliveryState = z.infer<typeof DeliveryState>;

export function outboundDeliveryId(agentId: string, conversationId: string, messageId: string): string {
  return `deliver:${agentId}:${conversationId}:${messageId}`;
}
