import { readFileSync } from 'node:fs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import type { Block } from '../../../knowledge/blocks.js';
import { chunkDocument } from '../../../knowledge/chunk.js';
import { createFileExtractor, ExtractError } from '../../../knowledge/extract/index.js';
import { makeDocx, makeEncryptedOffice, makePptx, makeWorkbook } from '../../fixtures/files/office.js';
import { makePdf } from '../../fixtures/files/pdf.js';

const extractor = createFileExtractor({ maxBytes: 256 * 1024, video: { ffmpegPath: '/nonexistent/ffmpeg', ffprobePath: '/nonexistent/ffprobe' } });
const text = (s: string) => Buffer.from(s, 'utf8');

async function chunksOf(name: string, bytes: Uint8Array) {
  const out = await extractor.extract({ name, bytes });
  return { ...out, chunks: chunkDocument({ title: name, blocks: out.blocks }) };
}

/** The chunk holding `needle`, with where it was found. */
function find(chunks: { text: string; heading?: string; location?: string }[], needle: string) {
  const c = chunks.find((x) => x.text.includes(needle));
  if (!c) throw new Error(`no chunk contains ${needle}: ${JSON.stringify(chunks)}`);
  return c;
}

async function refusal(name: string, bytes: Uint8Array): Promise<ExtractError> {
  const err = await extractor.extract({ name, bytes }).then(() => undefined, (e: unknown) => e);
  if (!(err instanceof ExtractError)) throw new Error(`expected a refusal for ${name}, got ${String(err)}`);
  return err;
}

describe('office documents keep their structure', () => {
  it('a Word document gives headings by style name (any language), lists and tables as rows, pages where it breaks', async () => {
    const bytes = await makeDocx([
      { heading: 'Returns policy', level: 1 },
      { para: 'Items can be returned within 30 days of delivery.' },
      { bullet: 'Keep the receipt' },
      { pageBreak: true },
      { heading: 'Refund times', level: 2 },
      { table: [['Method', 'Days'], ['Card', '5'], ['Gift card', '1']] },
    ], { title: 'Customer handbook', headingStyleId: 'berschrift' });
    const { type, title, chunks } = await chunksOf('handbook.docx', bytes);
    expect(type).toBe('docx');
    expect(title).toBe('Customer handbook');
    expect(find(chunks, 'within 30 days')).toMatchObject({ heading: 'Returns policy', location: 'page 1' });
    expect(find(chunks, '- Keep the receipt').location).toBe('page 1');
    expect(find(chunks, 'Gift card | 1')).toMatchObject({ heading: 'Returns policy › Refund times', location: 'page 2' });
  });

  it('a Word document without page breaks is located by its headings', async () => {
    const bytes = await makeDocx([{ heading: 'Warranty' }, { para: 'Two years on all boots.' }]);
    const { chunks } = await chunksOf('warranty.docx', bytes);
    expect(find(chunks, 'Two years')).toMatchObject({ location: 'Warranty' });
  });

  it('a presentation is read slide by slide in presentation order, with titles, bullets, tables and notes', async () => {
    const bytes = await makePptx([
      { title: 'Welcome', bullets: ['Our spring collection'] },
      { title: 'Opening hours', bullets: ['Weekdays 9 to 17', 'Saturday 10 to 14'], notes: 'Closed on public holidays.' },
      { title: 'Prices', table: [['Item', 'Price'], ['Boot wax', '99 DKK']] },
    ]);
    const { type, chunks } = await chunksOf('deck.pptx', bytes);
    expect(type).toBe('pptx');
    expect(find(chunks, 'Saturday 10 to 14')).toMatchObject({ heading: 'Opening hours', location: 'slide 2' });
    expect(find(chunks, 'Closed on public holidays').location).toBe('slide 2');
    expect(find(chunks, 'Boot wax | 99 DKK')).toMatchObject({ heading: 'Prices', location: 'slide 3' });
  });

  it.each(['xlsx', 'biff8'] as const)('a workbook (%s) names its sheets and labels values with their columns', async (bookType) => {
    const bytes = makeWorkbook({
      Orders: [['Order', 'Status', 'Carrier'], [1001, 'shipped', 'GLS'], [1002, 'packed', 'PostNord']],
      Stores: [['City', 'Phone'], ['Aarhus', '+45 1234 5678']],
    }, bookType);
    const name = bookType === 'xlsx' ? 'ops.xlsx' : 'ops.xls';
    const { type, chunks } = await chunksOf(name, bytes);
    expect(type).toBe(bookType === 'xlsx' ? 'xlsx' : 'xls');
    const order = find(chunks, 'Order: 1002 | Status: packed | Carrier: PostNord');
    expect(order).toMatchObject({ heading: 'Orders', location: 'sheet Orders, rows 2–3' });
    expect(order.text).toContain('Columns: Order, Status, Carrier');
    expect(find(chunks, 'City: Aarhus').location).toBe('sheet Stores, row 2');
  });

  it('a PDF is read page by page, larger lines becoming headings', async () => {
    const bytes = makePdf([
      [{ text: 'Shipping guide', size: 22 }, { text: 'We ship from Aarhus every weekday.' }],
      [{ text: 'Islands', size: 16 }, { text: 'Deliveries to Bornholm take three days.' }],
    ]);
    const { type, chunks } = await chunksOf('guide.pdf', bytes);
    expect(type).toBe('pdf');
    expect(find(chunks, 'Bornholm')).toMatchObject({ location: 'page 2', heading: 'Shipping guide › Islands' });
    expect(find(chunks, 'every weekday').location).toBe('page 1');
  });
});

