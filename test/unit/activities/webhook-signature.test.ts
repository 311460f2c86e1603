import { describe, expect, it } from 'vitest';
import { sign, verify } from '../../../activities/webhook-signature.js';

const secret = 'whsec_test-secret-for-signatures';
const body = JSON.stringify({ id: 'evt_1', type: 'message.created', createdAt: '2026-12-07T10:00:00.000Z', data: { text: 'Hej, åbent?' } });
const t = 1_796_637_600;

describe('webhook signatures, as a receiver checks them', () => {
  it('a signature over the raw body with the secret verifies, within the tolerance either side', () => {
    const header = sign(secret, body, t);
    expect(header).toMatch(/^t=1796637600,v1=[0-9a-f]{64}$/);
    expect(verify(secret, body, header, t)).toBe(true);
    expect(verify(secret, body, header, t + 300)).toBe(true);
    expect(verify(secret, body, header, t - 300)).toBe(true);
  });

  it('a tampered body does not verify: a changed character, re-serialised JSON, trailing whitespace', () => {
    const header = sign(secret, body, t);
    expect(verify(secret, body.replace('message.created', 'message.deleted'), header, t)).toBe(false);
    expect(verify(secret, JSON.stringify(JSON.parse(body), null, 2), header, t)).toBe(false);
    expect(verify(secret, `${body}\n`, header, t)).toBe(false);
  });

  it('another secret does not verify', () => {
    expect(verify('whsec_another', body, sign(secret, body, t), t)).toBe(false);
    expect(verify(secret, body, sign('whsec_another', body, t), t)).toBe(false);
  });

  it('an old (replayed) or far-future timestamp is refused, and so is a timestamp changed to look fresh', () => {
    const header = sign(secret, body, t);
    expect(verify(secret, body, header, t + 301)).toBe(false);
    expect(verify(secret, body, header, t + 86_400)).toBe(false);
    expect(verify(secret, body, header, t - 301)).toBe(false);
    expect(verify(secret, body, header, t + 600, 900)).toBe(true);
    const refreshed = header.replace(`t=${t}`, `t=${t + 3600}`);
    expect(verify(secret, body, refreshed, t + 3600)).toBe(false);
  });

  it('a missing, malformed or truncated header is refused without throwing', () => {
    const mac = sign(secret, body, t).split('v1=')[1]!;
    for (const header of [undefined, '', 'garbage', `t=${t}`, `v1=${mac}`, `t=abc,v1=${mac}`, `t=${t},v1=${mac.slice(0, 40)}`, `t=${t},v1=zz`, `t=${t}.5,v1=${mac}`]) {
      expect(verify(secret, body, header, t), String(header)).toBe(false);
    }
  });
});
