import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { glossesOf, glossesWithEndings, openGlossary } from '../../../knowledge/dictionary.js';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const b64 = (n: number): string => (n < 64 ? B64[n]! : b64(Math.floor(n / 64)) + B64[n % 64]!);

/**
 * A dictd dictionary as dictfmt and dictzip write it: an index of headword, offset and length, and the
 * entries compressed in independent chunks listed in the gzip header's RA field. Small chunks, so an
 * entry spans two of them.
 */
function writeDictionary(dir: string, name: string, entries: readonly [string, string][], chunkLength = 32): void {
  let text = '';
  const index: string[] = [];
  for (const [word, entry] of entries) {
    index.push(`${word}\t${b64(Buffer.byteLength(text))}\t${b64(Buffer.byteLength(entry))}`);
    text += entry;
  }
  const raw = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let at = 0; at < raw.length; at += chunkLength) chunks.push(deflateRawSync(raw.subarray(at, at + chunkLength)));
  const ra = Buffer.alloc(10 + 2 * chunks.length);
  ra.write('RA', 0, 'latin1');
  ra.writeUInt16LE(6 + 2 * chunks.length, 2);
  ra.writeUInt16LE(1, 4);
  ra.writeUInt16LE(chunkLength, 6);
  ra.writeUInt16LE(chunks.length, 8);
  chunks.forEach((c, i) => ra.writeUInt16LE(c.length, 10 + 2 * i));
  const header = Buffer.from([0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 2, 3, 0, 0]);
  header.writeUInt16LE(ra.length, 10);
  writeFileSync(path.join(dir, `${name}.dict.dz`), Buffer.concat([header, ra, ...chunks, Buffer.alloc(8)]));
  writeFileSync(path.join(dir, `${name}.index`), `00-database-info\t${b64(0)}\t${b64(1)}\n${index.sort().join('\n')}\n`);
}

describe('a FreeDict entry gives the English words of its senses', () => {
  it('numbered senses in order, examples, synonyms and cross-references left out', () => {
    expect(glossesOf('leje /lˈ?ɑjə/\n1. hire\n2. rent, rental\n')).toEqual(['hire', 'rent', 'rental']);
    expect(glossesOf('mieten /mˈiːtən/ <v>\nrent <v>\n      "ein Haus mieten"  - rent a house\n   Synonym: {pachten}\n\n see: {mietend}\n'))
      .toEqual(['rent']);
    expect(glossesOf('louer /lue/ <v>\nto hire; (old) praise, book a table\n')).toEqual(['hire', 'praise']);
  });

  it('colloquial senses are left out: German “voll” is not “smack”', () => {
    expect(glossesOf('voll /fˈɔl/ <adv>\n [ugs.] smack <adv> [coll.]\n      "Ich lief voll gegen einen Laternenmast."  - I walked smack into a lamp post.\n')).toEqual([]);
    expect(glossesOf('voll /fˈɔl/ <adj>\nfull <adj>\n   Synonyms: {völlig}\n')).toEqual(['full']);
    // An English word marked colloquial is still the word an English article uses.
    expect(glossesOf('Fahrrad /fˈɑːrɑːt/ <n>\nbicycle <n>, pedal cycle <n>, cycle <n> [coll.] , bike <n> [coll.]\n')).toEqual(['bicycle', 'cycle', 'bike']);
  });
});

