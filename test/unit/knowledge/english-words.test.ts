import { describe, expect, it } from 'vitest';
import { commonestWord, englishWordScore } from '../../../knowledge/english-words.js';

describe('the everyday English word among a dictionary’s glosses', () => {
  it('picks the word customers use: “sold” before “purveyed”, “used” before “exerted”, “sell” before “transactmoney”', () => {
    expect(commonestWord(['purveyed', 'sold', 'vended', 'peddled', 'hawked', 'sale', 'selling'])).toBe('sold');
    expect(commonestWord(['exerted', 'used', 'cast-off', 'hand-me-down', 'needed'])).toBe('used');
    expect(commonestWord(['transactmoney', 'disposeof', 'sell', 'vend'])).toBe('sell');
  });

  it('keeps the first when none is common, and has nothing to pick from none', () => {
    expect(commonestWord(['secondhand'])).toBe('secondhand');
    expect(commonestWord(['purveyed', 'vended'])).toBe('purveyed');
    expect(commonestWord([])).toBeUndefined();
  });

  it('scores common words above rare ones and knows no non-word', () => {
    expect(englishWordScore('pay')!).toBeGreaterThan(englishWordScore('helmet')!);
    expect(englishWordScore('Pay')).toBe(englishWordScore('pay'));
    expect(englishWordScore('purveyed')).toBeUndefined();
  });
});
