/** Request and response schemas of verified identity: the customer a client sends, and the identity secret. */
import { z } from '@hono/zod-openapi';
import { Customer } from '../workflows/conversation.schemas.js';

export const IDENTITY_TOKEN_RULE = 'hex HMAC-SHA256(identity secret, customer.email trimmed and lower-cased), '
  + 'the secret (POST /v1/identity/secret) as the key, computed by your server, never in the browser';

/**
 * A customer as clients send it. `verified` and `verifiedBy` are ours to set: sent by a client they are
 * dropped, like any field this schema does not name. identityToken never goes further than the API.
 */
export const CustomerInput = Customer.omit({ verified: true, verifiedBy: true }).extend({
  identityToken: z.string().min(1).max(512).optional().openapi({
    description: `Vouches for \`email\`: ${IDENTITY_TOKEN_RULE}. A valid one makes the customer verified for this message; `
      + 'a wrong one is no error: the message is taken, the customer unverified (`customer.verified: false` in the answer, with the reason)',
  }),
}).openapi('CustomerInput');
export type CustomerInput = z.infer<typeof CustomerInput>;

/** In a message's answer, when it named a customer: whether this message verified them, and if not, why. */
export const CustomerVerification = z.object({
  verified: z.boolean(),
  /** Why a token given did not verify. */
  reason: z.string().optional(),
});
export type CustomerVerification = z.infer<typeof CustomerVerification>;

/** The new secret: in this answer only. */
export const IdentitySecret = z.object({ secret: z.string() }).openapi('IdentitySecret');

export const IdentitySecretStatus = z.object({
  configured: z.boolean(),
  /** When the workspace first had a secret. */
  createdAt: z.string().optional(),
  /** When the current secret was made: tokens made before with another one no longer verify. */
  rotatedAt: z.string().optional(),
}).openapi('IdentitySecretStatus');
