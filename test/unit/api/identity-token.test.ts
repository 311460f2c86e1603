import * as crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { identityToken, identityTokenMatches } from '../../../api/identity-token.js';
import { identityToken as fromClient } from '../../../api/client.js';

// Every comparison is watched: it must go through timingSafeEqual, over buffers of equal length.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});
const timingSafeEqual = vi.mocked(crypto.timingSafeEqual);

const secret = 'idsec_test-secret';
// printf '%s' 'ann@shop.example' | openssl dgst -sha256 -hmac 'idsec_test-secret'
const ANN = 'fb28024d0c9c9fb1d05740c08f25ba20ca68bf67bf648627b9ed4416e8923de0';

describe('identity tokens, as a host site makes them and the API checks them', () => {
  it('a token is the hex HMAC-SHA256 of the email under the secret, the same from the typed client', () => {
    expect(identityToken(secret, 'ann@shop.example')).toBe(ANN);
    expect(fromClient(secret, 'ann@shop.example')).toBe(ANN);
  });

  it('the email is signed trimmed and lower-cased, so the host site and the API agree whatever its case', () => {
    expect(identityToken(secret, '  Ann@Shop.EXAMPLE ')).toBe(ANN);
    expect(identityTokenMatches(secret, 'ANN@shop.example', ANN)).toBe(true);
    expect(identityTokenMatches(secret, 'ann@shop.example', ANN.toUpperCase())).toBe(true);
  });

  it('the right token matches, compared in constant time over buffers of equal length', () => {
    timingSafeEqual.mockClear();
    expect(identityTokenMatches(secret, 'ann@shop.example', ANN)).toBe(true);
    expect(timingSafeEqual).toHaveBeenCalledTimes(1);
    const [a, b] = timingSafeEqual.mock.calls[0]! as [Buffer, Buffer];
    expect(a.length).toBe(b.length);
  });

  it('a wrong token, a token for another email or under another secret does not match', () => {
    timingSafeEqual.mockClear();
    expect(identityTokenMatches(secret, 'ann@shop.example', `${ANN.slice(0, -1)}f`)).toBe(false);
    expect(identityTokenMatches(secret, 'bob@shop.example', ANN)).toBe(false);
    expect(identityTokenMatches('idsec_another', 'ann@shop.example', ANN)).toBe(false);
    expect(timingSafeEqual).toHaveBeenCalledTimes(3);
  });

  it('a token of another length is false without comparing (and without throwing), as is none or an empty secret', () => {
    timingSafeEqual.mockClear();
    expect(identityTokenMatches(secret, 'ann@shop.example', ANN.slice(0, 63))).toBe(false);
    expect(identityTokenMatches(secret, 'ann@shop.example', `${ANN}0`)).toBe(false);
    expect(identityTokenMatches(secret, 'ann@shop.example', 'x')).toBe(false);
    expect(identityTokenMatches(secret, 'ann@shop.example', 'é'.repeat(64))).toBe(false);
    expect(identityTokenMatches(secret, 'ann@shop.example', '')).toBe(false);
    expect(identityTokenMatches(secret, 'ann@shop.example', undefined)).toBe(false);
    expect(identityTokenMatches('', 'ann@shop.example', identityToken('', 'ann@shop.example'))).toBe(false);
    expect(timingSafeEqual).not.toHaveBeenCalled();
  });
});
