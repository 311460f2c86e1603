/**
 * How an agent hands a conversation to people: whether at all, to whom, after how long, on which extra
 * triggers, and with which words. Stored with the agent's settings; read by the turn and the workflow.
 */
import { z } from 'zod';

const Language = z.string().regex(/^[a-z]{2}$/, 'a two-letter language code such as en or da');
/** A text per language, used for customers writing in that language. */
export const PerLanguage = z.record(Language, z.string().trim().min(1).max(2000));
export type PerLanguage = z.infer<typeof PerLanguage>;

export const AssignTo = z.discriminatedUnion('type', [
  z.object({ type: z.literal('unassigned') }).strict(),
  z.object({ type: z.literal('users'), ids: z.array(z.string().min(1).max(128)).min(1).max(100) }).strict(),
  z.object({ type: z.literal('teams'), ids: z.array(z.string().min(1).max(128)).min(1).max(50) }).strict(),
]);
export type AssignTo = z.infer<typeof AssignTo>;

export const HandoffTrigger = z.object({
  phrases: z.array(z.string().trim().min(2).max(200)).min(1).max(50),
  description: z.string().max(500).optional(),
}).strict();

export const HandoffSettings = z.object({
  /** handoff: to people; stay: the agent keeps the conversation and says people are not available. */
  mode: z.enum(['handoff', 'stay']).default('handoff'),
  assignTo: AssignTo.default({ type: 'unassigned' }),
  /** Hand off after this long (the agent answers meanwhile; "solved" cancels it). 0: at once. */
  delaySeconds: z.number().int().min(0).max(7 * 24 * 3600).default(0),
  triggers: z.array(HandoffTrigger).max(20).default([]),
  /** Hand off instead of asking a clarifying question for the n-th time in a row. */
  afterClarifications: z.number().int().min(1).max(10).optional(),
  /** When nobody has replied this long after the handoff, the customer is told and it goes back to the queue. */
  slaSeconds: z.number().int().min(1).max(30 * 24 * 3600).default(300),
  /** The `stay` reply; a built-in one in every supported language when absent. */
  unavailableMessage: z.union([z.string().trim().min(1).max(2000), PerLanguage]).optional(),
  messages: z.object({
    handoff: PerLanguage.optional(),
    unavailable: PerLanguage.optional(),
    stillWaiting: PerLanguage.optional(),
    delayed: PerLanguage.optional(),
  }).strict().optional(),
}).strict();
export type HandoffSettings = z.infer<typeof HandoffSettings>;

export { DEFAULT_HANDOFF, pick } from './handoff-defaults.js';
