/**
 * The schema, in order. A migration, once released, is never edited: add a new one. Versions are
 * recorded in schema_migrations; each runs in its own transaction.
 */
import { knowledge } from './001_knowledge.js';
import { conversations } from './002_conversations.js';
import { sourceSync } from './003_source_sync.js';
import { access } from './004_access.js';
import { events } from './005_events.js';
import { people } from './006_people.js';
import { channels } from './007_channels.js';
import { userKeys } from './008_user_keys.js';
import { embeddingStorage } from './009_embedding_storage.js';
import { actions } from './010_actions.js';
import { identity } from './011_identity.js';
import { contacts } from './012_contacts.js';
import { verificationCodes } from './013_verification_codes.js';
import { notificationEmails } from './014_notification_emails.js';
import { chunkCounts } from './015_chunk_counts.js';

export interface MigrationOptions {
  /** Fixed when the chunks table is created; a database keeps its dimension for life. */
  embeddingDimensions: number;
}

export interface Migration {
  version: number;
  name: string;
  sql: (o: MigrationOptions) => string;
}

export const MIGRATIONS: readonly Migration[] = [knowledge, conversations, sourceSync, access, events, people, channels, userKeys, embeddingStorage, actions, identity, contacts, verificationCodes, notificationEmails, chunkCounts];
