import { describe, expect, it } from 'vitest';
import { citedNumbers, keepValidCitations, renumberCitations } from '../../../graphs/turn/citations.js';

describe('citations in a reply', () => {
  it('are read in order of first appearance, including grouped markers', () => {
    expect(citedNumbers('A [2]. B [1, 3]. C [2][4].')).toEqual([2, 1, 3, 4]);
  });

  it('keep only numbers of passages that were given', () => {
    expect(keepValidCitations('Returns take 30 days [1][7]. Refunds in 5 days [3, 2].', 2))
      .toEqual({ text: 'Returns take 30 days [1]. Refunds in 5 days [2].', citations: [1, 2] });
  });

  it('leave nothing when every marker is invalid', () => {
    expect(keepValidCitations('We ship worldwide [9].', 2)).toEqual({ text: 'We ship worldwide.', citations: [] });
  });

  it('are renumbered 1..k by first citation', () => {
    expect(renumberCitations('First [3]. Then [1]. Again [3].')).toEqual({ text: 'First [1]. Then [2]. Again [1].', order: [3, 1] });
  });

  it('share one number when two passages come from the same source', () => {
    const source = (n: number) => (n === 3 ? 'b' : 'a');
    expect(renumberCitations('X [1]. Y [2]. Z [3]. W [1, 2]', source)).toEqual({ text: 'X [1]. Y [1]. Z [2]. W [1]', order: [1, 3] });
  });
});
