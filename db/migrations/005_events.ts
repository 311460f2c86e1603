import type { Migration } from './index.js';

/**
 * Workspace events (trial.started, trial.ending_soon, trial.ended, …): the durable record of what a
 * workspace should hear about, and the outbox a later webhook or email sender reads. The id is chosen by
 * the writer from what caused the event, so a retried activity stores it once.
 */
export const events: Migration = {
  version: 5,
  name: 'events',
  sql: () => `
    CREATE TABLE events (
      id           text PRIMARY KEY,
      workspace_id text NOT NULL REFERENCES workspaces(id),
      type         text NOT NULL,
      data         jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at   timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX events_workspace_idx ON events (workspace_id, created_at DESC, id DESC);
  `,
};
