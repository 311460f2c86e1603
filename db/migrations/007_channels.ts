import type { Migration } from './index.js';

/**
 * Channels: where each agent is deployed (with its hours and encrypted secrets), where a conversation's
 * customer is reached (the address its last inbound message left), each transcript entry's channel and
 * delivery state, and the external thread ids (email Message-IDs) that map to a conversation.
 */
export const channels: Migration = {
  version: 7,
  name: 'channels',
  sql: () => `
    CREATE TABLE deployments (
      id               text PRIMARY KEY,
      workspace_id     text NOT NULL REFERENCES workspaces(id),
      agent_id         text NOT NULL REFERENCES agents(id),
      channel          text NOT NULL,
      -- The support address, phone number id or page id inbound messages are routed by.
      account          text,
      settings         jsonb NOT NULL DEFAULT '{}'::jsonb,
      -- The secret settings (tokens, app secrets): AES-256-GCM under SECRETS_KEY (db/secret-box.ts).
      secrets          text,
      hours            jsonb NOT NULL,
      when_unavailable jsonb NOT NULL,
      created_at       timestamptz NOT NULL DEFAULT now(),
      updated_at       timestamptz NOT NULL DEFAULT now(),
      deleted_at       timestamptz
    );
    CREATE INDEX deployments_agent_idx ON deployments (agent_id, channel) WHERE deleted_at IS NULL;
    CREATE UNIQUE INDEX deployments_account_idx ON deployments (channel, lower(account)) WHERE deleted_at IS NULL AND account IS NOT NULL;

    -- Agents made before deployments answered on chat at all hours: they keep doing so.
    INSERT INTO deployments (id, workspace_id, agent_id, channel, hours, when_unavailable)
      SELECT 'dep_' || substr(md5(id || ':chat'), 1, 16), workspace_id, id, 'chat',
             '{"mode":"all","timeZone":"UTC","weekly":{}}'::jsonb, '{"action":"message"}'::jsonb
        FROM agents WHERE status <> 'archived';

    ALTER TABLE conversations ADD COLUMN deployment_id text;
    -- Where the customer is reached on the channel (per channel: an email thread, a WhatsApp number, …).
    ALTER TABLE conversations ADD COLUMN address jsonb;
    ALTER TABLE conversations ADD COLUMN last_inbound_at timestamptz;

    ALTER TABLE messages ADD COLUMN channel text;
    ALTER TABLE messages ADD COLUMN delivery_status text CHECK (delivery_status IN ('pending', 'sent', 'failed', 'not_sent'));
    ALTER TABLE messages ADD COLUMN delivery_error text;
    ALTER TABLE messages ADD COLUMN delivery_attempts integer;
    ALTER TABLE messages ADD COLUMN delivery_external_id text;
    ALTER TABLE messages ADD COLUMN delivered_at timestamptz;

    CREATE TABLE channel_threads (
      deployment_id   text NOT NULL,
      external_id     text NOT NULL,
      agent_id        text NOT NULL,
      conversation_id text NOT NULL,
      created_at      timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (deployment_id, external_id)
    );
  `,
};
