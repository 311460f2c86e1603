import { describe, expect, it } from 'vitest';
import { ActionCallError, buildRequest, isRetryableStatus } from '../../../actions/http.js';

const definition = {
  method: 'POST' as const, url: 'https://shop.example/orders/{n}/refund', timeoutMs: 1000,
  headers: { 'content-type': 'application/vnd.shop+json', 'X-Shop': 'a' }, secretHeaders: { Authorization: 'Bearer sk_1' },
};

describe('building an action request', () => {
  it("sends the secret values but shows them as [secret]; the action's own Content-Type wins; Idempotency-Key is always ours", () => {
    const { send, shown } = buildRequest({ definition: { ...definition, headers: { ...definition.headers, 'idempotency-key': 'theirs' } }, inputs: { n: 'A1' }, idempotencyKey: 'conv:1:m1:action' });
    expect(send).toEqual({
      method: 'POST', url: 'https://shop.example/orders/A1/refund', body: '{"n":"A1"}',
      headers: { Accept: expect.any(String), 'content-type': 'application/vnd.shop+json', 'X-Shop': 'a', Authorization: 'Bearer sk_1', 'Idempotency-Key': 'conv:1:m1:action' },
    });
    expect(shown.headers).toEqual({ ...send.headers, Authorization: '[secret]' });
    expect(JSON.stringify(shown)).not.toContain('sk_1');
  });

  it('sends no body from a GET or DELETE without a body template', () => {
    for (const method of ['GET', 'DELETE'] as const) {
      const { send } = buildRequest({ definition: { ...definition, method, headers: {} }, inputs: { n: '1' }, idempotencyKey: 'k' });
      expect(send.body).toBeUndefined();
      expect(Object.keys(send.headers)).not.toContain('Content-Type');
    }
  });

  it('refuses a value that would climb the URL path, naming the input', () => {
    const err = (() => {
      try {
        buildRequest({ definition, inputs: { n: '..' }, idempotencyKey: 'k' });
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ActionCallError);
    expect(err).toMatchObject({ code: 'input', input: 'n', retryable: false });
  });

  it('retries only what a later attempt may change: 408, 429 and 5xx', () => {
    expect([200, 302, 400, 401, 404, 408, 409, 422, 429, 500, 502, 503].filter(isRetryableStatus)).toEqual([408, 429, 500, 502, 503]);
  });
});
