/**
 * How the API and channel adapters reach a conversation. Synchronous channels use update-with-start
 * (the HTTP call gets the reply); asynchronous ones use signal-with-start and the reply goes out through
 * the workflow. Either way the workflow id is the business key, so the same conversation is always found.
 */
import { WithStartWorkflowOperation, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import type { UpdateDefinition } from '@temporalio/common';
import { z } from 'zod';
import {
  SearchAttr, conversationWorkflowId, inboundSignal, messageUpdate, requeueSignal, teamRemovedSignal,
  type Channel, type Customer, type InboundMessage, type MessageResult,
} from '../workflows/conversation.contract.js';
import type { conversation } from '../workflows/conversation.js';
import { ActionDecisionInput, AssignInput, ByInput, HumanReplyInput, InboundMessage as InboundMessageSchema } from '../workflows/conversation.schemas.js';
import { textHash } from '../workflows/text-hash.js';

/**
 * The schema each human update's argument is parsed with before it is sent. The workflow checks shapes
 * only by hand (it carries no zod: workflows/conversation-checks.ts says why), so the full parse is here,
 * and nothing our own code sends reaches a workflow unparsed.
 */
const HUMAN_UPDATE_INPUTS: Record<string, { parse(v: unknown): unknown }> = {
  assign: AssignInput,
  humanReply: HumanReplyInput,
  handBack: ByInput,
  close: ByInput,
  suggest: z.object({}).strict(),
  approveAction: ActionDecisionInput,
  rejectAction: ActionDecisionInput,
};

export interface ConversationTarget {
  agentId: string;
  conversationId: string;
}

export class MessageIdConflictError extends Error {}

/**
 * No reply within the reply timeout, or Temporal cannot be reached. The message may well be in its
 * workflow already: a retry with the same message id is answered from the same update, never twice.
 */
export class ConversationUnavailableError extends Error {
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
  }
}

/** How long a client is told to wait before retrying an unanswered message. */
export const RETRY_AFTER_SECONDS = 5;

/** gRPC UNAVAILABLE and DEADLINE_EXCEEDED: the cluster did not answer, for now. */
const GRPC_NOT_ANSWERING = new Set([14, 4]);

function temporalNotAnswering(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if (GRPC_NOT_ANSWERING.has((e as { code?: unknown }).code as number)) return true;
  }
  return false;
}

function startOptions(taskQueue: string, target: ConversationTarget, channel: Channel, customer: Customer | undefined) {
  const typedSearchAttributes = [
    { key: SearchAttr.agentId, value: target.agentId },
    { key: SearchAttr.channel, value: channel },
    { key: SearchAttr.status, value: 'open' },
    ...(customer?.email ? [{ key: SearchAttr.customerEmail, value: customer.email }] : []),
    ...(customer?.id ? [{ key: SearchAttr.customerId, value: customer.id }] : []),
  ];
  const who = customer?.email ?? customer?.name ?? customer?.id ?? 'an anonymous customer';
  return {
    workflowId: conversationWorkflowId(target.agentId, target.conversationId),
    taskQueue,
    // The Temporal UI's workflow list shows this line; the current details follow status and owner.
    staticSummary: `${channel} conversation with ${who} · agent ${target.agentId}`,
    args: [{ ...target, channel, ...(customer ? { customer } : {}) }] as Parameters<typeof conversation>,
    typedSearchAttributes,
  };
}

export interface ConversationClientOptions {
  client: Client;
  taskQueue: string;
  /** How long send() waits for a reply before answering unavailable; the workflow keeps going. */
  replyTimeoutMs?: number;
}

/** How many conversations one client remembers as running (a few hundred bytes each). */
const RUNNING_REMEMBERED = 10_000;

