/**
 * English glosses of Danish, Dutch, German, French and Spanish words from the FreeDict bilingual
 * dictionaries, when the system has them (Debian/Ubuntu: `apt-get install dict-freedict-dan-eng
 * dict-freedict-nld-eng dict-freedict-deu-eng dict-freedict-fra-eng dict-freedict-spa-eng`; they live in
 * /usr/share/dictd, DICTIONARIES_DIR names another folder). The language bridge (knowledge/bridge.ts)
 * knows the support vocabulary every shop shares; these reach the words of one business ("leje en cykel"
 * → hire, rent, bike). Without them the bridge works as before.
 *
 * Read in place, never copied into the repository (FreeDict is GPL): the .index file (headword, offset,
 * length in base64) becomes a sorted table of one-word headwords, and an entry is inflated from its
 * dictzip chunk read from the file on demand: the German dictionary (400,000 headwords, 17 MB compressed)
 * keeps its one-word headwords in one string and three number arrays. Measured: read in about a second,
 * the process 14 MB larger after (140 MB while reading, given back to the system within ten seconds).
 * No maintained npm package reads dictd files; the format is three tab-separated fields and gzip's
 * documented "RA" extra field.
 */
import { existsSync, openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { inflateRawSync, constants as zlib } from 'node:zlib';
import { fold } from './fold.js';
import type { Language } from './types.js';

/** FreeDict's three-letter codes of the languages with an X→English dictionary. */
const CODES: Partial<Record<Language, string>> = { da: 'dan', nl: 'nld', de: 'deu', fr: 'fra', es: 'spa' };
/** Debian's folder for dictd dictionaries. */
export const DEFAULT_DICTIONARIES_DIR = '/usr/share/dictd';
/** Glosses kept per word: the first senses, where the usual meaning is. */
const MAX_GLOSSES = 8;
/** Looked-up words remembered per dictionary. */
const MEMO_ENTRIES = 20_000;

/** Debian's packages of the dictionaries, in the order of dictionaryFiles. */
export function dictionaryPackages(): string[] {
  return Object.values(CODES).map((c) => `dict-freedict-${c}-eng`);
}

/** The two files of each dictionary in `dir`. */
export function dictionaryFiles(dir: string): [string, string][] {
  return Object.values(CODES).map((c) => [path.join(dir, `freedict-${c}-eng.index`), path.join(dir, `freedict-${c}-eng.dict.dz`)]);
}

/** The gzip header's RA field: chunk length and where each chunk starts in the file (dictzip(1)). */
interface Dictzip { fd: number; chunkLength: number; starts: number[]; sizes: number[] }

interface Dictionary {
  /** One-word headwords, folded (knowledge/fold.ts), sorted, each followed by a newline: one string, not 280,000. */
  words: string;
  /** Where word i starts in `words` (and word i + 1 after its newline). */
  starts: Uint32Array;
  /** Word i's entry in the uncompressed dictionary. */
  offsets: Uint32Array;
  lengths: Uint32Array;
  dz: Dictzip;
  glosses: Map<string, readonly string[]>;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Reads the header only: chunks are read from the file when an entry is asked for. */
function openDictzip(file: string): Dictzip {
  const fd = openSync(file, 'r');
  const head = Buffer.alloc(64 * 1024);
  readSync(fd, head, 0, head.length, 0);
  const flags = head[3]!;
  if (head[0] !== 0x1f || head[1] !== 0x8b || !(flags & 4)) throw new Error('not a dictzip file (no gzip extra field)');
  const xlen = head.readUInt16LE(10);
  let pos = 12;
  let chunkLength = 0;
  let sizes: number[] = [];
  for (const end = 12 + xlen; pos < end;) {
    const id = head.toString('latin1', pos, pos + 2);
    const len = head.readUInt16LE(pos + 2);
    if (id === 'RA') {
      chunkLength = head.readUInt16LE(pos + 6);
      const count = head.readUInt16LE(pos + 8);
      sizes = Array.from({ length: count }, (_, i) => head.readUInt16LE(pos + 10 + 2 * i));
    }
    pos += 4 + len;
  }
  if (!chunkLength) throw new Error('not a dictzip file (no RA field)');
  if (flags & 8) pos = head.indexOf(0, pos) + 1; // file name
  if (flags & 16) pos = head.indexOf(0, pos) + 1; // comment
  if (flags & 2) pos += 2; // header CRC
  const starts: number[] = [];
  for (const size of sizes) {
    starts.push(pos);
    pos += size;
  }
  return { fd, chunkLength, starts, sizes };
}

function entryText(dz: Dictzip, offset: number, length: number): string {
  const first = Math.floor(offset / dz.chunkLength);
  const last = Math.floor((offset + length - 1) / dz.chunkLength);
  const parts: Buffer[] = [];
  for (let c = first; c <= last; c++) {
    const compressed = Buffer.alloc(dz.sizes[c]!);
    readSync(dz.fd, compressed, 0, compressed.length, dz.starts[c]!);
    parts.push(inflateRawSync(compressed, { finishFlush: zlib.Z_SYNC_FLUSH }));
  }
  const start = offset - first * dz.chunkLength;
  return Buffer.concat(parts).toString('utf8', start, start + length);
}

function load(file: string): Dictionary {
  const words: string[] = [];
  const offsets: number[] = [];
  const lengths: number[] = [];
  // Scanned as bytes, a string made only for each headword: the German index has 520,000 lines.
  const index = readFileSync(`${file}.index`);
  const number = (from: number, to: number) => {
    let n = 0;
    for (let i = from; i < to; i++) n = n * 64 + B64.indexOf(String.fromCharCode(index[i]!));
    return n;
  };
  for (let at = 0; at < index.length;) {
    const end = (index.indexOf(10, at) + 1 || index.length + 1) - 1;
    const tab1 = index.indexOf(9, at);
    const tab2 = tab1 < 0 ? -1 : index.indexOf(9, tab1 + 1);
    if (tab2 > 0 && tab2 < end) {
      const word = index.toString('utf8', at, tab1);
      // Headwords of one word only: a question's words are looked up one by one.
      if (/^[\p{L}-]+$/u.test(word)) {
        // Folded as a question's words are: "velo" finds "vélo", "strasse" finds "Straße".
        words.push(fold(word));
        offsets.push(number(tab1 + 1, tab2));
        lengths.push(number(tab2 + 1, end));
      }
    }
    at = end + 1;
  }
  const order = Array.from(words, (_, i) => i).sort((a, b) => (words[a]! < words[b]! ? -1 : words[a]! > words[b]! ? 1 : offsets[a]! - offsets[b]!));
  const starts = new Uint32Array(order.length + 1);
  let at = 0;
  order.forEach((i, k) => {
    starts[k] = at;
    at += words[i]!.length + 1;
  });
  starts[order.length] = at;
  return {
    words: order.map((i) => `${words[i]}\n`).join(''),
    starts,
    offsets: Uint32Array.from(order, (i) => offsets[i]!),
    lengths: Uint32Array.from(order, (i) => lengths[i]!),
    dz: openDictzip(`${file}.dict.dz`),
    glosses: new Map(),
  };
}

const COLLOQUIAL_SENSE = /^\s*\[(?:ugs|coll|slang|vulg|pej)\.?\]/;

/** The English words of an entry's senses, in order: "1. hire\n2. rent, rental" → hire, rent, rental. */
export function glossesOf(entry: string): string[] {
  const out: string[] = [];
  for (const raw of entry.split('\n').slice(1)) {
    // Examples are indented and quoted; cross-references and notes are labelled.
    if (/^\s*("|Synonyms?:|see:|Note:|Antonyms?:)/.test(raw) || /^\s{3,}/.test(raw)) continue;
    // A sense colloquial in the dictionary's own language (German "voll": "[ugs.] smack") is rarely what a
    // customer's question means. An English word marked colloquial ("bike [coll.]" for Fahrrad) is kept.
    if (COLLOQUIAL_SENSE.test(raw)) continue;
    const line = raw.replace(/^\s*\d+\.\s*/, '').replace(/<[^>]*>/g, '').replace(/\([^)]*\)|\[[^\]]*\]/g, '');
    for (const part of line.split(/[,;]/)) {
      const gloss = part.trim().toLowerCase();
      // One word each (a phrase's words would each count as the gloss); "to hire" is hire.
      const word = gloss.replace(/^to\s+/, '');
      if (/^\p{L}[\p{L}-]*$/u.test(word)) out.push(word);
    }
  }
  return out;
}

/**
 * Inflectional endings tried, longest first, when a word is not a headword itself, each with what may
 * replace it to reach the headword ("koster" → koste; "brugte" → bruge; "vendez" → vendre; "venden" →
 * vender; "usadas" → usado). Every guess is checked against the dictionary's headwords.
 */
const ENDINGS: Partial<Record<Language, readonly (readonly [string, ...string[]])[]>> = {
  da: [['erne'], ['ede', 'e'], ['ene'], ['er'], ['en'], ['et', '', 'e'], ['te', 'e'], ['ne'], ['r'], ['e'], ['s'], ['t', 'e']],
  nl: [['en'], ['es'], ['te'], ['de'], ['t'], ['e'], ['s']],
  de: [['en'], ['es'], ['er'], ['em'], ['et'], ['st'], ['e'], ['s'], ['t'], ['n']],
  fr: [['ons', 'er', 're', 'ir'], ['ent', '', 'er', 're', 'ir'], ['ées', 'er'], ['és', 'er'], ['ée', 'er'], ['es', '', 'e'], ['ez', 'er', 're', 'ir'], ['é', 'er'], ['s'], ['e'], ['x']],
  es: [['adas', 'ado', 'ar'], ['ados', 'ado', 'ar'], ['idas', 'ido', 'er', 'ir'], ['idos', 'ido', 'er', 'ir'], ['ada', 'ado', 'ar'], ['ida', 'ido', 'er', 'ir'],
    ['amos', 'ar'], ['emos', 'er'], ['imos', 'er', 'ir'], ['es', ''], ['an', '', 'ar'], ['en', 'er', 'ir'], ['as', '', 'o', 'ar'], ['os', '', 'o'], ['s'], ['a', '', 'o'], ['o']],
};

/**
 * The glosses of a word and of the word without an inflectional ending: "sælger" is a salesman and
 * (sælge) sells; "cykler" is the plural of "cykel", whose e the ending drops (also "regler", "Regeln").
 */
export function glossesWithEndings(glossary: Glossary, word: string, language: Language): readonly string[] {
  const out = [...glossary.glosses(word, language)];
  for (const [ending, ...replacements] of ENDINGS[language] ?? []) {
    if (out.length >= MAX_GLOSSES) break;
    if (word.length - ending.length < 3 || !word.endsWith(ending)) continue;
    const stem = word.slice(0, -ending.length);
    let found: readonly string[] = [];
    for (const replacement of replacements.length > 0 ? replacements : ['']) {
      found = glossary.glosses(stem + replacement, language);
      if (found.length > 0) break;
    }
    // A stem ending in a consonant and l, n or r lost an e: cykl → cykel.
    const contracted = found.length === 0 && /[^aeiouyæøå][lnr]$/.test(stem) ? glossary.glosses(`${stem.slice(0, -1)}e${stem.slice(-1)}`, language) : [];
    for (const g of [...found, ...contracted]) if (!out.includes(g) && out.length < MAX_GLOSSES) out.push(g);
    if (found.length > 0 || contracted.length > 0) break;
  }
  return out;
}

export interface Glossary {
  /** English words a word of `language` translates to (its first senses); empty when unknown. */
  glosses(word: string, language: Language): readonly string[];
  /** The languages whose dictionary was found. */
  languages: readonly Language[];
}

/**
 * The dictionaries found in `dir` (each loaded on first use). A dictionary that is present but unreadable
 * is reported once through `warn` and left out.
 */
export function openGlossary(dir = process.env.DICTIONARIES_DIR || DEFAULT_DICTIONARIES_DIR, warn: (message: string) => void = console.warn): Glossary {
  const files = new Map<Language, string>();
  for (const [language, code] of Object.entries(CODES) as [Language, string][]) {
    const file = path.join(dir, `freedict-${code}-eng`);
    if (existsSync(`${file}.index`) && existsSync(`${file}.dict.dz`)) files.set(language, file);
  }
  const loaded = new Map<Language, Dictionary | null>();
  const dictionary = (language: Language): Dictionary | null => {
    let d = loaded.get(language);
    if (d !== undefined) return d;
    const file = files.get(language);
    d = null;
    if (file) {
      try {
        d = load(file);
      } catch (e) {
        warn(`the ${language} dictionary at ${file} could not be read (${(e as Error).message}); reinstall dict-freedict-${CODES[language]}-eng`);
      }
    }
    loaded.set(language, d);
    return d;
  };
  return {
    languages: [...files.keys()],
    glosses(word, language) {
      const d = files.has(language) ? dictionary(language) : null;
      if (!d) return [];
      const key = fold(word);
      const known = d.glosses.get(key);
      if (known) return known;
      const count = d.starts.length - 1;
      const wordAt = (i: number) => d.words.slice(d.starts[i]!, d.starts[i + 1]! - 1);
      let lo = 0;
      let hi = count;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (wordAt(mid) < key) lo = mid + 1;
        else hi = mid;
      }
      const out: string[] = [];
      for (let i = lo; i < count && wordAt(i) === key && out.length < MAX_GLOSSES; i++) {
        for (const g of glossesOf(entryText(d.dz, d.offsets[i]!, d.lengths[i]!))) {
          if (!out.includes(g) && out.length < MAX_GLOSSES) out.push(g);
        }
      }
      // Words asked lately, misses too; bounded, as customers' words are not.
      if (d.glosses.size >= MEMO_ENTRIES) d.glosses.delete(d.glosses.keys().next().value!);
      d.glosses.set(key, out);
      return out;
    },
  };
}
