/**
 * Statements parsed and planned once per connection instead of on every call (pg's named statements:
 * the driver prepares each on a connection's first use). Retrieval's queries are long CTEs: PostgreSQL
 * spent longer planning them than running them (PGlite, demo agent: 4–9 ms of planning against 3–5 ms of
 * execution per question). Prepared, PostgreSQL plans the first calls for their values and then keeps a
 * generic plan when it costs no more (plan_cache_mode auto).
 */
import { createHash } from 'node:crypto';
import type { PreparedStatement } from './types.js';

/** `ca_<label>_<digest of the text>`: a changed text is a new statement, never an old plan. */
export function preparedStatement(label: string, text: string): PreparedStatement {
  return { name: `ca_${label}_${createHash('sha256').update(text).digest('hex').slice(0, 12)}`, text };
}
