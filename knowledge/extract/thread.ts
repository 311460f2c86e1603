/**
 * The extraction thread's side (see isolated.ts): reads one file per message with the in-process
 * extractor and answers with the blocks or the refusal.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createFileExtractor } from './index.js';
import { ExtractError, type ExtractOptions, type FileInput } from './types.js';

export interface ExtractRequest {
  id: number;
  input: FileInput;
}

export type ExtractReply =
  | { id: number; ok: true; extracted: Awaited<ReturnType<ReturnType<typeof createFileExtractor>['extract']>> }
  | { id: number; ok: false; error: { extract: boolean; code?: string; message: string } };

const extractor = createFileExtractor(workerData as ExtractOptions);

parentPort!.on('message', (request: ExtractRequest) => {
  void extractor.extract(request.input).then(
    (extracted): void => parentPort!.postMessage({ id: request.id, ok: true, extracted } satisfies ExtractReply),
    (err: unknown): void => parentPort!.postMessage({
      id: request.id,
      ok: false,
      error: err instanceof ExtractError
        ? { extract: true, code: err.code, message: err.message }
        : { extract: false, message: err instanceof Error ? err.message : String(err) },
    } satisfies ExtractReply),
  );
});
parentPort!.postMessage('ready');
