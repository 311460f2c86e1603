/** Conversation statuses and message roles, shared by the workflow, the transcript and the API. */
import { z } from 'zod';

export const CONVERSATION_STATUSES = ['open', 'handoff_requested', 'closed'] as const;
export const ConversationStatus = z.enum(CONVERSATION_STATUSES);
export type ConversationStatus = z.infer<typeof ConversationStatus>;

/** Who wrote a transcript entry: the customer, the agent, a person of the team, or the system itself. */
export const MESSAGE_ROLES = ['customer', 'agent', 'human', 'system'] as const;
export const MessageRole = z.enum(MESSAGE_ROLES);
export type MessageRole = z.infer<typeof MessageRole>;
