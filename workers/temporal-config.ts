/**
 * Reads temporal.yaml, the Temporal server's dynamic configuration in the server's own file format, so
 * the dev server we start runs with the settings a production cluster is given from the same file.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { PACKAGE_ROOT } from './package-root.js';

export const TEMPORAL_CONFIG_FILE = path.join(PACKAGE_ROOT, 'temporal.yaml');

const Scalar = z.union([z.string(), z.number(), z.boolean()]);
const DynamicConfigFile = z.record(
  z.string().regex(/^[A-Za-z0-9_.]+$/, 'a dynamic config key is dotted letters and digits'),
  z.array(z.object({ value: Scalar, constraints: z.record(z.string(), z.unknown()).optional() }).strict()).min(1),
);

export type DynamicConfig = Record<string, z.infer<typeof Scalar>>;

/**
 * The values that apply everywhere (those without constraints): what the dev server's
 * `--dynamic-config-value` flags can carry. A missing file is no configuration; a malformed one stops
 * the start, naming the key at fault.
 */
export async function readDynamicConfig(file = TEMPORAL_CONFIG_FILE): Promise<DynamicConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  const parsed = DynamicConfigFile.safeParse(parse(text) ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.join('.') || '(top level)'}: ${issue.message}. `
      + 'Each key holds a list of values in Temporal\'s dynamic config format, e.g. "system.enableActivityEagerExecution: [{ value: true }]".');
  }
  return Object.fromEntries(Object.entries(parsed.data).flatMap(([key, values]) => {
    const global = values.find((v) => !v.constraints || Object.keys(v.constraints).length === 0);
    return global ? [[key, global.value]] : [];
  }));
}
