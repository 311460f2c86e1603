import { z } from 'zod';
import { listAudit } from '../../db/audit.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { ApiDeps } from '../deps.js';
import { allow } from '../middleware/roles.js';
import { errors, json, openApiRouter, v1Route } from '../openapi.js';
import { AuditLog, AuditQuery } from '../schemas.js';
import { query } from '../validate.js';

const AuditCursor = z.object({ before: z.string().regex(/^\d+$/) });

const list = v1Route({
  method: 'get', path: '/', operationId: 'listAuditLog', tags: ['audit-log'],
  summary: 'Who changed what in the workspace (agents, sources, keys, settings), newest first, a page at a time',
  middleware: [allow('admin')],
  request: { query: AuditQuery },
  responses: { 200: json(AuditLog, 'A page of entries; nextCursor when there are more'), ...errors(422) },
});

/** Who changed what (agents, sources, keys, settings), newest first. */
export function auditLogRoutes({ db }: ApiDeps) {
  return openApiRouter().openapi(list, async (c) => {
    const q = query(c, AuditQuery);
    const limit = q.limit ?? 50;
    const cursor = decodeCursor(q.cursor, AuditCursor);
    const entries = await listAudit(db, c.get('principal').workspaceId, { limit: limit + 1, ...(cursor ? { before: cursor.before } : {}) });
    const page = entries.slice(0, limit);
    return c.json(AuditLog.parse({
      entries: page.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })),
      ...(entries.length > limit ? { nextCursor: encodeCursor({ before: page.at(-1)!.id }) } : {}),
    }), 200);
  });
}
