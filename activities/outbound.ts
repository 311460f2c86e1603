/**
 * Replies leaving on asynchronous channels, and where the agent answers at all. The conversation
 * workflow queues each outgoing message once (queueDelivery: one `outboundDelivery` workflow per
 * message, REJECT_DUPLICATE); that workflow runs sendOutbound with backoff until it succeeds, the channel
 * refuses it, or the retry time runs out (recordDeliveryFailure). The state is on the transcript entry.
 */
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { DeliveryRefused, type ChannelDeployment } from '../channels/channel.js';
import type { Senders } from '../channels/senders.js';
import { deploymentFor, deploymentToSend } from '../db/deployments.js';
import { markDelivery, markQueued, outgoingMessage, type MessageKey } from '../db/outbound.js';
import type { SecretBox } from '../db/secret-box.js';
import type { Queryable } from '../db/types.js';
import { SYNC_CHANNELS, type Channel } from '../domain/channel.js';
import { ALL_HOURS } from '../domain/hours.js';
import { DEFAULT_WHEN_UNAVAILABLE, type Availability } from '../domain/deployment.js';
import {
  OUTBOUND_DELIVERY_WORKFLOW, outboundDeliveryId, type DeliveryState, type OutboundDeliveryInput,
} from '../workflows/outbound-delivery.contract.js';
import type { outboundDelivery } from '../workflows/outbound-delivery.js';

/** Starts a message's delivery workflow unless one with its id was started before (then nothing). */
export type StartOutbound = (input: OutboundDeliveryInput) => Promise<void>;

export interface OutboundDeps {
  db: Queryable;
  secrets?: SecretBox;
  senders: Senders;
  startOutbound?: StartOutbound;
  /** OUTBOUND_RETRY_HOURS and OUTBOUND_RETRY_INITIAL_SECONDS, in ms. */
  retryForMs: number;
  retryInitialMs: number;
  /** Crash tests: a recorded reply waits this long before it is handed over (FAULT_DELIVERY_DELAY_MS). */
  faultDelayMs?: number;
}

/** Whether (and when) the agent answers on this channel: its deployment's hours. `test` always answers. */
export async function availabilityOf(db: Queryable, input: { agentId: string; channel: Channel; deploymentId?: string }): Promise<Availability> {
  if (input.channel === 'test') return { deployed: true, hours: ALL_HOURS, whenUnavailable: DEFAULT_WHEN_UNAVAILABLE };
  const d = await deploymentFor(db, undefined, input);
  return d ? { deployed: true, deploymentId: d.id, hours: d.hours, whenUnavailable: d.whenUnavailable } : { deployed: false, hours: ALL_HOURS, whenUnavailable: DEFAULT_WHEN_UNAVAILABLE };
}

export function createOutboundActivities(deps: OutboundDeps) {
  const { db } = deps;
  return {
    /** Whether (and when) the agent answers on this channel: its deployment's hours. `test` always answers. */
    async availability(input: { agentId: string; channel: Channel; deploymentId?: string }): Promise<Availability> {
      return availabilityOf(db, input);
    },

    /** A recorded message is to go out on the conversation's channel: pending, and handed to its delivery workflow. */
    async queueDelivery(input: MessageKey): Promise<void> {
      if (deps.faultDelayMs) await new Promise((r) => setTimeout(r, deps.faultDelayMs));
      if (!deps.startOutbound) throw ApplicationFailure.nonRetryable('this worker cannot start deliveries (no Temporal client)', 'NoDelivery');
      if (!(await markQueued(db, input))) return;
      await deps.startOutbound({ ...input, retryForMs: deps.retryForMs, retryInitialMs: deps.retryInitialMs });
    },

    /** One attempt to send; a refusal by the channel is final and recorded, anything else is retried. */
    async sendOutbound(input: MessageKey): Promise<{ status: DeliveryState; reason?: string }> {
      const attempts = Context.current().info.attempt;
      const msg = await outgoingMessage(db, input);
      if (!msg) throw ApplicationFailure.nonRetryable(`message ${input.messageId} is not in the transcript`, 'MessageGone');
      if (msg.delivery === 'sent') return { status: 'sent' };
      if ((SYNC_CHANNELS as readonly string[]).includes(msg.channel)) return { status: 'sent' };
      const refuse = async (reason: string, status: 'failed' | 'not_sent' = 'failed') => {
        await markDelivery(db, input, { status, error: reason, attempts });
        return { status, reason };
      };
      const deployment: ChannelDeployment | undefined = await deploymentToSend(db, deps.secrets, {
        agentId: input.agentId, channel: msg.channel, ...(msg.deploymentId ? { deploymentId: msg.deploymentId } : {}),
      });
      if (!deployment) return refuse(`the agent is not deployed on ${msg.channel}: deploy it there to reach this customer`);
      const sender = deps.senders[deployment.channel];
      if (!sender) return refuse(`this worker has no sender for ${deployment.channel}`);
      try {
        const sent = await sender.send({
          deployment, address: msg.address, ...(msg.lastInboundAt !== undefined ? { lastInboundAt: msg.lastInboundAt } : {}),
          deliveryKey: `${input.agentId}:${input.conversationId}:${input.messageId}`,
          message: {
            agentId: input.agentId, conversationId: input.conversationId, messageId: input.messageId, role: input.role,
            text: msg.text, sources: msg.sources, ...(msg.language ? { language: msg.language } : {}), ...(msg.author ? { author: msg.author } : {}),
          },
        });
        await markDelivery(db, input, { status: 'sent', attempts, ...(sent.externalId ? { externalId: sent.externalId } : {}) });
        return { status: 'sent' };
      } catch (err) {
        if (err instanceof DeliveryRefused) return refuse(err.message, err.status);
        await markDelivery(db, input, { status: 'pending', error: (err as Error).message, attempts });
        throw err;
      }
    },

    /** The retry time ran out: the transcript says so, with the last error. */
    async recordDeliveryFailure(input: MessageKey & { reason: string }): Promise<void> {
      const last = (await outgoingMessage(db, input))?.deliveryError;
      await markDelivery(db, input, { status: 'failed', error: last ? `${input.reason}; the last attempt: ${last}` : input.reason });
    },
  };
}

export type OutboundActivities = ReturnType<typeof createOutboundActivities>;

/** StartOutbound on a Temporal client: `outboundDelivery` on the worker's task queue, once per message. */
export function workflowOutboundStarter(options: { client: Client; taskQueue: string }): StartOutbound {
  return async (input) => {
    try {
      await options.client.workflow.start<typeof outboundDelivery>(OUTBOUND_DELIVERY_WORKFLOW, {
        workflowId: outboundDeliveryId(input.agentId, input.conversationId, input.messageId),
        taskQueue: options.taskQueue, args: [input], workflowIdReusePolicy: 'REJECT_DUPLICATE',
        staticSummary: `${input.role} message ${input.messageId} of conversation ${input.conversationId}`,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  };
}
