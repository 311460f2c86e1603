/**
 * The authorization matrix: every /v1 route of the app × every kind of caller, with the status each
 * must get. Routes are read from the app itself, so a route added without a policy here fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../api/app.js';
import type { ApiDeps } from '../../../api/deps.js';
import { SHIPPING } from '../../fixtures/shop-articles.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';

type Caller = 'none' | 'unknown' | 'revoked' | 'root' | 'admin' | 'otherAdmin' | 'channel' | 'widget' | 'widgetWrongOrigin' | 'user' | 'removedUser';
const CALLERS: Caller[] = ['none', 'unknown', 'revoked', 'root', 'admin', 'otherAdmin', 'channel', 'widget', 'widgetWrongOrigin', 'user', 'removedUser'];
type Served = 'root' | 'admin' | 'channel' | 'widget' | 'user';

/**
 * Who each route serves. Root is admin of its workspace; admin and root are always allowed together. A user
 * key (a person's key to the inbox) reads and works conversations, reads people, teams and agents, and reads
 * and changes contacts.
 * 'no key': Meta's webhooks, which verify X-Hub-Signature-256 instead; every caller gets the same answer.
 */
const POLICY: Record<string, Served[] | 'no key'> = {
  'GET /v1/me': ['admin', 'channel', 'widget', 'user'],
  'POST /v1/workspaces': ['root'],
  'GET /v1/workspaces': ['root'],
  'POST /v1/api-keys': ['admin'],
  'GET /v1/api-keys': ['admin'],
  'GET /v1/api-keys/:keyId': ['admin'],
  'DELETE /v1/api-keys/:keyId': ['admin'],
  'GET /v1/audit-log': ['admin'],
  'GET /v1/usage': ['admin'],
  'GET /v1/events': ['admin'],
  'POST /v1/trial': ['admin'],
  'GET /v1/trial': ['admin'],
  'GET /v1/billing': ['admin'],
  'PATCH /v1/billing': ['admin'],
  'POST /v1/users': ['admin'],
  'GET /v1/users': ['admin', 'user'],
  'GET /v1/users/:userId': ['admin', 'user'],
  'PATCH /v1/users/:userId': ['admin'],
  'DELETE /v1/users/:userId': ['admin'],
  'POST /v1/teams': ['admin'],
  'GET /v1/teams': ['admin', 'user'],
  'GET /v1/teams/:teamId': ['admin', 'user'],
  'PATCH /v1/teams/:teamId': ['admin'],
  'DELETE /v1/teams/:teamId': ['admin'],
  // The team reads and updates contacts from the inbox; a customer-facing key never sees the CRM.
  'GET /v1/contacts': ['admin', 'user'],
  'GET /v1/contacts/:contactId': ['admin', 'user'],
  'PATCH /v1/contacts/:contactId': ['admin', 'user'],
  'GET /v1/contacts/:contactId/changes': ['admin', 'user'],
  'GET /v1/contacts/:contactId/conversations': ['admin', 'user'],
  'POST /v1/identity/secret': ['admin'],
  'GET /v1/identity/secret': ['admin'],
  'POST /v1/webhooks': ['admin'],
  'GET /v1/webhooks': ['admin'],
  'GET /v1/webhooks/:webhookId': ['admin'],
  'DELETE /v1/webhooks/:webhookId': ['admin'],
  'GET /v1/webhooks/:webhookId/deliveries': ['admin'],
  'POST /v1/agents': ['admin'],
  'GET /v1/agents': ['admin', 'user'],
  'GET /v1/agents/:agentId': ['admin', 'user'],
  'PATCH /v1/agents/:agentId': ['admin'],
  'DELETE /v1/agents/:agentId': ['admin'],
  'GET /v1/agents/:agentId/profile': ['admin', 'channel', 'widget', 'user'],
  'POST /v1/agents/:agentId/deployments': ['admin'],
  'GET /v1/agents/:agentId/deployments': ['admin'],
  'GET /v1/agents/:agentId/deployments/:deploymentId': ['admin'],
  'PATCH /v1/agents/:agentId/deployments/:deploymentId': ['admin'],
  'DELETE /v1/agents/:agentId/deployments/:deploymentId': ['admin'],
  'POST /v1/agents/:agentId/actions': ['admin'],
  'GET /v1/agents/:agentId/actions': ['admin'],
  'GET /v1/agents/:agentId/actions/:actionId': ['admin'],
  'PATCH /v1/agents/:agentId/actions/:actionId': ['admin'],
  'DELETE /v1/agents/:agentId/actions/:actionId': ['admin'],
  'POST /v1/agents/:agentId/actions/:actionId/test': ['admin'],
  'POST /v1/channels/custom/:deploymentId/messages': ['admin', 'channel'],
  'POST /v1/channels/email/inbound': ['admin', 'channel'],
  'GET /v1/agents/:agentId/suggestions': ['admin', 'channel', 'widget'],
  'POST /v1/agents/:agentId/sources': ['admin'],
  'GET /v1/agents/:agentId/sources': ['admin'],
  'GET /v1/agents/:agentId/sources/:sourceId': ['admin'],
  'POST /v1/agents/:agentId/sources/:sourceId/sync': ['admin'],
  'PATCH /v1/agents/:agentId/sources/:sourceId': ['admin'],
  'DELETE /v1/agents/:agentId/sources/:sourceId': ['admin'],
  'POST /v1/agents/:agentId/files': ['admin'],
  'POST /v1/agents/:agentId/short-answers': ['admin'],
  'GET /v1/agents/:agentId/short-answers': ['admin'],
  'GET /v1/agents/:agentId/short-answers/:shortAnswerId': ['admin'],
  'PATCH /v1/agents/:agentId/short-answers/:shortAnswerId': ['admin'],
  'DELETE /v1/agents/:agentId/short-answers/:shortAnswerId': ['admin'],
  'POST /v1/agents/:agentId/conversations/:conversationId/messages': ['admin', 'channel', 'widget'],
  'GET /v1/agents/:agentId/conversations/:conversationId': ['admin', 'channel', 'widget', 'user'],
  'POST /v1/agents/:agentId/conversations/:conversationId/assign': ['admin', 'user'],
  'POST /v1/agents/:agentId/conversations/:conversationId/replies': ['admin', 'user'],
  'POST /v1/agents/:agentId/conversations/:conversationId/hand-back': ['admin', 'user'],
  'POST /v1/agents/:agentId/conversations/:conversationId/close': ['admin', 'user'],
  'GET /v1/agents/:agentId/conversations/:conversationId/suggestion': ['admin', 'user'],
  'GET /v1/agents/:agentId/conversations/:conversationId/actions': ['admin', 'user'],
  'POST /v1/agents/:agentId/conversations/:conversationId/actions/:runId/approve': ['admin', 'user'],
  'POST /v1/agents/:agentId/conversations/:conversationId/actions/:runId/reject': ['admin', 'user'],
  'GET /v1/conversations': ['admin', 'user'],
  'GET /v1/channels/whatsapp/webhook': 'no key',
  'POST /v1/channels/whatsapp/webhook': 'no key',
  'GET /v1/channels/messenger/webhook': 'no key',
  'POST /v1/channels/messenger/webhook': 'no key',
};

