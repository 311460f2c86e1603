/**
 * What every channel shares. A channel is a folder (channels/<name>/): its deployment settings (which of
 * them are secret), parsing and verifying what arrives (the webhook routes only verify and signal), and a
 * sender that renders a reply for the channel and sends it. The workflow and the graph know none of this:
 * they record replies with [n] markers and sources; delivery (activities/outbound.ts) hands each one to
 * the conversation's channel, keyed by conversation and message so a retry never sends twice.
 */
import type { z } from 'zod';
import type { DeployableChannel } from '../domain/deployment.js';
import type { SourceRef } from '../workflows/conversation.contract.js';

/** A deployment's settings as a channel declares them: the schema, and which keys are secret. */
export interface SettingsSpec<S extends Record<string, unknown> = Record<string, unknown>> {
  schema: z.ZodType<S>;
  /** Stored encrypted, never returned by the API (a GET shows which are set). */
  secretKeys: readonly (keyof S & string)[];
  /** What `account` is on this channel, when it needs one: routing inbound messages depends on it. */
  account?: { schema: z.ZodType<string>; description: string };
  /** Settings made by the install when a deployment is created (a signing secret), shown once. */
  generate?: () => Partial<S>;
}

/** A deployment as a sender gets it: settings with its secrets opened. */
export interface ChannelDeployment {
  id: string;
  workspaceId: string;
  agentId: string;
  channel: DeployableChannel;
  account?: string;
  settings: Record<string, unknown>;
}

/** A message leaving the install; its text carries [n] markers pointing into `sources`. */
export interface OutboundMessage {
  agentId: string;
  conversationId: string;
  /** The transcript's message id; with the conversation, the delivery's idempotency key. */
  messageId: string;
  role: 'agent' | 'human' | 'system';
  text: string;
  sources: SourceRef[];
  language?: string;
  /** Who wrote it: the agent's name, or the person's. */
  author?: string;
}

export interface SendInput {
  deployment: ChannelDeployment;
  /** Where the customer is reached: what their last inbound message left (its shape is the channel's). */
  address: Record<string, unknown> | undefined;
  /** When the customer last wrote (ms since epoch): WhatsApp's customer-service window counts from it. */
  lastInboundAt?: number;
  message: OutboundMessage;
  /** `<agentId>:<conversationId>:<messageId>`: the same on every retry (an email's Message-ID, an HTTP idempotency key). */
  deliveryKey: string;
}

export interface Sent {
  /** The channel's id for what it sent (a Message-ID, a wamid), kept with the transcript entry. */
  externalId?: string;
}

/**
 * A send that retrying cannot make succeed (the channel refuses the message, the window is closed). It is
 * not retried; the transcript shows `delivery: failed` (or `not_sent`) with this reason.
 */
export class DeliveryRefused extends Error {
  constructor(message: string, readonly status: 'failed' | 'not_sent' = 'failed') {
    super(message);
    this.name = 'DeliveryRefused';
  }
}

export interface ChannelSender {
  send(input: SendInput): Promise<Sent>;
}
