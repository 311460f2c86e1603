/**
 * Files as knowledge sources: extraction (bytes → blocks, no database) is separate from storing, so a
 * request with several files extracts all of them before the first is stored, and a refusal stores
 * nothing. Storing goes through ingestSource (one transaction per source).
 */
import { deleteSource } from '../../db/sources.js';
import type { Db } from '../../db/types.js';
import { ingestSource, type IngestProgress } from '../ingest.js';
import type { Embedder } from '../types.js';
import { createIsolatedExtractor } from './isolated.js';
import { DEFAULT_MAX_FILE_BYTES, type Extracted, type FileExtractor, type FileInput, type TranscriptionOptions } from './types.js';

export interface FileLimits {
  /** One file. */
  maxFileBytes: number;
  /** One upload request, all files and form overhead together. */
  maxUploadBytes: number;
  maxFiles: number;
}

export interface StoreFileInput {
  agentId: string;
  fileName: string;
  size: number;
  extracted: Extracted;
  title?: string;
  kind?: string;
  onProgress?: (p: IngestProgress) => void;
}

export interface FileIngestor {
  readonly limits: FileLimits;
  extract(input: FileInput): Promise<Extracted>;
  /** `updated` when the file repeated a stored one (same content, title or file name), replaced in place. */
  store(input: StoreFileInput): Promise<{ id: string; title: string; chunks: number; updated?: true }>;
  /** Undoes a store: used when a later file of the same request fails to store. */
  remove(agentId: string, sourceId: string): Promise<void>;
  /** Stops the extraction threads. */
  close(): Promise<void>;
}

export interface FileSettings {
  FILE_MAX_BYTES?: number;
  FILE_UPLOAD_MAX_BYTES?: number;
  FILE_MAX_COUNT?: number;
  FFMPEG_PATH?: string;
  FFPROBE_PATH?: string;
  TRANSCRIPTION_BASE_URL?: string | undefined;
  TRANSCRIPTION_API_KEY?: string | undefined;
  TRANSCRIPTION_MODEL?: string;
  FILE_EXTRACT_THREADS?: number | undefined;
  FILE_EXTRACT_TIMEOUT_MS?: number;
  FILE_EXTRACT_MAX_MEMORY_MB?: number;
}

export function createFileIngestor({ db, embedder, settings = {}, extractor }: {
  db: Db;
  embedder: Embedder;
  settings?: FileSettings;
  extractor?: FileExtractor;
}): FileIngestor {
  const maxFileBytes = settings.FILE_MAX_BYTES ?? DEFAULT_MAX_FILE_BYTES;
  const transcription: TranscriptionOptions | undefined = settings.TRANSCRIPTION_BASE_URL
    ? {
      baseUrl: settings.TRANSCRIPTION_BASE_URL,
      model: settings.TRANSCRIPTION_MODEL ?? 'whisper-1',
      ...(settings.TRANSCRIPTION_API_KEY ? { apiKey: settings.TRANSCRIPTION_API_KEY } : {}),
    }
    : undefined;
  // Files are read in worker threads: a big or hostile file never stalls the process's other requests.
  const isolated = extractor ? undefined : createIsolatedExtractor({
    maxBytes: maxFileBytes,
    video: {
      ...(settings.FFMPEG_PATH ? { ffmpegPath: settings.FFMPEG_PATH } : {}),
      ...(settings.FFPROBE_PATH ? { ffprobePath: settings.FFPROBE_PATH } : {}),
      ...(transcription ? { transcription } : {}),
    },
    ...(settings.FILE_EXTRACT_THREADS ? { threads: settings.FILE_EXTRACT_THREADS } : {}),
    ...(settings.FILE_EXTRACT_TIMEOUT_MS ? { timeoutMs: settings.FILE_EXTRACT_TIMEOUT_MS } : {}),
    ...(settings.FILE_EXTRACT_MAX_MEMORY_MB ? { maxMemoryMb: settings.FILE_EXTRACT_MAX_MEMORY_MB } : {}),
  });
  const files = extractor ?? isolated!;
  return {
    limits: {
      maxFileBytes,
      maxUploadBytes: Math.max(settings.FILE_UPLOAD_MAX_BYTES ?? 2 * maxFileBytes, maxFileBytes) + 64 * 1024,
      maxFiles: settings.FILE_MAX_COUNT ?? 20,
    },
    extract: (input) => files.extract(input),
    async store({ agentId, fileName, size, extracted, title, kind, onProgress }) {
      const finalTitle = title ?? extracted.title ?? fileName;
      const result = await ingestSource(db, embedder, {
        agentId,
        type: 'file',
        kind: kind ?? 'file',
        title: finalTitle,
        blocks: extracted.blocks,
        replaceSame: true,
        metadata: { fileName, mediaType: extracted.mediaType, bytes: size, format: extracted.type },
        ...(onProgress ? { onProgress } : {}),
      });
      return { id: result.id, title: finalTitle, chunks: result.chunks, ...(result.updated ? { updated: true as const } : {}) };
    },
    async remove(agentId, sourceId) {
      await deleteSource(db, agentId, sourceId);
    },
    async close() {
      await isolated?.close();
    },
  };
}
