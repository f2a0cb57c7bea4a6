import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const typeConstraints = [
  { sourceTag: 'type:spec', onlyDependOnLibsWithTags: ['type:spec'] },
  { sourceTag: 'type:provider-utils', onlyDependOnLibsWithTags: ['type:spec'] },
  { sourceTag: 'type:provider', onlyDependOnLibsWithTags: ['type:spec', 'type:provider-utils', 'type:testing'] },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:spec'] },
  { sourceTag: 'type:messaging', onlyDependOnLibsWithTags: ['type:spec', 'type:contracts'] },
  { sourceTag: 'type:config', onlyDependOnLibsWithTags: ['type:spec'] },
  { sourceTag: 'type:edge', onlyDependOnLibsWithTags: ['type:spec', 'type:contracts'] },
  { sourceTag: 'type:observability', onlyDependOnLibsWithTags: ['type:spec'] },
  { sourceTag: 'type:router', onlyDependOnLibsWithTags: ['type:spec', 'type:config'] },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:spec', 'type:contracts', 'type:testing'] },
  { sourceTag: 'type:pricing', onlyDependOnLibsWithTags: ['type:spec', 'type:config'] },
  { sourceTag: 'type:deploy', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:limits', onlyDependOnLibsWithTags: ['type:spec', 'type:testing'] },
  { sourceTag: 'type:identity', onlyDependOnLibsWithTags: ['type:spec', 'type:contracts'] },
  {
    sourceTag: 'type:sdk',
    onlyDependOnLibsWithTags: ['type:spec', 'type:config', 'type:contracts', 'type:router', 'type:provider', 'type:provider-utils', 'type:edge', 'type:testing'],
  },
  {
    sourceTag: 'type:testing',
    onlyDependOnLibsWithTags: ['type:spec', 'type:contracts', 'type:messaging', 'type:config', 'type:provider-utils'],
  },
  {
    sourceTag: 'type:e2e',
    onlyDependOnLibsWithTags: ['type:spec', 'type:contracts', 'type:messaging', 'type:config', 'type:observability', 'type:sdk', 'type:testing'],
  },
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: [
      'type:spec',
      'type:contracts',
      'type:messaging',
      'type:config',
      'type:provider-utils',
      'type:provider',
      'type:edge',
      'type:observability',
      'type:router',
      'type:data-access',
      'type:pricing',
      'type:limits',
      'type:identity',
      'type:testing',
    ],
  },
];

/**
 * Every scope's allowed dependencies (docs/ARCHITECTURE.md D9). A service reads only its own tables (D15): the
 * gateway asks the auth and budget services over NATS; the worker never reaches the gateway; only `migrate`
 * (which applies every context's migrations) and the end-to-end tests see across services.
 */
const scopeConstraints = [
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:providers', onlyDependOnLibsWithTags: ['scope:providers', 'scope:shared'] },
  { sourceTag: 'scope:gateway', onlyDependOnLibsWithTags: ['scope:gateway', 'scope:providers', 'scope:shared'] },
  { sourceTag: 'scope:worker', onlyDependOnLibsWithTags: ['scope:worker', 'scope:providers', 'scope:shared'] },
  { sourceTag: 'scope:auth', onlyDependOnLibsWithTags: ['scope:auth', 'scope:shared'] },
  { sourceTag: 'scope:budget', onlyDependOnLibsWithTags: ['scope:budget', 'scope:providers', 'scope:shared'] },
  { sourceTag: 'scope:logging', onlyDependOnLibsWithTags: ['scope:logging', 'scope:shared'] },
  { sourceTag: 'scope:migrate', onlyDependOnLibsWithTags: ['scope:migrate', 'scope:auth', 'scope:budget', 'scope:gateway', 'scope:shared'] },
  // The in-process SDK runs the router and the providers in the caller's process, with the OpenAI edge's encoders.
  { sourceTag: 'scope:sdk', onlyDependOnLibsWithTags: ['scope:sdk', 'scope:gateway', 'scope:providers', 'scope:shared'] },
  { sourceTag: 'scope:deploy', onlyDependOnLibsWithTags: ['scope:deploy'] },
  // The admin UI runs in a browser and talks to the gateway only over HTTP: no workspace library.
  { sourceTag: 'scope:ui', onlyDependOnLibsWithTags: ['scope:ui'] },
  { sourceTag: 'scope:e2e', onlyDependOnLibsWithTags: ['scope:e2e', 'scope:sdk', 'scope:shared'] },
];

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', '**/__fixtures__/**', '**/*.mjs', '.nx/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: [], depConstraints: [...typeConstraints, ...scopeConstraints] },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The testing library (fake upstreams, harness) is for tests only.
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'libs/testing/**', 'tools/**', 'apps/ui-e2e/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: '@switchboard/testing', message: 'The testing library is for tests only.' }] },
      ],
    },
  },
];
