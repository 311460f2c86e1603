/** A fresh workspace of a test system, driven through its own admin key, plus polling. */
import type { Article } from '../fixtures/shop-articles.js';
import type { TestSystem } from './system.js';
import { uniqueId } from './temporal.js';

export interface TestWorkspace {
  id: string;
  adminKey: string;
  request(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  createAgent(input?: { name?: string; settings?: unknown; articles?: Article[] }): Promise<string>;
  /** A customer message; resolves to the HTTP answer (reply is null when nobody answers now: people own it, the agent is archived). */
  say(agentId: string, conversationId: string, text: string, channel?: 'chat' | 'test'): Promise<{ status: number; body: any }>;
}

export async function createTestWorkspace(sys: TestSystem, name: string): Promise<TestWorkspace> {
  const made = await sys.request('POST', '/v1/workspaces', { name });
  if (made.status !== 201) throw new Error(`creating workspace ${name} failed: ${made.status} ${JSON.stringify(made.body)}`);
  const adminKey = made.body.adminKey as string;
  const request = (method: string, path: string, body?: unknown) => sys.request(method, path, body, { authorization: `Bearer ${adminKey}` });
  return {
    id: made.body.id,
    adminKey,
    request,
    async createAgent(input = {}) {
      const res = await request('POST', '/v1/agents', { name: input.name ?? 'Shop Assistant', ...(input.settings ? { settings: input.settings } : {}) });
      if (res.status !== 201) throw new Error(`creating the agent failed: ${res.status} ${JSON.stringify(res.body)}`);
      for (const a of input.articles ?? []) {
        const s = await request('POST', `/v1/agents/${res.body.id}/sources`, { type: a.type, title: a.title, content: a.content });
        if (s.status !== 201) throw new Error(`adding ${a.title} failed: ${s.status} ${JSON.stringify(s.body)}`);
      }
      return res.body.id as string;
    },
    say(agentId, conversationId, text, channel = 'chat') {
      return request('POST', `/v1/agents/${agentId}/conversations/${conversationId}/messages`, { messageId: uniqueId('m'), text, channel });
    },
  };
}

/** Polls `read` until `done` holds; fails naming `what` with the last value seen. */
export async function waitFor<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  do {
    last = await read();
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  } while (Date.now() < deadline);
  throw new Error(`${what} did not happen within ${timeoutMs} ms; last seen: ${JSON.stringify(last)}`);
}
