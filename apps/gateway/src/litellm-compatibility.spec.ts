import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configFileSchema, flattenConfigKeys } from '@switchboard/config';
import { gatewayControllers } from './http/gateway-controllers';
import { requestHeaderRules } from './http/request-headers';
import { routeTable } from './http/route-table';

const document = readFileSync(fileURLToPath(new URL('../../../docs/litellm-compatibility.md', import.meta.url)), 'utf8');

/** The rows of the first table under a `## ` heading, split into trimmed cells. */
function tableRows(heading: string): string[][] {
  const start = document.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`docs/litellm-compatibility.md has no "## ${heading}" section`);
  const end = document.indexOf('\n## ', start + 4);
  const section = document.slice(start, end < 0 ? undefined : end);
  return section
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|[-| ]+\|$/.test(line))
    .slice(1)
    .map((line) => line.slice(1, -1).split(/(?<!\\)\|/).map((cell) => cell.trim()));
}

const unquote = (cell: string) => cell.replace(/^`|`$/g, '');

/** Every key path the config schema validates (`model_list[].litellm_params.model`). */
function schemaPaths(schema: z.ZodType, prefix = ''): string[] {
  let inner: z.ZodType = schema;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault || inner instanceof z.ZodNullable) inner = inner.unwrap() as z.ZodType;
  if (inner instanceof z.ZodArray) return schemaPaths(inner.element as z.ZodType, `${prefix}[]`);
  if (!(inner instanceof z.ZodObject)) return [];
  return Object.entries(inner.shape as Record<string, z.ZodType>).flatMap(([key, child]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return [path, ...schemaPaths(child, path)];
  });
}

describe('docs/litellm-compatibility.md', () => {
  it('lists every config key with the status its rule gives it, and nothing else', () => {
    const documented = new Map(tableRows('Config keys').map(([key, status]) => [unquote(key), status.replace(' (warning)', '')]));
    const rules = new Map(flattenConfigKeys().map(({ path, rule }) => [path, rule.status as string]));
    expect([...documented.keys()].sort()).toEqual([...rules.keys()].sort());
    for (const [path, status] of rules) expect({ path, status: documented.get(path) }).toEqual({ path, status });
  });

  it('validates every honoured key in the config schema, and validates no key that is not honoured', () => {
    const honoured = new Set(flattenConfigKeys().filter(({ rule }) => rule.status === 'honoured').map(({ path }) => path));
    const validated = new Set(schemaPaths(configFileSchema));
    expect([...honoured].filter((path) => !validated.has(path)).sort()).toEqual([]);
    expect([...validated].filter((path) => !honoured.has(path)).sort()).toEqual([]);
  });

  it('lists every route the gateway serves (management and spend aside), and each route it says is served exists', () => {
    const routes = routeTable(gatewayControllers);
    const served = new Set(routes.map((route) => `${route.method} ${route.path}`));
    const rows = tableRows('Routes').map(([method, path, status]) => ({ route: `${method} ${unquote(path)}`, status }));
    for (const row of rows) if (row.status === 'served') expect(served, `${row.route} is documented as served`).toContain(row.route);
    for (const row of rows) if (row.status !== 'served') expect(served, `${row.route} is documented as not served`).not.toContain(row.route);
    const documented = new Set(rows.filter((row) => row.status === 'served').map((row) => row.route));
    const owned = routes.filter((route) => route.controller !== 'ManagementController' && route.controller !== 'SpendController');
    expect(owned.map((route) => `${route.method} ${route.path}`).filter((route) => !documented.has(route))).toEqual([]);
  });

  it('lists every LiteLLM request header with what Switchboard does with it', () => {
    const documented = tableRows('Request headers').map(([header, status]) => [unquote(header), status.split(' ')[0]]);
    expect(documented).toEqual(requestHeaderRules.map((rule) => [rule.header, rule.status]));
  });
});
