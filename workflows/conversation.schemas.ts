/**
 * The zod schemas of the conversation workflow's boundary: what the API, channel adapters and the typed
 * client parse before anything reaches a workflow, and the types inferred from them. The workflow and its
 * contract (conversation.contract.ts) import these types only, never this module: the workflow bundle must
 * not evaluate zod, because every cached workflow re-evaluates every module it reaches (measured: zod and
 * these schemas cost ~1.6 MB per open conversation). Its handlers check shapes by hand
 * (conversation-checks.ts).
 */
import { z } from 'zod';
import { PendingAction } from '../domain/action.js';
import { Channel } from '../domain/channel.js';
import { ConversationStatus } from '../domain/conversation.js';
import { VerifiedBy } from '../domain/identity.js';
import { MAX_MESSAGE_BYTES } from './conversation.contract.js';

export { ConversationStatus } from '../domain/conversation.js';
export { MAX_MESSAGE_BYTES } from './conversation.contract.js';

/** Ids clients choose (conversation and message ids): readable, safe in a workflow id. */
export const ExternalId = z.string().min(1).max(128).regex(/^[A-Za-z0-9._:@-]+$/, 'use letters, digits and . _ : @ -');

export const Customer = z.object({
  id: z.string().min(1).max(256).optional(),
  email: z.email().max(320).optional(),
  name: z.string().min(1).max(256).optional(),
  locale: z.string().min(2).max(35).optional(),
  /**
   * Set by the API only, never taken from a client: true when this message's customer.identityToken
   * verified `email` (domain/identity.ts says how it carries over between messages). Read it with
   * isVerifiedFor(customer, email?).
   */
  verified: z.boolean().optional(),
  verifiedBy: VerifiedBy.optional(),
});
export type Customer = z.infer<typeof Customer>;

export const SourceRef = z.object({
  id: z.string(),
  title: z.string(),
  url: z.string().optional(),
  snippet: z.string(),
  /** What the source is ('article', 'blog_post', 'short_answer', …), so channels can show it as such. */
  kind: z.string().optional(),
  /** Where in the source the cited passages are: 'page 3', 'slide 2', 'sheet Orders, rows 2–9', a heading path. */
  location: z.string().optional(),
});
export type SourceRef = z.infer<typeof SourceRef>;

export const ReplyKind = z.enum(['answer', 'clarify', 'handoff']);
export type ReplyKind = z.infer<typeof ReplyKind>;

export const Reply = z.object({
  text: z.string(),
  kind: ReplyKind,
  sources: z.array(SourceRef),
  language: z.string(),
  confidence: z.number().min(0).max(1),
});
export type Reply = z.infer<typeof Reply>;

/** Why the agent answered as it did: shown to operators, never to customers. */
export const Insights = z.object({
  path: z.array(z.string()),
  reason: z.string(),
  triggers: z.array(z.string()),
  scores: z.record(z.string(), z.number()),
  candidates: z.array(z.object({
    sourceId: z.string(),
    title: z.string(),
    heading: z.string().optional(),
    score: z.number(),
    similarity: z.number(),
    coverage: z.number(),
  })),
  responder: z.string(),
});
export type Insights = z.infer<typeof Insights>;


export const InboundMessage = z.object({
  messageId: ExternalId,
  text: z.string().trim().min(1, 'text is empty').refine((t) => new TextEncoder().encode(t).length <= MAX_MESSAGE_BYTES, {
    message: `text is longer than ${MAX_MESSAGE_BYTES} bytes`,
    params: { tooLarge: true },
  }),
  channel: Channel,
  customer: Customer.optional(),
  /** The deployment it came through (async channels name theirs; chat uses the agent's chat deployment). */
  deploymentId: z.string().min(1).max(128).optional(),
  /**
   * Where to reach the customer on the channel, as the channel defines it (an email thread's ids and
   * subject, a WhatsApp number): kept on the conversation, the last one wins. Bounded, JSON-plain.
   */
  address: z.record(z.string(), z.unknown()).refine((a) => JSON.stringify(a).length <= 16 * 1024, 'address is larger than 16 KiB').optional(),
});
export type InboundMessage = z.infer<typeof InboundMessage>;

export const MessageResult = z.object({
  /**
   * null: nobody answers now (the agent is archived or not deployed on the channel, or people own the
   * conversation); the customer's message is recorded all the same. A paused agent hands the conversation
   * to people: the reply (kind `handoff`) tells the customer a person will answer.
   */
  reply: Reply.nullable(),
  conversation: z.object({ id: z.string(), status: ConversationStatus }),
});
export type MessageResult = z.infer<typeof MessageResult>;

export const Turn = z.object({ role: z.enum(['customer', 'agent']), text: z.string() });
export type Turn = z.infer<typeof Turn>;

/** What a run hands to its successor (continue-as-new) or loads on reopen: JSON-plain, bounded. */
/** An action drafted for approval, waiting in the workflow for a person (or its expiry). */
export const AwaitingApproval = z.object({
  runId: z.string(),
  messageId: z.string(),
  actionId: z.string(),
  name: z.string(),
  inputs: z.record(z.string(), z.union([z.string(), z.number()])),
  /** Workflow-time ms when the draft expires. */
  dueAt: z.number(),
  language: z.string(),
});
export type AwaitingApproval = z.infer<typeof AwaitingApproval>;

