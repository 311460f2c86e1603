import type { Migration } from './index.js';

/**
 * Contacts, the workspace's own small CRM: one per customer email (lower-cased, unique in the workspace)
 * or channel identity (a WhatsApp number, a Messenger PSID, a widget's customer id), their properties,
 * every change of a property with what caused it, and which contact each conversation is with. The link
 * is its own table, keyed by the conversation: it can be written before the conversation's row exists,
 * and moves when a later message names another customer.
 */
export const contacts: Migration = {
  version: 12,
  name: 'contacts',
  sql: () => `
    CREATE TABLE contacts (
      id           text PRIMARY KEY,
      workspace_id text NOT NULL REFERENCES workspaces(id),
      email        text CHECK (email = lower(email)),
      name         text,
      properties   jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at   timestamptz NOT NULL DEFAULT now(),
      updated_at   timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX contacts_email_idx ON contacts (workspace_id, email) WHERE email IS NOT NULL;
    CREATE INDEX contacts_workspace_idx ON contacts (workspace_id, created_at DESC, id DESC);

    CREATE TABLE contact_identities (
      workspace_id text NOT NULL,
      channel      text NOT NULL,
      external_id  text NOT NULL,
      contact_id   text NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      created_at   timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (workspace_id, channel, external_id)
    );
    CREATE INDEX contact_identities_contact_idx ON contact_identities (contact_id);

    CREATE TABLE contact_conversations (
      agent_id        text NOT NULL,
      conversation_id text NOT NULL,
      contact_id      text NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      linked_at       timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (agent_id, conversation_id)
    );
    CREATE INDEX contact_conversations_contact_idx ON contact_conversations (contact_id);

    -- cause: what made the change (one API request, or one agent write for a customer message); a retried
    -- write finds its own rows by it and writes nothing new.
    CREATE TABLE contact_changes (
      seq             bigserial PRIMARY KEY,
      contact_id      text NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      cause           text NOT NULL,
      property        text NOT NULL,
      old_value       jsonb,
      new_value       jsonb,
      source          text NOT NULL CHECK (source IN ('api', 'agent')),
      agent_id        text,
      conversation_id text,
      message_id      text,
      by_id           text,
      by_name         text,
      changed_at      timestamptz NOT NULL DEFAULT now(),
      UNIQUE (contact_id, cause, property)
    );
    CREATE INDEX contact_changes_contact_idx ON contact_changes (contact_id, seq DESC);
  `,
};
