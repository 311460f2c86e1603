import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDocx, makeEncryptedOffice, makePptx, makeWorkbook } from '../../fixtures/files/office.js';
import { makePdf } from '../../fixtures/files/pdf.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';
import { ask, CAPTIONS, makeVideo, sourcesOf, upload } from './helpers.js';

let sys: TestSystem;

const MAX_FILE = 256 * 1024;
beforeAll(async () => {
  sys = await startTestSystem('files', { FILE_MAX_BYTES: String(MAX_FILE), FILE_UPLOAD_MAX_BYTES: String(512 * 1024), FILE_MAX_COUNT: '5' });
});
afterAll(async () => sys?.stop());

const utf8 = (s: string) => Buffer.from(s, 'utf8');

interface Case {
  name: string;
  bytes: () => Promise<Uint8Array> | Uint8Array;
  type: string;
  question: string;
  answer: RegExp;
  title: string;
  location: string;
}

const CASES: Case[] = [
  {
    name: 'handbook.docx', type: 'docx', title: 'Customer handbook', location: 'page 2',
    bytes: () => makeDocx([
      { heading: 'Returns policy' }, { para: 'Unused items can be returned within 30 days of delivery.' }, { pageBreak: true },
      { heading: 'Refunds' }, { para: 'Refunds to a gift card arrive within one working day.' },
    ], { title: 'Customer handbook' }),
    question: 'How fast do refunds to a gift card arrive?', answer: /within one working day/,
  },
  {
    name: 'store-deck.pptx', type: 'pptx', title: 'store-deck.pptx', location: 'slide 2',
    bytes: () => makePptx([
      { title: 'Our stores', bullets: ['Two stores in Denmark'] },
      { title: 'Aarhus store opening hours', bullets: ['The Aarhus store is open on weekdays from 9 to 17.', 'On Saturdays it opens at 10.'] },
    ]),
    question: 'When is the Aarhus store open?', answer: /weekdays from 9 to 17/,
  },
  {
    name: 'shipping-guide.pdf', type: 'pdf', title: 'shipping-guide.pdf', location: 'page 2',
    bytes: () => makePdf([
      [{ text: 'Shipping guide', size: 22 }, { text: 'We ship from our warehouse in Aarhus every weekday.' }],
      [{ text: 'Bornholm deliveries', size: 16 }, { text: 'Parcels to Bornholm take three working days by ferry.' }],
    ]),
    question: 'How long do parcels to Bornholm take?', answer: /three working days by ferry/,
  },
  {
    name: 'faq.csv', type: 'csv', title: 'faq.csv', location: 'rows 2–3',
    bytes: () => utf8('question,answer\n"Do you ship to Iceland?","Yes, shipping to Iceland takes seven working days."\n"Can I pay with MobilePay?","Yes, MobilePay is accepted at checkout."\n'),
    question: 'Do you ship to Iceland?', answer: /Iceland takes seven working days/,
  },
  {
    name: 'warranty.json', type: 'json', title: 'warranty.json', location: 'warranty',
    bytes: () => utf8(JSON.stringify({ company: 'Fjeldspor', warranty: { hiking_boots: 'Hiking boots have a two year warranty against sole separation.' } })),
    question: 'What warranty do hiking boots have?', answer: /two year warranty/,
  },
  {
    name: 'policies.xml', type: 'xml', title: 'policies.xml', location: 'policies',
    bytes: () => utf8('<?xml version="1.0"?><policies><policy><name>Price match</name><rule>We match the price of any Danish webshop within 14 days of purchase.</rule></policy></policies>'),
    question: 'Do you match the price of another Danish webshop?', answer: /within 14 days of purchase/,
  },
  {
    name: 'carriers.xls', type: 'xls', title: 'carriers.xls', location: 'sheet Carriers, rows 2–3',
    bytes: () => makeWorkbook({
      Readme: [['This workbook lists our carriers.']],
      Carriers: [['Carrier', 'Country', 'Delivery time'], ['GLS', 'Denmark', '1 to 2 working days'], ['DHL', 'Germany', '3 to 4 working days']],
    }, 'biff8'),
    question: 'What is the delivery time with DHL to Germany?', answer: /Carrier: DHL \| Country: Germany \| Delivery time: 3 to 4 working days/,
  },
  {
    name: 'loyalty.xlsx', type: 'xlsx', title: 'loyalty.xlsx', location: 'sheet Loyalty tiers, rows 2–3',
    bytes: () => makeWorkbook({
      Overview: [['Loyalty programme overview']],
      'Loyalty tiers': [['Tier', 'Points needed', 'Discount'], ['Silver', '500 points', '5 percent'], ['Gold', '1500 points', '10 percent']],
    }, 'xlsx'),
    question: 'How many points are needed for the Gold tier?', answer: /Tier: Gold \| Points needed: 1500 points/,
  },
  {
    name: 'extras.html', type: 'html', title: 'Extras', location: 'Gift wrapping',
    bytes: () => utf8('<!DOCTYPE html><html><head><title>Extras</title></head><body><nav>Home | Shop</nav><h2>Gift wrapping</h2><p>Gift wrapping costs 25 DKK per parcel.</p></body></html>'),
    question: 'How much does gift wrapping cost?', answer: /25 DKK per parcel/,
  },
  {
    name: 'engraving.htm', type: 'html', title: 'engraving.htm', location: 'Engraving',
    bytes: () => utf8('<html><body><h1>Engraving</h1><p>Engraving a knife costs 50 DKK and takes two days.</p></body></html>'),
    question: 'How much does engraving a knife cost?', answer: /50 DKK and takes two days/,
  },
  {
    name: 'repairs.xhtml', type: 'html', title: 'Repairs', location: 'Zip repair',
    bytes: () => utf8('<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>Repairs</title></head><body><h1>Zip repair</h1><p>We repair broken jacket zips for free within the first year.</p></body></html>'),
    question: 'Do you repair broken jacket zips?', answer: /for free within the first year/,
  },
  {
    name: 'care.md', type: 'markdown', title: 'Care guide', location: 'Care guide › Waxing leather boots',
    bytes: () => utf8('# Care guide\n\n## Washing jackets\n\nWash jackets at 30 degrees.\n\n## Waxing leather boots\n\nWax leather boots twice a year with our beeswax.\n'),
    question: 'How often should I wax leather boots?', answer: /twice a year/,
  },
  {
    name: 'newsletter.rst', type: 'rst', title: 'Newsletter', location: 'Newsletter › Welcome discount',
    bytes: () => utf8('Newsletter\n==========\n\nSign up on our website.\n\nWelcome discount\n----------------\n\nNewsletter subscribers get **10 percent** off their first order.\n'),
    question: 'What discount do newsletter subscribers get?', answer: /10 percent off their first order/,
  },
  {
    name: 'discounts.txt', type: 'text', title: 'discounts.txt', location: 'lines 1–3',
    bytes: () => utf8('Discounts\n\nStudents get a 15 percent discount with a valid student card.\n'),
    question: 'Do students get a discount?', answer: /15 percent discount/,
  },
  {
    name: 'phone.text', type: 'text', title: 'phone.text', location: 'line 1',
    bytes: () => utf8('Our customer service phone line is open from 8 to 16 on weekdays.\n'),
    question: 'When is the customer service phone line open?', answer: /from 8 to 16 on weekdays/,
  },
  {
    name: 'pickup.cfg', type: 'config', title: 'pickup.cfg', location: '[pickup], lines 2–3',
    bytes: () => utf8('[pickup]\n# Click and collect orders can be picked up two hours after ordering\nready_after_hours = 2\n'),
    question: 'When can click and collect orders be picked up?', answer: /picked up two hours after ordering/,
  },
  {
    name: 'lockers.conf', type: 'config', title: 'lockers.conf', location: 'lines 1–2',
    bytes: () => utf8('# Parcel lockers at the store are emptied every Sunday evening\nlocker_cleanup = sunday 18:00\n'),
    question: 'When are the parcel lockers emptied?', answer: /every Sunday evening/,
  },
];

