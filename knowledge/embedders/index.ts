/** Picks the embedder the configuration names. */
import type { Embedder } from '../types.js';
import { createOfflineEmbedder, OFFLINE_DIMENSIONS } from './offline.js';
import { createOpenAiEmbedder } from './openai.js';

/** The embedding settings, as the composition root read them (EMBEDDINGS_* in workers/config.ts). */
export interface EmbedderConfig {
  EMBEDDINGS_PROVIDER: 'offline' | 'openai';
  EMBEDDINGS_BASE_URL?: string | undefined;
  EMBEDDINGS_API_KEY?: string | undefined;
  EMBEDDINGS_MODEL: string;
  EMBEDDING_DIMENSIONS: number;
}

/** `modelCacheDir`: where the offline model is kept once built (the composition root passes the user's cache). */
export function createEmbedder(config: EmbedderConfig, { modelCacheDir }: { modelCacheDir?: string } = {}): Embedder {
  if (config.EMBEDDINGS_PROVIDER === 'openai') {
    return createOpenAiEmbedder({
      ...(config.EMBEDDINGS_BASE_URL ? { baseUrl: config.EMBEDDINGS_BASE_URL } : {}),
      ...(config.EMBEDDINGS_API_KEY ? { apiKey: config.EMBEDDINGS_API_KEY } : {}),
      model: config.EMBEDDINGS_MODEL,
      dimensions: config.EMBEDDING_DIMENSIONS,
    });
  }
  if (config.EMBEDDING_DIMENSIONS !== OFFLINE_DIMENSIONS) {
    throw new Error(
      `The offline embedder produces ${OFFLINE_DIMENSIONS} dimensions but EMBEDDING_DIMENSIONS is ` +
        `${config.EMBEDDING_DIMENSIONS}; unset it or set EMBEDDINGS_PROVIDER=openai.`,
    );
  }
  return createOfflineEmbedder(modelCacheDir ? { modelCacheDir } : {});
}
