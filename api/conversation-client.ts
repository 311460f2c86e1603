/**
 * How the API and channel adapters reach a conversation. Synchronous channels use update-with-start
 * (the HTTP call gets the reply); asynchronous ones use signal-with-start and the reply goes out through
 * the workflow. Either way the workflow id is the business key, so the same conversation is always found.
 */
import { WithStartWorkflowOperation, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  SearchAttr, conversationWorkflowId, inboundSignal, messageUpdate,
  type Channel, type Customer, type InboundMessage, type MessageResult,
} from '../workflows/conversation.contract.js';
import type { conversation } from '../workflows/conversation.js';
import { textHash } from '../workflows/text-hash.js';

export interface ConversationTarget {
  agentId: string;
  conversationId: string;
}

export class MessageIdConflictError extends Error {}

function startOptions(taskQueue: string, target: ConversationTarget, channel: Channel, customer: Customer | undefined) {
  const typedSearchAttributes = [
    { key: SearchAttr.agentId, value: target.agentId },
    { key: SearchAttr.channel, value: channel },
    { key: SearchAttr.status, value: 'open' },
    ...(customer?.email ? [{ key: SearchAttr.customerEmail, value: customer.email }] : []),
    ...(customer?.id ? [{ key: SearchAttr.customerId, value: customer.id }] : []),
  ];
  return {
    workflowId: conversationWorkflowId(target.agentId, target.conversationId),
    taskQueue,
    args: [{ ...target, channel, ...(customer ? { customer } : {}) }] as Parameters<typeof conversation>,
    typedSearchAttributes,
  };
}

export function createConversationClient({ client, taskQueue }: { client: Client; taskQueue: string }) {
  return {
    /**
     * Delivers a message and waits for the reply. A retry (same id, same text) has the same update id,
     * so Temporal answers it from the first update. The text's hash is part of the id because Temporal
     * would answer a reused id with a different text the same way, without asking the workflow: this
     * way that update reaches the handler, which refuses it as a conflict.
     */
    async send(target: ConversationTarget, message: InboundMessage): Promise<MessageResult> {
      const startWorkflowOperation = new WithStartWorkflowOperation('conversation', {
        ...startOptions(taskQueue, target, message.channel, message.customer),
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
      try {
        return await client.workflow.executeUpdateWithStart(messageUpdate, {
          args: [message],
          updateId: `${message.messageId}:${textHash(message.text)}`,
          startWorkflowOperation,
        });
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type === 'MessageIdConflict') {
          throw new MessageIdConflictError(err.cause.message);
        }
        throw err;
      }
    },

    /** Delivers a message from an asynchronous channel; the reply is sent by the workflow. */
    async deliver(target: ConversationTarget, message: InboundMessage): Promise<void> {
      await client.workflow.signalWithStart('conversation', {
        ...startOptions(taskQueue, target, message.channel, message.customer),
        signal: inboundSignal,
        signalArgs: [message],
      });
    },
  };
}

export type ConversationClient = ReturnType<typeof createConversationClient>;
