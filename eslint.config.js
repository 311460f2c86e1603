// Lint guards the determinism boundary: workflow code may import only @temporalio/workflow,
// its contracts and pure helpers. A mistake fails here, not at worker start.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'path', 'os', 'crypto', 'http', 'https', 'net', 'child_process', 'async_hooks', 'worker_threads', 'stream', 'url', 'util', 'events', 'timers', 'dns', 'zlib'];

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', '.build/**', 'coverage/**', 'scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests read JSON responses and assert their shape at run time.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['workflows/**/*.ts'],
    // The zod schemas of the contracts: parsed by the API and clients, never imported by workflow code (below).
    ignores: ['workflows/*.schemas.ts'],
    rules: {
      // The typescript-eslint variant, for allowTypeImports: a type import is erased from the bundle.
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: nodeBuiltins.flatMap((m) => [m, `node:${m}`]).map((name) => ({ name, message: 'Workflow code is deterministic: no Node builtins.' })),
        patterns: [
          { group: ['pg', 'pg-*', 'pgvector', 'hono', 'hono/*', '@hono/*', '@langchain/*', '@electric-sql/*', '@temporalio/client', '@temporalio/worker', '@temporalio/activity'], message: 'Workflow code may import only @temporalio/workflow, contracts and pure helpers.' },
          { group: ['**/activities/*', '**/graphs/*', '**/api/*', '**/db/*', '**/knowledge/*', '**/workers/*'], allowTypeImports: true, message: 'Only type imports from I/O folders are allowed in workflow code.' },
          // Every cached workflow re-evaluates every module of the bundle: zod and our schemas cost ~1.6 MB
          // per open conversation (workflows/conversation-checks.ts). Types only; shapes are checked by hand.
          { group: ['zod', 'zod/*', '**/*.schemas.js'], allowTypeImports: true, message: 'The workflow bundle carries no zod: import its types with `import type`, check shapes by hand (shape-checks.ts).' },
        ],
      }],
      'no-restricted-globals': ['error', { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' }, { name: 'fetch', message: 'I/O belongs in activities.' }],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'Workflow time comes from the SDK; Date.now() is replay-safe there but say so explicitly via workflowInfo().' }, { object: 'Math', property: 'random', message: 'Randomness is not replay-safe outside the SDK; use uuid4() from @temporalio/workflow.' }],
    },
  },
  {
    // The layers below the composition roots take plain options; only workers/ reads configuration and
    // only api/ serves HTTP, so nothing underneath (channel adapters included) may reach up into them.
    // Except workers/package-root.ts: where the package's own files are, a fact of the install, not configuration.
    files: ['domain/**/*.ts', 'db/**/*.ts', 'knowledge/**/*.ts', 'graphs/**/*.ts', 'activities/**/*.ts', 'actions/**/*.ts', 'channels/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/workers/*', '**/workers/**', '!**/workers/package-root.js', '**/api/*', '**/api/**'], allowTypeImports: false, message: 'Lower layers take plain options: do not import workers/ or api/ from here.' }],
      }],
    },
  },
  {
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: nodeBuiltins.flatMap((m) => [m, `node:${m}`]).map((name) => ({ name, message: 'domain/ is pure: no Node builtins.' })),
        patterns: [{ group: ['pg', 'pg-*', 'hono', 'hono/*', '@hono/*', '@langchain/*', '@temporalio/*', '**/db/*', '**/api/*', '**/workers/*', '**/knowledge/*', '**/graphs/*', '**/activities/*', '**/workflows/*'], message: 'domain/ holds plain zod types only.' }],
      }],
    },
  },
  {
    // The turn graph checks inputs and fills templates with these: pure, like domain/.
    files: ['actions/inputs.ts', 'actions/template.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: nodeBuiltins.flatMap((m) => [m, `node:${m}`]).map((name) => ({ name, message: 'actions/inputs.ts and template.ts are pure: no Node builtins.' })),
        patterns: [{ group: ['pg', 'pg-*', 'hono', 'hono/*', '@hono/*', '@temporalio/*', '**/db/*', '**/api/*', '**/workers/*', '**/knowledge/*', '**/activities/*'], message: 'actions/inputs.ts and template.ts are pure: domain types only.' }],
      }],
    },
  },
  {
    // Routes declare request schemas for the document only; api/validate.ts is the one validation (api/openapi.ts).
    files: ['api/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: "CallExpression[callee.property.name='valid'][callee.object.property.name='req']",
        message: 'c.req.valid() is undefined here: validate with api/validate.ts (see openApiRouter in api/openapi.ts).',
      }],
    },
  },
  {
    // api/pages/widget.js ships to browsers as is (no build): a classic script with the browser's globals.
    files: ['api/pages/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: Object.fromEntries([
        'window', 'document', 'location', 'navigator', 'localStorage', 'sessionStorage', 'fetch', 'setTimeout', 'clearTimeout',
        'crypto', 'console', 'URL', 'URLSearchParams', 'CSSStyleSheet', 'Response',
      ].map((name) => [name, 'readonly'])),
    },
  },
  {
    files: ['graphs/**/*.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'Graph nodes get time from the injected clock.' }, { object: 'Math', property: 'random', message: 'Graph nodes are pure.' }],
    },
  },
);
