import type { Connection } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { SearchAttributesRefusedError, ensureSearchAttributes } from '../../../workers/dev-server.js';

type Operator = Pick<Connection, 'operatorService'>;

/** An operator service that has `have` and answers add/list with the given gRPC error codes. */
function cluster(have: string[], refuse: { add?: number; list?: number } = {}) {
  const added: string[] = [];
  const fail = (code: number, what: string) => Object.assign(new Error(`${code} ${what}: request unauthorized`), { code });
  const connection = {
    operatorService: {
      async listSearchAttributes() {
        if (refuse.list !== undefined) throw fail(refuse.list, 'list');
        return { customAttributes: Object.fromEntries([...have, ...added].map((n) => [n, 2])), systemAttributes: { WorkflowId: 2 } };
      },
      async addSearchAttributes(req: { searchAttributes?: Record<string, number> }) {
        if (refuse.add !== undefined) throw fail(refuse.add, 'add');
        added.push(...Object.keys(req.searchAttributes ?? {}));
        return {};
      },
    },
  } as unknown as Operator;
  return { connection, added };
}

describe('search attributes at start-up of the production roles', () => {
  it('registers only those missing, and nothing when all are there', async () => {
    const fresh = cluster(['AgentId']);
    await ensureSearchAttributes(fresh.connection, 'shop');
    expect(fresh.added.sort()).toEqual(['Assignee', 'Channel', 'ConversationStatus', 'CustomerEmail', 'CustomerId']);
    await ensureSearchAttributes(fresh.connection, 'shop');
    expect(fresh.added).toHaveLength(5);
  });

  it('stops with the missing attributes and the exact command to create them when registering is refused', async () => {
    const { connection } = cluster(['AgentId', 'Channel'], { add: 7 /* PERMISSION_DENIED */ });
    const err = await ensureSearchAttributes(connection, 'shop.acct', { address: 'shop.acct.tmprl.cloud:7233' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SearchAttributesRefusedError);
    const message = (err as Error).message;
    expect(message).toMatch(/refused to register .* namespace shop\.acct/);
    expect(message).toMatch(/Missing: ConversationStatus \(Keyword\), CustomerEmail \(Keyword\), CustomerId \(Keyword\), Assignee \(Keyword\)\./);
    expect(message).toContain('temporal operator search-attribute create --address shop.acct.tmprl.cloud:7233 --namespace shop.acct '
      + '--name ConversationStatus --name CustomerEmail --name CustomerId --name Assignee --type Keyword');
    expect(message).not.toMatch(/--name AgentId/);
  });

  it('warns and goes on when the cluster does not even let it look (the attributes may exist)', async () => {
    const warnings: string[] = [];
    const { connection } = cluster([], { add: 7, list: 7 });
    await ensureSearchAttributes(connection, 'shop', { warn: (l) => warnings.push(l) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('temporal operator search-attribute create --namespace shop --name AgentId --name Channel');
  });

  it('lets other failures (an unreachable cluster) stop the start as they are', async () => {
    const { connection } = cluster([], { list: 14 /* UNAVAILABLE */ });
    const err = await ensureSearchAttributes(connection, 'shop').catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(SearchAttributesRefusedError);
    expect((err as { code: number }).code).toBe(14);
  });
});
