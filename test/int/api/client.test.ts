/**
 * The typed client (`customer-agent/client`) against the real app, in-process on a real database: what a
 * channel adapter does with it, and the errors it throws. The conversation workflow is replaced by a
 * recorder: sending a message here checks the client and the route, not the turn.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { ApiResponseError, createClient, parseResponse, type Client } from 'customer-agent/client';
import { createApp } from '../../../api/app.js';
import type { ConversationTarget } from '../../../api/conversation-client.js';
import type { Db } from '../../../db/types.js';
import type { InboundMessage, MessageResult } from '../../../workflows/conversation.contract.js';
import { openTestDb } from '../../support/db.js';

let db: Db;
let app: ReturnType<typeof createApp>;
let admin: Client;
const rootKey = `ca_root_${randomBytes(16).toString('hex')}`;
const sent: { target: ConversationTarget; message: InboundMessage }[] = [];

const clientFor = (apiKey?: string) => createClient({ baseUrl: 'http://api.test', ...(apiKey ? { apiKey } : {}), fetch: (input, init) => app.request(input, init) });

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({
    db,
    conversations: {
      async send(target, message): Promise<MessageResult> {
        sent.push({ target, message });
        return {
          reply: { text: `You said: ${message.text}`, kind: 'answer', sources: [], language: 'en', confidence: 0.9 },
          conversation: { id: target.conversationId, status: 'open' },
        };
      },
      deliver: async () => {},
      human: async () => { throw new Error('not used'); },
      requeue: async () => {}, teamRemoved: async () => {},
    },
    ingest: async () => ({ id: 'src_unused', chunks: 0 }),
    access: { rootKey, rateLimitPerKey: 0, rateLimitPerWidgetClient: 0, trustProxy: false },
  }, { log: () => {} });
  admin = clientFor(rootKey);
});
afterAll(async () => db?.close());

describe('the typed client', () => {
  it('lets an adapter with a channel key send a customer message and read the typed reply', async () => {
    const agent = await parseResponse(admin.v1.agents.$post({ json: { name: 'Client shop' } }));
    expectTypeOf(agent.status).toEqualTypeOf<'active' | 'paused' | 'archived'>();
    const { key } = await parseResponse(admin.v1['api-keys'].$post({ json: { name: 'email adapter', role: 'channel', agentIds: [agent.id] } }));

    const channel = clientFor(key);
    const result = await parseResponse(channel.v1.agents[':agentId'].conversations[':conversationId'].messages.$post({
      param: { agentId: agent.id, conversationId: 'ticket-4711' },
      json: { messageId: 'mail-1', text: 'Where is my parcel?', channel: 'chat', customer: { email: 'ana@example.com' } },
    }));
    expectTypeOf(result.reply).toBeNullable();
    expectTypeOf<NonNullable<typeof result.reply>['kind']>().toEqualTypeOf<'answer' | 'clarify' | 'handoff'>();
    expect(result).toEqual({
      reply: expect.objectContaining({ text: 'You said: Where is my parcel?' }), conversation: { id: 'ticket-4711', status: 'open' }, customer: { verified: false },
    });
    expect(sent.at(-1)).toMatchObject({ target: { agentId: agent.id, conversationId: 'ticket-4711' }, message: { messageId: 'mail-1', customer: { email: 'ana@example.com' } } });
  });

  it('throws the API error with its status, code, message and field', async () => {
    const missing = await admin.v1.agents[':agentId'].$get({ param: { agentId: 'agt_nobody' } }).catch((err: unknown) => err);
    expect(missing).toBeInstanceOf(ApiResponseError);
    expect(missing).toMatchObject({ status: 404, code: 'agent_not_found', field: 'agentId', message: 'agent agt_nobody does not exist', requestId: expect.any(String) });

    const agent = await parseResponse(admin.v1.agents.$post({ json: { name: 'Errors shop' } }));
    const invalid = await admin.v1.agents[':agentId'].conversations[':conversationId'].messages.$post({
      param: { agentId: agent.id, conversationId: 'c1' },
      json: { messageId: 'm1', text: '   ', channel: 'chat' },
    }).catch((err: unknown) => err);
    expect(invalid).toMatchObject({ status: 422, code: 'invalid_request', field: 'text' });

    const anonymous = await clientFor().v1.agents.$get({ query: {} }).catch((err: unknown) => err);
    expect(anonymous).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('encodes path parameters, so an id with a slash is refused as that id instead of reaching another route', async () => {
    const agent = await parseResponse(admin.v1.agents.$post({ json: { name: 'Slash shop' } }));
    const err = await admin.v1.agents[':agentId'].conversations[':conversationId'].$get({ param: { agentId: agent.id, conversationId: 'a/b' }, query: {} }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 422, code: 'invalid_request', field: 'conversationId' });
  });

  it('reads a delete as no content, and a list with its query', async () => {
    const agent = await parseResponse(admin.v1.agents.$post({ json: { name: 'Paused shop' } }));
    await parseResponse(admin.v1.agents[':agentId'].$patch({ param: { agentId: agent.id }, json: { status: 'paused' } }));
    const paused = await parseResponse(admin.v1.agents.$get({ query: { status: 'paused' } }));
    expect(paused.agents.map((a) => a.id)).toContain(agent.id);
    expect(paused.agents.every((a) => a.status === 'paused')).toBe(true);

    const { key, id } = await parseResponse(admin.v1['api-keys'].$post({ json: { name: 'temporary', role: 'admin' } }));
    expect(await parseResponse(admin.v1['api-keys'][':keyId'].$delete({ param: { keyId: id } }))).toBeUndefined();
    await expect(clientFor(key).v1.agents.$get({ query: {} })).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
  });
});
