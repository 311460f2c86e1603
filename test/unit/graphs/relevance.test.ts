import { describe, expect, it } from 'vitest';
import type { Passage } from '../../../knowledge/types.js';
import { answerConfidence, assess, BASELINE_THRESHOLDS, DEFAULT_THRESHOLDS, rankPassages, relevanceOf } from '../../../graphs/turn/relevance.js';

const passage = (id: string, sourceId: string, similarity: number, coverage: number, score = 0.01): Passage => ({
  chunkId: id, sourceId, title: sourceId, text: `${sourceId} text`, language: 'en', score, similarity, coverage,
});

describe('relevance from the absolute signals', () => {
  it('is zero without semantic or lexical evidence', () => {
    expect(relevanceOf({ similarity: DEFAULT_THRESHOLDS.simFloor, coverage: 0 })).toBe(0);
  });

  it('lets one full signal alone reach the cap but not certainty', () => {
    expect(relevanceOf({ similarity: 0.2, coverage: 1 })).toBe(0.8);
    expect(relevanceOf({ similarity: 0.9, coverage: 0 })).toBe(0.8);
  });

  it('is highest when both signals agree', () => {
    expect(relevanceOf({ similarity: 0.7, coverage: 1 })).toBeGreaterThan(0.95);
  });

  it('ignores the RRF score, which is relative to the candidate set', () => {
    const [top] = rankPassages([passage('a', 'a', 0.1, 0, 0.9), passage('b', 'b', 0.6, 1, 0.01)]);
    expect(top?.passage.chunkId).toBe('b');
  });
});

