/** Opaque page cursors: base64url JSON, validated when read back so a forged one is a 422, not a 500. */
import { z } from 'zod';
import { ApiError } from './errors.js';

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<S extends z.ZodType>(cursor: string | undefined, schema: S): z.infer<S> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through
  }
  throw new ApiError('invalid_request', 'cursor: not a cursor this API gave out; pass nextCursor from the previous page', 'cursor');
}