const ORIGIN = 'https://shop.example.test';
let sys: TestSystem;
let agentId: string;
let keys: Record<Exclude<Caller, 'none' | 'root'>, string>;

beforeAll(async () => {
  // Every route times every caller: more widget requests than a visitor's per-minute limit allows.
  sys = await startTestSystem('authz', { WIDGET_RATE_LIMIT_PER_MINUTE: '100000' });
  agentId = await sys.createAgent({ name: 'Matrix Shop', articles: [SHIPPING] });
  const make = async (body: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const res = await sys.request('POST', '/v1/api-keys', body, headers);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; key: string };
  };
  const admin = await make({ name: 'admin', role: 'admin' });
  const revoked = await make({ name: 'old', role: 'admin' });
  expect((await sys.request('DELETE', `/v1/api-keys/${revoked.id}`)).status).toBe(204);
  const other = await sys.request('POST', '/v1/workspaces', { name: 'Other shop' });
  expect(other.status).toBe(201);
  const person = async (name: string) => (await sys.request('POST', '/v1/users', { name, email: `${name}-${Date.now()}@shop.example.test` })).body.id as string;
  const ann = await person('ann');
  const leaver = await person('leaver');
  const removedUser = await make({ name: 'leaver', role: 'user', userId: leaver });
  expect((await sys.request('DELETE', `/v1/users/${leaver}`)).status).toBe(204);
  keys = {
    unknown: 'ca_admin_0000000000000000000000000000000',
    revoked: revoked.key,
    admin: admin.key,
    otherAdmin: other.body.adminKey,
    channel: (await make({ name: 'email adapter', role: 'channel', agentIds: [agentId] })).key,
    widget: (await make({ name: 'site widget', role: 'widget', agentIds: [agentId], allowedOrigins: [ORIGIN] })).key,
    widgetWrongOrigin: '',
    user: (await make({ name: "ann's inbox", role: 'user', userId: ann })).key,
    removedUser: removedUser.key,
  };
  keys.widgetWrongOrigin = keys.widget;
});
afterAll(async () => {
  await sys?.stop();
});

function headersFor(caller: Caller): Record<string, string> {
  if (caller === 'none') return { authorization: '' };
  if (caller === 'root') return {};
  const h: Record<string, string> = { authorization: `Bearer ${keys[caller]}` };
  if (caller === 'widget') h.origin = ORIGIN;
  if (caller === 'widgetWrongOrigin') h.origin = 'https://evil.example.test';
  return h;
}

