/** Conversation statuses and message roles, shared by the workflow, the transcript and the API. */
import { z } from 'zod';

/** open: the agent answers; handoff_requested: waiting in a team's queue; assigned: a person owns it; closed. */
export const CONVERSATION_STATUSES = ['open', 'handoff_requested', 'assigned', 'closed'] as const;
export const ConversationStatus = z.enum(CONVERSATION_STATUSES);
export type ConversationStatus = z.infer<typeof ConversationStatus>;

/** Who wrote a transcript entry: the customer, the agent, a person of the team, or the system itself. */
export const MESSAGE_ROLES = ['customer', 'agent', 'human', 'system'] as const;
export const MessageRole = z.enum(MESSAGE_ROLES);
export type MessageRole = z.infer<typeof MessageRole>;
