/**
 * HTTP request and response schemas: the single source for validation and the OpenAPI document. `z` comes
 * through @hono/zod-openapi for `.openapi('Name')`: the resources so named are components of the document.
 */
import { z } from '@hono/zod-openapi';
import { AgentSettings, AgentStatus, LanguageCode } from '../domain/agent.js';
import { CrmSettings } from '../domain/contact.js';
import { HandoffSettings } from '../domain/handoff.js';
import { LeadQualificationSettings } from '../domain/lead.js';
import { MessageRole } from '../domain/conversation.js';
import { KEY_ROLES, KeyRole, Origin } from '../domain/access.js';
import { ERROR_CODES } from '../domain/errors.js';
import { ContentKind, SourceKind, SourceStatus, SourceType } from '../domain/source.js';
import {
  ConversationStatus, Customer, ExternalId, InboundMessage, Insights, MessageResult, ReplyKind, SourceRef,
} from '../workflows/conversation.schemas.js';
import { CustomerInput, CustomerVerification } from './identity-schemas.js';

export const AgentIdParam = z.object({ agentId: z.string().min(1).max(128) });
export const SourceParams = AgentIdParam.extend({ sourceId: z.string().min(1).max(128) });
export const ConversationParams = AgentIdParam.extend({ conversationId: ExternalId });

/** Agent settings as the API takes them: the domain's schema, defined once; its own fields are top-level. */
export const AgentSettingsInput = AgentSettings.omit({ handoff: true, crm: true, leadQualification: true });

/** The contact properties the agent may read and write: property names (letters, digits, _ and -, at most 64). */
const Crm = CrmSettings.meta({ id: 'CrmSettings' });
/** One to five questions, each kept in a contact property, and who a qualified lead goes to (as handoff.assignTo). */
const LeadQualification = LeadQualificationSettings.meta({ id: 'LeadQualificationSettings' });

export const CreateAgent = z.object({
  name: z.string().trim().min(1).max(200),
  personality: z.string().max(4000).optional(),
  defaultLanguage: LanguageCode.optional(),
  settings: AgentSettingsInput.optional(),
  /** How conversations go to people: mode, assignTo, delaySeconds, triggers, afterClarifications, slaSeconds, messages. */
  handoff: HandoffSettings.optional(),
  crm: Crm.optional(),
  leadQualification: LeadQualification.optional(),
}).strict();

/** Partial update; at least one field. `archived` is set through DELETE, and undone here with `active`. */
export const UpdateAgent = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  personality: z.string().max(4000).nullable().optional(),
  defaultLanguage: LanguageCode.optional(),
  settings: AgentSettingsInput.optional(),
  /** Replaces the handoff settings as a whole (absent fields take their defaults). */
  handoff: HandoffSettings.optional(),
  /** Replaces the CRM grants as a whole. */
  crm: Crm.optional(),
  /** Replaces lead qualification as a whole; null switches it off and forgets it. */
  leadQualification: LeadQualification.nullable().optional(),
  status: z.enum(['active', 'paused']).optional(),
}).strict().refine((u) => Object.keys(u).length > 0, { message: 'give at least one of name, personality, defaultLanguage, settings, handoff, crm, leadQualification or status' });

export const Agent = z.object({
  id: z.string(),
  workspaceId: z.string(),
  name: z.string(),
  personality: z.string().optional(),
  defaultLanguage: z.string(),
  settings: AgentSettingsInput,
  /** The handoff settings in force (defaults filled in). */
  handoff: HandoffSettings,
  /** The contact properties the agent may read and write (none by default). */
  crm: Crm,
  /** Present when set: the questions leads are qualified with. */
  leadQualification: LeadQualification.optional(),
  /** active answers; paused and archived do not (their customers' messages are still recorded). */
  status: AgentStatus,
  /** Why the workspace switched the agent off (e.g. trial_ended), when it did. */
  pausedReason: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
}).openapi('Agent');

/** The public face of an agent, for widgets: no settings, no knowledge. */
export const AgentProfile = z.object({
  id: z.string(), name: z.string(), defaultLanguage: z.string(), available: z.boolean(),
  /** settings.greeting, when the agent has one. */
  greeting: z.string().optional(),
}).openapi('AgentProfile');

/** Page size and an opaque cursor from the previous page's `nextCursor`. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().min(1).max(500).optional(),
});

export const ListAgentsQuery = PageQuery.extend({ status: AgentStatus.optional() }).strict();
export const AgentList = z.object({ agents: z.array(Agent), nextCursor: z.string().optional() });

export const CreateWorkspace = z.object({ name: z.string().trim().min(1).max(200) }).strict();
export const Workspace = z.object({ id: z.string(), name: z.string(), createdAt: z.string() }).openapi('Workspace');
export const WorkspaceList = z.object({ workspaces: z.array(Workspace) });
export const CreatedWorkspace = Workspace.extend({
  /** The new workspace's first admin key; shown once. */
  adminKey: z.string(),
});

