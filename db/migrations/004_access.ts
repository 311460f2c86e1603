import type { Migration } from './index.js';

/**
 * Workspaces own everything: agents (and through them knowledge and conversations), API keys, the audit
 * log, the usage ledger and the trial. Agents made before workspaces existed belong to `default`.
 */
export const access: Migration = {
  version: 4,
  name: 'access',
  sql: () => `
    CREATE TABLE workspaces (
      id                text PRIMARY KEY,
      name              text NOT NULL,
      -- Signs conversation tokens handed to browsers (widget keys); never leaves the database.
      token_secret      text NOT NULL DEFAULT replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''),
      credits_enabled   boolean NOT NULL DEFAULT false,
      trial_status      text NOT NULL DEFAULT 'none' CHECK (trial_status IN ('none', 'pending', 'active', 'ended')),
      trial_started_at  timestamptz,
      trial_ends_at     timestamptz,
      trial_reminder_at timestamptz,
      trial_reminded_at timestamptz,
      created_at        timestamptz NOT NULL DEFAULT now(),
      updated_at        timestamptz NOT NULL DEFAULT now()
    );
    INSERT INTO workspaces (id, name) VALUES ('default', 'Default workspace');

    ALTER TABLE agents ADD COLUMN workspace_id text NOT NULL DEFAULT 'default' REFERENCES workspaces(id);
    ALTER TABLE agents ADD COLUMN status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'archived'));
    -- Set when the workspace (not a person) switched the agent off, so turning credits on can undo exactly that.
    ALTER TABLE agents ADD COLUMN off_reason text;
    CREATE INDEX agents_workspace_idx ON agents (workspace_id, created_at, id);

    -- Keys are stored as a SHA-256 of the whole key (they are 160-bit random, so no slow hash is needed)
    -- and a readable prefix; the key itself is shown once, when it is made.
    CREATE TABLE api_keys (
      id              text PRIMARY KEY,
      workspace_id    text NOT NULL REFERENCES workspaces(id),
      name            text NOT NULL,
      role            text NOT NULL CHECK (role IN ('admin', 'channel', 'widget')),
      agent_ids       text[],
      allowed_origins text[] NOT NULL DEFAULT '{}',
      prefix          text NOT NULL,
      hash            text NOT NULL UNIQUE,
      created_by      text,
      created_at      timestamptz NOT NULL DEFAULT now(),
      last_used_at    timestamptz,
      revoked_at      timestamptz
    );
    CREATE INDEX api_keys_workspace_idx ON api_keys (workspace_id, created_at);

    -- Which widget key started a conversation: only that key (with the conversation's token) reads or continues it.
    CREATE TABLE conversation_access (
      agent_id         text NOT NULL,
      conversation_id  text NOT NULL,
      key_id           text NOT NULL,
      first_message_id text NOT NULL,
      created_at       timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (agent_id, conversation_id)
    );

    CREATE TABLE audit_log (
      seq          bigserial PRIMARY KEY,
      workspace_id text NOT NULL,
      actor_id     text NOT NULL,
      actor_name   text NOT NULL,
      action       text NOT NULL,
      target_type  text NOT NULL,
      target_id    text NOT NULL,
      details      jsonb NOT NULL DEFAULT '{}'::jsonb,
      request_id   text,
      created_at   timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX audit_log_workspace_idx ON audit_log (workspace_id, seq DESC);

    -- Fixed one-minute windows per bucket (a key, or a widget key and client address), shared by every API process.
    CREATE TABLE rate_limits (
      bucket       text NOT NULL,
      window_start bigint NOT NULL,
      count        integer NOT NULL,
      PRIMARY KEY (bucket, window_start)
    );

    -- One row per billable conversation, written by the workflow's bookkeeping: the primary key makes a
    -- retried activity, a second reply or a reopened conversation cost nothing more.
    CREATE TABLE usage_ledger (
      agent_id        text NOT NULL,
      conversation_id text NOT NULL,
      workspace_id    text NOT NULL,
      channel         text NOT NULL,
      credits         integer NOT NULL,
      trial           boolean NOT NULL DEFAULT false,
      created_at      timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (agent_id, conversation_id)
    );
    CREATE INDEX usage_ledger_workspace_idx ON usage_ledger (workspace_id, created_at);
  `,
};
