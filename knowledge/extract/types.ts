/**
 * What file extraction produces and the closed vocabulary of its refusals. An extractor either returns
 * blocks with at least one text block or throws an ExtractError: a caller never stores a half-read file.
 */
import type { Block } from '../blocks.js';

/** File formats we read, as sniffed from the bytes (the name only decides among plain-text families). */
export const FILE_TYPES = [
  'docx', 'pptx', 'xlsx', 'xls', 'pdf', 'csv', 'json', 'xml', 'html', 'markdown', 'rst', 'text', 'config', 'video',
] as const;
export type FileType = (typeof FILE_TYPES)[number];

export type ExtractErrorCode =
  /** No bytes, or no text worth keeping. */
  | 'empty'
  /** Claims a format its bytes do not hold, or the format's structure is broken. */
  | 'corrupt'
  /** Password-protected: we cannot read it without the password and never ask for one. */
  | 'encrypted'
  /** The bytes are a format we do not read (an image, an archive, a legacy .doc). */
  | 'unsupported'
  | 'too_large'
  /** A video with no caption track and no transcription provider configured. */
  | 'no_transcript'
  /** The transcription provider failed or ffmpeg could not run: worth retrying later. */
  | 'unavailable';

export class ExtractError extends Error {
  override name = 'ExtractError';
  constructor(readonly code: ExtractErrorCode, message: string) {
    super(message);
  }
}

export interface FileInput {
  /** The name the file was uploaded with; used for the title and to tell plain-text families apart. */
  name: string;
  bytes: Uint8Array;
  /** The media type the client declared; informative only, the bytes decide. */
  declaredType?: string;
}

export interface Extracted {
  type: FileType;
  mediaType: string;
  /** A title found inside the file (document title, <title>), when it has one. */
  title?: string;
  blocks: Block[];
}

export interface VideoOptions {
  /** The ffmpeg binary; absent means caption tracks cannot be read. */
  ffmpegPath?: string;
  ffprobePath?: string;
  transcription?: TranscriptionOptions;
  /** Temporary files go here; defaults to the OS temporary directory. */
  tmpDir?: string;
}

export interface TranscriptionOptions {
  /** An OpenAI-compatible API base, e.g. https://api.openai.com/v1 (the path /audio/transcriptions is appended). */
  baseUrl: string;
  apiKey?: string;
  model: string;
  timeoutMs?: number;
}

export const DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024;

export interface FileExtractor {
  readonly maxBytes: number;
  extract(input: FileInput): Promise<Extracted>;
  /** Whether videos can be read (ffmpeg present or a transcription provider configured), and how. */
  videoSupport(): Promise<{ captions: boolean; transcription: boolean }>;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** The refusal of a file over the size limit, or undefined when it is within it. */
export function tooLarge(name: string, size: number, maxBytes: number): ExtractError | undefined {
  return size > maxBytes ? new ExtractError('too_large', `${name} is ${formatBytes(size)}; files may be at most ${formatBytes(maxBytes)}`) : undefined;
}

export interface ExtractOptions {
  maxBytes?: number;
  video?: VideoOptions;
}
