import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolation, startFakeOpenAiUpstream, startSystem } from '@switchboard/testing';
import type { FakeServer, Isolation, RunningSystem } from '@switchboard/testing';
import { manage } from './e2e-config';

/**
 * The price book is one (docs/ARCHITECTURE.md D16): with a price override, the gateway's budget
 * settlement and `x-litellm-response-cost`, `/spend/calculate` and the budget service's ledger row
 * all bill the same amount. The override has pico-dollar digits, so a service that priced from the
 * catalogue, or rounded differently, would show.
 */
const overrides = {
  'gpt-4o': {
    input_cost_per_token: '0.000003100001',
    output_cost_per_token: 0.0000123,
    cache_read_input_token_cost: '0.00000071',
    output_cost_per_reasoning_token: '0.0000171',
    litellm_provider: 'openai',
  },
};

// The fake upstream's usage: 11 prompt tokens (3 cached), 7 completion tokens (2 of them reasoning).
// 8 x $3.100001/M + 3 x $0.71/M + 5 x $12.3/M + 2 x $17.1/M (the catalogue's gpt-4o would be $0.00009375).
const expectedCost = '0.000122630008';

const config = (upstream: string) => `model_list:
  - model_name: overridden
    litellm_params:
      model: openai/ok
      api_base: ${upstream}/v1
      api_key: sk-upstream
    model_info:
      base_model: gpt-4o
`;

interface SpendRow {
  request_id: string;
  cost: string;
  spend: number;
  price_missing: boolean;
}

describe('one price book: with a price override every service bills the same', () => {
  let isolation: Isolation;
  let upstream: FakeServer;
  let system: RunningSystem;

  beforeAll(async () => {
    isolation = await createIsolation();
    upstream = await startFakeOpenAiUpstream();
    const file = join(mkdtempSync(join(tmpdir(), 'switchboard-prices-')), 'prices.json');
    writeFileSync(file, JSON.stringify(overrides));
    system = await startSystem({
      isolation,
      config: config(upstream.url),
      workers: [{ providers: 'openai' }],
      budget: true,
      gatewayEnvironment: { PRICE_OVERRIDES_FILE: file },
      budgetEnvironment: { PRICE_OVERRIDES_FILE: file },
    });
  });

  afterAll(async () => {
    await system?.stop();
    await upstream?.close();
    await isolation?.cleanup();
  });

  it('x-litellm-response-cost, /spend/calculate, the budget counter and the ledger row agree to the pico-dollar', async () => {
    // A key whose budget is spent by one request: its refusal names what the gateway settled.
    const { key } = (await manage(system, '/key/generate', { max_budget: 0.0000001 })) as { key: string };
    const client = new OpenAI({ baseURL: `${system.baseUrl}/v1`, apiKey: key, maxRetries: 0 });
    const { data: completion, response } = await client.chat.completions.create({ model: 'overridden', messages: [{ role: 'user', content: 'price me' }] }).withResponse();
    const requestId = response.headers.get('x-request-id') ?? '';
    const headerCost = response.headers.get('x-litellm-response-cost');

    const calculated = (await (
      await fetch(`${system.baseUrl}/spend/calculate`, {
        method: 'POST',
        headers: { authorization: `Bearer ${system.masterKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'overridden', completion_response: completion }),
      })
    ).json()) as { cost: number; cost_exact: string };

    let row: SpendRow | undefined;
    await expect
      .poll(
        async () => {
          const rows = (await (await fetch(`${system.baseUrl}/spend/logs?request_id=${requestId}`, { headers: { authorization: `Bearer ${system.masterKey}` } })).json()) as SpendRow[];
          row = rows[0];
          return row?.request_id;
        },
        { timeout: 10_000, interval: 100 },
      )
      .toBe(requestId);

    expect(row).toMatchObject({ cost: expectedCost, price_missing: false });
    expect(calculated.cost_exact).toBe(row?.cost);
    expect(calculated.cost).toBe(row?.spend);
    // The header is the nearest double of the same exact amount.
    expect(Number(headerCost)).toBe(Number(row?.cost));

    // The gateway settled the request's budget at the same cost, rounded up to the nano-dollar.
    const nanoCeil = Math.ceil(122_630_008 / 1_000);
    let refusal = '';
    await expect
      .poll(
        async () => {
          const refused = await client.chat.completions.create({ model: 'overridden', messages: [{ role: 'user', content: 'again' }] }).catch((error: unknown) => error);
          refusal = refused instanceof OpenAI.APIError && refused.status === 400 ? refused.message : '';
          return refusal;
        },
        { timeout: 5_000, interval: 50 },
      )
      .toContain('Budget has been exceeded!');
    expect(refusal).toContain(`Current cost: ${nanoCeil / 1e9}, Max budget: 1e-07`);
  });

  it('shows the overridden price on /model/info', async () => {
    const info = (await (await fetch(`${system.baseUrl}/model/info`, { headers: { authorization: `Bearer ${system.masterKey}` } })).json()) as {
      data: Array<{ model_name: string; model_info: Record<string, unknown> }>;
    };
    expect(info.data.find((entry) => entry.model_name === 'overridden')?.model_info).toMatchObject({ input_cost_per_token: 0.000003100001, output_cost_per_token: 0.0000123, price_source: 'override' });
  });
});
