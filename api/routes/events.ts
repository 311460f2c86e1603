import { listEvents } from '../../db/events.js';
import { EventList, EventsQuery } from '../billing-schemas.js';
import type { ApiDeps } from '../deps.js';
import { allow } from '../middleware/roles.js';
import { errors, json, openApiRouter, v1Route } from '../openapi.js';
import { query } from '../validate.js';

const list = v1Route({
  method: 'get', path: '/', operationId: 'listEvents', tags: ['billing'],
  summary: 'What happened to the workspace (trial.*, conversation.*, message.created, contact.updated), newest first',
  middleware: [allow('admin')],
  request: { query: EventsQuery },
  responses: { 200: json(EventList, 'The events'), ...errors(422) },
});

/** What happened to the workspace (the trial's events, conversations' and messages'), newest first. */
export function eventRoutes({ db }: ApiDeps) {
  return openApiRouter().openapi(list, async (c) => {
    const q = query(c, EventsQuery);
    const events = await listEvents(db, c.get('principal').workspaceId, { limit: q.limit ?? 50, ...(q.type ? { type: q.type } : {}) });
    return c.json(EventList.parse({ events: events.map((e) => ({ id: e.id, type: e.type, data: e.data, createdAt: e.createdAt.toISOString() })) }), 200);
  });
}
