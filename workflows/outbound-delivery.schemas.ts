/**
 * The zod schemas of the outbound delivery workflow's boundary. The workflow and its contract import their
 * types only: the workflow bundle must not evaluate zod (workflows/conversation-checks.ts has the
 * measurements); the workflow checks its input by hand.
 */
import { z } from 'zod';
import { OUTBOUND_ROLES } from './outbound-delivery.contract.js';

export const OutboundRole = z.enum(OUTBOUND_ROLES);
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
