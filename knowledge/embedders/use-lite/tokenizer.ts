/**
 * The SentencePiece-style tokenizer of Universal Sentence Encoder lite, token for token the one in
 * @energetic-ai/embeddings (same trie, same Viterbi, same quirks), so vectors stay identical to the ones
 * already stored. Theirs copies the rest of the text at every position (`symbols.slice(i)`), which is
 * quadratic in text length; this walks the trie in place, so a 1,200-character chunk costs ~1 ms.
 */
type Vocabulary = readonly (readonly [string, number])[];

interface TrieNode {
  children: Map<string, TrieNode>;
  /** Set when a vocabulary piece ends here: [symbols, score, index]. */
  piece?: readonly [number, number, number];
}

const SEPARATOR = '\u2581';
/** Ids below this are control tokens; id 0 is the unknown piece. */
const RESERVED_SYMBOLS = 6;

export class UseLiteTokenizer {
  private readonly root: TrieNode = { children: new Map() };

  constructor(private readonly vocabulary: Vocabulary) {
    for (let index = RESERVED_SYMBOLS; index < vocabulary.length; index++) {
      const [word, score] = vocabulary[index]!;
      const symbols = [...word];
      let node = this.root;
      for (const s of symbols) {
        let next = node.children.get(s);
        if (!next) node.children.set(s, (next = { children: new Map() }));
        node = next;
      }
      node.piece = [symbols.length, score, index];
    }
  }

  encode(text: string): number[] {
    const normalized = text.normalize('NFKC');
    const symbols = normalized.length > 0 ? [...(SEPARATOR + normalized.replace(/ /g, SEPARATOR))] : [];
    const n = symbols.length;
    // Candidates ending at each position, grouped by start position in ascending order (the reference
    // iterates an object keyed by start, whose integer keys enumerate ascending); ties go to the later.
    const ending: [number, number, number][][] = Array.from({ length: n + 1 }, () => []);
    for (let i = 0; i < n; i++) {
      let node = this.root.children.get(symbols[i]!);
      let matched = false;
      for (let j = i; node; j++) {
        if (node.piece) {
          ending[i + node.piece[0]]!.push([i, node.piece[1], node.piece[2]]);
          matched = true;
        }
        node = j + 1 < n ? node.children.get(symbols[j + 1]!) : undefined;
      }
      if (!matched) ending[i + 1]!.push([i, 0, 0]);
    }
    const best = new Float64Array(n + 1);
    const words = new Int32Array(n + 1);
    for (let end = 0; end <= n; end++) {
      const candidates = ending[end]!.sort((a, b) => a[0] - b[0]);
      for (const [start, score, index] of candidates) {
        const total = score + best[start]!;
        if (best[end] === 0 || total >= best[end]!) {
          best[end] = total;
          words[end] = index;
        }
      }
    }
    const reversed: number[] = [];
    // Steps back by the piece's UTF-16 length, as the reference does (the unknown piece is one symbol).
    for (let at = n; at > 0; at -= this.vocabulary[words[at]!]![0].length) reversed.push(words[at]!);
    const merged: number[] = [];
    let previousUnknown = false;
    for (const id of reversed) {
      if (!(previousUnknown && id === 0)) merged.push(id);
      previousUnknown = id === 0;
    }
    return merged.reverse();
  }
}
