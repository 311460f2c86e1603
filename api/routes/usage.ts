import { usageReport } from '../../db/usage.js';
import { UsageQuery, UsageReport } from '../billing-schemas.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { allow } from '../middleware/roles.js';
import { errors, json, openApiRouter, v1Route } from '../openapi.js';
import { query } from '../validate.js';

const report = v1Route({
  method: 'get', path: '/', operationId: 'getUsage', tags: ['billing'],
  summary: 'Credits and billable conversations in [from, to): in total, per agent and per UTC day',
  middleware: [allow('admin')],
  request: { query: UsageQuery },
  responses: { 200: json(UsageReport, 'The usage'), ...errors(422) },
});

/** The current calendar month in UTC: [first day, first day of the next month). */
export function currentMonth(now: Date): { from: Date; to: Date } {
  return {
    from: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)),
    to: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)),
  };
}

/**
 * Credits and billable conversations in [from, to), in total, per agent and per UTC day. A conversation
 * costs one credit once it holds an agent reply; test conversations and those during the trial cost none.
 */
export function usageRoutes({ db }: ApiDeps) {
  return openApiRouter().openapi(report, async (c) => {
    const q = query(c, UsageQuery);
    const month = currentMonth(new Date());
    const from = q.from ?? month.from;
    const to = q.to ?? month.to;
    if (from >= to) {
      // Name what the caller gave: with only one end given, the other is the current month's.
      const field = q.to ? 'to' : 'from';
      throw new ApiError('invalid_request', `${field}: the range is empty; from (${from.toISOString()}) must be before to (${to.toISOString()}), which is exclusive`, field);
    }
    const report = await usageReport(db, c.get('principal').workspaceId, { from, to });
    return c.json(UsageReport.parse({ from: from.toISOString(), to: to.toISOString(), ...report }), 200);
  });
}
