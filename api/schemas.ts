/** HTTP request and response schemas: the single source for validation and the OpenAPI document. */
import { z } from 'zod';
import {
  Channel, ConversationStatus, Customer, ExternalId, InboundMessage, Insights, MessageResult, ReplyKind, SourceRef,
} from '../workflows/conversation.contract.js';

export const AgentIdParam = z.object({ agentId: z.string().min(1).max(128) });
export const SourceParams = AgentIdParam.extend({ sourceId: z.string().min(1).max(128) });
export const ConversationParams = AgentIdParam.extend({ conversationId: ExternalId });

const Seconds = z.number().int().min(1).max(90 * 24 * 3600);

export const AgentSettingsInput = z.object({
  idleTimeoutSeconds: z.partialRecord(Channel, Seconds).optional(),
}).strict();

export const CreateAgent = z.object({
  name: z.string().trim().min(1).max(200),
  personality: z.string().max(4000).optional(),
  defaultLanguage: z.string().regex(/^[a-z]{2}$/, 'a two-letter language code such as en or da').optional(),
  settings: AgentSettingsInput.optional(),
}).strict();

export const Agent = z.object({
  id: z.string(),
  name: z.string(),
  personality: z.string().optional(),
  defaultLanguage: z.string(),
  settings: AgentSettingsInput,
  createdAt: z.string(),
});

export const MAX_SOURCE_BYTES = 2 * 1024 * 1024;

export const CreateSource = z.object({
  type: z.enum(['text', 'markdown', 'html']),
  title: z.string().trim().min(1).max(500),
  url: z.url().max(2048).optional(),
  content: z.string().min(1, 'content is empty').max(MAX_SOURCE_BYTES),
}).strict();

export const Source = z.object({
  id: z.string(),
  type: z.string(),
  title: z.string(),
  url: z.string().optional(),
  status: z.string(),
  chunks: z.number().int(),
  createdAt: z.string(),
});

export const CreatedSource = z.object({ id: z.string(), chunks: z.number().int() });

/** Synchronous channels only: asynchronous ones (email, WhatsApp…) arrive through their adapters. */
export const PostMessage = InboundMessage.extend({ channel: z.enum(['chat', 'test']) }).strict();

export const TranscriptEntry = z.object({
  messageId: z.string(),
  role: z.enum(['customer', 'agent']),
  text: z.string(),
  kind: ReplyKind.optional(),
  language: z.string().optional(),
  confidence: z.number().optional(),
  sources: z.array(SourceRef).optional(),
  insights: Insights.optional(),
  createdAt: z.string(),
});

export const Conversation = z.object({
  id: z.string(),
  agentId: z.string(),
  channel: z.string(),
  status: ConversationStatus,
  customer: Customer.optional(),
  workflowId: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().optional(),
  transcript: z.array(TranscriptEntry),
});

export const ErrorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional(), requestId: z.string() }),
});

export { MessageResult };