export const CreateApiKey = z.object({
  name: z.string().trim().min(1).max(200),
  role: KeyRole,
  /** Channel and widget keys: the agents they may reach (default: every agent of the workspace). */
  agentIds: z.array(z.string().min(1).max(128)).min(1).max(100).optional(),
  /** Widget keys: the browser origins they work from; required for them, refused for other roles. */
  allowedOrigins: z.array(Origin).min(1).max(50).optional(),
  /** User keys: the person of the workspace the key belongs to; required for them, refused for other roles. */
  userId: z.string().min(1).max(128).optional(),
}).strict().superRefine((k, ctx) => {
  if (k.role === 'widget' && !k.allowedOrigins) ctx.addIssue({ code: 'custom', path: ['allowedOrigins'], message: 'a widget key needs the origins of the sites it is embedded on' });
  if (k.role !== 'widget' && k.allowedOrigins) ctx.addIssue({ code: 'custom', path: ['allowedOrigins'], message: 'only widget keys are bound to browser origins' });
  if (k.role === 'admin' && k.agentIds) ctx.addIssue({ code: 'custom', path: ['agentIds'], message: 'an admin key reaches every agent of its workspace' });
  if (k.role === 'user' && k.agentIds) ctx.addIssue({ code: 'custom', path: ['agentIds'], message: "a user key works the whole workspace's inbox" });
  if (k.role === 'user' && !k.userId) ctx.addIssue({ code: 'custom', path: ['userId'], message: 'a user key belongs to one person of the workspace: give their userId' });
  if (k.role !== 'user' && k.userId) ctx.addIssue({ code: 'custom', path: ['userId'], message: 'only user keys belong to a person' });
});

export const ApiKey = z.object({
  id: z.string(),
  name: z.string(),
  role: KeyRole,
  /** The key's first characters, to tell keys apart; never the key. */
  prefix: z.string(),
  agentIds: z.array(z.string()).optional(),
  allowedOrigins: z.array(z.string()).optional(),
  /** User keys: the person the key belongs to. */
  userId: z.string().optional(),
  createdAt: z.string(),
  lastUsedAt: z.string().optional(),
}).openapi('ApiKey');
export const ApiKeyList = z.object({ apiKeys: z.array(ApiKey) });
/** GET /v1/me: who the key is, so a page can tell a person's key from an admin's. */
export const Me = z.object({
  role: z.enum(['root', ...KEY_ROLES]),
  workspaceId: z.string(),
  /** User keys: the person. */
  user: z.object({ id: z.string(), name: z.string(), email: z.string() }).optional(),
}).openapi('Me');
/** The key itself is in this answer only, once. */
export const CreatedApiKey = ApiKey.extend({ key: z.string() });
export const KeyIdParam = z.object({ keyId: z.string().min(1).max(128) });

export const AuditQuery = PageQuery.strict();
export const AuditEntry = z.object({
  id: z.string(),
  actor: z.object({ id: z.string(), name: z.string() }),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string() }),
  details: z.record(z.string(), z.unknown()),
  requestId: z.string().optional(),
  createdAt: z.string(),
}).openapi('AuditEntry');
export const AuditLog = z.object({ entries: z.array(AuditEntry), nextCursor: z.string().optional() });

export const MAX_SOURCE_BYTES = 2 * 1024 * 1024;

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
}).openapi('Source');

export const SourceList = z.object({ sources: z.array(Source) });

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
}).openapi('ShortAnswer');

export const ShortAnswerList = z.object({ shortAnswers: z.array(ShortAnswer) });

export const ShortAnswerParams = AgentIdParam.extend({ shortAnswerId: z.string().min(1).max(128) });

/** `updated: true` when the content repeated an existing source (same content, URL or title), updated in place. */
export const CreatedSource = z.object({ id: z.string(), chunks: z.number().int(), updated: z.literal(true).optional() });

/** Synchronous channels only: asynchronous ones (email, WhatsApp…) arrive through their adapters. */
export const PostMessage = InboundMessage.omit({ deploymentId: true, address: true }).extend({
  channel: z.enum(['chat', 'test']),
  /** With `identityToken` when the host site vouches for the email (api/identity-schemas.ts). */
  customer: CustomerInput.optional(),
}).strict();

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
  /** customer, agent, human (a person of the team, with userId) or system (notices such as "still waiting"). */
  role: MessageRole,
  userId: z.string().optional(),
  /** The name of the person who wrote a `human` entry, as the customer sees it. */
  userName: z.string().optional(),
  text: z.string(),
  kind: ReplyKind.optional(),
  language: z.string().optional(),
  confidence: z.number().optional(),
  sources: z.array(SourceRef).optional(),
  insights: Insights.optional(),
  /** The channel it came or went on. */
  channel: z.string().optional(),
  /**
   * Replies on asynchronous channels: pending (being sent or retried), sent, failed (refused, or still
   * failing after the retry time) or not_sent (the channel may not send now), with the reason.
   */
  delivery: z.object({
    status: z.enum(['pending', 'sent', 'failed', 'not_sent']),
    reason: z.string().optional(),
    attempts: z.number().int().optional(),
    at: z.string().optional(),
  }).optional(),
  createdAt: z.string(),
}).openapi('TranscriptEntry');

