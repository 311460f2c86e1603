/**
 * Video is knowledge only through its words: the embedded caption/subtitle tracks (read with ffmpeg), else
 * a transcript from an OpenAI-compatible `/audio/transcriptions` endpoint. Without either the upload is
 * refused with what to do. Cues are grouped into time ranges ('00:01:05–00:01:40') that become locations.
 * The video is written to a private temporary directory, removed whatever happens.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { Block } from '../blocks.js';
import { ExtractError, type TranscriptionOptions, type VideoOptions } from './types.js';

export interface Cue {
  start: number;
  end: number;
  text: string;
}

const CUE_GROUP_CHARS = 900;
/** Bitmap subtitle codecs carry pictures of text, which we cannot read. */
const TEXT_SUBTITLE_CODECS = new Set(['mov_text', 'subrip', 'srt', 'webvtt', 'ass', 'ssa', 'text', 'eia_608', 'ttml']);

const Probe = z.object({
  streams: z.array(z.object({
    index: z.number(),
    codec_type: z.string().optional(),
    codec_name: z.string().optional(),
    tags: z.record(z.string(), z.string()).optional(),
  })).default([]),
});

const TranscriptionResponse = z.object({
  text: z.string().optional(),
  segments: z.array(z.object({ start: z.number(), end: z.number(), text: z.string() })).optional(),
});

export async function extractVideo(bytes: Uint8Array, name: string, mediaType: string, options: VideoOptions, ffmpegOk: boolean): Promise<Block[]> {
  if (!ffmpegOk && !options.transcription) {
    throw new ExtractError('no_transcript', `${name} is a video, and videos are read through their caption tracks or a transcript: `
      + 'install ffmpeg on the server (Debian/Ubuntu: apt-get install ffmpeg; or set FFMPEG_PATH and FFPROBE_PATH to its binaries) '
      + 'to use embedded captions, or configure a transcription '
      + 'provider (TRANSCRIPTION_BASE_URL, TRANSCRIPTION_API_KEY, TRANSCRIPTION_MODEL); or upload the transcript as a text file');
  }
  const dir = await mkdtemp(join(options.tmpDir ?? tmpdir(), 'ca-video-'));
  try {
    const input = join(dir, `input${extensionFor(mediaType)}`);
    await writeFile(input, bytes);
    let hasAudio = true;
    if (ffmpegOk) {
      const streams = await probe(options, input, name);
      const tracks = streams.filter((s) => s.codec_type === 'subtitle' && TEXT_SUBTITLE_CODECS.has(s.codec_name ?? ''));
      hasAudio = streams.some((s) => s.codec_type === 'audio');
      const blocks: Block[] = [];
      for (const track of tracks) {
        const vtt = await run(options.ffmpegPath ?? 'ffmpeg', ['-v', 'error', '-nostdin', '-i', input, '-map', `0:${track.index}`, '-f', 'webvtt', '-'])
          .catch((err: Error) => {
            throw new ExtractError('corrupt', `${name}: its caption track could not be read (${firstLine(err.message)})`);
          });
        const cues = parseVtt(vtt);
        if (cues.length === 0) continue;
        const language = track.tags?.language && track.tags.language !== 'und' ? track.tags.language : undefined;
        const label = track.tags?.title ?? (language ? `Captions (${language})` : 'Captions');
        if (tracks.length > 1) blocks.push({ kind: 'heading', level: 1, text: label });
        blocks.push(...cueBlocks(cues));
      }
      if (blocks.length > 0) return blocks;
      if (!options.transcription) {
        throw new ExtractError('no_transcript', `${name} has no caption or subtitle track with text; mux captions into it `
          + '(e.g. ffmpeg -i video.mp4 -i captions.srt -c copy -c:s mov_text out.mp4), upload the transcript as a text file, or configure a '
          + 'transcription provider (TRANSCRIPTION_BASE_URL, TRANSCRIPTION_API_KEY, TRANSCRIPTION_MODEL)');
      }
      if (!hasAudio) throw new ExtractError('no_transcript', `${name} has neither captions nor an audio track, so there is nothing to transcribe`);
    }
    const transcription = options.transcription!;
    let audio = input;
    let audioType = mediaType;
    if (ffmpegOk) {
      // Speech only, mono 16 kHz: a fraction of the video's size, within providers' upload limits.
      audio = join(dir, 'audio.mp3');
      audioType = 'audio/mpeg';
      await run(options.ffmpegPath ?? 'ffmpeg', ['-v', 'error', '-nostdin', '-i', input, '-vn', '-ac', '1', '-ar', '16000', '-b:a', '48k', '-f', 'mp3', audio])
        .catch((err: Error) => {
          throw new ExtractError('corrupt', `${name}: its audio could not be extracted (${firstLine(err.message)})`);
        });
    }
    const cues = await transcribe(transcription, await readFile(audio), audioType, audio === input ? name : `${name}.mp3`);
    if (cues.length === 0) throw new ExtractError('empty', `${name}: the transcription found no speech`);
    return cueBlocks(cues);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function probe(options: VideoOptions, input: string, name: string) {
  const out = await run(options.ffprobePath ?? 'ffprobe', ['-v', 'error', '-show_entries', 'stream=index,codec_type,codec_name:stream_tags=language,title', '-of', 'json', input])
    .catch((err: Error) => {
      throw new ExtractError('corrupt', `${name} is a damaged or unreadable video (${firstLine(err.message)})`);
    });
  const parsed = Probe.safeParse(JSON.parse(out || '{}'));
  if (!parsed.success) throw new ExtractError('corrupt', `${name} is a damaged or unreadable video`);
  if (!parsed.data.streams.some((s) => s.codec_type === 'video' || s.codec_type === 'audio')) {
    throw new ExtractError('corrupt', `${name} has no video or audio stream; it is damaged or not a video`);
  }
  return parsed.data.streams;
}

async function transcribe(t: TranscriptionOptions, audio: Buffer, type: string, fileName: string): Promise<Cue[]> {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(audio)], { type }), fileName);
  form.set('model', t.model);
  form.set('response_format', 'verbose_json');
  const url = `${t.baseUrl.replace(/\/+$/, '')}/audio/transcriptions`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      body: form,
      headers: t.apiKey ? { authorization: `Bearer ${t.apiKey}` } : {},
      signal: AbortSignal.timeout(t.timeoutMs ?? 10 * 60_000),
    });
  } catch (err) {
    throw new ExtractError('unavailable', `the transcription provider could not be reached (${(err as Error).message}); try again later`);
  }
  const body = await res.text();
  if (!res.ok) throw new ExtractError('unavailable', `the transcription provider answered ${res.status}: ${body.slice(0, 200)}`);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    // Some servers ignore response_format and answer plain text.
    json = { text: body };
  }
  const parsed = TranscriptionResponse.safeParse(json);
  if (!parsed.success) throw new ExtractError('unavailable', 'the transcription provider answered in an unexpected shape');
  const { segments, text } = parsed.data;
  if (segments && segments.length > 0) return segments.map((s) => ({ start: s.start, end: s.end, text: s.text.trim() })).filter((s) => s.text);
  return text?.trim() ? [{ start: 0, end: 0, text: text.trim() }] : [];
}

