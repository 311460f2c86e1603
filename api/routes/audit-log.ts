import { Hono } from 'hono';
import { z } from 'zod';
import { listAudit } from '../../db/audit.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { ApiDeps } from '../deps.js';
import type { AppEnv } from '../env.js';
import { allow } from '../middleware/roles.js';
import { AuditLog, AuditQuery } from '../schemas.js';
import { query } from '../validate.js';

const AuditCursor = z.object({ before: z.string().regex(/^\d+$/) });

/** Who changed what (agents, sources, keys, settings), newest first. */
export function auditLogRoutes({ db }: ApiDeps) {
  return new Hono<AppEnv>().get('/', allow('admin'), async (c) => {
    const q = query(c, AuditQuery);
    const limit = q.limit ?? 50;
    const cursor = decodeCursor(q.cursor, AuditCursor);
    const entries = await listAudit(db, c.get('principal').workspaceId, { limit: limit + 1, ...(cursor ? { before: cursor.before } : {}) });
    const page = entries.slice(0, limit);
    return c.json(AuditLog.parse({
      entries: page.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })),
      ...(entries.length > limit ? { nextCursor: encodeCursor({ before: page.at(-1)!.id }) } : {}),
    }));
  });
}
