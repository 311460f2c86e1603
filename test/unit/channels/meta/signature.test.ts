import { describe, expect, it } from 'vitest';
import { signMetaBody, verifyMetaSignature } from '../../../../channels/meta/signature.js';
import { answerHandshake } from '../../../../channels/meta/verify.js';

const SECRET = 'app-secret-of-the-shop';
const body = new TextEncoder().encode('{"object":"page","entry":[{"id":"204060801002040","messaging":[]}]}');

describe('X-Hub-Signature-256', () => {
  it('accepts the app secret\'s HMAC of the raw body, in either hex case', () => {
    const header = signMetaBody(SECRET, body);
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyMetaSignature(body, header, SECRET)).toBe(true);
    expect(verifyMetaSignature(body, `sha256=${header.slice(7).toUpperCase()}`, SECRET)).toBe(true);
  });

  it('refuses a signature made with another secret', () => {
    expect(verifyMetaSignature(body, signMetaBody('another-app-secret', body), SECRET)).toBe(false);
  });

  it('refuses a body changed after signing, even one that parses to the same JSON', () => {
    const header = signMetaBody(SECRET, body);
    const tampered = new TextEncoder().encode('{"object":"page","entry":[{"id":"204060801002041","messaging":[]}]}');
    const reformatted = new TextEncoder().encode(JSON.stringify(JSON.parse(new TextDecoder().decode(body)), null, 1));
    expect(verifyMetaSignature(tampered, header, SECRET)).toBe(false);
    expect(verifyMetaSignature(reformatted, header, SECRET)).toBe(false);
  });

  it('refuses a missing or malformed header', () => {
    const hex = signMetaBody(SECRET, body).slice(7);
    for (const header of [undefined, '', hex, `sha1=${hex}`, 'sha256=', `sha256=${hex.slice(2)}`, `sha256=${hex}00`, `sha256=${'z'.repeat(64)}`]) {
      expect(verifyMetaSignature(body, header, SECRET), String(header)).toBe(false);
    }
  });
});

describe('the subscription handshake', () => {
  const query = (token: string, mode = 'subscribe') => ({ 'hub.mode': mode, 'hub.verify_token': token, 'hub.challenge': '1158201444' });

  it('answers the challenge when any deployment has the verify token', () => {
    expect(answerHandshake(query('token-of-shop-two'), ['token-of-shop-one', 'token-of-shop-two'])).toBe('1158201444');
  });

  it('answers nothing for an unknown token, another mode, or no deployments at all', () => {
    expect(answerHandshake(query('token-of-shop-three'), ['token-of-shop-one'])).toBeUndefined();
    expect(answerHandshake(query('token-of-shop-one', 'unsubscribe'), ['token-of-shop-one'])).toBeUndefined();
    expect(answerHandshake(query('token-of-shop-one'), [])).toBeUndefined();
  });
});
