/**
 * Hands a workspace event to every webhook that wants it: one delivery workflow per (webhook, event),
 * started with a business-key id, so emitting the same event again (a retried activity) starts nothing new.
 */
import type { EventNotifier, WorkspaceEvent } from '../domain/events.js';
import type { Queryable } from '../db/types.js';
import { subscribersOf } from '../db/webhooks.js';
import { webhookDeliveryId, type WebhookDeliveryInput } from '../workflows/webhook-delivery.contract.js';

/** Starts the delivery workflow unless one with this id exists (then it does nothing). */
export type StartDelivery = (workflowId: string, input: WebhookDeliveryInput) => Promise<void>;

export function createWebhookNotifier(deps: { db: Queryable; startDelivery: StartDelivery; retryForMs: number }): EventNotifier {
  return {
    async notify(event: WorkspaceEvent) {
      for (const hook of await subscribersOf(deps.db, event.workspaceId, event.type)) {
        await deps.startDelivery(webhookDeliveryId(hook.id, event.id), {
          webhookId: hook.id,
          retryForMs: deps.retryForMs,
          event: { id: event.id, type: event.type, createdAt: event.createdAt.toISOString(), data: event.data },
        });
      }
    },
  };
}
