import { Hono } from 'hono';
import { listEvents } from '../../db/events.js';
import { EventList, EventsQuery } from '../billing-schemas.js';
import type { ApiDeps } from '../deps.js';
import type { AppEnv } from '../env.js';
import { allow } from '../middleware/roles.js';
import { query } from '../validate.js';

/** What happened to the workspace (trial.started, trial.ending_soon, trial.ended), newest first. */
export function eventRoutes({ db }: ApiDeps) {
  return new Hono<AppEnv>().get('/', allow('admin'), async (c) => {
    const q = query(c, EventsQuery);
    const events = await listEvents(db, c.get('principal').workspaceId, { limit: q.limit ?? 50, ...(q.type ? { type: q.type } : {}) });
    return c.json(EventList.parse({ events: events.map((e) => ({ id: e.id, type: e.type, data: e.data, createdAt: e.createdAt.toISOString() })) }));
  });
}
