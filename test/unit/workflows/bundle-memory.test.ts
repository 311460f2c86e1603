import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';

const workflowsPath = fileURLToPath(new URL('../../../workflows/index.ts', import.meta.url));

// Temporal's reusable V8 context evaluates every module of the bundle once per cached workflow. With zod
// and our schemas in it, each open conversation cost ~1.6 MB more (scratch measurements on 600 cached
// workflows; the bench's idle-conversation curve went from +935 MB to +105 MB for 500). Whatever brings
// zod back (a value import of a schema, a helper left in a schema file) fails here.
describe('the workflow bundle', () => {
  it('carries no zod, so each open conversation costs little memory', async () => {
    const { code } = await bundleWorkflowCode({ workflowsPath, logger: { info() {}, warn() {}, error() {}, debug() {}, trace() {}, log() {} } });
    const modulePaths = code.match(/node_modules\/[@\w.-]+(?:\/[\w.-]+)?/g) ?? [];
    // The bundle names its modules by path: were it not so, the check below would pass vacuously.
    expect(modulePaths.some((p) => p.startsWith('node_modules/@temporalio/workflow'))).toBe(true);
    expect(modulePaths.filter((p) => p === 'node_modules/zod' || p.startsWith('node_modules/zod/'))).toEqual([]);
  }, 120_000);
});