export const Conversation = z.object({
  id: z.string(),
  agentId: z.string(),
  channel: z.string(),
  status: ConversationStatus,
  customer: Customer.optional(),
  /** Who owns it (not shown to widget keys): the person, and the team whose queue it is in. */
  assigneeId: z.string().optional(),
  teamId: z.string().optional(),
  workflowId: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().optional(),
  transcript: z.array(TranscriptEntry),
  /** Present when more transcript entries follow: pass it as `?cursor=` for the next page. */
  nextCursor: z.string().optional(),
}).openapi('Conversation');

/** Every error the API answers; `code` is the closed vocabulary of domain/errors.ts. */
export const ErrorResponse = z.object({
  error: z.object({ code: z.enum(ERROR_CODES), message: z.string(), field: z.string().optional(), requestId: z.string() }),
}).openapi('ErrorResponse');

/** The reply is null when nobody answers now (see MessageResult); the message is recorded all the same. */
export const PostMessageResult = MessageResult.extend({
  conversation: MessageResult.shape.conversation.extend({
    /** Widget keys: show it in X-Conversation-Token to continue or read this conversation. */
    token: z.string().optional(),
  }),
  /** When the message named a customer: whether its identityToken verified them (and if not, why). */
  customer: CustomerVerification.optional(),
}).openapi('MessageResult');

export { MessageResult };

/** multipart/form-data of POST …/files: one or more `file` parts; `title` once per file, or not at all. */
export const UploadFilesForm = z.object({
  // The document's view of a file part (OpenAPI has no file type: a binary string).
  file: z.array(z.file().meta({ type: 'string', format: 'binary' })).min(1, 'attach at least one file in a form field named file'),
  title: z.array(z.string().trim().min(1).max(500)).optional(),
  kind: ContentKind.optional(),
}).strict();

export const UploadedFile = z.object({
  id: z.string(),
  title: z.string(),
  chunks: z.number().int(),
  /** The format read from the file's bytes: docx, pptx, xlsx, xls, pdf, csv, json, xml, html, markdown, rst, text, config, video. */
  type: z.string(),
  /** True when the file repeated a stored one (same content, title or file name), which was updated in place. */
  updated: z.literal(true).optional(),
}).openapi('UploadedFile');
export const UploadedFiles = z.object({ files: z.array(UploadedFile) });

/** POST …/conversations/:id/assign: to a person, or to a team's queue. */
export const AssignBody = z.union([
  z.object({ userId: z.string().min(1).max(128) }).strict(),
  z.object({ teamId: z.string().min(1).max(128) }).strict(),
]);
/** POST …/conversations/:id/replies: a person's reply. */
export const ReplyBody = z.object({
  /** Who replies: required with an admin key; a user key replies as its own person (the default). */
  userId: z.string().min(1).max(128).optional(),
  text: z.string().trim().min(1, 'text is empty').max(8 * 1024),
}).strict();
export const ConversationOwner = z.object({
  id: z.string(),
  status: ConversationStatus,
  assigneeId: z.string().optional(),
  teamId: z.string().optional(),
}).openapi('ConversationOwner');
export const CreatedReply = z.object({ messageId: z.string(), conversation: ConversationOwner });
export const SuggestionView = z.object({
  text: z.string(), kind: ReplyKind, sources: z.array(SourceRef), language: z.string(), confidence: z.number(),
});
export const InboxQuery = z.object({
  status: ConversationStatus.optional(),
  /** A user id, or `none` for conversations nobody owns. */
  assignee: z.string().min(1).max(128).optional(),
  teamId: z.string().min(1).max(128).optional(),
  agentId: z.string().min(1).max(128).optional(),
  channel: z.string().min(1).max(32).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().min(1).max(500).optional(),
}).strict();
export const InboxItem = z.object({
  id: z.string(),
  agentId: z.string(),
  status: ConversationStatus,
  assignee: z.string().optional(),
  teamId: z.string().optional(),
  channel: z.string(),
  customer: Customer.optional(),
  lastMessage: z.object({ role: z.string(), text: z.string(), at: z.string() }).optional(),
  /** Actions drafted in the conversation that wait for a person's approval (GET …/conversations/:id/actions); absent when none. */
  pendingApprovals: z.number().int().min(1).optional(),
  updatedAt: z.string(),
});
export const InboxList = z.object({ conversations: z.array(InboxItem), nextCursor: z.string().optional() });

/** ?url= the page the visitor is on (absolute http(s) URL); absent: suggestions for any page. */
export const SuggestionsQuery = z.object({
  url: z.string().max(2048).refine((u) => /^https?:\/\//i.test(u) && URL.canParse(u), 'give the absolute http(s) URL of the page').optional(),
}).strict();
export const Suggestions = z.object({
  /** Up to three questions a visitor might ask; the source each was made from, when there is one. */
  suggestions: z.array(z.object({ text: z.string(), sourceId: z.string().optional(), title: z.string().optional() })),
}).openapi('Suggestions');
