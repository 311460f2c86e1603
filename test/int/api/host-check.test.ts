/**
 * DNS rebinding: the API listens on 127.0.0.1 (the npm start default), and a web page makes the browser
 * call it under the page's own name, re-pointed at 127.0.0.1. Requests under a name that is not loopback
 * (nor in ALLOWED_HOSTS) are refused before they reach any route.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../support/system.js';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem('host-check', { HOST: '127.0.0.1', ALLOWED_HOSTS: 'support.example.test' });
});
afterAll(async () => sys?.stop());

/** GET with a chosen Host header (fetch does not let a caller set one). */
function getAs(host: string, path: string): Promise<{ status: number; body: any }> {
  const url = new URL(path, sys.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, headers: { host } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text.startsWith('{') ? JSON.parse(text) : text }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('an API on a loopback address', () => {
  it('refuses a request addressed to another name, before any route runs', async () => {
    const agent = await sys.createAgent();
    for (const path of ['/', '/healthz', `/v1/agents/${agent}`]) {
      const res = await getAs(`rebound.attacker.example:${new URL(sys.url).port}`, path);
      expect(res.status, path).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'forbidden' });
      expect(res.body.error.message).toMatch(/ALLOWED_HOSTS/);
    }
  });

  it('answers loopback names and the names in ALLOWED_HOSTS', async () => {
    const port = new URL(sys.url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, 'support.example.test']) {
      expect((await getAs(host, '/healthz')).status, host).toBe(200);
    }
  });
});
