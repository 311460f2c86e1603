/**
 * Verifying a customer's email inside the conversation: a one-time code is emailed to the address, the
 * customer writes it back, and then they are verified (`verifiedBy: 'email_code'`) for that address.
 * The activities' inputs and outcomes (zod); the code, its email and the masked address are in
 * verification-code.ts, re-exported here.
 *
 * Invariant: no activity input or outcome carries a code, so none reaches Temporal history, the
 * transcript, insights, events or logs. The customer's own message does carry it; a used code is dead.
 */
import { z } from 'zod';

export { CODE_DIGITS, MAX_CANDIDATES, MAX_CODE_ATTEMPTS, baseLanguage, codeEmail, codesIn, maskEmail, ttlMinutes } from './verification-code.js';

const Key = { agentId: z.string().min(1).max(128), conversationId: z.string().min(1).max(256) };

export const SendVerificationCodeInput = z.object({
  ...Key,
  /** The address to prove: on email, the From of the customer's message (never its Reply-To). */
  email: z.email().max(320),
  /** The customer's language: the code email's. */
  language: z.string().min(2).max(35),
  /** The same for every retry of one request (e.g. `<workflowId>:<messageId>:verify`): one code per key. */
  requestKey: z.string().min(1).max(512),
});
export type SendVerificationCodeInput = z.infer<typeof SendVerificationCodeInput>;

/**
 * Why no code went out. not_email: the conversation is not on the email channel; no_deployment: no email
 * deployment with a support address to send from; own_address: the address is the support address;
 * no_smtp: the worker has no SMTP_URL; no_secrets_key: the worker has no SECRETS_KEY (codes are kept
 * under it); refused: the mail server refused the message for good; expired: a retry came after the
 * code's lifetime (or after a newer request replaced it), too late to send it.
 */
export type SendRefusal = 'not_email' | 'no_deployment' | 'own_address' | 'no_smtp' | 'no_secrets_key' | 'refused' | 'expired';

export type SendVerificationCodeResult =
  | { sent: true; expiresAt: string }
  | { sent: false; reason: SendRefusal; detail?: string };

export const CheckVerificationCodeInput = z.object({
  ...Key,
  /** The customer's message carrying the code: a retried check of it answers as the first did. */
  messageId: z.string().min(1).max(512),
  text: z.string().max(1_000_000),
});
export type CheckVerificationCodeInput = z.infer<typeof CheckVerificationCodeInput>;

/**
 * not_in_text: the message holds no 6-digit number (nothing counted: maybe the customer moved on);
 * no_code: the conversation has no live code (none sent, used already, or replaced); wrong: counted;
 * expired; too_many_attempts: the code is dead after MAX_CODE_ATTEMPTS checks.
 */
export type CheckRefusal = 'not_in_text' | 'no_code' | 'wrong' | 'expired' | 'too_many_attempts';

export type CheckVerificationCodeResult =
  | { verified: true; email: string }
  | { verified: false; reason: CheckRefusal };
