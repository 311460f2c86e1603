import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmbedder } from '../../../knowledge/embedders/index.js';
import { createOpenAiEmbedder } from '../../../knowledge/embedders/openai.js';

const KEY = 'sk-test-7f3a9c-secret';
let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

interface Seen { path: string; auth: string | undefined; body: { model: string; input: string[]; dimensions: number } }

async function fakeProvider(reply: (seen: Seen, res: ServerResponse) => void): Promise<{ baseUrl: string; requests: Seen[] }> {
  const requests: Seen[] = [];
  server = createServer((req: IncomingMessage, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const seen = { path: req.url ?? '', auth: req.headers.authorization, body: JSON.parse(raw) };
      requests.push(seen);
      reply(seen, res);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { baseUrl: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/v1`, requests };
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

describe('an OpenAI-compatible embeddings provider', () => {
  it('sends model, input and dimensions, and returns unit vectors in input order', async () => {
    const { baseUrl, requests } = await fakeProvider((seen, res) => json(res, 200, {
      // Out of order on purpose: providers may return data in any order, keyed by index.
      data: seen.body.input.map((_, i) => ({ index: i, embedding: [3 * (i + 1), 4 * (i + 1), 0, 0] })).reverse(),
      model: seen.body.model,
    }));
    const embedder = createOpenAiEmbedder({ baseUrl: `${baseUrl}/`, apiKey: KEY, model: 'text-embedding-3-small', dimensions: 4, batchSize: 2 });
    const vectors = await embedder.embed(['a', 'b', 'c']);
    expect(vectors).toEqual([[0.6, 0.8, 0, 0], [0.6, 0.8, 0, 0], [0.6, 0.8, 0, 0]]);
    expect(requests.map((r) => r.body.input)).toEqual([['a', 'b'], ['c']]);
    expect(requests[0]).toMatchObject({
      path: '/v1/embeddings',
      auth: `Bearer ${KEY}`,
      body: { model: 'text-embedding-3-small', dimensions: 4 },
    });
  });

  it('a failing provider gives an error naming the URL, with the API key scrubbed from what it echoed', async () => {
    const { baseUrl } = await fakeProvider((_seen, res) => json(res, 401, { error: { message: `Incorrect API key provided: ${KEY}` } }));
    const embedder = createOpenAiEmbedder({ baseUrl, apiKey: KEY, model: 'm', dimensions: 4 });
    const err = await embedder.embed(['hello']).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(`${baseUrl}/embeddings`);
    expect((err as Error).message).toContain('HTTP 401');
    expect((err as Error).message).not.toContain(KEY);
  });

  it('an unreachable provider names the URL it tried', async () => {
    const embedder = createOpenAiEmbedder({ baseUrl: 'http://127.0.0.1:9/v1', apiKey: KEY, model: 'm', dimensions: 4 });
    await expect(embedder.embed(['hello'])).rejects.toThrow('Embedding request to http://127.0.0.1:9/v1/embeddings failed');
  });

  it('a vector of the wrong size is refused, naming the expected dimension', async () => {
    const { baseUrl } = await fakeProvider((_seen, res) => json(res, 200, { data: [{ index: 0, embedding: [1, 2, 3] }] }));
    const embedder = createOpenAiEmbedder({ baseUrl, model: 'tiny', dimensions: 4 });
    await expect(embedder.embed(['hello'])).rejects.toThrow(/returned 3 dimensions, expected 4/);
  });

  it('a response that is not an embeddings response is refused', async () => {
    const { baseUrl } = await fakeProvider((_seen, res) => json(res, 200, { object: 'list', results: [] }));
    const embedder = createOpenAiEmbedder({ baseUrl, model: 'm', dimensions: 4 });
    await expect(embedder.embed(['hello'])).rejects.toThrow(/is not an OpenAI embeddings response/);
  });
});

describe('choosing the embedder from configuration', () => {
  const base = { EMBEDDINGS_MODEL: 'text-embedding-3-small', EMBEDDING_DIMENSIONS: 512 } as const;

  it('the offline embedder is the default and refuses a dimension it cannot produce', () => {
    expect(createEmbedder({ ...base, EMBEDDINGS_PROVIDER: 'offline' })).toMatchObject({ dimensions: 512 });
    expect(() => createEmbedder({ ...base, EMBEDDINGS_PROVIDER: 'offline', EMBEDDING_DIMENSIONS: 1536 }))
      .toThrow(/produces 512 dimensions but EMBEDDING_DIMENSIONS is 1536/);
  });

  it('the openai provider uses the configured model and dimensions', () => {
    const e = createEmbedder({ ...base, EMBEDDINGS_PROVIDER: 'openai', EMBEDDING_DIMENSIONS: 256, EMBEDDINGS_API_KEY: KEY });
    expect({ model: e.model, dimensions: e.dimensions }).toEqual({ model: 'text-embedding-3-small', dimensions: 256 });
  });
});
