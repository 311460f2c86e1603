import { describe, expect, it } from 'vitest';
import { markdownToBlocks } from '../../../knowledge/markdown.js';

describe('reading Markdown', () => {
  it('keeps headings of both styles and reduces inline markup to its text', () => {
    const blocks = markdownToBlocks([
      '---', 'title: ignored front matter', '---',
      'Returns', '=======',
      'Use the **return form** or [our portal](https://example.test/r) — see `My orders`.',
      '',
      'Refunds', '-------',
      '![Parcel](parcel.png) Refunds take *5 working days*.',
    ].join('\n'));
    expect(blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Returns' },
      { kind: 'text', text: 'Use the return form or our portal — see My orders.' },
      { kind: 'heading', level: 2, text: 'Refunds' },
      { kind: 'text', text: 'Parcel Refunds take 5 working days.' },
    ]);
  });

  it('lists and tables stay readable lines, and a # inside a code fence is not a heading', () => {
    const blocks = markdownToBlocks([
      '## Prices', '', '* Basic: 5 EUR', '+ Express: 9 EUR', '', '| Zone | Days |', '|---|:---:|', '| EU | 3 |', '',
      '```', '# not a heading', '```',
    ].join('\n'));
    expect(blocks).toEqual([
      { kind: 'heading', level: 2, text: 'Prices' },
      { kind: 'text', text: '- Basic: 5 EUR\n- Express: 9 EUR' },
      { kind: 'text', text: 'Zone | Days\nEU | 3' },
      { kind: 'text', text: '# not a heading' },
    ]);
  });
});