describe('an uploaded file answers questions, cited with where in the file the answer is', () => {
  it.each(CASES)('$name', async (c) => {
    const agentId = await sys.createAgent({ name: `Files ${c.name}` });
    const res = await upload(sys, agentId, [{ name: c.name, bytes: await c.bytes() }]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.files).toEqual([{ id: expect.any(String), title: c.title, chunks: expect.any(Number), type: c.type }]);
    expect(res.body.files[0].chunks).toBeGreaterThan(0);

    const reply = await ask(sys, agentId, c.question);
    expect(reply.kind, reply.text).toBe('answer');
    expect(reply.text).toMatch(c.answer);
    expect(reply.sources[0]).toMatchObject({ id: res.body.files[0].id, title: c.title, location: c.location });
    expect(reply.text).toContain(`[1] ${c.title}, ${c.location}`);
  });

  it('a video is used through its caption track, cited by time', async () => {
    const agentId = await sys.createAgent();
    const res = await upload(sys, agentId, [{ name: 'boot-fitting.mp4', bytes: await makeVideo({ container: 'mp4', captions: CAPTIONS }) }]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.files[0]).toMatchObject({ type: 'video', title: 'boot-fitting.mp4' });
    const reply = await ask(sys, agentId, 'When should I try on hiking boots?');
    expect(reply.text).toMatch(/in the afternoon/);
    expect(reply.sources[0]).toMatchObject({ title: 'boot-fitting.mp4', location: '00:00:00–00:00:03' });
  });

  it('a video without captions is refused with what to do when no transcription provider is configured', async () => {
    const agentId = await sys.createAgent();
    const res = await upload(sys, agentId, [{ name: 'silent.mov', bytes: await makeVideo({ container: 'mov' }) }]);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'no_transcript', field: 'file' });
    expect(res.body.error.message).toMatch(/no caption or subtitle track.*TRANSCRIPTION_BASE_URL/s);
    expect(await sourcesOf(sys, agentId)).toEqual([]);
  });
});

