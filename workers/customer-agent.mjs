#!/usr/bin/env node
// The `customer-agent` command (package.json bin): runs workers/cli/index.ts through tsx, no build step.
import process from 'node:process';
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./cli/index.ts');
process.exitCode = await main(process.argv.slice(2));
