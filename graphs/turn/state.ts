/** The turn graph's input and output: state in, state out (Temporal history is the checkpoint). */
import { z } from 'zod';
import { ActionSummary, PendingAction } from '../../domain/action.js';
import { ContactProperties, PropertyName, PropertyValue } from '../../domain/contact.js';
import { AssignTo } from '../../domain/handoff.js';
import { LeadCriterion } from '../../domain/lead.js';
import { Customer, Insights, Reply, Turn } from '../../workflows/conversation.schemas.js';

export const AgentProfile = z.object({
  id: z.string(),
  name: z.string(),
  personality: z.string().optional(),
  defaultLanguage: z.string().default('en'),
});
export type AgentProfile = z.infer<typeof AgentProfile>;

export const TurnInput = z.object({
  agent: AgentProfile,
  message: z.object({ id: z.string(), text: z.string() }),
  customer: Customer.optional(),
  /** Recent turns, oldest first, excluding the current message. */
  history: z.array(Turn),
  /** How many turns in a row found nothing relevant before this one. */
  missStreak: z.number().int().min(0),
  /** How many clarifying questions in a row the agent asked before this turn. */
  clarifyStreak: z.number().int().min(0).default(0),
  /** The agent's own handoff triggers (handoff settings): phrases that hand off, and after how many clarifications. */
  handoff: z.object({
    triggers: z.array(z.object({ phrases: z.array(z.string()), description: z.string().optional() })).default([]),
    afterClarifications: z.number().int().min(1).optional(),
  }).optional(),
  /** The agent's actions (never their secrets); only the customer's own message picks one. */
  actions: z.array(ActionSummary).default([]),
  /** An action whose inputs the agent was gathering in earlier turns. */
  pendingAction: PendingAction.optional(),
  /** The customer's contact: its readable properties only when the customer is proven to be it. */
  contact: z.object({ contactId: z.string(), properties: ContactProperties, identified: z.boolean() }).optional(),
  /** The contact properties the agent may read and write (crm settings and lead criteria). */
  crm: z.object({ read: z.array(PropertyName), write: z.array(PropertyName) }).default({ read: [], write: [] }),
  /** Lead qualification, when enabled. */
  lead: z.object({ criteria: z.array(LeadCriterion), assignTo: AssignTo }).optional(),
  /** A property change the agent asked the customer to confirm. */
  pendingCrm: z.object({ property: PropertyName, value: z.string() }).optional(),
  /** Lead qualification under way: the criterion (its property) asked last, and the answers so far. */
  leadProgress: z.object({ asking: PropertyName, answers: z.record(PropertyName, z.string()) }).optional(),
});
export type TurnInput = z.infer<typeof TurnInput>;

/** Intents are what the graph wants done; the workflow carries them out as idempotent activities. */
export const TurnIntent = z.object({
  /** `assignTo` overrides the agent's handoff target (a qualified lead goes to sales). */
  handoff: z.object({ reason: z.string(), assignTo: AssignTo.optional(), summary: z.string().max(4000).optional() }).optional(),
  /**
   * The action that needs a verified customer, as it would run (`complete`: every required input given).
   * Where the channel can prove the customer's address (email: a one-time code), the workflow verifies
   * and then runs it instead of handing off.
   */
  verifyFor: z.object({
    action: z.object({
      actionId: z.string(), name: z.string(), inputs: z.record(z.string(), z.union([z.string(), z.number()])),
      approval: z.object({ timeoutSeconds: z.number().int().min(1) }).optional(),
    }),
    complete: z.boolean(),
  }).optional(),
  /** Write these properties on the customer's contact (confirmed by the customer, or a lead answer). */
  crm: z.object({ contactId: z.string(), changes: z.record(PropertyName, PropertyValue) }).optional(),
  /** A change to confirm next turn; null: forget it. */
  pendingCrm: z.object({ property: PropertyName, value: z.string() }).nullable().optional(),
  /** Lead qualification under way: the criterion asked now and the answers so far; null: not (any more). */
  leadProgress: z.object({ asking: PropertyName, answers: z.record(PropertyName, z.string()) }).nullable().optional(),
  /** Every lead criterion answered: the answers, for the team and the `lead.qualified` event. */
  leadQualified: z.object({ contactId: z.string(), answers: z.record(PropertyName, PropertyValue) }).optional(),
  /** Run this action now (the workflow runs it as an idempotent activity; the reply is its result). */
  action: z.object({
    actionId: z.string(), name: z.string(), inputs: z.record(z.string(), z.union([z.string(), z.number()])),
    /** Drafted for a person's approval instead of run; it expires after this many seconds. */
    approval: z.object({ timeoutSeconds: z.number().int().min(1) }).optional(),
  }).optional(),
  /** The inputs gathered so far, kept by the workflow for the next turn; null: forget the pending action. */
  collect: PendingAction.nullable().optional(),
});

export const TurnResult = z.object({
  reply: Reply,
  insights: Insights,
  missStreak: z.number().int().min(0),
  intent: TurnIntent,
});
export type TurnResult = z.infer<typeof TurnResult>;
export type TurnIntent = z.infer<typeof TurnIntent>;
