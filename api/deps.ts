/** What the HTTP layer needs from the rest of the system: small interfaces, composed in workers/. */
import type { Db } from '../db/types.js';
import type { ConversationClient } from './conversation-client.js';

export interface IngestInput {
  agentId: string;
  type: 'text' | 'markdown' | 'html';
  title: string;
  url?: string;
  content: string;
}

export interface ApiDeps {
  db: Db;
  conversations: ConversationClient;
  ingest(input: IngestInput): Promise<{ id: string; chunks: number }>;
}
