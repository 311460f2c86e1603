/**
 * How verification carries over between a customer's messages, and how emails compare (domain/identity.ts
 * says what verified means, and re-exports these). Pure and apart from the zod schema because the
 * conversation workflow calls them, and the workflow bundle must not evaluate zod (workflows/README.md).
 */
import type { VerifiedBy } from './identity.js';

/** The parts of a customer verification is about; the conversation's Customer has these and more. */
export interface CustomerIdentity {
  email?: string;
  verified?: boolean;
  verifiedBy?: VerifiedBy;
}

/** The form an email is signed and compared in, on both sides: trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function sameEmail(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && normalizeEmail(a) === normalizeEmail(b);
}

/**
 * True when the customer proved they own their email (and, given `email`, that it is that one, in any
 * case). A customer without an email is never verified, whatever the flag says.
 */
export function isVerifiedFor(customer: CustomerIdentity | undefined, email?: string): boolean {
  if (customer?.verified !== true || !customer.email) return false;
  return email === undefined || sameEmail(customer.email, email);
}

/**
 * The conversation's customer after a message that carried `next`: its fields win, and its verification
 * decides. A message verified by its token makes the customer verified (for the email it names); one that
 * names a customer without a valid token makes it unverified, so a later message with another email, or
 * from a page where the person is no longer signed in, never inherits someone's verification. Only a
 * verification by email code outlives an unverified message, and only while the email stays the same.
 * A message without a customer changes nothing.
 *
 * Pure and deterministic (the workflow calls it): histories from before verification carry no
 * `verified`, and merge as they always did.
 */
export function mergeCustomer<C extends CustomerIdentity>(current: C | undefined, next: C | undefined): C | undefined {
  if (!next) return current;
  const { verified: _verified, verifiedBy: _by, ...merged } = { ...current, ...next };
  if (next.verified === true) return { ...merged, verified: true, ...(next.verifiedBy ? { verifiedBy: next.verifiedBy } : {}) } as C;
  const codeStillHolds = current?.verified === true && current.verifiedBy === 'email_code' && next.verified === undefined
    && sameEmail(current.email, merged.email);
  return (codeStillHolds ? { ...merged, verified: true, verifiedBy: 'email_code' } : merged) as C;
}
