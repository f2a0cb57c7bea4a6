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

const sources = ['apps/*/src', 'libs/*/src', 'libs/data-access/*/src', 'deploy'];
const exclude = ['**/node_modules/**', '**/dist/**'];
/** Checks NATS, PostgreSQL and Redis (or starts them with Testcontainers) and migrates the template database. */
const services = `${root}libs/testing/src/global-setup.ts`;
/** Builds the apps the end-to-end tests spawn. */
const build = `${root}libs/testing/src/build-setup.ts`;

/**
 * Three kinds of tests, three projects (docs/ARCHITECTURE.md D11): `unit` (`*.spec.ts`) needs no service
 * at all; `integration` (`*.int-spec.ts`) talks to real NATS, PostgreSQL and Redis; `e2e`
 * (`*.e2e-spec.ts`) runs the built apps as processes. `npm test -- --project unit` runs the unit tests
 * alone; a path filter runs one Nx project's (`vitest run apps/gateway`).
 */
export default defineConfig({
  resolve: { alias },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    passWithNoTests: true,
    projects: [
      { extends: true, test: { name: 'unit', root, include: sources.map((source) => `${source}/**/*.spec.ts`), exclude } },
      { extends: true, test: { name: 'integration', root, include: sources.map((source) => `${source}/**/*.int-spec.ts`), exclude, globalSetup: [services] } },
      { extends: true, test: { name: 'e2e', root, include: sources.map((source) => `${source}/**/*.e2e-spec.ts`), exclude, globalSetup: [build, services] } },
    ],
  },
});
