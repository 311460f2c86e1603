import type { Migration } from './index.js';

/**
 * One-time codes that prove a customer owns an email address (sent to it, written back in the
 * conversation). Never the code itself: `code_hash` is an HMAC under a key derived from SECRETS_KEY,
 * bound to the request key, and `code_sealed` (AES-256-GCM under the same key) only holds it until the
 * mail server took it, so a retried send repeats the same code instead of inventing a second one.
 * Only a conversation's newest row counts: a new request replaces the older ones. A row is keyed by its
 * request key, so a retried activity finds the row it made.
 */
export const verificationCodes: Migration = {
  version: 13,
  name: 'verification_codes',
  sql: () => `
    CREATE TABLE verification_codes (
      id                 bigserial PRIMARY KEY,
      workspace_id       text NOT NULL REFERENCES workspaces(id),
      agent_id           text NOT NULL,
      conversation_id    text NOT NULL,
      email              text NOT NULL CHECK (email = lower(email)),
      code_hash          text NOT NULL,
      code_sealed        text,
      created_at         timestamptz NOT NULL DEFAULT now(),
      expires_at         timestamptz NOT NULL,
      sent_at            timestamptz,
      attempts           integer NOT NULL DEFAULT 0,
      verified_at        timestamptz,
      -- The customer message last checked against this code, and what it gave: a retried check answers the same.
      checked_message_id text,
      checked_result     text,
      request_key        text NOT NULL UNIQUE
    );
    CREATE INDEX verification_codes_conversation_idx ON verification_codes (agent_id, conversation_id, id DESC);
  `,
};
