/** What the HTTP layer needs from the rest of the system: small interfaces, composed in workers/. */
import type { SecretBox } from '../db/secret-box.js';
import type { Db } from '../db/types.js';
import type { EventNotifier } from '../domain/events.js';
import type { Block } from '../knowledge/blocks.js';
import type { FetchPolicy } from '../knowledge/fetch/policy.js';
import type { FileIngestor } from '../knowledge/extract/ingest-file.js';
import type { Deployment } from '../workflows/workspace-trial.contract.js';
import type { ConversationClient } from './conversation-client.js';
import type { SourceSyncClient } from './source-sync.js';

export interface IngestInput {
  agentId: string;
  type: 'text' | 'markdown' | 'html' | 'short_answer';
  title: string;
  url?: string;
  /** Pasted content of a text, markdown or html source... */
  content?: string;
  /** ...or content already in blocks (short answers). */
  blocks?: readonly Block[];
  kind?: string;
  metadata?: Record<string, unknown>;
  /** Replaces this source of the same agent (its chunks atomically) instead of creating one. */
  sourceId?: string;
}

/** The workspace trial's durable workflow, as the API drives it. */
export interface TrialClient {
  /** Opts the workspace in; false when it already had. */
  optIn(workspaceId: string): Promise<boolean>;
  /**
   * A change that may have deployed an agent (a deployment created, an agent created or switched on):
   * signals a pending trial when an active agent of the workspace now has a live deployment. A no-op
   * otherwise, and without a pending trial.
   */
  deployed(workspaceId: string, deployment: Deployment): Promise<void>;
}

export interface AccessSettings {
  /** The install's root key (ADMIN_API_KEY). */
  rootKey: string;
  /** Requests per minute per key (0: no limit) and per widget key and client address. */
  rateLimitPerKey: number;
  rateLimitPerWidgetClient: number;
  /** Read the client address from X-Forwarded-For. */
  trustProxy: boolean;
}

export interface ApiDeps {
  db: Db;
  conversations: ConversationClient;
  /** `updated` when the content repeated an existing source, which was updated in place. */
  ingest(input: IngestInput): Promise<{ id: string; chunks: number; updated?: true }>;
  access: AccessSettings;
  /** URL and site sources; absent where the API runs without Temporal. */
  sourceSync?: SourceSyncClient;
  /** File uploads; absent means the route answers 503. */
  files?: FileIngestor;
  /** The 28-day trial; absent where the API runs without Temporal. */
  trial?: TrialClient;
  /**
   * Which addresses URLs given through the API (webhooks, actions) may reach: FETCH_ALLOW_HOSTS, the same
   * policy the worker fetches, posts and calls actions with. Absent: public addresses only.
   */
  fetchPolicy?: FetchPolicy;
  /**
   * Seals deployments' secrets, actions' secret headers and the identity secret (SECRETS_KEY); absent:
   * none can be stored (503 naming the setting), and no customer is verified.
   */
  secrets?: SecretBox;
  /**
   * Where workspace events the API causes (a contact changed through it) go: webhooks. Absent where the
   * API runs without Temporal: the event is stored (GET /v1/events), no webhook hears of it.
   */
  events?: EventNotifier;
  /** The API's public base URL (PUBLIC_URL), for the endpoints a deployment shows (webhook URLs to give Meta). */
  publicUrl?: string;
}
