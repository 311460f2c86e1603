/**
 * Failures are a closed vocabulary (domain/errors.ts), mapped to HTTP once. The body is always
 * `{ error: { code, message, field?, requestId } }`; a stack trace never leaves the process.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { ERROR_STATUS, type ErrorCode } from '../domain/errors.js';

export type { ErrorCode };

export class ApiError extends Error {
  constructor(readonly code: ErrorCode, message: string, readonly field?: string, readonly headers?: Record<string, string>) {
    super(message);
  }
  get status(): ContentfulStatusCode {
    return ERROR_STATUS[this.code] as ContentfulStatusCode;
  }
}

export function errorBody(err: ApiError, requestId: string) {
  return { error: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}), requestId } };
}

/** The first zod issue, named by its field; an oversized field is a 413, anything else a 422. */
export function fromZodError(error: z.ZodError, prefix?: string): ApiError {
  const issue = error.issues[0];
  const field = [prefix, ...(issue?.path ?? []).map(String)].filter(Boolean).join('.') || undefined;
  const tooLarge = issue?.code === 'too_big' || (issue?.code === 'custom' && (issue as { params?: { tooLarge?: boolean } }).params?.tooLarge === true);
  const message = field ? `${field}: ${issue?.message ?? 'invalid'}` : issue?.message ?? 'invalid request';
  return new ApiError(tooLarge && field?.endsWith('text') ? 'payload_too_large' : 'invalid_request', message, field);
}

export function respondError(c: Context, err: ApiError) {
  for (const [name, value] of Object.entries(err.headers ?? {})) c.header(name, value);
  return c.json(errorBody(err, c.get('requestId') ?? 'unknown'), err.status);
}