function expected(route: string, caller: Caller): 'refused-401' | 'refused-403' | 'hidden-404' | 'served' {
  if (caller === 'none' || caller === 'unknown' || caller === 'revoked' || caller === 'removedUser') return 'refused-401';
  if (caller === 'widgetWrongOrigin') return 'refused-403';
  const served = POLICY[route] as Served[];
  const role = caller === 'otherAdmin' ? 'admin' : caller;
  const ok = served.includes(role) || (role === 'root' && served.includes('admin'));
  // Another workspace's agent does not exist for this caller, whatever the route.
  if (caller === 'otherAdmin' && route.includes(':agentId')) return 'hidden-404';
  return ok ? 'served' : 'refused-403';
}

/** The app's own /v1 routes, as "METHOD path". */
function appRoutes(): string[] {
  const app = createApp({ db: sys.db, access: { rootKey: sys.rootKey } } as unknown as ApiDeps);
  const seen = new Set<string>();
  for (const r of app.routes) {
    if (r.method === 'ALL' || !r.path.startsWith('/v1/')) continue;
    seen.add(`${r.method} ${r.path.replace(/\/$/, '')}`);
  }
  return [...seen].sort();
}

function concrete(route: string): { method: string; path: string } {
  const [method, path] = route.split(' ') as [string, string];
  return {
    method,
    path: path
      .replace(':agentId', agentId)
      .replace(':conversationId', 'matrix-conversation')
      .replace(':sourceId', 'src_doesnotexist')
      .replace(':shortAnswerId', 'src_doesnotexist')
      .replace(':keyId', 'key_doesnotexist')
      .replace(':userId', 'usr_doesnotexist')
      .replace(':teamId', 'team_doesnotexist')
      .replace(':webhookId', 'whk_doesnotexist')
      .replace(':deploymentId', 'dep_doesnotexist')
      .replace(':actionId', 'act_doesnotexist')
      .replace(':contactId', 'con_doesnotexist'),
  };
}

describe('who may call what', () => {
  it('every route of the app has an access policy in this test', () => {
    const missing = appRoutes().filter((r) => !POLICY[r]);
    expect(missing, 'add these routes to POLICY with the roles they serve').toEqual([]);
    expect(Object.keys(POLICY).filter((r) => !appRoutes().includes(r)), 'these routes are gone from the app').toEqual([]);
  });

  for (const route of Object.keys(POLICY).filter((r) => POLICY[r] === 'no key')) {
    it(`${route}: needs no key; every caller, with a key or not, gets the same answer from the route itself`, async () => {
      const { method, path } = concrete(route);
      const answers = new Set<string>();
      for (const caller of CALLERS) {
        const res = await sys.request(method, path, method === 'GET' ? undefined : {}, headersFor(caller));
        answers.add(`${res.status} ${res.body?.error?.code}`);
        // A GET without the handshake's parameters is invalid; a POST without Meta's signature is refused as unsigned.
        expect(res.status, caller).toBe(method === 'GET' ? 422 : 401);
        if (res.status === 401) expect(res.body.error.message, caller).toMatch(/x-hub-signature-256/);
      }
      expect([...answers]).toHaveLength(1);
    });
  }

  for (const route of Object.keys(POLICY).filter((r) => POLICY[r] !== 'no key')) {
    it(`${route}: none, unknown, revoked and removed people's keys get 401; wrong roles 403; another workspace 404`, async () => {
      const { method, path } = concrete(route);
      const results: string[] = [];
      for (const caller of CALLERS) {
        // A body that is valid JSON but never a valid request: served routes answer 4xx without changing anything.
        const body = method === 'GET' || method === 'DELETE' ? undefined : {};
        const res = await sys.request(method, path, body, headersFor(caller));
        const want = expected(route, caller);
        // A 5xx is never an answer to who may call what: served means the route answered the request itself.
        const got = res.status >= 500 ? `failed-${res.status}` : res.status === 401 ? 'refused-401' : res.status === 403 ? 'refused-403'
          : res.status === 404 && want === 'hidden-404' ? 'hidden-404' : 'served';
        if (got !== want) results.push(`${caller}: expected ${want}, got ${res.status} ${JSON.stringify(res.body?.error ?? res.body)}`);
        // Another workspace's agent is hidden as an agent that does not exist, not as some other missing thing.
        if (got === 'hidden-404' && res.body?.error?.code !== 'agent_not_found') {
          results.push(`${caller}: expected agent_not_found, got ${JSON.stringify(res.body?.error ?? res.body)}`);
        }
        if (res.status === 401) expect(res.body.error.code).toBe('unauthorized');
        if (res.status === 403) expect(res.body.error.code).toBe('forbidden');
      }
      expect(results).toEqual([]);
    });
  }
});
