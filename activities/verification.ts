/**
 * Verifying a customer's email inside the conversation with a one-time code (domain/verification.ts):
 * sendVerificationCode emails a 6-digit code from the conversation's support address to the customer's,
 * checkVerificationCode checks what the customer wrote back. The workflow marks the customer verified
 * (`verifiedBy: 'email_code'`) when the check answers `verified` for the customer's current email.
 *
 * Invariants: neither activity's input, output or error holds a code (so no code reaches Temporal
 * history, the transcript, insights, events or logs); the database holds a keyed hash of it, and until
 * the mail server took it, a sealed copy. A retried send (same requestKey) never makes a second code:
 * before the mail server took it, the retry sends the sealed code again (at worst the customer gets the
 * same code twice); after, it sends nothing and answers `sent` again.
 */
import { randomInt } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { z } from 'zod';
import { DeliveryRefused } from '../channels/channel.js';
import { EmailAddress } from '../channels/email/address.js';
import type { PlainEmail, SendPlainEmail } from '../channels/email/send.js';
import { rememberMessage, replyMessageId } from '../channels/email/thread.js';
import { getAgent } from '../db/agents.js';
import { deploymentToSend } from '../db/deployments.js';
import type { SecretBox } from '../db/secret-box.js';
import type { Db } from '../db/types.js';
import {
  checkVerificationCode, conversationMailbox, createVerificationCode, killCode, markCodeSent,
} from '../db/verification-codes.js';
import {
  CheckVerificationCodeInput, CODE_DIGITS, codeEmail, codesIn, SendVerificationCodeInput,
  type CheckVerificationCodeResult, type SendVerificationCodeResult,
} from '../domain/verification.js';
import { normalizeEmail } from '../domain/identity.js';

/** The keyed hash's purpose (db/secret-box.ts digest): a code's hash is bound to its request key. */
const DIGEST_PURPOSE = 'verification-code';
const hashOf = (box: SecretBox, requestKey: string, code: string) => box.digest(DIGEST_PURPOSE, `${requestKey}\n${code}`);

export const DEFAULT_CODE_TTL_MS = 600_000;

export interface VerificationDeps {
  db: Db;
  /** SECRETS_KEY: codes are hashed and, until sent, sealed under it. Without it no code is sent. */
  secrets?: SecretBox;
  /** SMTP_URL's sender (channels/email/send.ts); without it no code is sent. */
  sendEmail?: SendPlainEmail;
  /** VERIFICATION_CODE_TTL_SECONDS, in ms. */
  codeTtlMs?: number;
}

