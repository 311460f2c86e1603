import { describe, expect, it } from 'vitest';
import { isVerifiedFor, mergeCustomer, type CustomerIdentity } from '../../../domain/identity.js';

type C = CustomerIdentity & { name?: string; locale?: string };
const ann = (extra: Partial<C> = {}): C => ({ email: 'ann@shop.example', ...extra });
const byToken = { verified: true, verifiedBy: 'token' } as const;

describe('who counts as verified', () => {
  it('only a customer we verified, with an email; for a given email only that one, in any case', () => {
    expect(isVerifiedFor(ann(byToken))).toBe(true);
    expect(isVerifiedFor(ann(byToken), 'ANN@shop.example ')).toBe(true);
    expect(isVerifiedFor(ann(byToken), 'bob@shop.example')).toBe(false);
    expect(isVerifiedFor(ann())).toBe(false);
    expect(isVerifiedFor(ann({ verified: false }))).toBe(false);
    expect(isVerifiedFor({ verified: true })).toBe(false);
    expect(isVerifiedFor(undefined)).toBe(false);
  });
});

describe("the conversation's customer after each message", () => {
  it('a message verified by its token makes the customer verified for the email it names', () => {
    expect(mergeCustomer(undefined, ann(byToken))).toEqual(ann(byToken));
    expect(mergeCustomer<C>({ name: 'Ann', locale: 'da' }, ann(byToken))).toEqual({ name: 'Ann', locale: 'da', ...ann(byToken) });
  });

  it('a later message with another email and no valid token does not inherit the verification', () => {
    const merged = mergeCustomer<C>(ann(byToken), { email: 'bob@shop.example' });
    expect(merged).toEqual({ email: 'bob@shop.example' });
    expect(isVerifiedFor(merged)).toBe(false);
  });

  it('a later message naming the customer without a token, or with a wrong one, leaves them unverified', () => {
    expect(mergeCustomer<C>(ann(byToken), { locale: 'da' })).toEqual(ann({ locale: 'da' }));
    expect(mergeCustomer<C>(ann(byToken), ann())).toEqual(ann());
    expect(mergeCustomer<C>(ann(byToken), ann({ verified: false }))).toEqual(ann());
  });

  it('a message without a customer changes nothing', () => {
    expect(mergeCustomer(ann(byToken), undefined)).toEqual(ann(byToken));
    expect(mergeCustomer(undefined, undefined)).toBeUndefined();
  });

  it('a verification by email code holds while the email stays the same (in any case), and not after a wrong token', () => {
    const code = ann({ verified: true, verifiedBy: 'email_code' });
    expect(mergeCustomer<C>(code, { locale: 'da' })).toEqual({ ...code, locale: 'da' });
    expect(mergeCustomer<C>(code, { email: 'ANN@shop.example' })).toEqual({ email: 'ANN@shop.example', verified: true, verifiedBy: 'email_code' });
    expect(mergeCustomer<C>(code, { email: 'bob@shop.example' })).toEqual({ email: 'bob@shop.example' });
    expect(mergeCustomer<C>(code, ann({ verified: false }))).toEqual(ann());
  });

  it('customers of histories from before verification merge as they always did', () => {
    expect(mergeCustomer<C>({ email: 'ann@shop.example', name: 'Ann' }, { locale: 'da' })).toEqual({ email: 'ann@shop.example', name: 'Ann', locale: 'da' });
  });
});