/** WebVTT (also what ffmpeg writes for every text subtitle codec) to cues; markup and settings dropped. */
export function parseVtt(vtt: string): Cue[] {
  const cues: Cue[] = [];
  for (const block of vtt.replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
    const lines = block.split('\n');
    const at = lines.findIndex((l) => l.includes('-->'));
    if (at < 0) continue;
    const [a, b] = lines[at]!.split('-->').map((s) => parseTime(s.trim().split(/\s+/)[0]!));
    const text = lines.slice(at + 1).join(' ').replace(/<[^>]+>/g, '').replace(/\{\\[^}]*\}/g, '').replace(/\s+/g, ' ').trim();
    if (text && a !== undefined && b !== undefined) cues.push({ start: a, end: b, text });
  }
  return cues;
}

function parseTime(s: string): number | undefined {
  const m = /^(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})$/.exec(s);
  if (!m) return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]!.padEnd(3, '0')) / 1000;
}

/** Cues into about-one-chunk groups, each under a location naming its time range. Repeated cue text (roll-up captions) is kept once. */
export function cueBlocks(cues: readonly Cue[]): Block[] {
  const out: Block[] = [];
  let group: Cue[] = [];
  let chars = 0;
  const flush = () => {
    if (group.length === 0) return;
    const from = group[0]!.start;
    const to = Math.max(...group.map((c) => c.end));
    out.push({ kind: 'location', text: to > from ? `${clock(from)}–${clock(to)}` : clock(from) });
    out.push({ kind: 'text', text: group.map((c) => c.text).join(' ') });
    group = [];
    chars = 0;
  };
  let last = '';
  for (const cue of cues) {
    if (cue.text === last) continue;
    last = cue.text;
    if (chars + cue.text.length > CUE_GROUP_CHARS) flush();
    group.push(cue);
    chars += cue.text.length + 1;
  }
  flush();
  return out;
}

function clock(seconds: number): string {
  const s = Math.floor(seconds);
  return [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60].map((n) => String(n).padStart(2, '0')).join(':');
}

function extensionFor(mediaType: string): string {
  return { 'video/quicktime': '.mov', 'video/webm': '.webm', 'video/x-msvideo': '.avi', 'video/mpeg': '.mpg', 'video/mp2t': '.ts' }[mediaType] ?? '.mp4';
}

function firstLine(s: string): string {
  return s.split('\n').find((l) => l.trim() && !/^Command failed/.test(l))?.trim().slice(0, 200) ?? 'unknown error';
}

const RUN_TIMEOUT_MS = 5 * 60_000;

export function run(cmd: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: RUN_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${stderr || err.message}`));
      else resolve(stdout);
    });
  });
}

/** Whether ffmpeg and ffprobe can be run. */
export async function ffmpegAvailable(options: VideoOptions): Promise<boolean> {
  try {
    await run(options.ffmpegPath ?? 'ffmpeg', ['-version']);
    await run(options.ffprobePath ?? 'ffprobe', ['-version']);
    return true;
  } catch {
    return false;
  }
}
