/**
 * The conversation workflow's public contract: wire names, types and ids shared by the workflow, the API,
 * channel adapters and tests. Wire names live in Temporal history forever: treat them like column names
 * and never rename them. The zod schemas of these types are in conversation.schemas.ts: this module is in
 * the workflow bundle, which must not evaluate zod (see there), so it imports types only.
 */
import { defineSearchAttributeKey } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ConversationStatus } from '../domain/conversation.js';
import type {
  ActionDecisionInput, ActionDecisionResult, AssignInput, ByInput, ConversationView, HumanReplyInput, HumanReplyResult, InboundMessage,
  MessageResult, Suggestion,
} from './conversation.schemas.js';

export type { Channel } from '../domain/channel.js';
export { SYNC_CHANNELS } from '../domain/channel-names.js';
export type { ConversationStatus } from '../domain/conversation.js';
export type {
  Customer, SourceRef, ReplyKind, Reply, Insights, InboundMessage, MessageResult, Turn, AwaitingApproval, CarriedState, ConversationInput, Owner, ConversationView, AssignInput, HumanReplyInput, HumanReplyResult, ByInput, Suggestion, ActionDecisionInput, ActionDecisionResult,
} from './conversation.schemas.js';

export const TASK_QUEUE = 'customer-agent';
export const MAX_MESSAGE_BYTES = 8 * 1024;

export const messageUpdate = defineUpdate<MessageResult, [InboundMessage]>('message');
export const assignUpdate = defineUpdate<ConversationView, [AssignInput]>('assign');
export const humanReplyUpdate = defineUpdate<HumanReplyResult, [HumanReplyInput]>('humanReply');
export const handBackUpdate = defineUpdate<ConversationView, [ByInput]>('handBack');
export const closeUpdate = defineUpdate<ConversationView, [ByInput]>('close');
export const suggestUpdate = defineUpdate<Suggestion, [Record<string, never>]>('suggest');
export const approveActionUpdate = defineUpdate<ActionDecisionResult, [ActionDecisionInput]>('approveAction');
export const rejectActionUpdate = defineUpdate<ActionDecisionResult, [ActionDecisionInput]>('rejectAction');


/** A person was removed from the workspace: if they own the conversation it goes back to its team's queue. */
export const requeueSignal = defineSignal<[{ userId: string }]>('requeue');
/** A team was deleted: a conversation in its queue moves to the unassigned queue; an owner keeps it. */
export const teamRemovedSignal = defineSignal<[{ teamId: string }]>('teamRemoved');

/** Shown with each handler in the Temporal Web UI, so ops can drive a conversation from there. */
export const HANDLER_DESCRIPTIONS = {
  message: 'A customer message from a synchronous channel; returns the reply (null while a person owns the conversation).',
  inbound: 'A customer message from an asynchronous channel (email, WhatsApp, …); the reply goes out through the channel.',
  state: 'Where the conversation stands: status, owner, turns remembered, messages waiting.',
  assign: 'Give the conversation to a person {userId} (status assigned) or a team queue {teamId} (handoff_requested). The agent stops answering.',
  humanReply: "A person's reply {userId, text, replyId}: recorded as role human and delivered through the channel; stops the SLA timer.",
  handBack: 'Give the conversation back to the agent (status open); it answers again with the whole history.',
  close: 'Close the conversation now; a later customer message reopens it with its history.',
  suggest: 'A draft reply for the person who owns the conversation, with its sources; never sent.',
  requeue: 'A person {userId} was removed: a conversation they own goes back to its team queue (the database is already updated).',
  approveAction: 'Approve an action drafted for approval {runId, by?}: it runs now and the customer gets its result.',
  rejectAction: 'Reject an action drafted for approval {runId, by?}: it never runs and the customer is told.',
  teamRemoved: 'A team {teamId} was deleted: a conversation in its queue moves to the unassigned queue; a person who owns it keeps it (the database is already updated).',
} as const;
export const inboundSignal = defineSignal<[InboundMessage]>('inbound');
export const stateQuery = defineQuery<{ status: ConversationStatus; turns: number; pending: number; assigneeId?: string; teamId?: string }>('state');

export const SearchAttr = {
  agentId: defineSearchAttributeKey('AgentId', 'KEYWORD'),
  channel: defineSearchAttributeKey('Channel', 'KEYWORD'),
  status: defineSearchAttributeKey('ConversationStatus', 'KEYWORD'),
  customerEmail: defineSearchAttributeKey('CustomerEmail', 'KEYWORD'),
  customerId: defineSearchAttributeKey('CustomerId', 'KEYWORD'),
  /** The person who owns the conversation (empty while the agent or a queue has it). */
  assignee: defineSearchAttributeKey('Assignee', 'KEYWORD'),
} as const;
/** Names and types to register on a cluster (the dev server takes them as --search-attribute flags). */
export const SEARCH_ATTRIBUTES = Object.values(SearchAttr).map((k) => ({ name: k.name, type: 'Keyword' as const }));

export function conversationWorkflowId(agentId: string, conversationId: string): string {
  return `conv:${agentId}:${conversationId}`;
}