describe('text formats', () => {
  it('CSV rows are labelled by column and located by row, quoted fields intact', async () => {
    const { type, chunks } = await chunksOf('faq.csv', text('question,answer\n"Do you ship to Norway?","Yes, in 4 days"\nGift wrap?,"Free; ask at checkout"\n'));
    expect(type).toBe('csv');
    expect(find(chunks, 'answer: Yes, in 4 days')).toMatchObject({ location: 'rows 2–3' });
  });

  it('JSON objects become sections and leaves key: value lines', async () => {
    const json = JSON.stringify({ store: { name: 'Fjeldspor', opening_hours: { weekdays: '9-17', saturday: '10-14' } }, faq: [{ q: 'Klarna?', a: 'Yes' }] });
    const { type, chunks } = await chunksOf('store.json', text(json));
    expect(type).toBe('json');
    expect(find(chunks, 'saturday: 10-14')).toMatchObject({ location: 'store › opening hours' });
    expect(find(chunks, 'q: Klarna?').location).toBe('faq');
  });

  it('XML records read as lines under their section', async () => {
    const xml = '<?xml version="1.0"?><catalog><product sku="B-1"><name>Trail boot</name><price currency="DKK">1299</price></product></catalog>';
    const { type, chunks } = await chunksOf('catalog.xml', text(xml));
    expect(type).toBe('xml');
    expect(find(chunks, 'name: Trail boot')).toMatchObject({ location: 'catalog' });
    expect(find(chunks, 'price: 1299 (currency: DKK)')).toBeTruthy();
  });

  it.each(['page.html', 'page.htm', 'page.xhtml'])('%s keeps headings, lists and tables and takes its <title>', async (name) => {
    const html = '<!DOCTYPE html><html><head><title>Size guide</title></head><body><nav>Menu</nav><h1>Boots</h1><ul><li>EU 42 is UK 8</li></ul><table><tr><td>EU</td><td>UK</td></tr></table></body></html>';
    const { type, title, chunks } = await chunksOf(name, text(html));
    expect(type).toBe('html');
    expect(title).toBe('Size guide');
    expect(find(chunks, '- EU 42 is UK 8')).toMatchObject({ location: 'Boots' });
    expect(chunks.some((c) => c.text.includes('Menu'))).toBe(false);
  });

  it('Markdown keeps its heading path', async () => {
    const { type, chunks } = await chunksOf('care.md', text('# Care\n\n## Leather\n\nUse wax twice a year.\n'));
    expect(type).toBe('markdown');
    expect(find(chunks, 'wax twice')).toMatchObject({ heading: 'Care › Leather', location: 'Care › Leather' });
  });

  it('reStructuredText section adornments become heading levels', async () => {
    const rst = 'Installation\n============\n\nIntro text.\n\nRequirements\n------------\n\n* Node **20** or later\n\n.. note:: Use ``npm ci`` in CI.\n';
    const { type, chunks } = await chunksOf('install.rst', text(rst));
    expect(type).toBe('rst');
    expect(find(chunks, '- Node 20 or later')).toMatchObject({ location: 'Installation › Requirements' });
    expect(find(chunks, 'Use npm ci in CI.')).toBeTruthy();
  });

  it.each(['notes.txt', 'notes.text'])('%s is located by line numbers', async (name) => {
    const { type, chunks } = await chunksOf(name, text('Welcome.\n\n\nThe warehouse closes at 16:00 on Fridays.\n'));
    expect(type).toBe('text');
    expect(find(chunks, 'warehouse closes')).toMatchObject({ location: 'lines 1–4' });
  });

  it.each(['app.cfg', 'app.conf'])('%s: INI sections become headings, comments kept', async (name) => {
    const cfg = '# shop settings\n[shipping]\n; orders placed before 14:00 leave the same day\ncutoff = 14:00\n\n[returns]\ndays = 30\n';
    const { type, chunks } = await chunksOf(name, text(cfg));
    expect(type).toBe('config');
    expect(find(chunks, 'cutoff = 14:00')).toMatchObject({ heading: 'shipping' });
    expect(find(chunks, 'cutoff = 14:00').location).toMatch(/^\[shipping\], lines 3–/);
    expect(find(chunks, 'days = 30').location).toMatch(/^\[returns\]/);
  });
});