describe('the glossary reads the dictionaries the system has', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dictd-'));
  writeDictionary(dir, 'freedict-dan-eng', [
    ['cykel', 'cykel /sˈʔykəl/ <n>\nbike, cycle, bicycle\n\n'],
    ['koste', 'koste /kˈʔʌsdə/\ncost\n\n'],
    ['leje', 'leje /lˈ?ɑjə/\n1. hire\n2. rent, rental\n\n'],
    ['sælge', 'sælge /ˈsɛlə/\nsell, vend\n\n'],
    ['sælger', 'sælger /ˈsɛlʔɐ/ <n>\nsalesman\n\n'],
    ['bruge', 'bruge /bʁuːə/\nuse, employ\n\n'],
  ]);
  writeDictionary(dir, 'freedict-deu-eng', [
    ['Fahrrad', 'Fahrrad /fˈaːɾaːt/ <n>\nbicycle, bike\n\n'],
    ['Miete', 'Miete /mˈiːtə/ <n>\nrent, rental\n\n'],
    ['eine Monatsmiete', 'eine Monatsmiete\na month\'s rent\n\n'],
  ]);
  writeDictionary(dir, 'freedict-fra-eng', [
    ['vélo', 'vélo /velo/ <n, masc>\nbike, cycle, bicycle\n\n'],
    ['vendre', 'vendre /vɑ̃dʁ/ <v>\nsell, vend\n\n'],
  ]);
  writeDictionary(dir, 'freedict-spa-eng', [
    ['usado', 'usado <adj>\nworn, used\n\n'],
    ['vender', 'vender <v>\nsell, vend\n\n'],
  ]);
  const glossary = openGlossary(dir, () => {});

  it('finds a word of each language it has a dictionary for, across compressed chunks', () => {
    expect(glossary.languages).toEqual(['da', 'de', 'fr', 'es']);
    expect(glossary.glosses('cykel', 'da')).toEqual(['bike', 'cycle', 'bicycle']);
    expect(glossary.glosses('leje', 'da')).toEqual(['hire', 'rent', 'rental']);
    expect(glossary.glosses('fahrrad', 'de')).toEqual(['bicycle', 'bike']);
    expect(glossary.glosses('Miete', 'de')).toEqual(['rent', 'rental']);
  });

  it('finds a word typed without its accents, as customers do: “velo” is vélo', () => {
    expect(glossary.glosses('velo', 'fr')).toEqual(['bike', 'cycle', 'bicycle']);
    expect(glossary.glosses('Vélo', 'fr')).toEqual(['bike', 'cycle', 'bicycle']);
  });

  it('knows nothing of words, phrases and languages it has no entry for', () => {
    expect(glossary.glosses('sko', 'da')).toEqual([]);
    expect(glossary.glosses('monatsmiete', 'de')).toEqual([]);
    expect(glossary.glosses('fiets', 'nl')).toEqual([]);
  });

  it('reads an inflected word by its headword: “koster” is koste, “cykler” is cykel without its e', () => {
    expect(glossesWithEndings(glossary, 'koster', 'da')).toEqual(['cost']);
    expect(glossesWithEndings(glossary, 'cykler', 'da')).toEqual(['bike', 'cycle', 'bicycle']);
    expect(glossesWithEndings(glossary, 'hjelmen', 'da')).toEqual([]);
  });

  it('reads a verb or adjective by its dictionary form: “brugte” is bruge, “vendez” vendre, “venden” and “vendimos” vender, “usadas” usado', () => {
    expect(glossesWithEndings(glossary, 'brugte', 'da')).toEqual(['use', 'employ']);
    expect(glossesWithEndings(glossary, 'vendez', 'fr')).toEqual(['sell', 'vend']);
    expect(glossesWithEndings(glossary, 'venden', 'es')).toEqual(['sell', 'vend']);
    expect(glossesWithEndings(glossary, 'usadas', 'es')).toEqual(['worn', 'used']);
    expect(glossesWithEndings(glossary, 'vendimos', 'es')).toEqual(['sell', 'vend']);
  });

  it('a word that is a headword and an inflection means both: “sælger” is a salesman and sells', () => {
    expect(glossesWithEndings(glossary, 'saelger', 'da')).toEqual(['salesman', 'sell', 'vend']);
  });

  it('without dictionaries there is nothing to read, and no error', () => {
    const none = openGlossary(mkdtempSync(path.join(os.tmpdir(), 'no-dictd-')), () => {});
    expect(none.languages).toEqual([]);
    expect(none.glosses('cykel', 'da')).toEqual([]);
  });

  it('a damaged dictionary is reported once and left out', () => {
    const broken = mkdtempSync(path.join(os.tmpdir(), 'bad-dictd-'));
    writeFileSync(path.join(broken, 'freedict-fra-eng.index'), 'vélo\tA\tB\n');
    writeFileSync(path.join(broken, 'freedict-fra-eng.dict.dz'), 'not gzip');
    const warnings: string[] = [];
    const g = openGlossary(broken, (m) => warnings.push(m));
    expect(g.glosses('vélo', 'fr')).toEqual([]);
    expect(g.glosses('louer', 'fr')).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/dict-freedict-fra-eng/);
  });
});
