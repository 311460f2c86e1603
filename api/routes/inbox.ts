/** The team's inbox: every conversation of the workspace, newest activity first, filtered and paged. */
import { z } from 'zod';
import { listInbox } from '../../db/inbox.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { ApiDeps } from '../deps.js';
import { allow } from '../middleware/roles.js';
import { errors, json, openApiRouter, v1Route } from '../openapi.js';
import { InboxList, InboxQuery } from '../schemas.js';
import { query } from '../validate.js';

const InboxCursor = z.object({ agentId: z.string(), id: z.string() });

const list = v1Route({
  method: 'get', path: '/', operationId: 'listConversations', tags: ['conversations'],
  summary: "The workspace's conversations, newest activity first: filter by status, assignee (a user id or none), teamId, agentId, channel; paged with cursor. pendingApprovals: actions drafted there that wait for a person's approval",
  middleware: [allow('admin', 'user')],
  request: { query: InboxQuery },
  responses: { 200: json(InboxList, 'A page of conversations; nextCursor when there are more'), ...errors(422) },
});

export function inboxRoutes({ db }: ApiDeps) {
  return openApiRouter().openapi(list, async (c) => {
    const q = query(c, InboxQuery);
    const limit = q.limit ?? 50;
    const before = decodeCursor(q.cursor, InboxCursor);
    const { cursor: _cursor, limit: _limit, ...filter } = q;
    const items = await listInbox(db, c.get('principal').workspaceId, { ...filter, limit: limit + 1, ...(before ? { before } : {}) });
    const page = items.slice(0, limit);
    const last = page.at(-1);
    return c.json(InboxList.parse({
      conversations: page,
      ...(items.length > limit && last ? { nextCursor: encodeCursor({ agentId: last.agentId, id: last.id }) } : {}),
    }), 200);
  });
}
