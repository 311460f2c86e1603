import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../support/system.js';
import { ask, sourcesOf, upload } from './helpers.js';

let sys: TestSystem;

beforeAll(async () => {
  sys = await startTestSystem('files-isolation', { FILE_EXTRACT_TIMEOUT_MS: '300', FILE_EXTRACT_THREADS: '1' });
});
afterAll(async () => sys?.stop());

/** A price list large enough that reading it takes well over the 300 ms this system allows. */
function bigCsv(): Uint8Array {
  const rows = ['sku,name,description,price'];
  for (let i = 0; rows.length < 60_000; i++) rows.push(`SKU-${i},Widget ${i},"A sturdy widget number ${i}, with a handle",${(i % 500) + 0.99}`);
  return Buffer.from(rows.join('\n'));
}

describe('files are read off the API’s event loop', () => {
  it('a file that takes too long to read is refused with why, while the API keeps answering, and the next file is read', async () => {
    const agentId = await sys.createAgent({ name: 'Isolation shop' });
    const order: string[] = [];
    const slow = upload(sys, agentId, [{ name: 'prices.csv', bytes: bigCsv(), type: 'text/csv' }]).then((r) => {
      order.push('upload');
      return r;
    });
    // Asked while the file is being read: answered first, because reading happens in another thread.
    await new Promise((r) => setTimeout(r, 100));
    const health = await fetch(`${sys.url}/healthz`);
    order.push('healthz');
    expect(health.status).toBe(200);

    const refused = await slow;
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('corrupt_file');
    expect(refused.body.error.message).toMatch(/prices\.csv could not be read: reading it took longer than 300 ms/);
    expect(order).toEqual(['healthz', 'upload']);
    expect(await sourcesOf(sys, agentId)).toEqual([]);

    // The stopped reader was replaced: the next file is read and answered from.
    const ok = await upload(sys, agentId, [{ name: 'hours.md', bytes: Buffer.from('# Opening hours\n\nThe shop is open from 10:00 to 18:00 on Saturdays.\n'), type: 'text/markdown' }]);
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    const reply = await ask(sys, agentId, 'When is the shop open on Saturdays?');
    expect(reply.text).toMatch(/10:00 to 18:00/);
  });
});
