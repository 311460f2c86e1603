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
    const paraphrase = shortAnswerMatch({ similarity: 0.8, looseCoverage: 0.75, looseReverseCoverage: 0.75 });
    const otherSubject = shortAnswerMatch({ similarity: 0.6, looseCoverage: 0.33, looseReverseCoverage: 0.5 });
    expect(paraphrase).toBeGreaterThan(otherSubject);
    expect(shortAnswerMatch({ similarity: 1, looseCoverage: 1, looseReverseCoverage: 1 })).toBe(1);
    expect(shortAnswerMatch({ similarity: 0.1, looseCoverage: 0, looseReverseCoverage: 0 })).toBe(0);
  });

  it('count term overlap only when it goes both ways', () => {
    const questionInsidePhrasing = shortAnswerMatch({ similarity: 0.7, looseCoverage: 1, looseReverseCoverage: 0.2 });
    const balanced = shortAnswerMatch({ similarity: 0.7, looseCoverage: 0.6, looseReverseCoverage: 0.6 });
    expect(balanced).toBeGreaterThan(questionInsidePhrasing);
  });
});
