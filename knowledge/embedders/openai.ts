/**
 * Any OpenAI-compatible embeddings endpoint (OpenAI, Azure-compatible gateways, Ollama, vLLM, LM Studio):
 * POST {baseUrl}/embeddings. The API key goes only into the Authorization header; it is never put in an
 * error message or log, and is scrubbed from any error body the server echoes back.
 */
import { z } from 'zod';
import type { Embedder } from '../types.js';
import { normalize } from './normalize.js';

export interface OpenAiEmbedderOptions {
  /** Including the version segment, e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1. */
  baseUrl?: string;
  apiKey?: string;
  model: string;
  dimensions: number;
  batchSize?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const EmbeddingsResponse = z.object({
  data: z.array(z.object({ index: z.number().int().min(0), embedding: z.array(z.number()) })),
});

export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';

export function createOpenAiEmbedder(opts: OpenAiEmbedderOptions): Embedder {
  const url = `${(opts.baseUrl ?? DEFAULT_OPENAI_BASE_URL).replace(/\/+$/, '')}/embeddings`;
  const batchSize = opts.batchSize ?? 64;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const doFetch = opts.fetch ?? fetch;
  const scrub = (s: string) => (opts.apiKey ? s.split(opts.apiKey).join('[redacted]') : s);

  async function embedBatch(input: string[]): Promise<number[][]> {
    let res: Response;
    try {
      res = await doFetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {}),
        },
        body: JSON.stringify({ model: opts.model, input, dimensions: opts.dimensions, encoding_format: 'float' }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new Error(`Embedding request to ${url} failed: ${scrub((err as Error).message)}`, { cause: err });
    }
    const body = await res.text();
    if (!res.ok) {
      throw new Error(`Embedding request to ${url} failed with HTTP ${res.status}: ${scrub(body.slice(0, 500))}`);
    }
    let parsed: z.infer<typeof EmbeddingsResponse>;
    try {
      parsed = EmbeddingsResponse.parse(JSON.parse(body));
    } catch {
      throw new Error(`Embedding response from ${url} is not an OpenAI embeddings response: ${scrub(body.slice(0, 200))}`);
    }
    const vectors: (number[] | undefined)[] = new Array(input.length);
    for (const d of parsed.data) vectors[d.index] = d.embedding;
    return vectors.map((v, i) => {
      if (!v) throw new Error(`Embedding response from ${url} has no vector for input ${i} of ${input.length}`);
      if (v.length !== opts.dimensions) {
        throw new Error(
          `Embedding model ${opts.model} at ${url} returned ${v.length} dimensions, expected ${opts.dimensions} ` +
            '(EMBEDDING_DIMENSIONS); pick a model that supports that size or change the setting on a new database.',
        );
      }
      return normalize(v);
    });
  }

  return {
    dimensions: opts.dimensions,
    model: opts.model,
    async embed(texts) {
      const out: number[][] = [];
      for (let i = 0; i < texts.length; i += batchSize) out.push(...(await embedBatch(texts.slice(i, i + batchSize))));
      return out;
    },
  };
}
