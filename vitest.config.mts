import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));
const alias: Record<string, string> = {
  '@switchboard/data-access-responses': `${root}libs/data-access/responses/src/index.ts`,
  '@switchboard/data-access-spend': `${root}libs/data-access/spend/src/index.ts`,
  '@switchboard/data-access-identity': `${root}libs/data-access/identity/src/index.ts`,
  ...Object.fromEntries(
  ['spec', 'contracts', 'messaging', 'config', 'provider-utils', 'providers', 'api-openai', 'testing', 'observability', 'router', 'sdk', 'api-anthropic', 'api-responses', 'pricing', 'limits', 'identity'].map((name) => [
    `@switchboard/${name}`,
    `${root}libs/${name}/src/index.ts`,
  ]),
  ),
};

const projects = [
  ['spec', 'libs/spec'],
  ['contracts', 'libs/contracts'],
  ['messaging', 'libs/messaging'],
  ['config', 'libs/config'],
  ['provider-utils', 'libs/provider-utils'],
  ['providers', 'libs/providers'],
  ['api-openai', 'libs/api-openai'],
  ['testing', 'libs/testing'],
  ['observability', 'libs/observability'],
  ['router', 'libs/router'],
  ['sdk', 'libs/sdk'],
  ['api-anthropic', 'libs/api-anthropic'],
  ['api-responses', 'libs/api-responses'],
  ['data-access-responses', 'libs/data-access/responses'],
  ['migrate', 'apps/migrate'],
  ['pricing', 'libs/pricing'],
  ['limits', 'libs/limits'],
  ['data-access-spend', 'libs/data-access/spend'],
  ['identity', 'libs/identity'],
  ['data-access-identity', 'libs/data-access/identity'],
  ['auth', 'apps/auth'],
  ['budget', 'apps/budget'],
  ['logging', 'apps/logging'],
  ['deploy', 'deploy'],
  ['gateway', 'apps/gateway'],
  ['worker', 'apps/worker'],
  ['gateway-e2e', 'apps/gateway-e2e'],
  ['ui-e2e', 'apps/ui-e2e'],
] as const;

export default defineConfig({
  resolve: { alias },
  test: {
    globalSetup: [`${root}libs/testing/src/global-setup.ts`],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    passWithNoTests: true,
    projects: projects.map(([name, dir]) => ({
      extends: true,
      test: {
        name,
        root: `${root}${dir}`,
        include: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
        exclude: ['**/node_modules/**', '**/dist/**'],
      },
    })),
  },
});
