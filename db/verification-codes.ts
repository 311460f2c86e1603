/**
 * One-time email codes (migration 013). Storage knows hashes only: the caller hashes (a keyed HMAC bound
 * to the request key, db/secret-box.ts digest) and passes the hashes of what the customer wrote; they
 * are compared here in constant time. Only a conversation's newest code counts, at most
 * MAX_CODE_ATTEMPTS checks each, before its expiry; a used code is dead. Times are the database's.
 */
import { timingSafeEqual } from 'node:crypto';
import { MAX_CODE_ATTEMPTS, type CheckVerificationCodeResult } from '../domain/verification.js';
import type { Db, Queryable } from './types.js';

export interface VerificationCode {
  id: string;
  workspaceId: string;
  agentId: string;
  conversationId: string;
  email: string;
  requestKey: string;
  /** The code sealed by the SecretBox, until the mail server took it. */
  codeSealed?: string;
  expiresAt: Date;
  /** Whether it is past expiresAt now (by the database's clock). */
  expired: boolean;
  sentAt?: Date;
  attempts: number;
  verifiedAt?: Date;
}

type Row = {
  id: string; workspace_id: string; agent_id: string; conversation_id: string; email: string; request_key: string;
  code_hash: string; code_sealed: string | null; expires_at: Date; expired: boolean; sent_at: Date | null; attempts: number;
  verified_at: Date | null; checked_message_id: string | null; checked_result: string | null;
};

const COLUMNS = `id::text AS id, workspace_id, agent_id, conversation_id, email, request_key, code_hash, code_sealed, expires_at,
  expires_at <= now() AS expired, sent_at, attempts, verified_at, checked_message_id, checked_result`;

function toCode(r: Row): VerificationCode {
  return {
    id: r.id, workspaceId: r.workspace_id, agentId: r.agent_id, conversationId: r.conversation_id, email: r.email,
    requestKey: r.request_key, ...(r.code_sealed ? { codeSealed: r.code_sealed } : {}), expiresAt: new Date(r.expires_at),
    expired: r.expired, ...(r.sent_at ? { sentAt: new Date(r.sent_at) } : {}), attempts: r.attempts,
    ...(r.verified_at ? { verifiedAt: new Date(r.verified_at) } : {}),
  };
}

export interface NewVerificationCode {
  workspaceId: string;
  agentId: string;
  conversationId: string;
  email: string;
  requestKey: string;
  codeHash: string;
  codeSealed: string;
  ttlMs: number;
}

/**
 * Stores a new code for the conversation, replacing its older ones (they expire now and forget their
 * sealed code), unless one with this request key exists: then that one is returned as it is, and
 * `created` is false (the caller's new code is never stored, nor sent).
 */
export async function createVerificationCode(db: Db, c: NewVerificationCode): Promise<{ created: boolean; code: VerificationCode }> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<Row>(
      `INSERT INTO verification_codes (workspace_id, agent_id, conversation_id, email, request_key, code_hash, code_sealed, expires_at)
       VALUES ($1, $2, $3, lower($4), $5, $6, $7, now() + $8::double precision * interval '1 millisecond')
       ON CONFLICT (request_key) DO NOTHING RETURNING ${COLUMNS}`,
      [c.workspaceId, c.agentId, c.conversationId, c.email, c.requestKey, c.codeHash, c.codeSealed, c.ttlMs],
    );
    const inserted = rows[0];
    if (!inserted) {
      const existing = await codeByRequestKey(tx, c.requestKey);
      if (!existing) throw new Error(`verification code ${c.requestKey} conflicted but is not there`);
      return { created: false, code: existing };
    }
    await tx.query(
      `UPDATE verification_codes SET expires_at = least(expires_at, now()), code_sealed = NULL
        WHERE agent_id = $1 AND conversation_id = $2 AND id < $3::bigint`,
      [c.agentId, c.conversationId, inserted.id],
    );
    return { created: true, code: toCode(inserted) };
  });
}

