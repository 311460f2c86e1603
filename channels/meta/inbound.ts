/** What the WhatsApp and Messenger parsers give the webhook route: the accounts a delivery is for, and its messages. */
import { createHash } from 'node:crypto';
import { stripUnsafeText } from '../../domain/text.js';
import { MAX_MESSAGE_BYTES } from '../../workflows/conversation.contract.js';

export interface MetaInbound {
  /** The deployment's account: the phone number id (WhatsApp) or the page id (Messenger). */
  account: string;
  /** The customer: their WhatsApp id (wa_id) or their page-scoped id (PSID). */
  from: string;
  name?: string;
  /** The channel's message id made safe as the conversation's message id: a retried delivery has the same one. */
  messageId: string;
  /** When the customer sent it (ms since epoch), by Meta's clock. */
  sentAt: number;
  content: { kind: 'text'; text: string } | { kind: 'unsupported'; type: string };
}

export interface MetaDelivery {
  /** Every account the delivery names, messages or not: the signature is checked against theirs. */
  accounts: string[];
  messages: MetaInbound[];
}

const SAFE_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

/**
 * A Meta message id as an ExternalId: kept when it already is one, else a hash of it (wamids are base64
 * and may end in `=`; mids can be long). Deterministic, so Meta's retries carry the same id.
 */
export function safeMessageId(prefix: string, id: string): string {
  if (SAFE_ID.test(id)) return id;
  return `${prefix}-sha256:${createHash('sha256').update(id, 'utf8').digest('hex').slice(0, 48)}`;
}

/**
 * Text as the conversation takes it: storable (no NUL, no lone surrogate: refusing it would only make Meta
 * retry), trimmed, and cut at a character boundary to the message byte limit.
 */
export function boundedText(text: string): string {
  const trimmed = stripUnsafeText(text).trim();
  const bytes = Buffer.from(trimmed, 'utf8');
  if (bytes.length <= MAX_MESSAGE_BYTES) return trimmed;
  // A decoder drops a multi-byte character cut in half at the end instead of inventing one.
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, MAX_MESSAGE_BYTES)).replace(/\uFFFD$/, '').trim();
}

/** A profile name as a customer name: storable, at most 200 characters; undefined when nothing is left. */
export function boundedName(name: string | undefined): string | undefined {
  const cleaned = name === undefined ? '' : [...stripUnsafeText(name).trim()].slice(0, 200).join('').trim();
  return cleaned || undefined;
}
