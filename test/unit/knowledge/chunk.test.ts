import { describe, expect, it } from 'vitest';
import { chunkDocument, DEFAULT_MAX_CHARS } from '../../../knowledge/chunk.js';

const sentence = (i: number) => `Sentence number ${i} explains one more detail about delivery to the islands.`;

describe('chunking a help article', () => {
  it('chunks follow headings and keep the heading path', () => {
    const chunks = chunkDocument({
      type: 'markdown',
      title: 'Shipping',
      content: [
        '# Shipping',
        'We ship from Aarhus.',
        '## Delivery times',
        '### Denmark',
        'One to two working days.',
        '### Abroad',
        'Three to six working days.',
        '## Costs',
        'Free over 499 DKK.',
      ].join('\n\n'),
    });
    expect(chunks.map((c) => [c.heading, c.text])).toEqual([
      [undefined, 'We ship from Aarhus.'],
      ['Delivery times › Denmark', 'One to two working days.'],
      ['Delivery times › Abroad', 'Three to six working days.'],
      ['Costs', 'Free over 499 DKK.'],
    ]);
    expect(chunks.every((c) => c.title === 'Shipping')).toBe(true);
    expect(chunks[1]!.headingPath).toEqual(['Delivery times', 'Denmark']);
    expect(chunks.map((c) => c.ord)).toEqual([0, 1, 2, 3]);
  });

  it('a long section is split at sentence boundaries under the size cap, repeating a short overlap', () => {
    const text = Array.from({ length: 40 }, (_, i) => sentence(i)).join(' ');
    const chunks = chunkDocument({ type: 'markdown', title: 'Islands', content: `## Delivery\n\n${text}` });
    expect(chunks.length).toBeGreaterThan(2);
    for (const c of chunks) {
      expect(c.text.length).toBeLessThanOrEqual(DEFAULT_MAX_CHARS);
      expect(c.text).toMatch(/^Sentence number \d+ .*islands\.$/s);
      expect(c.heading).toBe('Delivery');
    }
    for (let i = 1; i < chunks.length; i++) {
      const lastOfPrevious = chunks[i - 1]!.text.split(/(?<=\.) /).at(-1)!;
      expect(chunks[i]!.text.startsWith(lastOfPrevious)).toBe(true);
    }
    const all = chunks.map((c) => c.text).join(' ');
    for (let i = 0; i < 40; i++) expect(all).toContain(sentence(i));
  });

  it('a sentence longer than the cap is cut between words, never mid-word', () => {
    const words = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    const chunks = chunkDocument({ type: 'text', title: 'Run-on', content: words }, { maxChars: 300 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) {
      expect(c.text.length).toBeLessThanOrEqual(300);
      expect(c.text).toMatch(/^word\d+( word\d+)*$/);
    }
  });

  it('paragraphs of one section share a chunk when they fit', () => {
    const chunks = chunkDocument({ type: 'text', title: 'Note', content: 'First paragraph.\n\nSecond paragraph.\r\n\r\nThird.' });
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.text).toBe('First paragraph.\n\nSecond paragraph.\n\nThird.');
    expect(chunks[0]!.heading).toBeUndefined();
  });

  it('a document without any text yields no chunks', () => {
    expect(chunkDocument({ type: 'html', title: 'Empty', content: '<nav>Home</nav><h1>Empty</h1>' })).toEqual([]);
    expect(chunkDocument({ type: 'markdown', title: 'Blank', content: '   \n\n  ' })).toEqual([]);
  });
});
