import type { Migration } from './index.js';

/**
 * Verified identity: one secret per workspace, with which host sites sign their customers' emails.
 * Sealed by the install's SecretBox (SECRETS_KEY), never stored or logged in the clear. Rotating replaces
 * it in place: tokens made with the old one stop verifying at once. created_at is when the workspace
 * first had one, rotated_at when the current one was made.
 */
export const identity: Migration = {
  version: 11,
  name: 'identity',
  sql: () => `
    CREATE TABLE identity_secrets (
      workspace_id text PRIMARY KEY REFERENCES workspaces(id),
      secret       text NOT NULL,
      created_at   timestamptz NOT NULL DEFAULT now(),
      rotated_at   timestamptz NOT NULL DEFAULT now()
    );
  `,
};