describe('files that cannot be used are refused, and nothing is stored', () => {
  const refused = async (files: { name: string; bytes: Uint8Array }[], status: number, error: Record<string, unknown>, fields?: Record<string, string | string[]>) => {
    const agentId = await sys.createAgent();
    const res = await upload(sys, agentId, files, fields);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body.error).toMatchObject(error);
    expect(await sourcesOf(sys, agentId)).toEqual([]);
    return res.body.error as { message: string };
  };

  it('an empty file', async () => {
    await refused([{ name: 'empty.docx', bytes: new Uint8Array() }], 422, { code: 'empty_file', field: 'file' });
  });

  it('a corrupt Word file', async () => {
    const docx = await makeDocx([{ para: 'A paragraph long enough to make the archive worth cutting in half.' }]);
    const err = await refused([{ name: 'cut.docx', bytes: docx.subarray(0, docx.length - 40) }], 422, { code: 'corrupt_file', field: 'file' });
    expect(err.message).toMatch(/cut\.docx/);
  });

  it('password-protected PDF and Office files', async () => {
    const pdf = readFileSync(new URL('../../fixtures/files/encrypted.pdf', import.meta.url));
    const err = await refused([{ name: 'prices.pdf', bytes: pdf }], 422, { code: 'encrypted_file', field: 'file' });
    expect(err.message).toMatch(/password-protected/);
    await refused([{ name: 'budget.xlsx', bytes: makeEncryptedOffice() }], 422, { code: 'encrypted_file' });
  });

  it('a file over the configured size limit, and an upload over the request limit', async () => {
    const err = await refused([{ name: 'huge.txt', bytes: Buffer.alloc(MAX_FILE + 1, 'a') }], 413, { code: 'payload_too_large', field: 'file' });
    expect(err.message).toMatch(/at most 256\.0 KB/);
    const half = Buffer.alloc(MAX_FILE - 1024, 'b');
    await refused([1, 2, 3].map((n) => ({ name: `part${n}.txt`, bytes: half })), 413, { code: 'payload_too_large' });
  });

  it('a mislabelled file: an image named .txt is refused, a PDF named .docx is read as a PDF', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
    const err = await refused([{ name: 'notes.txt', bytes: png }], 415, { code: 'unsupported_file', field: 'file' });
    expect(err.message).toMatch(/PNG image/);

    const agentId = await sys.createAgent();
    const pdf = makePdf([[{ text: 'The repair workshop is closed in July.' }]]);
    const res = await upload(sys, agentId, [{ name: 'workshop.docx', bytes: pdf }]);
    expect(res.status).toBe(201);
    expect(res.body.files[0].type).toBe('pdf');
  });

  it('one bad file in an upload stores none of the others', async () => {
    const err = await refused([
      { name: 'good.md', bytes: utf8('# Fine\n\nA perfectly good file.') },
      { name: 'bad.json', bytes: utf8('{"broken": ') },
    ], 422, { code: 'corrupt_file', field: 'file[1]' });
    expect(err.message).toMatch(/bad\.json is not valid JSON/);
  });

  it('a request that is not multipart, has no file part, or an unknown field', async () => {
    const agentId = await sys.createAgent();
    const json = await sys.request('POST', `/v1/agents/${agentId}/files`, { file: 'x' });
    expect(json.status).toBe(415);
    await refused([], 422, { code: 'invalid_request', field: 'file' }, { title: 'x' });
    await refused([{ name: 'a.txt', bytes: utf8('hello there') }], 422, { code: 'invalid_request', field: 'colour' }, { colour: 'red' });
  });

  it('an unknown agent', async () => {
    const res = await upload(sys, 'agent-that-does-not-exist', [{ name: 'a.txt', bytes: utf8('hello') }]);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('agent_not_found');
  });
});

it('several files in one upload are each stored, with their own titles and kind', async () => {
  const agentId = await sys.createAgent();
  const res = await upload(sys, agentId, [
    { name: 'a.md', bytes: utf8('Alpha text about tents.') },
    { name: 'b.txt', bytes: utf8('Beta text about stoves.') },
  ], { title: ['Tent guide', 'Stove guide'], kind: 'article' });
  expect(res.status).toBe(201);
  expect(res.body.files.map((f: { title: string }) => f.title)).toEqual(['Tent guide', 'Stove guide']);
  const sources = await sourcesOf(sys, agentId);
  expect(sources.map((s) => s.title).sort()).toEqual(['Stove guide', 'Tent guide']);
  expect(sources.every((s) => s.type === 'file')).toBe(true);
});
