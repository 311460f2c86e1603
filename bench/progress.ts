/** What the benches share: a progress line on stderr (rewritten in place on a terminal) and JSONL reading. */
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';

export function progress(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${text}`);
  else process.stderr.write(`${text}\n`);
}

export function progressDone(): void {
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[2K');
}

/** One JSON value per non-empty line, each checked against the schema. */
export async function readJsonl<T>(file: string, schema: z.ZodType<T>): Promise<T[]> {
  const text = await readFile(file, 'utf8');
  return text.split('\n').filter((l) => l.trim()).map((l) => schema.parse(JSON.parse(l)));
}
