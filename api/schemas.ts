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

/** What a source is to the people who run the agent; filterable, and shown with citations. */
export const SOURCE_KINDS = ['article', 'website_page', 'landing_page', 'blog_post', 'file', 'url', 'short_answer'] as const;
export const SourceKind = z.enum(SOURCE_KINDS);
export type SourceKind = z.infer<typeof SourceKind>;
/** Kinds a caller may give a source; short answers are made only through their own route. */
export const ContentKind = z.enum(SOURCE_KINDS.filter((k) => k !== 'short_answer') as [Exclude<SourceKind, 'short_answer'>, ...Exclude<SourceKind, 'short_answer'>[]]);

export const SOURCE_TYPES = ['text', 'markdown', 'html', 'file', 'url', 'site', 'short_answer'] as const;
export const SourceType = z.enum(SOURCE_TYPES);
/** 'ready' searchable, 'empty' nothing to search in it; the sync states are set by URL and site sources. */
export const SOURCE_STATUSES = ['pending', 'syncing', 'ready', 'empty', 'failed'] as const;
export const SourceStatus = z.enum(SOURCE_STATUSES);

/** Pasted content; `url` is where it lives, cited as a link, so only a web address (never javascript:). */
export const CreateContentSource = z.object({
  type: z.enum(['text', 'markdown', 'html']),
  title: z.string().trim().min(1).max(500),
  url: z.url({ protocol: /^https?$/, error: 'an http(s) URL' }).max(2048).optional(),
  content: z.string().min(1, 'content is empty').max(MAX_SOURCE_BYTES),
  kind: ContentKind.optional(),
}).strict();

/** Hours between scheduled re-syncs of a URL or site; 0 syncs only on demand. Absent: the configured default. */
const SyncIntervalHours = z.number().min(0).max(24 * 366);

/** One public page, fetched and kept in sync (`POST …/sources/:id/sync` re-syncs it now). */
export const CreateUrlSource = z.object({
  type: z.literal('url'),
  url: z.url({ protocol: /^https?$/, error: 'an http(s) URL' }).max(2048),
  title: z.string().trim().min(1).max(500).optional(),
  kind: ContentKind.optional(),
  syncIntervalHours: SyncIntervalHours.optional(),
}).strict();

/** A whole site from its start URL ("import related URLs"): same host, sitemap and links, robots.txt obeyed. */
export const CreateSiteSource = CreateUrlSource.extend({
  type: z.literal('site'),
  maxPages: z.number().int().min(1).max(10_000).optional(),
}).strict();

/**
 * Discriminated on `type`: each way of giving a source (pasted content, a URL, a site) is one member, so
 * a new one is added without touching the others, and an unknown type is refused naming `type`.
 */
export const CreateSource = z.discriminatedUnion('type', [CreateContentSource, CreateUrlSource, CreateSiteSource]);
export type CreateSource = z.infer<typeof CreateSource>;

const BooleanParam = z.enum(['true', 'false']).transform((v) => v === 'true');

export const ListSourcesQuery = z.object({
  kind: SourceKind.optional(),
  status: SourceStatus.optional(),
  type: SourceType.optional(),
  enabled: BooleanParam.optional(),
  parentId: z.string().min(1).max(128).optional(),
}).strict();

/** Partial update; at least one field. Disabling keeps the source and its chunks but leaves it out of answers. */
export const UpdateSource = z.object({
  enabled: z.boolean().optional(),
  kind: ContentKind.optional(),
  title: z.string().trim().min(1).max(500).optional(),
}).strict().refine((u) => Object.keys(u).length > 0, { message: 'give at least one of enabled, kind or title' });

export const Source = z.object({
  id: z.string(),
  type: z.string(),
  kind: z.string(),
  title: z.string(),
  url: z.string().optional(),
  parentId: z.string().optional(),
  status: z.string(),
  enabled: z.boolean(),
  error: z.string().optional(),
  chunks: z.number().int(),
  /** When a synced page was last read or confirmed unchanged (a 304 moves it, not `updatedAt`). */
  fetchedAt: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const Phrasing = z.string().trim().min(1, 'is empty').max(500);

/** A curated answer, given verbatim when a customer's question means the same as `question` or an alternate. */
export const CreateShortAnswer = z.object({
  question: Phrasing,
  answer: z.string().trim().min(1, 'answer is empty').max(8000),
  alternates: z.array(Phrasing).max(20).optional(),
}).strict();

export const UpdateShortAnswer = z.object({
  question: Phrasing.optional(),
  answer: z.string().trim().min(1, 'answer is empty').max(8000).optional(),
  alternates: z.array(Phrasing).max(20).optional(),
  enabled: z.boolean().optional(),
}).strict().refine((u) => Object.keys(u).length > 0, { message: 'give at least one of question, answer, alternates or enabled' });

export const ShortAnswer = z.object({
  id: z.string(),
  question: z.string(),
  answer: z.string(),
  alternates: z.array(z.string()),
  enabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const ShortAnswerParams = AgentIdParam.extend({ shortAnswerId: z.string().min(1).max(128) });

export const CreatedSource = z.object({ id: z.string(), chunks: z.number().int() });

/** Synchronous channels only: asynchronous ones (email, WhatsApp…) arrive through their adapters. */
export const PostMessage = InboundMessage.extend({ channel: z.enum(['chat', 'test']) }).strict();

/**
 * A transcript page cursor: opaque to clients (base64url JSON, the format api/cursor.ts-style helpers
 * use), holding the seq of the last message given. A cursor not made here is a 422 naming `cursor`.
 */
const TranscriptCursor = z.string().min(1).max(200).transform((text, ctx) => {
  try {
    const after = (JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { after?: unknown }).after;
    if (typeof after === 'number' && Number.isSafeInteger(after) && after >= 0) return after;
  } catch {
    // not JSON: refused below
  }
  ctx.addIssue({ code: 'custom', message: 'not a cursor this API gave out; pass nextCursor from the previous page' });
  return z.NEVER;
});

export function transcriptCursor(afterSeq: number): string {
  return Buffer.from(JSON.stringify({ after: afterSeq })).toString('base64url');
}

/** GET …/conversations/:id: the transcript comes in pages, oldest first; `nextCursor` leads to the next. */
export const TranscriptQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: TranscriptCursor.optional(),
}).strict();

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
  /** Present when more transcript entries follow: pass it as `?cursor=` for the next page. */
  nextCursor: z.string().optional(),
});

export const ErrorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional(), requestId: z.string() }),
});

export { MessageResult };

/** multipart/form-data of POST …/files: one or more `file` parts; `title` once per file, or not at all. */
export const UploadFilesForm = z.object({
  file: z.array(z.file()).min(1, 'attach at least one file in a form field named file'),
  title: z.array(z.string().trim().min(1).max(500)).optional(),
  kind: SourceKind.exclude(['short_answer']).optional(),
}).strict();

export const UploadedFile = z.object({
  id: z.string(),
  title: z.string(),
  chunks: z.number().int(),
  /** The format read from the file's bytes: docx, pptx, xlsx, xls, pdf, csv, json, xml, html, markdown, rst, text, config, video. */
  type: z.string(),
});
export const UploadedFiles = z.object({ files: z.array(UploadedFile) });
