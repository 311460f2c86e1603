import type { Migration } from './index.js';

/**
 * The human side: people and teams of a workspace, who owns a conversation, what a person wrote, and the
 * webhooks that tell the team's own tools.
 */
export const people: Migration = {
  version: 6,
  name: 'people',
  sql: () => `
    CREATE TABLE teams (
      id           text PRIMARY KEY,
      workspace_id text NOT NULL REFERENCES workspaces(id),
      name         text NOT NULL,
      created_at   timestamptz NOT NULL DEFAULT now(),
      updated_at   timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX teams_workspace_idx ON teams (workspace_id, created_at);

    CREATE TABLE users (
      id               text PRIMARY KEY,
      workspace_id     text NOT NULL REFERENCES workspaces(id),
      name             text NOT NULL,
      email            text NOT NULL,
      -- The WorkingHours shape (domain/hours.ts); NULL: always available.
      working_hours    jsonb,
      -- Round robin: among the least busy, the one assigned longest ago goes first.
      last_assigned_at timestamptz,
      created_at       timestamptz NOT NULL DEFAULT now(),
      updated_at       timestamptz NOT NULL DEFAULT now(),
      UNIQUE (workspace_id, email)
    );

    CREATE TABLE team_members (
      team_id text NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
      user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      PRIMARY KEY (team_id, user_id)
    );
    CREATE INDEX team_members_user_idx ON team_members (user_id);

    ALTER TABLE conversations DROP CONSTRAINT IF EXISTS conversations_status_check;
    ALTER TABLE conversations ADD CONSTRAINT conversations_status_check
      CHECK (status IN ('open', 'handoff_requested', 'assigned', 'closed'));
    ALTER TABLE conversations ADD COLUMN assignee_id text;
    ALTER TABLE conversations ADD COLUMN team_id text;
    ALTER TABLE conversations ADD COLUMN last_message jsonb;
    CREATE INDEX conversations_updated_idx ON conversations (updated_at DESC, agent_id, id);
    CREATE INDEX conversations_assignee_idx ON conversations (assignee_id) WHERE assignee_id IS NOT NULL;

    ALTER TABLE messages DROP CONSTRAINT IF EXISTS messages_role_check;
    ALTER TABLE messages ADD CONSTRAINT messages_role_check CHECK (role IN ('customer', 'agent', 'human', 'system'));
    ALTER TABLE messages ADD COLUMN user_id text;

    CREATE TABLE webhooks (
      id           text PRIMARY KEY,
      workspace_id text NOT NULL REFERENCES workspaces(id),
      url          text NOT NULL,
      events       text[] NOT NULL,
      -- Signs every delivery (HMAC-SHA256); shown to the caller once, kept to sign.
      secret       text NOT NULL,
      created_at   timestamptz NOT NULL DEFAULT now(),
      deleted_at   timestamptz
    );
    CREATE INDEX webhooks_workspace_idx ON webhooks (workspace_id) WHERE deleted_at IS NULL;

    CREATE TABLE webhook_deliveries (
      seq          bigserial PRIMARY KEY,
      webhook_id   text NOT NULL REFERENCES webhooks(id),
      event_id     text NOT NULL,
      event_type   text NOT NULL,
      attempt      integer NOT NULL,
      status       text NOT NULL CHECK (status IN ('delivered', 'failed')),
      http_status  integer,
      error        text,
      duration_ms  integer,
      created_at   timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX webhook_deliveries_idx ON webhook_deliveries (webhook_id, seq DESC);
  `,
};
