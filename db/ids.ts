import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** A readable, prefixed random id (`src_7k2m…`): 16 base-32 characters, 80 bits of randomness. */
export function newId(prefix: 'agt' | 'src' | 'chk' | 'ws' | 'key' | 'usr' | 'team' | 'whk' | 'evt' | 'dep' | 'act' | 'run' | 'con' | 'chg'): string {
  const bytes = randomBytes(16);
  let out = '';
  for (const b of bytes) out += ALPHABET[b & 31];
  return `${prefix}_${out}`;
}