export const CarriedState = z.object({
  status: ConversationStatus,
  missStreak: z.number().int().min(0),
  recent: z.array(Turn),
  /** Recent message ids with a hash of their text and their result, newest last. */
  seen: z.array(z.object({ messageId: z.string(), textHash: z.string(), result: MessageResult })),
  // The human side (absent in state carried before people could take over).
  humanSide: z.boolean().optional(),
  assigneeId: z.string().optional(),
  teamId: z.string().optional(),
  /** Workflow-time ms when the SLA runs out (no person has replied since the handoff). */
  slaDueAt: z.number().optional(),
  /** Workflow-time ms when a delayed handoff happens unless the customer says it is solved. */
  handoffDueAt: z.number().optional(),
  clarifyStreak: z.number().int().min(0).optional(),
  /** The language of the last reply: the workflow's own notices use it. */
  language: z.string().optional(),
  /** A person's replies already recorded, by the reply id the API gave them. */
  humanReplies: z.array(z.object({ replyId: z.string(), messageId: z.string() })).optional(),
  // Channels (absent in state carried before deployments and delivery).
  channels: z.boolean().optional(),
  /** Messages that came outside the agent's hours, answered when they start. */
  waiting: z.array(InboundMessage).optional(),
  /** Workflow-time ms when the agent's hours start again (messages are waiting). */
  hoursOpenAt: z.number().optional(),
  /** An action whose inputs the agent is gathering (absent before actions). */
  pendingAction: PendingAction.optional(),
  /** Actions drafted for a person's approval (absent before actions). */
  approvals: z.array(AwaitingApproval).optional(),
  /** A one-time code was emailed; the action runs once the customer writes it back (absent before email codes). */
  verifying: z.object({
    action: z.object({
      actionId: z.string(), name: z.string(), inputs: z.record(z.string(), z.union([z.string(), z.number()])),
      approval: z.object({ timeoutSeconds: z.number().int().min(1) }).optional(),
    }),
    complete: z.boolean(),
    email: z.string(),
  }).optional(),
  /** A contact property change waiting for the customer's yes (absent before contacts). */
  pendingCrm: z.object({ property: z.string(), value: z.string() }).optional(),
  /** Lead qualification under way: the criterion asked last and the answers so far (absent before it). */
  leadProgress: z.object({ asking: z.string(), answers: z.record(z.string(), z.string()) }).optional(),
});
export type CarriedState = z.infer<typeof CarriedState>;

export const ConversationInput = z.object({
  agentId: z.string(),
  conversationId: z.string(),
  channel: Channel,
  customer: Customer.optional(),
  carried: CarriedState.optional(),
});
export type ConversationInput = z.infer<typeof ConversationInput>;

/** Who owns the conversation now: a person, or a team's queue. */
export const Owner = z.object({ assigneeId: z.string().optional(), teamId: z.string().optional() });
export type Owner = z.infer<typeof Owner>;

/** What every human update answers: where the conversation stands afterwards. */
export const ConversationView = z.object({ id: z.string(), status: ConversationStatus, assigneeId: z.string().optional(), teamId: z.string().optional() });
export type ConversationView = z.infer<typeof ConversationView>;

const UserId = z.string().min(1).max(128);
/** Assign to a person (status assigned) or to a team's queue (status handoff_requested, no assignee). */
export const AssignInput = z.union([
  z.object({ userId: UserId, by: z.string().max(200).optional() }).strict(),
  z.object({ teamId: z.string().min(1).max(128), by: z.string().max(200).optional() }).strict(),
]);
export type AssignInput = z.infer<typeof AssignInput>;

/** A person's reply; `replyId` makes a retried request the same reply. */
export const HumanReplyInput = z.object({
  userId: UserId,
  text: z.string().trim().min(1, 'text is empty').max(MAX_MESSAGE_BYTES),
  replyId: ExternalId,
}).strict();
export type HumanReplyInput = z.infer<typeof HumanReplyInput>;
export const HumanReplyResult = z.object({ messageId: z.string(), conversation: ConversationView });
export type HumanReplyResult = z.infer<typeof HumanReplyResult>;

export const ByInput = z.object({ by: z.string().max(200).optional() }).strict();
export type ByInput = z.infer<typeof ByInput>;

export const Suggestion = z.object({ text: z.string(), kind: ReplyKind, sources: z.array(SourceRef), language: z.string(), confidence: z.number() });
export type Suggestion = z.infer<typeof Suggestion>;

/** A person's decision on an action drafted for approval. */
export const ActionDecisionInput = z.object({
  runId: z.string().min(1).max(128),
  by: z.string().max(200).optional(),
}).strict();
export type ActionDecisionInput = z.infer<typeof ActionDecisionInput>;
export const ActionDecisionResult = z.object({
  runId: z.string(),
  status: z.enum(['succeeded', 'failed', 'rejected']),
  /** What the customer was told. */
  text: z.string(),
});
export type ActionDecisionResult = z.infer<typeof ActionDecisionResult>;
