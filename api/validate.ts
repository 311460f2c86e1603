/**
 * Request validation: zod is the single source of boundary types. Bodies are read once, parsed as JSON
 * with a clear 400 when malformed, and checked against the schema before anything is written.
 *
 * Invariant: no string that PostgreSQL cannot store (a NUL, a lone UTF-16 surrogate) gets past these
 * functions, in a body, a path parameter or a query parameter; it is a 422 naming its field. Such a
 * string used to reach the database from a workflow and freeze the conversation.
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import { findUnsafeText, formatTextPath, isStorableText } from '../domain/text.js';
import { ApiError, fromZodError } from './errors.js';

export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new ApiError('unsupported_media_type', 'send the body as JSON with Content-Type: application/json');
  }
  const raw = await c.req.text();
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new ApiError('malformed_json', `the body is not valid JSON: ${(err as Error).message}`);
  }
  refuseUnstorableText(value);
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw fromZodError(parsed.error);
  return parsed.data;
}

export function params<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  const values = c.req.param();
  refuseUnstorableText(values);
  const parsed = schema.safeParse(values);
  if (!parsed.success) throw fromZodError(parsed.error);
  return parsed.data;
}

/**
 * The query parameters (the first value of each), after every value of every parameter, also those a
 * schema would ignore, was checked to be storable.
 */
export function queryValues(c: Context): Record<string, string> {
  for (const [name, values] of Object.entries(c.req.queries())) {
    // Named by the parameter alone (`kind`), not by the position of a repeated value.
    refuseUnstorableText({ [name]: values.find((v) => !isStorableText(v)) ?? '' });
  }
  return c.req.query();
}

/**
 * Throws a 422 naming the first field (a dotted path, e.g. `customer.name`) whose text holds a NUL or a
 * lone surrogate. For any value read from a request: JSON, path or query parameters, form fields.
 */
export function refuseUnstorableText(value: unknown): void {
  const path = findUnsafeText(value);
  if (!path) return;
  const field = formatTextPath(path) || undefined;
  const what = 'contains a NUL character or an unpaired UTF-16 surrogate, which cannot be stored; remove it';
  throw new ApiError('invalid_request', field ? `${field}: ${what}` : `the body ${what}`, field);
}

/** Query parameters against an object schema; the first bad one is a 422 naming it. */
export function query<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  const parsed = schema.safeParse(queryValues(c));
  if (!parsed.success) throw fromZodError(parsed.error);
  return parsed.data;
}
