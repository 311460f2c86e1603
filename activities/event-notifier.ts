/**
 * Hands a workspace event to every webhook that wants it: one delivery workflow per (webhook, event),
 * started with a business-key id, so emitting the same event again (a retried activity) starts nothing new.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { EventNotifier, WorkspaceEvent } from '../domain/events.js';
import type { Queryable } from '../db/types.js';
import { subscribersOf } from '../db/webhooks.js';
import { WEBHOOK_DELIVERY_WORKFLOW, webhookDeliveryId, type WebhookDeliveryInput } from '../workflows/webhook-delivery.contract.js';
import type { webhookDelivery } from '../workflows/webhook-delivery.js';

/** Starts the delivery workflow unless one with this id exists (then it does nothing). */
export type StartDelivery = (workflowId: string, input: WebhookDeliveryInput) => Promise<void>;

export function createWebhookNotifier(deps: {
  db: Queryable;
  startDelivery: StartDelivery;
  retryForMs: number;
  /** The first wait between attempts (default 2 s, doubling). */
  retryInitialMs?: number;
}): EventNotifier {
  return {
    async notify(event: WorkspaceEvent) {
      for (const hook of await subscribersOf(deps.db, event.workspaceId, event.type)) {
        await deps.startDelivery(webhookDeliveryId(hook.id, event.id), {
          webhookId: hook.id,
          retryForMs: deps.retryForMs,
          ...(deps.retryInitialMs ? { retryInitialMs: deps.retryInitialMs } : {}),
          event: { id: event.id, type: event.type, createdAt: event.createdAt.toISOString(), data: event.data },
        });
      }
    },
  };
}

/**
 * StartDelivery on a Temporal client: `webhookDelivery` on the worker's task queue. A workflow with the id
 * already started — running, or closed within the namespace's retention — means this (webhook, event)
 * was handed over before: REJECT_DUPLICATE keeps a finished delivery from being sent again.
 */
export function workflowDeliveryStarter(options: { client: Client; taskQueue: string }): StartDelivery {
  return async (workflowId, input) => {
    try {
      await options.client.workflow.start<typeof webhookDelivery>(WEBHOOK_DELIVERY_WORKFLOW, {
        workflowId, taskQueue: options.taskQueue, args: [input], workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  };
}
