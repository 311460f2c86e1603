/**
 * Conversation bookkeeping: opening, the transcript and status. Each activity is idempotent on its
 * business key, so Temporal's retries (and a retry after a worker crash) never duplicate a row.
 */
import { getAgent, type AgentSettings } from '../db/agents.js';
import { recordAgentReply, recordInbound as recordInboundMessage } from '../db/bookkeeping.js';
import * as conversations from '../db/conversations.js';
import type { Db } from '../db/types.js';
import type { EventNotifier } from '../domain/events.js';
import type {
  Channel, ConversationStatus, Customer, Insights, Reply, Turn,
} from '../workflows/conversation.contract.js';
import { ApplicationFailure } from '@temporalio/common';
import { DEFAULT_HANDOFF, type HandoffSettings } from '../domain/handoff.js';
import type { Availability } from '../domain/deployment.js';
import { availabilityOf } from './outbound.js';

/** Defaults a support team expects: chat closes after a day idle, email after three. */
export const DEFAULT_IDLE_SECONDS: Record<Channel, number> = {
  chat: 24 * 3600, test: 24 * 3600, voice: 24 * 3600, custom: 24 * 3600,
  email: 72 * 3600, whatsapp: 24 * 3600, messenger: 24 * 3600,
};

export function idleTimeoutMs(channel: Channel, settings: AgentSettings | undefined): number {
  return (settings?.idleTimeoutSeconds?.[channel] ?? DEFAULT_IDLE_SECONDS[channel]) * 1000;
}

export interface OpenConversationInput {
  agentId: string;
  conversationId: string;
  channel: Channel;
  customer?: Customer;
  workflowId: string;
  /** Turns to remember when reopening a closed conversation. */
  historyLimit: number;
}

export interface OpenConversationResult {
  idleTimeoutMs: number;
  reopened: boolean;
  recent: Turn[];
  /** The agent's handoff settings, defaults filled in (absent in histories from before people could take over). */
  handoff?: HandoffSettings;
  workspaceId?: string;
}

/**
 * Every activity here fails for good when the database refuses the data itself (SQLSTATE class 22, data
 * exception, e.g. a NUL in text; class 23, integrity constraint): the same write fails the same way on
 * every retry, so retrying would only hold the customer's reply back until the retry window ends.
 * Anything else (a connection lost, a server restarting) stays retryable.
 */
export function refusalsAreFinal<A extends Record<string, (input: never) => Promise<unknown>>>(activities: A): A {
  const wrapped: Record<string, (input: never) => Promise<unknown>> = {};
  for (const [name, fn] of Object.entries(activities)) {
    wrapped[name] = async (input) => {
      try {
        return await fn(input);
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        if (typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code)) {
          throw ApplicationFailure.nonRetryable(`the database refused the data (SQLSTATE ${code}): ${(err as Error).message}`, 'DataRefused');
        }
        throw err;
      }
    };
  }
  return wrapped as A;
}

export function createConversationActivities({ db, notifier }: { db: Db; notifier?: EventNotifier }) {
  return refusalsAreFinal({
    async openConversation(input: OpenConversationInput): Promise<OpenConversationResult> {
      const agent = await getAgent(db, input.agentId);
      if (!agent) throw ApplicationFailure.nonRetryable(`agent ${input.agentId} does not exist`, 'AgentNotFound');
      const { existed } = await conversations.openConversation(db, input);
      const recent = existed ? await conversations.recentTurns(db, { ...input, limit: input.historyLimit }) : [];
      return {
        idleTimeoutMs: idleTimeoutMs(input.channel, agent.settings), reopened: existed, recent,
        handoff: agent.settings.handoff ?? DEFAULT_HANDOFF, workspaceId: agent.workspaceId,
      };
    },

    /** Records the customer's message; returns the reply if this message was already answered in an earlier run. */
    async recordInbound(input: {
      agentId: string; conversationId: string; messageId: string; text: string;
      /** Where the customer is reached (asynchronous channels); absent in histories from before channels. */
      channel?: Channel; deploymentId?: string; address?: Record<string, unknown>;
      /** The conversation's customer after this message, when it named one (absent in histories from before verified identity). */
      customer?: Customer;
      /** Also read where the agent answers on `channel` (outbound.availability), saving the workflow a step. */
      withAvailability?: boolean;
    }): Promise<{ previousReply?: Reply; previousText?: string; availability?: Availability }> {
      const { withAvailability, ...message } = input;
      // One statement (db/bookkeeping.ts): the message, the customer and the address are kept together.
      const previous = await recordInboundMessage(db, message);
      const { channel, deploymentId } = input;
      // A failed read is left to the workflow's own availability step (retried on its own), never this write's.
      const availability = withAvailability && channel
        ? await availabilityOf(db, { agentId: input.agentId, channel, ...(deploymentId ? { deploymentId } : {}) }).catch(() => undefined)
        : undefined;
      return {
        ...(previous ? { previousReply: previous.reply, previousText: previous.customerText } : {}),
        ...(availability ? { availability } : {}),
      };
    },

    async recordReply(input: {
      agentId: string; conversationId: string; messageId: string; reply: Reply; insights: Insights;
      /** Also emit the reply's message.created (absent in histories from before: they ran emitMessageEvent after). */
      messageEvent?: boolean;
    }): Promise<void> {
      const { messageEvent, ...reply } = input;
      // One statement (db/bookkeeping.ts): the reply, on the first one its billing, and its event. The
      // event id is the one emitMessageEvent gives it, so a retry (or a replayed older step) emits it once.
      const { event } = await recordAgentReply(db, {
        ...reply, ...(messageEvent ? { eventId: `${input.conversationId}:${input.messageId}:agent` } : {}),
      });
      // Only after the write committed: an event is a promise that the reply is stored.
      if (event) await notifier?.notify(event);
    },

    async setStatus(input: { agentId: string; conversationId: string; status: ConversationStatus }): Promise<void> {
      await conversations.setConversationStatus(db, input);
    },
  });
}

export type ConversationActivities = ReturnType<typeof createConversationActivities>;