describe('the type comes from the bytes, not the name', () => {
  it('a PDF named .docx is read as the PDF it is', async () => {
    const out = await extractor.extract({ name: 'report.docx', bytes: makePdf([[{ text: 'Quarterly figures' }]]) });
    expect(out.type).toBe('pdf');
  });

  it('JSON saved as .txt is read as JSON; text with headings and no extension as Markdown', async () => {
    expect((await extractor.extract({ name: 'data.txt', bytes: text('{"a": {"b": "c"}}') })).type).toBe('json');
    expect((await extractor.extract({ name: 'README', bytes: text('# Title\n\nBody text.') })).type).toBe('markdown');
  });

  it('text named like a binary format is refused as damaged or mislabelled', async () => {
    const err = await refusal('manual.pdf', text('just some words'));
    expect(err.code).toBe('corrupt');
    expect(err.message).toMatch(/named like a PDF, but its bytes are not a PDF/);
  });

  it('an image renamed to .txt is refused and named for what it is', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const err = await refusal('notes.txt', png);
    expect(err.code).toBe('unsupported');
    expect(err.message).toMatch(/PNG image/);
  });
});

describe('files that cannot be used are refused with a reason', () => {
  it('empty, whitespace-only and text-free files', async () => {
    expect((await refusal('empty.pdf', new Uint8Array())).code).toBe('empty');
    expect((await refusal('blank.txt', text(' \n\t\n'))).code).toBe('empty');
    expect((await refusal('scan.pdf', makePdf([[]]))).message).toMatch(/scanned pages/);
  });

  it('password-protected PDF and Office files', async () => {
    const pdf = await refusal('secret.pdf', readFileSync(new URL('../../fixtures/files/encrypted.pdf', import.meta.url)));
    expect(pdf.code).toBe('encrypted');
    for (const name of ['secret.docx', 'secret.xlsx', 'secret.pptx']) {
      const err = await refusal(name, makeEncryptedOffice());
      expect(err.code).toBe('encrypted');
      expect(err.message).toMatch(/password-protected/);
    }
  });

  it('corrupt files: a truncated Word file, a broken PDF, invalid JSON and XML', async () => {
    const docx = await makeDocx([{ para: 'Hello there, this is a document.' }]);
    expect((await refusal('cut.docx', docx.subarray(0, Math.floor(docx.length / 2)))).code).toBe('corrupt');
    expect((await refusal('broken.pdf', text('%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage'))).code).toBe('corrupt');
    expect((await refusal('bad.json', text('{"a": 1,'))).code).toBe('corrupt');
    expect((await refusal('bad.xml', text('<a><b></a>'))).message).toMatch(/not well-formed XML/);
  });

  it('a small Word file that would unpack to over 100 MB (a ZIP bomb) is refused before it is inflated', async () => {
    const zip = await JSZip.loadAsync(await makeDocx([{ para: 'x' }]));
    zip.file('word/document.xml', ' '.repeat(101 * 1024 * 1024));
    const bomb = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
    expect(bomb.length).toBeLessThan(256 * 1024);
    const err = await refusal('bomb.docx', bomb);
    expect(err.code).toBe('too_large');
  });

  it('files over the size limit, before any parsing', async () => {
    const err = await refusal('big.txt', Buffer.alloc(256 * 1024 + 1, 'a'));
    expect(err.code).toBe('too_large');
    expect(err.message).toMatch(/at most 256\.0 KB/);
  });

  it('a video without ffmpeg or a transcription provider says what to install or configure', async () => {
    const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.alloc(64)]);
    const err = await refusal('tour.mp4', mp4);
    expect(err.code).toBe('no_transcript');
    expect(err.message).toMatch(/apt-get install ffmpeg/);
    expect(err.message).toMatch(/TRANSCRIPTION_BASE_URL/);
  });
});

it('every location block is followed by text before the next location', async () => {
  const samples: [string, Uint8Array][] = [
    ['a.pptx', await makePptx([{ title: 'Only a title' }, { title: 'Two', bullets: ['x'] }])],
    ['b.md', text('# A\n\n## B\n\ntext\n')],
  ];
  for (const [name, bytes] of samples) {
    const { blocks } = await extractor.extract({ name, bytes });
    blocks.forEach((b: Block, i) => {
      if (b.kind !== 'location') return;
      const next = blocks.slice(i + 1).find((x) => x.kind !== 'heading');
      expect(next?.kind, `${name} block ${i}`).toBe('text');
    });
  }
});
