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

const scopeConstraints = [
  { sourceTag: 'scope:shared', notDependOnLibsWithTags: ['scope:gateway', 'scope:worker', 'scope:providers'] },
  { sourceTag: 'scope:providers', notDependOnLibsWithTags: ['scope:gateway', 'scope:worker'] },
  // A service reads only its own tables (docs/ARCHITECTURE.md D15): the gateway asks the auth and budget services over NATS.
  { sourceTag: 'scope:gateway', notDependOnLibsWithTags: ['scope:worker', 'scope:auth', 'scope:budget'] },
  { sourceTag: 'scope:worker', notDependOnLibsWithTags: ['scope:gateway', 'scope:auth', 'scope:budget'] },
  { sourceTag: 'scope:auth', notDependOnLibsWithTags: ['scope:gateway', 'scope:worker', 'scope:budget'] },
  { sourceTag: 'scope:budget', notDependOnLibsWithTags: ['scope:gateway', 'scope:worker', 'scope:auth'] },
  // The admin UI runs in a browser and talks to the gateway only over HTTP: no workspace library.
  { sourceTag: 'scope:ui', onlyDependOnLibsWithTags: ['scope:ui'] },
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
