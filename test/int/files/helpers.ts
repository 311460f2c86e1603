/** Uploading real files to a running test system and asking about them. */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { say, type TestSystem } from '../../support/system.js';
import { uniqueId } from '../../support/temporal.js';

export interface UploadPart {
  name: string;
  bytes: Uint8Array;
  type?: string;
}

export async function upload(sys: TestSystem, agentId: string, files: UploadPart[], fields: Record<string, string | string[]> = {}) {
  const form = new FormData();
  for (const f of files) form.append('file', new Blob([new Uint8Array(f.bytes)], { type: f.type ?? 'application/octet-stream' }), f.name);
  for (const [k, v] of Object.entries(fields)) for (const value of [v].flat()) form.append(k, value);
  const res = await fetch(`${sys.url}/v1/agents/${agentId}/files`, { method: 'POST', body: form, headers: { authorization: `Bearer ${sys.rootKey}` } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export async function sourcesOf(sys: TestSystem, agentId: string): Promise<{ id: string; title: string; type: string }[]> {
  const res = await sys.request('GET', `/v1/agents/${agentId}/sources`);
  expect(res.status).toBe(200);
  return res.body.sources;
}

/** Asks one question in a new conversation and returns the reply. */
export async function ask(sys: TestSystem, agentId: string, question: string) {
  const res = await say(sys, agentId, uniqueId('ask'), question);
  expect(res.status).toBe(200);
  return res.body.reply as { text: string; kind: string; sources: { id: string; title: string; location?: string }[] };
}

const exec = promisify(execFile);

/**
 * A few seconds of video made by ffmpeg: a colour test source, optionally a tone as audio and captions
 * muxed as a text track (mov_text in MP4/MOV, WebVTT in WebM).
 */
export async function makeVideo(options: { container: 'mp4' | 'mov' | 'webm' | 'avi' | 'mpg'; captions?: string; audio?: boolean }): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'ca-test-video-'));
  try {
    const out = join(dir, `video.${options.container}`);
    const args = ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=blue:s=64x64:d=4:r=25'];
    if (options.audio) args.push('-f', 'lavfi', '-i', 'sine=frequency=440:duration=4');
    if (options.captions) {
      const srt = join(dir, 'captions.srt');
      await writeFile(srt, options.captions);
      args.push('-i', srt);
    }
    const webm = options.container === 'webm';
    args.push('-c:v', webm ? 'libvpx' : options.container === 'mpg' ? 'mpeg1video' : 'mpeg4');
    if (options.audio) args.push('-c:a', webm ? 'libopus' : options.container === 'mpg' ? 'mp2' : 'aac');
    if (options.captions) args.push('-c:s', webm ? 'webvtt' : 'mov_text');
    args.push('-shortest', out);
    await exec('ffmpeg', args);
    return await readFile(out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const CAPTIONS = `1
00:00:00,500 --> 00:00:02,000
Welcome to the Fjeldspor boot fitting guide.

2
00:00:02,000 --> 00:00:03,800
Always try hiking boots on in the afternoon, when your feet are at their largest.
`;
