// Entry of an extraction thread run from the TypeScript source (`npm start`, the CLI, tests; the compiled
// roles start thread.js directly): a thread inherits the loader from `tsx …` or `node --import tsx`;
// anywhere else (a test runner's worker) it registers it.
// The retry imports another URL: a failed import stays failed for its URL.
try {
  await import('./thread.ts');
} catch (err) {
  if (err?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw err;
  const { register } = await import('tsx/esm/api');
  register();
  await import('./thread.ts?with-tsx');
}
