import { createFileExtractor } from '../knowledge/extract/index.js';
const rows = ['sku,name,description,price'];
for (let i = 0; rows.length < 200_000; i++) rows.push(`SKU-${i},Widget ${i},"A sturdy widget number ${i}, with a handle",${(i % 500) + 0.99}`);
const bytes = new TextEncoder().encode(rows.join('\n'));
console.log('MB', (bytes.length / 1e6).toFixed(1));
const s = performance.now();
try { const r = await createFileExtractor().extract({ name: 'big.csv', bytes }); console.log('blocks', r.blocks.length); } catch (e) { console.log('err', (e as Error).message); }
console.log('ms', (performance.now() - s).toFixed(0));
