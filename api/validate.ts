/**
 * Request validation: zod is the single source of boundary types. Bodies are read once, parsed as JSON
 * with a clear 400 when malformed, and checked against the schema before anything is written.
 */
import type { Context } from 'hono';
import type { z } from 'zod';
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
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw fromZodError(parsed.error);
  return parsed.data;
}

export function params<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  const parsed = schema.safeParse(c.req.param());
  if (!parsed.success) throw fromZodError(parsed.error);
  return parsed.data;
}

/** Query parameters against an object schema; the first bad one is a 422 naming it. */
export function query<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw fromZodError(parsed.error);
  return parsed.data;
}
