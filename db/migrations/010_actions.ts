import type { Migration } from './index.js';

/**
 * Actions: calls to the business's own APIs that an agent runs for a customer, and every run of one.
 * Secret header values are sealed under SECRETS_KEY (db/secret-box.ts); their names are kept in the clear
 * so listing and the turn never need the key. An action is deleted softly: its runs keep pointing at it,
 * and its name is free again for a new one. A run is keyed by its idempotency key
 * (`<workflowId>:<messageId>:<step>`), so a retried activity finds the run it started and a finished run
 * is answered from its row, never called twice.
 */
export const actions: Migration = {
  version: 10,
  name: 'actions',
  sql: () => `
    CREATE TABLE actions (
      id                         text PRIMARY KEY,
      workspace_id               text NOT NULL REFERENCES workspaces(id),
      agent_id                   text NOT NULL REFERENCES agents(id),
      name                       text NOT NULL,
      description                text NOT NULL,
      trigger_phrases            jsonb NOT NULL DEFAULT '[]'::jsonb,
      method                     text NOT NULL CHECK (method IN ('GET', 'POST', 'PUT', 'PATCH', 'DELETE')),
      -- http(s), with {input} placeholders in its path and query only.
      url                        text NOT NULL,
      inputs                     jsonb NOT NULL DEFAULT '{}'::jsonb,
      headers                    jsonb NOT NULL DEFAULT '{}'::jsonb,
      secret_header_names        jsonb NOT NULL DEFAULT '[]'::jsonb,
      -- The secret headers as one JSON object, AES-256-GCM under SECRETS_KEY; null when there are none.
      secret_headers             text,
      body                       text,
      response_template          text,
      requires_verified_identity boolean NOT NULL DEFAULT false,
      requires_approval          boolean NOT NULL DEFAULT false,
      approval_timeout_seconds   integer NOT NULL DEFAULT 86400,
      timeout_ms                 integer NOT NULL,
      created_at                 timestamptz NOT NULL DEFAULT now(),
      updated_at                 timestamptz NOT NULL DEFAULT now(),
      deleted_at                 timestamptz
    );
    CREATE UNIQUE INDEX actions_name_idx ON actions (agent_id, lower(name)) WHERE deleted_at IS NULL;

    CREATE TABLE action_runs (
      id                 text PRIMARY KEY,
      workspace_id       text NOT NULL REFERENCES workspaces(id),
      agent_id           text NOT NULL,
      -- No foreign key: a run asked for an action deleted since (or never declared) is recorded as failed.
      action_id          text NOT NULL,
      -- Null for runs from the API's test endpoint.
      conversation_id    text,
      message_id         text,
      idempotency_key    text NOT NULL UNIQUE,
      status             text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'pending_approval', 'rejected', 'expired')),
      inputs             jsonb NOT NULL DEFAULT '{}'::jsonb,
      -- What was sent: method, url, headers (secret values as '[secret]'), body.
      request            jsonb,
      response_status    integer,
      -- The parsed JSON answer, or its text as a JSON string; at most 16 KB of it.
      response_body      jsonb,
      response_truncated boolean NOT NULL DEFAULT false,
      -- The filled response template: what the customer is told.
      text               text,
      error              text,
      attempts           integer NOT NULL DEFAULT 0,
      created_at         timestamptz NOT NULL DEFAULT now(),
      finished_at        timestamptz
    );
    CREATE INDEX action_runs_conversation_idx ON action_runs (agent_id, conversation_id, created_at) WHERE conversation_id IS NOT NULL;
    CREATE INDEX action_runs_action_idx ON action_runs (action_id, created_at DESC);
  `,
};
