import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../support/system.js';
import { ask, CAPTIONS, makeVideo, sourcesOf, upload } from './helpers.js';

/** A local server speaking the OpenAI `/v1/audio/transcriptions` format (verbose_json with segments). */
interface Received {
  path: string;
  auth: string | undefined;
  model: string | undefined;
  responseFormat: string | undefined;
  fileName: string | undefined;
  fileType: string | undefined;
  fileBytes: number;
}
const received: Received[] = [];
let failNext = false;
let provider: Server;

async function startProvider(): Promise<string> {
  provider = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const form = await new Request('http://local', { method: 'POST', headers: req.headers as Record<string, string>, body: Buffer.concat(chunks) }).formData();
    const file = form.get('file') as File | null;
    received.push({
      path: req.url ?? '', auth: req.headers.authorization, model: form.get('model')?.toString(), responseFormat: form.get('response_format')?.toString(),
      fileName: file?.name, fileType: file?.type, fileBytes: file?.size ?? 0,
    });
    if (failNext) {
      failNext = false;
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'model overloaded' } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
      task: 'transcribe', language: 'english', duration: 4,
      text: 'Our tents are tested in storms. Every tent comes with a spare pole section.',
      segments: [
        { id: 0, start: 0.0, end: 1.8, text: ' Our tents are tested in storms.' },
        { id: 1, start: 1.8, end: 3.9, text: ' Every tent comes with a spare pole section.' },
      ],
    }));
  });
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(provider.address() as AddressInfo).port}/v1`;
}

describe('with ffmpeg and a transcription provider', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    const baseUrl = await startProvider();
    sys = await startTestSystem('video', { TRANSCRIPTION_BASE_URL: baseUrl, TRANSCRIPTION_API_KEY: 'test-key', TRANSCRIPTION_MODEL: 'whisper-test' });
  });
  afterAll(async () => {
    await sys?.stop();
    await new Promise((resolve) => provider?.close(resolve));
  });

  it('captions win: a WebM with a WebVTT track is read without calling the provider', async () => {
    const before = received.length;
    const agentId = await sys.createAgent();
    const res = await upload(sys, agentId, [{ name: 'fitting.webm', bytes: await makeVideo({ container: 'webm', captions: CAPTIONS, audio: true }) }]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(received.length).toBe(before);
    const reply = await ask(sys, agentId, 'When should I try on hiking boots?');
    expect(reply.text).toMatch(/in the afternoon/);
    expect(reply.sources[0]).toMatchObject({ title: 'fitting.webm', location: '00:00:00–00:00:03' });
  });

  it.each(['avi', 'mpg'] as const)('a .%s without captions is transcribed from its audio and cited by time', async (container) => {
    const before = received.length;
    const agentId = await sys.createAgent();
    const res = await upload(sys, agentId, [{ name: `tents.${container}`, bytes: await makeVideo({ container, audio: true }) }]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.files[0]).toMatchObject({ type: 'video', title: `tents.${container}` });
    expect(received.slice(before)).toEqual([{
      path: '/v1/audio/transcriptions', auth: 'Bearer test-key', model: 'whisper-test', responseFormat: 'verbose_json',
      fileName: `tents.${container}.mp3`, fileType: 'audio/mpeg', fileBytes: expect.any(Number),
    }]);
    const reply = await ask(sys, agentId, 'Does a tent come with a spare pole section?');
    expect(reply.text).toMatch(/spare pole section/);
    expect(reply.sources[0]).toMatchObject({ title: `tents.${container}`, location: '00:00:00–00:00:03' });
  });

  it('a failing provider is a 503 that stores nothing, so the upload can be retried', async () => {
    const agentId = await sys.createAgent();
    failNext = true;
    const res = await upload(sys, agentId, [{ name: 'tents.mp4', bytes: await makeVideo({ container: 'mp4', audio: true }) }]);
    expect(res.status).toBe(503);
    expect(res.body.error).toMatchObject({ code: 'unavailable', field: 'file' });
    expect(res.body.error.message).toMatch(/transcription provider answered 500/);
    expect(await sourcesOf(sys, agentId)).toEqual([]);
  });

  it('a video with neither captions nor sound has nothing to transcribe', async () => {
    const agentId = await sys.createAgent();
    const res = await upload(sys, agentId, [{ name: 'silent.mp4', bytes: await makeVideo({ container: 'mp4' }) }]);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'no_transcript' });
    expect(res.body.error.message).toMatch(/neither captions nor an audio track/);
  });
});

describe('without ffmpeg and without a transcription provider', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startTestSystem('video-none', { FFMPEG_PATH: '/nonexistent/ffmpeg', FFPROBE_PATH: '/nonexistent/ffprobe' });
  });
  afterAll(async () => sys?.stop());

  it('a video, even with captions, is refused with why and what to do, and nothing is stored', async () => {
    const agentId = await sys.createAgent();
    const res = await upload(sys, agentId, [{ name: 'fitting.mp4', bytes: await makeVideo({ container: 'mp4', captions: CAPTIONS }) }]);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'no_transcript', field: 'file' });
    expect(res.body.error.message).toMatch(/install ffmpeg.*apt-get install ffmpeg.*FFMPEG_PATH.*TRANSCRIPTION_BASE_URL/s);
    expect(res.body.error.message).not.toMatch(/ENOENT|spawn/);
    expect(await sourcesOf(sys, agentId)).toEqual([]);
  });
});
