/**
 * Citation markers in reply text: "[1]", "[1, 2]", "[1][3]". Invariant after `keepValidCitations`: every
 * number in the text refers to a passage that was actually given, and `citations` lists exactly those
 * numbers in order of first appearance.
 */
const MARKER = /\[(\s*\d+(?:\s*[,;]\s*\d+)*\s*)\]/g;

export function citedNumbers(text: string): number[] {
  const seen: number[] = [];
  for (const m of text.matchAll(MARKER)) {
    for (const n of (m[1] ?? '').split(/[,;]/).map((s) => Number(s.trim()))) if (!seen.includes(n)) seen.push(n);
  }
  return seen;
}

/** Drops numbers outside 1..passageCount from the markers, and markers left empty. */
export function keepValidCitations(text: string, passageCount: number): { text: string; citations: number[] } {
  const cleaned = text.replace(MARKER, (_, inner: string) => {
    const valid = inner.split(/[,;]/).map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n >= 1 && n <= passageCount);
    return valid.length ? `[${[...new Set(valid)].join(', ')}]` : '';
  });
  const tidy = cleaned.replace(/[ \t]+([.,;:!?])/g, '$1').replace(/[ \t]{2,}/g, ' ').trim();
  return { text: tidy, citations: citedNumbers(tidy) };
}

/**
 * Renumbers markers 1..k in order of first citation, giving passages with the same `keyOf` (the same
 * source) one number. `order[i]` is the first original number behind new number i + 1; the sources
 * listed under the reply follow `order`.
 */
export function renumberCitations(text: string, keyOf: (n: number) => string = String): { text: string; order: number[] } {
  const keys: string[] = [];
  const order: number[] = [];
  for (const n of citedNumbers(text)) {
    const key = keyOf(n);
    if (!keys.includes(key)) {
      keys.push(key);
      order.push(n);
    }
  }
  const renumbered = text.replace(MARKER, (_, inner: string) => {
    const mapped = inner.split(/[,;]/).map((s) => keys.indexOf(keyOf(Number(s.trim()))) + 1);
    return `[${[...new Set(mapped)].join(', ')}]`;
  });
  return { text: renumbered, order };
}