describe('assessing the candidates', () => {
  it('is a miss when nothing reaches the relevance floor, even if RRF ranks something first', () => {
    expect(assess(rankPassages([passage('a', 'a', 0.25, 0.2, 0.03)])).kind).toBe('miss');
    expect(assess([]).kind).toBe('miss');
  });

  it('is confident with one clearly best source, taking close passages of that source along', () => {
    const verdict = assess(rankPassages([passage('a1', 'a', 0.62, 0.75), passage('a2', 'a', 0.55, 0.75), passage('b', 'b', 0.4, 0.25)]));
    expect(verdict.kind).toBe('confident');
    if (verdict.kind === 'confident') expect(verdict.passages.map((p) => p.passage.chunkId)).toEqual(['a1', 'a2']);
  });

  it('answers when one source covers twice the question\'s terms, even though both saturate relevance', () => {
    // "Kan jeg returnere en vare efter 40 dage?": the returns article covers 4 of 5 terms, delivery 2.
    const verdict = assess(rankPassages([passage('ret', 'returns', 0.76, 0.8), passage('del', 'delivery', 0.69, 0.4)]));
    expect(verdict.kind).toBe('confident');
  });

  it('answers when the best alone has the question\'s rare term, though a common one is all the other lacks', () => {
    // "Which bolt in assembly step 7?": every guide has bolt/assembly/step, only guide 7 has "7".
    const seven = { ...passage('g7', 'guide-7', 0.8, 1), weightedCoverage: 1 };
    const six = { ...passage('g6', 'guide-6', 0.79, 0.8), weightedCoverage: 0.3 };
    expect(assess(rankPassages([seven, six])).kind).toBe('confident');
    // Counted unweighted, the same lead (0.2) is too small to tell them apart.
    expect(assess(rankPassages([passage('g7', 'guide-7', 0.8, 1), passage('g6', 'guide-6', 0.79, 0.8)])).kind).toBe('ambiguous');
  });

  it('still asks when the runner-up comes as close on both signals', () => {
    const verdict = assess(rankPassages([passage('a', 'a', 0.62, 0.8), passage('b', 'b', 0.6, 0.8)]));
    expect(verdict.kind).toBe('ambiguous');
  });

  it('never asks because one source\'s title is shared with another: the customer could not tell them apart', () => {
    const a = { ...passage('a', 'a', 0.62, 0.8), title: 'Super Bowl 50' };
    const b = { ...passage('b', 'b', 0.61, 0.8), title: 'Super Bowl 50' };
    expect(assess(rankPassages([a, b])).kind).toBe('confident');
  });

  it('answers “how long” from the section that gives the durations, not a section of the same article that shares a word', () => {
    const carriers = { ...passage('c', 'shipping', 0.48, 1), title: 'Shipping and delivery', heading: 'Carriers', text: 'We ship with PostNord. The carrier takes the parcel to a parcel shop.' };
    const times = { ...passage('t', 'shipping', 0.42, 1), title: 'Shipping and delivery', heading: 'Delivery times', text: 'Denmark: 1 to 2 working days. The rest of the EU: 3 to 6 working days.' };
    const [best] = rankPassages([carriers, times], DEFAULT_THRESHOLDS, 'How long does shipping take?');
    expect(best?.passage.heading).toBe('Delivery times');
    expect(rankPassages([carriers, times], BASELINE_THRESHOLDS, 'How long does shipping take?')[0]?.passage.heading).toBe('Carriers');
  });

  it('reads a title in another language through the bridge: “retourneren” is named by “Returnering og refundering”', () => {
    const shippingDa = { ...passage('d', 'levering', 0.6, 1), title: 'Levering og fragt', language: 'da', heading: 'Retur' };
    const returnsDa = { ...passage('r', 'returnering', 0.58, 1), title: 'Returnering og refundering', language: 'da' };
    const [best] = rankPassages([shippingDa, returnsDa], DEFAULT_THRESHOLDS, 'Hoe kan ik een artikel retourneren?');
    expect(best?.passage.title).toBe('Returnering og refundering');
  });

  it('does not ask a customer to choose between one article and its translation', () => {
    const danish = { ...passage('d', 'levering', 0.47, 1), title: 'Levering og fragt', language: 'da' };
    const english = { ...passage('e', 'shipping', 0.47, 1), title: 'Shipping and delivery' };
    const other = { ...passage('r', 'returns', 0.47, 1), title: 'Returns and refunds' };
    const reader = { languages: ['nl', 'en'] };
    const verdict = assess(rankPassages([danish, english], DEFAULT_THRESHOLDS, 'Hoe lang duurt de verzending?', reader));
    expect(verdict.kind).toBe('confident');
    // Of the two foreign ones, the agent's own language reads best.
    if (verdict.kind === 'confident') expect(verdict.passages[0]?.passage.language).toBe('en');
    // Two different topics the question names equally still make it ambiguous.
    expect(assess(rankPassages([danish, other], DEFAULT_THRESHOLDS, 'Hoe lang duurt de verzending of het retourneren?', reader)).kind).toBe('ambiguous');
  });

  it('answers the source whose title names the question\'s key term when another matches only in its text', () => {
    const shipping = { ...passage('s', 'shipping', 0.48, 0.67), title: 'Shipping and delivery' };
    const payment = { ...passage('p', 'payment', 0.51, 0.67), title: 'Payment methods', heading: 'When will my card be charged?' };
    const verdict = assess(rankPassages([payment, shipping], DEFAULT_THRESHOLDS, 'How long does shipping take?'));
    expect(verdict.kind).toBe('confident');
    if (verdict.kind === 'confident') expect(verdict.passages[0]?.passage.sourceId).toBe('shipping');
    // The rule before issue 10 asked here, as the two are within its margin.
    expect(assess(rankPassages([payment, shipping], BASELINE_THRESHOLDS), BASELINE_THRESHOLDS).kind).toBe('ambiguous');
  });

  it('is ambiguous when another source comes within the close margin', () => {
    expect(assess(rankPassages([passage('gift', 'gift', 0.61, 1), passage('loyal', 'loyalty', 0.56, 1)])).kind).toBe('ambiguous');
  });

  it('answers a relevant source below the old answer bar when nothing else comes close: a low score alone asks nothing', () => {
    expect(assess(rankPassages([passage('a', 'a', 0.3, 0.5)])).kind).toBe('confident');
    expect(assess(rankPassages([passage('a', 'a', 0.3, 0.5)]), BASELINE_THRESHOLDS).kind).toBe('weak');
  });
});

describe('answer confidence', () => {
  it('is discounted when a runner-up from another source is close', () => {
    expect(answerConfidence(0.9, 0)).toBe(0.9);
    expect(answerConfidence(0.9, 0.75)).toBeLessThan(0.9);
    expect(answerConfidence(0.9, 0.75)).toBeGreaterThan(0.6);
  });
});
