/**
 * Emails the install sends to a workspace's people on its own (migration 014), recorded once the mail
 * server took or refused them, by their business key: the sender checks the key first, so a retried
 * activity never sends a message twice (at worst, when it died between the send and this row, it sends
 * the same Message-ID again, which mail clients show once).
 */
import type { Queryable } from './types.js';

export interface NotificationEmail {
  key: string;
  workspaceId: string;
  recipient: string;
  messageId: string;
  status: 'sent' | 'refused';
  detail?: string;
}

/** What became of the keys among `keys` already recorded. */
export async function recordedNotificationEmails(db: Queryable, keys: readonly string[]): Promise<Map<string, NotificationEmail['status']>> {
  if (keys.length === 0) return new Map();
  const { rows } = await db.query<{ key: string; status: NotificationEmail['status'] }>('SELECT key, status FROM notification_emails WHERE key = ANY($1)', [keys]);
  return new Map(rows.map((r) => [r.key, r.status]));
}

/** Records what the mail server did with one message; the first record of a key stays. */
export async function recordNotificationEmail(db: Queryable, e: NotificationEmail): Promise<void> {
  await db.query(
    `INSERT INTO notification_emails (key, workspace_id, recipient, message_id, status, detail)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key) DO NOTHING`,
    [e.key, e.workspaceId, e.recipient, e.messageId, e.status, e.detail ?? null],
  );
}
