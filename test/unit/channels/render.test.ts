import { describe, expect, it } from 'vitest';
import { withSourceLines } from '../../../channels/render.js';

const sources = [
  { id: 's1', title: 'Shipping times', url: 'https://help.example.test/shipping', snippet: '…' },
  { id: 's2', title: 'Returns', snippet: '…' },
];

describe('sources as plain lines', () => {
  it('lists the cited sources under the text, by their numbers', () => {
    expect(withSourceLines('Two to four days [1]. Returns are free [2].', sources))
      .toBe('Two to four days [1]. Returns are free [2].\n\nSources:\n[1] Shipping times: https://help.example.test/shipping\n[2] Returns');
    expect(withSourceLines('Nothing cited.', sources)).toBe('Nothing cited.');
  });

  it('does not list them twice when the text already does (an answer that ends with its own list, in its language)', () => {
    const answer = 'Zwei bis vier Tage [1].\n\nQuellen:\n[1] Shipping times – https://help.example.test/shipping';
    expect(withSourceLines(answer, sources)).toBe(answer);
    // A list that misses a cited source is not the whole list: the plain lines are added.
    expect(withSourceLines('Days [1], free [2].\n\n[1] Shipping times', sources)).toMatch(/\n\nSources:\n\[1\] Shipping times: https/);
  });
});