export async function codeByRequestKey(db: Queryable, requestKey: string): Promise<VerificationCode | undefined> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM verification_codes WHERE request_key = $1`, [requestKey]);
  return rows[0] && toCode(rows[0]);
}

/** The mail server took the code: remembered, and its sealed copy dropped (only the hash stays). */
export async function markCodeSent(db: Queryable, id: string): Promise<void> {
  await db.query('UPDATE verification_codes SET sent_at = coalesce(sent_at, now()), code_sealed = NULL WHERE id = $1::bigint', [id]);
}

/** A code that could not be sent is dead at once (no sealed copy left behind). */
export async function killCode(db: Queryable, id: string): Promise<void> {
  await db.query('UPDATE verification_codes SET expires_at = least(expires_at, now()), code_sealed = NULL WHERE id = $1::bigint', [id]);
}

export interface CodeCheck {
  agentId: string;
  conversationId: string;
  /** The customer's message: checked once; a retried check of it answers from the row. */
  messageId: string;
  /** What the customer wrote that may be the code, as hashes under the code's request key. */
  hashesOf: (requestKey: string) => string[];
}

/**
 * Checks what the customer wrote against the conversation's newest code, in one transaction (the row
 * locked, so two checks at once count two attempts): each check counts, the right code verifies it (and
 * uses it up); a check after MAX_CODE_ATTEMPTS is refused whatever it says. Expired or used codes count
 * nothing. The same message checked again gets the first answer, counted once.
 */
export async function checkVerificationCode(db: Db, c: CodeCheck): Promise<CheckVerificationCodeResult> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<Row>(
      `SELECT ${COLUMNS} FROM verification_codes WHERE agent_id = $1 AND conversation_id = $2
        ORDER BY id DESC LIMIT 1 FOR UPDATE`,
      [c.agentId, c.conversationId],
    );
    const row = rows[0];
    if (!row || !row.sent_at) return { verified: false, reason: 'no_code' };
    if (row.checked_message_id === c.messageId && row.checked_result) return resultOf(row.checked_result, row.email);
    if (row.verified_at) return { verified: false, reason: 'no_code' };
    if (row.attempts >= MAX_CODE_ATTEMPTS) return { verified: false, reason: 'too_many_attempts' };
    if (row.expired) return { verified: false, reason: 'expired' };
    const stored = Buffer.from(row.code_hash, 'utf8');
    // Every candidate is compared, in constant time, whatever the earlier ones gave.
    let match = false;
    for (const hash of c.hashesOf(row.request_key)) {
      const given = Buffer.from(hash, 'utf8');
      match = (given.length === stored.length && timingSafeEqual(given, stored)) || match;
    }
    const result = match ? 'verified' : 'wrong';
    await tx.query(
      `UPDATE verification_codes SET attempts = attempts + 1, checked_message_id = $2, checked_result = $3,
              verified_at = CASE WHEN $3 = 'verified' THEN now() ELSE verified_at END
        WHERE id = $1::bigint`,
      [row.id, c.messageId, result],
    );
    return resultOf(result, row.email);
  });
}

function resultOf(result: string, email: string): CheckVerificationCodeResult {
  return result === 'verified' ? { verified: true, email } : { verified: false, reason: 'wrong' };
}

/** Where a conversation's code goes out from: its channel, the deployment it came through, the customer's email thread. */
export async function conversationMailbox(db: Queryable, c: { agentId: string; conversationId: string }): Promise<{
  channel: string; deploymentId?: string; address?: Record<string, unknown>;
} | undefined> {
  const { rows } = await db.query<{ channel: string; deployment_id: string | null; address: Record<string, unknown> | null }>(
    'SELECT channel, deployment_id, address FROM conversations WHERE agent_id = $1 AND id = $2', [c.agentId, c.conversationId],
  );
  const r = rows[0];
  return r && { channel: r.channel, ...(r.deployment_id ? { deploymentId: r.deployment_id } : {}), ...(r.address ? { address: r.address } : {}) };
}
