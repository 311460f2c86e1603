import type { Migration } from './index.js';

/**
 * Emails the install sends to a workspace's people on its own (the trial's reminder), one row per
 * message once the mail server took it (or refused it for good), keyed by the business key the sender
 * derives (trial, event, recipient): a retried activity finds the row and sends nothing again.
 */
export const notificationEmails: Migration = {
  version: 14,
  name: 'notification_emails',
  sql: () => `
    CREATE TABLE notification_emails (
      key          text PRIMARY KEY,
      workspace_id text NOT NULL REFERENCES workspaces(id),
      recipient    text NOT NULL,
      message_id   text NOT NULL,
      status       text NOT NULL CHECK (status IN ('sent', 'refused')),
      detail       text,
      created_at   timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX notification_emails_workspace_idx ON notification_emails (workspace_id, created_at);
  `,
};
