/**
 * Failures are a closed vocabulary, mapped to HTTP once. The body is always
 * `{ error: { code, message, field?, requestId } }`; a stack trace never leaves the process.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';

export type ErrorCode =
  | 'malformed_json' | 'invalid_request' | 'payload_too_large' | 'not_found' | 'agent_not_found'
  | 'conversation_not_found' | 'source_not_found' | 'message_id_conflict' | 'unsupported_media_type'
  | 'unavailable' | 'internal' | 'forbidden'
  | 'malformed_body' | 'empty_file' | 'corrupt_file' | 'encrypted_file' | 'unsupported_file' | 'no_transcript';

const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  malformed_json: 400,
  unsupported_media_type: 415,
  invalid_request: 422,
  payload_too_large: 413,
  not_found: 404,
  agent_not_found: 404,
  conversation_not_found: 404,
  source_not_found: 404,
  message_id_conflict: 409,
  forbidden: 403,
  unavailable: 503,
  internal: 500,
  malformed_body: 400,
  empty_file: 422,
  corrupt_file: 422,
  encrypted_file: 422,
  unsupported_file: 415,
  no_transcript: 422,
};

export class ApiError extends Error {
  constructor(readonly code: ErrorCode, message: string, readonly field?: string, readonly headers?: Record<string, string>) {
    super(message);
  }
  get status(): ContentfulStatusCode {
    return STATUS[this.code];
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
