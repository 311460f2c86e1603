/**
 * Where a customer enters (a message's `customer`): the identity token is checked against the workspace's
 * secret and dropped, and the customer goes on verified or not. Never refuses the message: a wrong token
 * leaves the customer unverified and says why, so nothing a client sent is lost for it. The token never
 * goes further than this: not to the workflow's input, history, the transcript, logs or webhooks.
 */
import { readIdentitySecret } from '../db/identity.js';
import type { SecretBox } from '../db/secret-box.js';
import type { Queryable } from '../db/types.js';
import type { Customer } from '../workflows/conversation.contract.js';
import type { CustomerInput, CustomerVerification } from './identity-schemas.js';
import { identityTokenMatches } from './identity-token.js';

export interface CheckedCustomer {
  /** What the conversation gets: without the token, `verified` set by us alone. */
  customer?: Customer;
  /** For the answer: present when the message named a customer. */
  verification?: CustomerVerification;
}

export async function checkCustomer(
  deps: { db: Queryable; secrets?: SecretBox }, workspaceId: string, given: CustomerInput | undefined,
): Promise<CheckedCustomer> {
  if (!given) return {};
  // Only the fields we know go on: whatever else a client put in (`verified` included) stays here.
  const { identityToken, id, email, name, locale } = given;
  const customer: Customer = { ...(id ? { id } : {}), ...(email ? { email } : {}), ...(name ? { name } : {}), ...(locale ? { locale } : {}) };
  if (identityToken === undefined) return { customer, verification: { verified: false } };
  const refused = (reason: string): CheckedCustomer => ({ customer: { ...customer, verified: false }, verification: { verified: false, reason } });
  if (!email) return refused('customer.identityToken vouches for customer.email: send the email it was made for');
  if (!deps.secrets) return refused('this install runs without SECRETS_KEY, so it keeps no identity secret to check customer.identityToken with');
  let secret: string | undefined;
  try {
    secret = await readIdentitySecret(deps.db, deps.secrets, workspaceId);
  } catch {
    // Fails closed: a secret that does not open (SECRETS_KEY changed) or a database that did not answer verifies nobody.
    return refused('the identity secret cannot be read now (it does not open with this SECRETS_KEY, or the database did not answer)');
  }
  if (!secret) return refused('this workspace has no identity secret yet: make one with POST /v1/identity/secret');
  if (!identityTokenMatches(secret, email, identityToken)) {
    return refused('customer.identityToken is not the HMAC-SHA256 of customer.email (trimmed, lower-cased) under the current identity secret');
  }
  return { customer: { ...customer, verified: true, verifiedBy: 'token' }, verification: { verified: true } };
}
