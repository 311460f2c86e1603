/** Temporal helpers for integration tests; the server comes from test/global-setup.ts. */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

export function temporalAddress(): string {
  return inject('temporalAddress');
}

export function temporalNamespace(): string {
  return inject('temporalNamespace');
}

/**
 * A readable id that never repeats, even on a long-lived server across reruns. Safe as a workflow id,
 * task queue or ExternalId (letters, digits, . _ : @ -; at most 128 chars).
 */
export function uniqueId(testName: string): string {
  const slug = testName.replace(/[^A-Za-z0-9._:@-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 100) || 'test';
  return `${slug}-${randomBytes(6).toString('hex')}`;
}
