/**
 * The outbound delivery workflow's contract: one workflow per message leaving on an asynchronous
 * channel, `deliver:<agentId>:<conversationId>:<messageId>`, so a reply is handed to its channel once
 * however often it is queued, and every attempt is visible in the Temporal Web UI. Wire names live in
 * history forever. The zod schemas of its types are in outbound-delivery.schemas.ts: this module is in
 * the workflow bundle, which must not evaluate zod.
 */
export type { DeliveryState, OutboundDeliveryInput, OutboundRole } from './outbound-delivery.schemas.js';

export const OUTBOUND_DELIVERY_WORKFLOW = 'outboundDelivery';

/** Who wrote a message that leaves on a channel. */
export const OUTBOUND_ROLES = ['agent', 'human', 'system'] as const;

export function outboundDeliveryId(agentId: string, conversationId: string, messageId: string): string {
  return `deliver:${agentId}:${conversationId}:${messageId}`;
}
