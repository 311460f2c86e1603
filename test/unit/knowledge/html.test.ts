import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../../../knowledge/chunk.js';
import { htmlToBlocks } from '../../../knowledge/html.js';

const PAGE = `<!DOCTYPE html>
<html lang="en"><head><title>Help</title><style>body { color: red }</style>
<script>window.dataLayer = []; if (a < b) document.write('<p>tracking</p>');</script></head>
<body>
  <nav class="top"><ul><li><a href="/">Home</a></li><li><a href="/help">Help centre</a></li></ul></nav>
  <h1>Resetting your password</h1>
  <p>Click &ldquo;Forgot password&rdquo; on the sign&#8209;in page.<br>We send a link that is valid for <b>60&nbsp;minutes</b>.</p>
  <h2>No email?</h2>
  <ul><li>Check your spam folder</li><li>Use the address you signed up with</li></ul>
  <h2>Limits</h2>
  <table><tr><th>Attempts</th><th>Wait</th></tr><tr><td>5</td><td>15 minutes</td></tr></table>
  <aside>Related: Gift cards</aside>
  <form><button>Was this helpful?</button></form>
  <footer><p>© 2026 Example Shop · Imprint · Cookie settings</p></footer>
</body></html>`;

describe('reading an HTML help page', () => {
  it('drops navigation, footers, scripts and styles', () => {
    const text = htmlToBlocks(PAGE).map((b) => b.text).join('\n');
    for (const chrome of ['Home', 'Help centre', 'Imprint', 'Cookie settings', 'dataLayer', 'tracking', 'color: red', 'Related', 'helpful']) {
      expect(text).not.toContain(chrome);
    }
  });

  it('keeps headings, lists and tables as readable text', () => {
    expect(htmlToBlocks(PAGE)).toEqual([
      { kind: 'heading', level: 1, text: 'Resetting your password' },
      { kind: 'text', text: 'Click “Forgot password” on the sign‑in page.\nWe send a link that is valid for 60 minutes.' },
      { kind: 'heading', level: 2, text: 'No email?' },
      { kind: 'text', text: '- Check your spam folder\n- Use the address you signed up with' },
      { kind: 'heading', level: 2, text: 'Limits' },
      { kind: 'text', text: 'Attempts | Wait\n5 | 15 minutes' },
    ]);
    expect(chunkDocument({ type: 'html', title: 'Resetting your password', content: PAGE }).map((c) => c.heading))
      .toEqual([undefined, 'No email?', 'Limits']);
  });

  it('reads only the main content when the page marks it', () => {
    const blocks = htmlToBlocks('<div>Sale! 20% off</div><main><h2>Returns</h2><p>30 days.</p></main><div>Newsletter</div>');
    expect(blocks).toEqual([{ kind: 'heading', level: 2, text: 'Returns' }, { kind: 'text', text: '30 days.' }]);
  });

  it('degrades malformed markup to text instead of failing', () => {
    const blocks = htmlToBlocks('<p>Open <b>bold <i>and</p> 3 < 5 &amp; 5 > 3 &unknown; <div class="x>broken</div> <h3>Tail');
    const text = blocks.map((b) => b.text).join('\n');
    expect(text).toContain('Open bold and');
    expect(text).toContain('3 < 5 & 5 > 3 &unknown;');
    expect(blocks.at(-1)).toEqual({ kind: 'heading', level: 3, text: 'Tail' });
  });
});
