/**
 * Secrets at rest (a deployment's tokens and app secrets): AES-256-GCM under the install's SECRETS_KEY,
 * a fresh 96-bit nonce per value, stored as `v1.<nonce>.<tag>.<ciphertext>` in base64url. A value sealed
 * under another key, or altered, does not open: it throws, naming the key as what to check.
 * `digest` is a keyed hash (HMAC-SHA256 under a key derived from SECRETS_KEY per purpose) for values
 * too guessable to store even hashed without a key, such as a 6-digit code.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';

export interface SecretBox {
  seal(plain: Record<string, string>): string;
  open(sealed: string): Record<string, string>;
  /** HMAC-SHA256 of `value` (base64url) under this key's subkey for `purpose`: the same inputs, the same digest. */
  digest(purpose: string, value: string): string;
}

/** A key as configured: 64 hex characters or 44 base64 ones (32 bytes); anything else is hashed to 32 bytes. */
export function secretKeyBytes(key: string): Buffer {
  if (/^[0-9a-f]{64}$/i.test(key)) return Buffer.from(key, 'hex');
  const b64 = Buffer.from(key, 'base64');
  if (b64.length === 32 && /^[A-Za-z0-9+/]{43}=$/.test(key)) return b64;
  return createHash('sha256').update(key).digest();
}

export function createSecretBox(key: string): SecretBox {
  const k = secretKeyBytes(key);
  const subkeys = new Map<string, Buffer>();
  const subkey = (purpose: string) => {
    let sub = subkeys.get(purpose);
    if (!sub) {
      sub = Buffer.from(hkdfSync('sha256', k, Buffer.alloc(0), `customer-agent digest: ${purpose}`, 32));
      subkeys.set(purpose, sub);
    }
    return sub;
  };
  return {
    digest(purpose, value) {
      return createHmac('sha256', subkey(purpose)).update(value, 'utf8').digest('base64url');
    },
    seal(plain) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', k, nonce);
      const data = Buffer.concat([cipher.update(JSON.stringify(plain), 'utf8'), cipher.final()]);
      return ['v1', nonce, cipher.getAuthTag(), data].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
    },
    open(sealed) {
      const [version, nonce, tag, data] = sealed.split('.');
      if (version !== 'v1' || !nonce || !tag || data === undefined) throw new Error('a stored secret is not in a format this version reads');
      try {
        const decipher = createDecipheriv('aes-256-gcm', k, Buffer.from(nonce, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        const plain = Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
        return JSON.parse(plain) as Record<string, string>;
      } catch {
        throw new Error('a stored secret does not open with this SECRETS_KEY: the key changed since it was saved; restore the old key or save the deployment\'s secrets again');
      }
    },
  };
}
