// `npm run worker` / `npm run api`: a production role on plain `node`, from the compiled copy of the
// source (compiled-build.mjs), built first if this version of the code has none yet.
import path from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { compiledBuild } from './compiled-build.mjs';

const ENTRIES = { worker: 'workers/worker-main.js', api: 'api/server.js' };

const role = process.argv[2];
if (!Object.hasOwn(ENTRIES, role)) {
  process.stderr.write(`usage: node workers/run-compiled.mjs <${Object.keys(ENTRIES).join('|')}>\n`);
  process.exit(2);
}
await import(pathToFileURL(path.join(await compiledBuild(), ENTRIES[role])).href);
