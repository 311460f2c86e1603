import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../../../knowledge/chunk.js';
import { phrasingsOf, readShortAnswer, shortAnswerBlocks, shortAnswerMatch, shortAnswerMetadata } from '../../../knowledge/short-answers.js';

const CONTENT = {
  question: 'How long do I have to return an item?',
  answer: 'Returns are free within 60 days.',
  alternates: ['What is the return window?', '  how long do I have to return an item ', 'Can I send things back after a month?'],
};

describe('short answers', () => {
  it('are chunked one phrasing per chunk, the question first, repeated alternates dropped', () => {
    const chunks = chunkDocument({ title: CONTENT.question, blocks: shortAnswerBlocks(CONTENT) });
    expect(chunks.map((c) => c.text)).toEqual([
      'How long do I have to return an item?', 'What is the return window?', 'Can I send things back after a month?',
    ]);
    expect(chunks.every((c) => c.title === CONTENT.question)).toBe(true);
    expect(chunks.some((c) => c.text.includes(CONTENT.answer))).toBe(false);
  });

  it('keep the answer and phrasings in metadata, read back as stored', () => {
    const metadata = shortAnswerMetadata(CONTENT);
    expect(readShortAnswer({ ...metadata, languages: ['en'] })).toEqual({
      question: CONTENT.question, answer: CONTENT.answer, alternates: ['What is the return window?', 'Can I send things back after a month?'],
    });
    expect(readShortAnswer({ languages: ['en'] })).toBeUndefined();
    expect(phrasingsOf({ question: ' A  b ', answer: 'x', alternates: ['a B', 'c'] })).toEqual(['A b', 'c']);
  });

  it('match a paraphrase with the same terms and meaning above one on another subject that shares a word', () => {
    const paraphrase = shortAnswerMatch({ similarity: 0.8, weightedCoverage: 0.75, weightedAnswerCoverage: 0.75, weightedReverseCoverage: 0.75 });
    const otherSubject = shortAnswerMatch({ similarity: 0.6, weightedCoverage: 0.33, weightedAnswerCoverage: 0.33, weightedReverseCoverage: 0.5 });
    expect(paraphrase).toBeGreaterThan(otherSubject);
    expect(shortAnswerMatch({ similarity: 1, weightedCoverage: 1, weightedAnswerCoverage: 1, weightedReverseCoverage: 1 })).toBe(1);
    expect(shortAnswerMatch({ similarity: 0.1, weightedCoverage: 0, weightedAnswerCoverage: 0, weightedReverseCoverage: 0 })).toBe(0);
  });

  it('count a question\'s term found in the answer as covered, never below the phrasing alone', () => {
    const phrasingAlone = { similarity: 0.75, weightedCoverage: 0.2, weightedAnswerCoverage: 0.2, weightedReverseCoverage: 0.35 };
    const namedAsTheAnswerDoes = shortAnswerMatch({ ...phrasingAlone, weightedAnswerCoverage: 1 });
    expect(namedAsTheAnswerDoes).toBeGreaterThan(shortAnswerMatch(phrasingAlone));
    expect(shortAnswerMatch({ ...phrasingAlone, weightedAnswerCoverage: 0 })).toBe(shortAnswerMatch(phrasingAlone));
  });

  it('count term overlap only when it goes both ways', () => {
    const questionInsidePhrasing = shortAnswerMatch({ similarity: 0.7, weightedCoverage: 1, weightedAnswerCoverage: 1, weightedReverseCoverage: 0.2 });
    const balanced = shortAnswerMatch({ similarity: 0.7, weightedCoverage: 0.6, weightedAnswerCoverage: 0.6, weightedReverseCoverage: 0.6 });
    expect(balanced).toBeGreaterThan(questionInsidePhrasing);
  });
});
