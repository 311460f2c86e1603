import type { Migration } from './index.js';

/**
 * User keys: a key bound to one person of the workspace, for the inbox. The person is checked on every
 * request (a removed person's keys are revoked with them, and a key whose person is gone is refused), so
 * user_id has no foreign key: a revoked key keeps naming who it belonged to after the person is deleted.
 */
export const userKeys: Migration = {
  version: 8,
  name: 'user_keys',
  sql: () => `
    ALTER TABLE api_keys DROP CONSTRAINT IF EXISTS api_keys_role_check;
    ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check CHECK (role IN ('admin', 'channel', 'widget', 'user'));
    ALTER TABLE api_keys ADD COLUMN user_id text;
    ALTER TABLE api_keys ADD CONSTRAINT api_keys_user_check CHECK ((role = 'user') = (user_id IS NOT NULL));
    CREATE INDEX api_keys_user_idx ON api_keys (user_id) WHERE user_id IS NOT NULL;
  `,
};
