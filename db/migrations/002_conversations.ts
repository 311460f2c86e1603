import type { Migration } from './index.js';

/**
 * Conversations and their transcript (written by db/conversations.ts). No foreign keys to agents: the
 * workflow owns a conversation's lifecycle and must be able to record it even while an agent is deleted.
 */
export const conversations: Migration = {
  version: 2,
  name: 'conversations',
  sql: () => `
    CREATE TABLE conversations (
      agent_id    text NOT NULL,
      id          text NOT NULL,
      channel     text NOT NULL,
      status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'handoff_requested', 'closed')),
      customer    jsonb,
      workflow_id text,
      created_at  timestamptz NOT NULL DEFAULT now(),
      updated_at  timestamptz NOT NULL DEFAULT now(),
      closed_at   timestamptz,
      PRIMARY KEY (agent_id, id)
    );

    CREATE TABLE messages (
      seq             bigserial PRIMARY KEY,
      agent_id        text NOT NULL,
      conversation_id text NOT NULL,
      message_id      text NOT NULL,
      role            text NOT NULL CHECK (role IN ('customer', 'agent')),
      text            text NOT NULL,
      kind            text,
      language        text,
      confidence      real,
      sources         jsonb,
      insights        jsonb,
      created_at      timestamptz NOT NULL DEFAULT now(),
      UNIQUE (agent_id, conversation_id, message_id, role)
    );
    CREATE INDEX messages_conversation_idx ON messages (agent_id, conversation_id, seq);
  `,
};
