/**
 * Verified identity: a customer is verified when we checked, not when a client said so. A host site that
 * knows its customer signs their email (api/identity-token.ts); the API checks the signature and sets
 * `verified` on the customer it hands to the conversation. What only the owner of an email may see (CRM
 * properties, action results) goes to a customer for whom isVerifiedFor() holds, and to nobody else.
 */
import { z } from 'zod';

/** How we know: the host site's token, or (later) a code sent to the email. Set by us only. */
export const VerifiedBy = z.enum(['token', 'email_code']);
export type VerifiedBy = z.infer<typeof VerifiedBy>;

export { type CustomerIdentity, isVerifiedFor, mergeCustomer, normalizeEmail, sameEmail } from './customer-identity.js';
