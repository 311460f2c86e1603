/**
 * Failures are a closed vocabulary: each code has one HTTP status, and the OpenAPI document lists the
 * codes as an enum. Add a code here, never a free-form one in a handler.
 */
export const ERROR_STATUS = {
  malformed_json: 400,
  malformed_body: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  agent_not_found: 404,
  conversation_not_found: 404,
  source_not_found: 404,
  key_not_found: 404,
  workspace_not_found: 404,
  user_not_found: 404,
  team_not_found: 404,
  webhook_not_found: 404,
  deployment_not_found: 404,
  action_not_found: 404,
  action_run_not_found: 404,
  contact_not_found: 404,
  message_id_conflict: 409,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unsupported_file: 415,
  invalid_request: 422,
  empty_file: 422,
  corrupt_file: 422,
  encrypted_file: 422,
  no_transcript: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];
