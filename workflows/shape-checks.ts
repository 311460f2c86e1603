/**
 * Small hand-written shape checks for what reaches a workflow from outside (inputs, update and signal
 * payloads). Workflows use these instead of their zod schemas because the workflow bundle must not
 * evaluate zod: every cached workflow re-evaluates every module it reaches (conversation-checks.ts has the
 * measurements). The zod schemas stay the source of the types; clients parse with them before sending.
 */

/** What is wrong with a value, one phrase per problem ("messageId: required"); empty when nothing is. */
export type Problems = string[];

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A string field within bounds; `required: false` lets it be absent. */
export function str(problems: Problems, o: Record<string, unknown>, key: string, bounds: { min?: number; max?: number; required?: boolean }): void {
  const v = o[key];
  if (v === undefined) {
    if (bounds.required !== false) problems.push(`${key}: required`);
    return;
  }
  if (typeof v !== 'string') return void problems.push(`${key}: not a string`);
  if (v.length < (bounds.min ?? 0)) problems.push(`${key}: ${v.length === 0 ? 'empty' : 'too short'}`);
  if (bounds.max !== undefined && v.length > bounds.max) problems.push(`${key}: longer than ${bounds.max}`);
}

/** Keys a strict schema does not know: refused as the schema refuses them. */
export function onlyKeys(problems: Problems, o: Record<string, unknown>, keys: readonly string[]): void {
  for (const k of Object.keys(o)) if (!keys.includes(k)) problems.push(`${k}: not expected`);
}

export function refuseIf(what: string, problems: Problems): void {
  if (problems.length > 0) throw new Error(`invalid ${what}: ${problems.join('; ')}`);
}


/** A number field: an integer when `int`, at least `min`; `required: false` lets it be absent. */
export function num(problems: Problems, o: Record<string, unknown>, key: string, bounds: { int?: boolean; min?: number; max?: number; required?: boolean }): void {
  const v = o[key];
  if (v === undefined) {
    if (bounds.required !== false) problems.push(`${key}: required`);
    return;
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) return void problems.push(`${key}: not a number`);
  if (bounds.int && !Number.isInteger(v)) problems.push(`${key}: not an integer`);
  if (bounds.min !== undefined && v < bounds.min) problems.push(`${key}: less than ${bounds.min}`);
  if (bounds.max !== undefined && v > bounds.max) problems.push(`${key}: more than ${bounds.max}`);
}