export function createVerificationActivities({ db, secrets, sendEmail, codeTtlMs = DEFAULT_CODE_TTL_MS }: VerificationDeps) {
  return {
    /**
     * Emails a new one-time code to `email` (replacing the conversation's older codes), from the support
     * address of the email deployment the conversation came through, in the customer's language.
     * Refusals are `{sent: false, reason}`; a mail server that is down or slow is retried.
     */
    async sendVerificationCode(raw: SendVerificationCodeInput): Promise<SendVerificationCodeResult> {
      const input = parse(SendVerificationCodeInput, raw);
      const email = normalizeEmail(input.email);
      const conversation = await conversationMailbox(db, input);
      if (!conversation) throw ApplicationFailure.nonRetryable(`conversation ${input.conversationId} does not exist`, 'ConversationNotFound');
      if (conversation.channel !== 'email') return { sent: false, reason: 'not_email' };
      if (!secrets) return { sent: false, reason: 'no_secrets_key' };
      if (!sendEmail) return { sent: false, reason: 'no_smtp' };
      const deployment = await deploymentToSend(db, secrets, {
        agentId: input.agentId, channel: 'email', ...(conversation.deploymentId ? { deploymentId: conversation.deploymentId } : {}),
      });
      const account = deployment?.channel === 'email' ? deployment.account?.toLowerCase() : undefined;
      if (!deployment || !account) return { sent: false, reason: 'no_deployment' };
      if (email === account) return { sent: false, reason: 'own_address' };

      // A fresh code is made on every attempt, but stored only by the first: a retry gets that one back.
      const fresh = String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');
      const { code: row } = await createVerificationCode(db, {
        workspaceId: deployment.workspaceId, agentId: input.agentId, conversationId: input.conversationId, email,
        requestKey: input.requestKey, codeHash: hashOf(secrets, input.requestKey, fresh), codeSealed: secrets.seal({ code: fresh }),
        ttlMs: codeTtlMs,
      });
      if (row.email !== email || row.conversationId !== input.conversationId || row.agentId !== input.agentId) {
        throw ApplicationFailure.nonRetryable(`request key ${input.requestKey} was used for another verification`, 'VerificationKeyReused');
      }
      const expiresAt = row.expiresAt.toISOString();
      if (row.sentAt) return { sent: true, expiresAt };
      if (row.expired || !row.codeSealed) return { sent: false, reason: 'expired' };
      const code = secrets.open(row.codeSealed).code;
      if (!code) throw ApplicationFailure.nonRetryable('a stored verification code is empty', 'VerificationCodeBroken');

      const messageId = replyMessageId(`verification:${input.requestKey}`, account);
      const thread = EmailAddress.safeParse(conversation.address ?? {});
      const text = codeEmail(code, codeTtlMs, input.language);
      const agent = await getAgent(db, input.agentId);
      const mail: PlainEmail = {
        from: { address: account, ...(agent ? { name: agent.name } : {}) },
        to: email, subject: text.subject, text: text.text, messageId,
        // In the customer's thread, and remembered for the conversation: answering the code email lands here too.
        ...(thread.success ? { inReplyTo: thread.data.messageId, references: [...thread.data.references, thread.data.messageId] } : {}),
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All', 'Content-Language': text.language },
      };
      await rememberMessage(db, { deploymentId: deployment.id, agentId: input.agentId, conversationId: input.conversationId, messageId });
      try {
        await sendEmail(mail);
      } catch (err) {
        // What a mail server says goes into history: never with the code, whatever it echoes.
        const why = ((err as Error).message ?? String(err)).replaceAll(code, '[code]');
        if (err instanceof DeliveryRefused) {
          await killCode(db, row.id);
          return { sent: false, reason: 'refused', detail: why };
        }
        throw ApplicationFailure.retryable(`the verification code email did not go out: ${why}`, 'VerificationMailUnavailable');
      }
      await markCodeSent(db, row.id);
      return { sent: true, expiresAt };
    },

    /**
     * Checks the 6-digit number(s) in the customer's message against the conversation's live code.
     * `verified` names the email the code was sent to: the workflow verifies the customer only while that
     * is still their email. A retried check of the same message answers the same, counted once.
     */
    async checkVerificationCode(raw: CheckVerificationCodeInput): Promise<CheckVerificationCodeResult> {
      const input = parse(CheckVerificationCodeInput, raw);
      const candidates = codesIn(input.text);
      if (candidates.length === 0) return { verified: false, reason: 'not_in_text' };
      // Without the key no code could have been sent, nor can one be checked.
      if (!secrets) return { verified: false, reason: 'no_code' };
      return checkVerificationCode(db, {
        agentId: input.agentId, conversationId: input.conversationId, messageId: input.messageId,
        hashesOf: (requestKey) => candidates.map((c) => hashOf(secrets, requestKey, c)),
      });
    },
  };
}

/** Input the workflow sent that does not fit is a bug there: not retried, and named without its values. */
function parse<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const fields = [...new Set(parsed.error.issues.map((i) => i.path.map(String).join('.')))].join(', ');
  throw ApplicationFailure.nonRetryable(`invalid verification input (${fields})`, 'InvalidInput');
}

export type VerificationActivities = ReturnType<typeof createVerificationActivities>;
