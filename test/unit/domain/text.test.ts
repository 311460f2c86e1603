import { describe, expect, it } from 'vitest';
import { findUnsafeText, formatTextPath, isStorableText, stripUnsafeText } from '../../../domain/text.js';

describe('text PostgreSQL cannot store', () => {
  it('is a NUL or a lone surrogate; whole surrogate pairs (emoji) and ordinary text are fine', () => {
    for (const bad of ['hello\u0000world', '\u0000', 'a\ud800', '\ud800b', 'x\udc00', '\udc00\ud800', '😀'.slice(0, 1)]) {
      expect(isStorableText(bad), JSON.stringify(bad)).toBe(false);
    }
    for (const good of ['', 'hello', 'Grüße', '😀 ok', '\ud83d\ude00', 'tab\tnew\nline', '\ufffd']) {
      expect(isStorableText(good), JSON.stringify(good)).toBe(true);
    }
  });

  it('is found at the first path that holds it, in document order, keys included', () => {
    expect(findUnsafeText({ messageId: 'm1', text: 'hello', customer: { name: 'Ann' } })).toBeUndefined();
    expect(findUnsafeText({ text: 'hello\u0000world' })).toEqual(['text']);
    expect(findUnsafeText({ text: 'ok', customer: { email: 'a@b.c', name: 'A\ud800nn' } })).toEqual(['customer', 'name']);
    expect(findUnsafeText({ alternates: ['a', 'b', 'c\u0000'], z: '\u0000' })).toEqual(['alternates', 2]);
    expect(findUnsafeText({ first: 'ok', ['ke\u0000y']: 'v', last: '\u0000' })).toEqual(['ke\u0000y']);
    expect(findUnsafeText('\udc00')).toEqual([]);
    expect(findUnsafeText(42)).toBeUndefined();
    expect(findUnsafeText(null)).toBeUndefined();
  });

  it('leaves non-plain objects (a File in a form) alone and survives deep nesting', () => {
    expect(findUnsafeText({ file: new Blob(['\u0000']), title: 'ok' })).toBeUndefined();
    let deep: unknown = 'bottom\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findUnsafeText(deep)).toHaveLength(100_000);
  });

  it('is named as the API names fields, without the character itself', () => {
    expect(formatTextPath(['customer', 'name'])).toBe('customer.name');
    expect(formatTextPath(['alternates', 2])).toBe('alternates.2');
    expect(formatTextPath(['ke\u0000y'])).toBe('key');
  });

  it('is stripped for channels that cannot refuse: NULs dropped, lone surrogates replaced, pairs kept', () => {
    expect(stripUnsafeText('hel\u0000lo')).toBe('hello');
    expect(stripUnsafeText('a\ud800b\udc00c')).toBe('a\ufffdb\ufffdc');
    expect(stripUnsafeText('ok 😀')).toBe('ok 😀');
    expect(isStorableText(stripUnsafeText('\u0000\ud800\udc00\udc00'))).toBe(true);
  });
});
