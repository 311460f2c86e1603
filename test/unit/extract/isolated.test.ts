import { afterEach, describe, expect, it } from 'vitest';
import { createFileExtractor, ExtractError } from '../../../knowledge/extract/index.js';
import { createIsolatedExtractor } from '../../../knowledge/extract/isolated.js';

const md = (s: string) => ({ name: 'care.md', bytes: Buffer.from(s) });
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function isolated(options: Parameters<typeof createIsolatedExtractor>[0]) {
  const extractor = createIsolatedExtractor(options);
  closers.push(() => extractor.close());
  return extractor;
}

describe('files read in a worker thread', () => {
  it('come back exactly as the in-process reader reads them', async () => {
    const file = md('# Care\n\nWash the jacket at 30 °C.\n\n## Storage\n\nKeep it dry.\n');
    expect(await isolated({ threads: 1 }).extract(file)).toEqual(await createFileExtractor().extract(file));
  });

  it('a refusal keeps its code and message across the thread, and an oversized file never reaches one', async () => {
    const extractor = isolated({ threads: 1, maxBytes: 64 });
    const empty = await extractor.extract({ name: 'blank.txt', bytes: Buffer.from('   \n') }).catch((e: unknown) => e);
    expect(empty).toBeInstanceOf(ExtractError);
    expect(empty).toMatchObject({ code: 'empty', message: expect.stringMatching(/^blank\.txt holds only white/) });
    const big = await extractor.extract({ name: 'big.txt', bytes: Buffer.alloc(65, 'a') }).catch((e: unknown) => e);
    expect(big).toMatchObject({ code: 'too_large', message: 'big.txt is 65 bytes; files may be at most 64 bytes' });
  });

  it('an idle thread is ended to give its memory back, and the next file starts another', async () => {
    const extractor = isolated({ threads: 1, idleMs: 300 });
    await extractor.extract(md('# A\n\nOne.\n'));
    expect(extractor.runningThreads).toBe(1);
    const deadline = Date.now() + 5_000;
    while (extractor.runningThreads > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(extractor.runningThreads).toBe(0);
    expect((await extractor.extract(md('# C\n\nThree.\n'))).blocks).toContainEqual({ kind: 'text', text: 'Three.' });
    expect(extractor.runningThreads).toBe(1);
  });
});
