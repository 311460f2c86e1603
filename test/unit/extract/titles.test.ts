import { describe, expect, it } from 'vitest';
import { createFileExtractor } from '../../../knowledge/extract/index.js';
import { makeDocx } from '../../fixtures/files/office.js';
import { makePdf } from '../../fixtures/files/pdf.js';

const extractor = createFileExtractor({ maxBytes: 256 * 1024, video: { ffmpegPath: '/nonexistent/ffmpeg', ffprobePath: '/nonexistent/ffprobe' } });

const guide = (info?: string) => makePdf([
  [{ text: 'Winter returns policy', size: 22 }, { text: 'Skis bought in December can be returned until the end of January.' }],
], info ? { trailerExtra: `/Info << /Title (${info}) >>` } : {});

describe('a file whose own title is junk is titled by its first heading', () => {
  it.each(['about:blank', 'Untitled', 'Microsoft Word - returns_v3.docx', 'Document1', 'C:\\Temp\\x.tmp'])('a PDF titled %j', async (junk) => {
    const out = await extractor.extract({ name: 'export.pdf', bytes: guide(junk) });
    expect(out.title).toBe('Winter returns policy');
  });

  it('a Word file titled "Microsoft Word - draft" takes its first heading', async () => {
    const bytes = await makeDocx([{ heading: 'Gift card terms' }, { para: 'Gift cards are valid for three years.' }], { title: 'Microsoft Word - draft.doc' });
    expect((await extractor.extract({ name: 'terms.docx', bytes })).title).toBe('Gift card terms');
  });

  it('a real title is kept, and a file with no title keeps none (its file name is used)', async () => {
    expect((await extractor.extract({ name: 'export.pdf', bytes: guide('Returns in winter') })).title).toBe('Returns in winter');
    expect((await extractor.extract({ name: 'export.pdf', bytes: guide() })).title).toBeUndefined();
  });
});
