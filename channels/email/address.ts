/**
 * Where an email customer is reached: what each inbound email leaves on its conversation (the last one
 * wins) and what the sender answers to. JSON-plain and bounded (the workflow refuses more than 16 KiB).
 */
import { z } from 'zod';
import type { Mailbox as ParsedMailbox, ParsedEmail } from './parse.js';

// Sized so the whole address stays under the workflow's 16 KiB bound.
const MAX_CC = 20;
const MAX_REFERENCES = 10;

const Mailbox = z.object({ address: z.string().min(3).max(320), name: z.string().max(128).optional() });

export const EmailAddress = z.object({
  from: Mailbox,
  /** Where the customer asked replies to go, when not to `from`. */
  replyTo: Mailbox.optional(),
  /** Everyone else the customer wrote to (To and Cc, without us): copied on replies when replyAll is on. */
  cc: z.array(Mailbox).max(MAX_CC).optional(),
  subject: z.string().max(998),
  /** The message answered (bare Message-ID) and the thread's references before it, oldest first. */
  messageId: z.string().min(1),
  references: z.array(z.string()).max(MAX_REFERENCES),
});
export type EmailAddress = z.infer<typeof EmailAddress>;

/** The address an inbound email leaves; `ours` (lower-cased) never appears in it as someone to copy. */
export function addressOf(mail: ParsedEmail & { from: ParsedMailbox }, ours: readonly string[]): EmailAddress {
  const { from } = mail;
  const others = [...mail.to, ...mail.cc].filter((m, i, all) => !ours.includes(m.address) && m.address !== from.address
    && all.findIndex((o) => o.address === m.address) === i);
  // RFC 5322 §3.6.4: a parent without References passes on its In-Reply-To. A long thread keeps its root
  // and its latest messages.
  const chain = mail.references.length > 0 ? mail.references : mail.inReplyTo ? [mail.inReplyTo] : [];
  const refs = chain.length > MAX_REFERENCES ? [chain[0]!, ...chain.slice(-(MAX_REFERENCES - 1))] : chain;
  return {
    from: trimmed(from),
    ...(mail.replyTo && mail.replyTo.address !== from.address ? { replyTo: trimmed(mail.replyTo) } : {}),
    ...(others.length > 0 ? { cc: others.slice(0, MAX_CC).map(trimmed) } : {}),
    subject: mail.subject.slice(0, 998),
    messageId: mail.messageId,
    references: refs,
  };
}

function trimmed(m: ParsedMailbox) {
  return { address: m.address, ...(m.name ? { name: m.name.slice(0, 128) } : {}) };
}
