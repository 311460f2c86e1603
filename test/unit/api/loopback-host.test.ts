import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { hostName, isLoopbackHost, loopbackHostOnly } from '../../../api/middleware/loopback-host.js';

describe('the loopback Host guard (DNS rebinding)', () => {
  it('knows loopback names and addresses in the spellings a Host header carries', () => {
    for (const host of ['localhost', 'LOCALHOST:3000', 'localhost.', 'app.localhost:3000', '127.0.0.1', '127.0.0.1:3000', '127.9.9.9', '[::1]', '[::1]:3000', '::1', '[::ffff:127.0.0.1]:80']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of ['evil.example', 'evil.example:3000', 'localhost.evil.example', '127.0.0.1.nip.io', '10.0.0.1:3000', '[fe80::1]', '0.0.0.0', '']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
    expect(hostName('Support.Example.com.:443')).toBe('support.example.com');
  });

  const app = (allowedHosts: string[] = []) => new Hono().use('*', loopbackHostOnly({ allowedHosts })).get('/v1/x', (c) => c.json({ ok: true }));

  it('answers requests addressed to loopback and to ALLOWED_HOSTS names', async () => {
    for (const host of ['127.0.0.1:3000', 'localhost:3000', '[::1]:3000']) {
      expect((await app().request('/v1/x', { headers: { host } })).status, host).toBe(200);
    }
    expect((await app(['support.example.com']).request('/v1/x', { headers: { host: 'support.example.com' } })).status).toBe(200);
  });

  it('refuses any other Host with 403 forbidden saying what to set', async () => {
    const res = await app(['support.example.com']).request('/v1/x', { headers: { host: 'rebound.attacker.example:3000' } });
    expect(res.status).toBe(403);
    const body = await res.json() as { error: { code: string; message: string } };
    expect(body.error.code).toBe('forbidden');
    expect(body.error.message).toMatch(/addressed to localhost, 127\.0\.0\.1 or \[::1\] or support\.example\.com, not to Host: rebound\.attacker\.example:3000/);
    expect(body.error.message).toMatch(/ALLOWED_HOSTS/);
  });
});