export function createConversationClient({ client, taskQueue, replyTimeoutMs = 30_000 }: ConversationClientOptions) {
  const abandoned = new Set<Promise<void>>();
  // Conversations this client saw answer a message: their next message goes as a plain update, without the
  // start request update-with-start carries for the server to weigh and drop. Measured on 2 cores (PGlite,
  // demo, 150 sequential turns, 4 runs each): the dev server's CPU per turn 10.1–10.7 → 8.4–10.2 ms and this
  // process's about 1 ms less; latency within the machine's noise. Oldest first, so the first is evicted.
  const running = new Set<string>();
  const remember = (workflowId: string) => {
    running.delete(workflowId);
    running.add(workflowId);
    if (running.size > RUNNING_REMEMBERED) running.delete(running.values().next().value as string);
  };
  const deliverMessage = async (message: InboundMessage, target: ConversationTarget): Promise<MessageResult> => {
    const workflowId = conversationWorkflowId(target.agentId, target.conversationId);
    const updateId = `${message.messageId}:${textHash(message.text)}`;
    if (running.has(workflowId)) {
      try {
        return await client.workflow.getHandle<typeof conversation>(workflowId).executeUpdate(messageUpdate, { args: [message], updateId });
      } catch (err) {
        // Closed since (inactivity): update-with-start below opens it again.
        if (!(err instanceof WorkflowNotFoundError)) throw err;
        running.delete(workflowId);
      }
    }
    const startWorkflowOperation = new WithStartWorkflowOperation('conversation', {
      ...startOptions(taskQueue, target, message.channel, message.customer),
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    const result = await client.workflow.executeUpdateWithStart(messageUpdate, { args: [message], updateId, startWorkflowOperation });
    remember(workflowId);
    return result;
  };
  return {
    /**
     * Delivers a message and waits for the reply. A retry (same id, same text) has the same update id,
     * so Temporal answers it from the first update. The text's hash is part of the id because Temporal
     * would answer a reused id with a different text the same way, without asking the workflow: this
     * way that update reaches the handler, which refuses it as a conflict.
     *
     * Bounded: with no worker polling the update waits forever, and with Temporal down the SDK retries
     * for about 20 s; after `replyTimeoutMs` (or as soon as Temporal is known unreachable) this throws
     * ConversationUnavailableError and abandons the call, not the message: the update stays with its
     * workflow, which answers it when a worker is back.
     */
    async send(target: ConversationTarget, given: InboundMessage): Promise<MessageResult> {
      const message = InboundMessageSchema.parse(given);
      const abandon = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      // The race keeps the bound even where the SDK sleeps between retries without watching the signal.
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new ConversationUnavailableError(
            `no reply within ${replyTimeoutMs} ms: the workers may be busy or down, or Temporal unreachable. Send the same message `
            + 'again with the same messageId: it is answered once, and the retry gets that answer', RETRY_AFTER_SECONDS,
          ));
          abandon.abort();
        }, replyTimeoutMs);
      });
      // The deadline ends the SDK's own retries when we stop waiting, so an abandoned call settles soon after.
      const call = client.connection.withDeadline(Date.now() + replyTimeoutMs + 1000, () => client.connection.withAbortSignal(abandon.signal,
        () => deliverMessage(message, target)));
      try {
        return await Promise.race([call, timedOut]);
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type === 'MessageIdConflict') {
          throw new MessageIdConflictError(err.cause.message);
        }
        if (err instanceof ConversationUnavailableError) throw err;
        if (temporalNotAnswering(err)) {
          throw new ConversationUnavailableError(
            `Temporal cannot be reached (${(err as Error).message}); send the message again with the same messageId`, RETRY_AFTER_SECONDS,
          );
        }
        throw err;
      } finally {
        clearTimeout(timer);
        if (abandon.signal.aborted) {
          const settled = call.then(() => undefined, () => undefined).finally(() => abandoned.delete(settled));
          abandoned.add(settled);
        }
      }
    },

    /**
     * Waits (at most `maxMs`) for calls given up on to settle. Closing the connection under one of them
     * would crash the process: the SDK's retry timer calls into a closed channel.
     */
    async settle(maxMs = 10_000): Promise<void> {
      if (abandoned.size === 0) return;
      await Promise.race([Promise.all([...abandoned]), new Promise((r) => setTimeout(r, maxMs).unref())]);
    },

    /** Delivers a message from an asynchronous channel; the reply is sent by the workflow. */
    async deliver(target: ConversationTarget, given: InboundMessage): Promise<void> {
      const message = InboundMessageSchema.parse(given);
      await client.workflow.signalWithStart('conversation', {
        ...startOptions(taskQueue, target, message.channel, message.customer),
        signal: inboundSignal,
        signalArgs: [message],
      });
    },

    /** Tells a conversation that a person was removed (no-op when it has ended or they do not own it). */
    async requeue(workflowId: string, userId: string): Promise<void> {
      await client.workflow.getHandle(workflowId).signal(requeueSignal, { userId }).catch((err: unknown) => {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      });
    },

    /** Tells a conversation that a team was deleted (no-op when it has ended or is not in that team's queue). */
    async teamRemoved(workflowId: string, teamId: string): Promise<void> {
      await client.workflow.getHandle(workflowId).signal(teamRemovedSignal, { teamId }).catch((err: unknown) => {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      });
    },

    /**
     * A human update (assign, reply, hand back, close, suggest) on the conversation's workflow, starting it
     * again when the conversation is closed (it reopens with its history). `updateId` makes a retried
     * request the same update. Refusals come back as HumanUpdateRefusedError with the failure's type.
     */
    async human<Ret, Args extends unknown[]>(
      target: ConversationTarget & { channel: Channel; customer?: Customer },
      update: UpdateDefinition<Ret, Args>,
      args: Args,
      updateId?: string,
    ): Promise<Ret> {
      const schema = HUMAN_UPDATE_INPUTS[update.name];
      if (!schema) throw new Error(`no input schema for the ${update.name} update`);
      const parsed = [schema.parse(args[0]), ...args.slice(1)] as Args;
      const startWorkflowOperation = new WithStartWorkflowOperation('conversation', {
        ...startOptions(taskQueue, target, target.channel, target.customer),
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
      try {
        return await client.workflow.executeUpdateWithStart(update, { args: parsed, startWorkflowOperation, ...(updateId ? { updateId } : {}) });
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError) {
          const cause = err.cause instanceof ActivityFailure ? err.cause.cause : err.cause;
          if (cause instanceof ApplicationFailure) throw new HumanUpdateRefusedError(cause.message, cause.type ?? 'Refused');
          throw new HumanUpdateRefusedError(err.cause?.message ?? err.message, 'Refused');
        }
        if (temporalNotAnswering(err)) {
          throw new ConversationUnavailableError('Temporal cannot be reached right now; try again shortly', RETRY_AFTER_SECONDS);
        }
        throw err;
      }
    },
  };
}

/** The workflow refused a human update: an unknown user or team, nothing to suggest, … */
export class HumanUpdateRefusedError extends Error {
  constructor(message: string, readonly type: string) {
    super(message);
  }
}

/** What the API uses; settling abandoned calls belongs to the process that owns the connection. */
export type ConversationClient = Omit<ReturnType<typeof createConversationClient>, 'settle'>;
