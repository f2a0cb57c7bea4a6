// The cost of a key's limits on the hot path: p50 at one connection of a virtual key with no limits
// against one with rpm, tpm, parallel and budget limits (all far from being reached).
import { closedLoop, target } from './load.mjs';

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function generateKey(gatewayUrl, masterKey, fields) {
  const response = await fetch(`${gatewayUrl}/key/generate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${masterKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ models: ['bench'], ...fields }),
    signal: AbortSignal.timeout(10_000),
  });
  if (response.status !== 200) throw new Error(`/key/generate answered ${response.status}: ${await response.text()}`);
  return (await response.json()).key;
}

/**
 * A new budget's counter is seeded from the ledger by the budget service, which answers only once the
 * ledger holds every usage event published before the question (503 meanwhile): wait for the usage
 * consumers, then send requests until one is admitted (bounded), so the timed runs measure the steady path.
 */
async function seedBudget(spec, usage, count) {
  await usage.waitCaughtUp(120_000);
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const response = await fetch(`${spec.origin}${spec.path}`, { method: 'POST', headers: spec.headers, body: spec.body, signal: AbortSignal.timeout(10_000) });
    await response.arrayBuffer();
    if (response.status === 200) {
      count(1);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('the budget of the limited key could not be seeded from the ledger (20 attempts)');
}

/** `count(ok)` is told the 200 answers, warm-ups included, for the ledger check. */
export async function limitsCell({ gatewayUrl, masterKey, usage, runs, count: requests, warmup }, count) {
  const unlimitedKey = await generateKey(gatewayUrl, masterKey, { key_alias: 'bench-no-limits' });
  const limitedKey = await generateKey(gatewayUrl, masterKey, { key_alias: 'bench-limits', rpm_limit: 1_000_000, tpm_limit: 1_000_000_000, max_parallel_requests: 1_000, max_budget: 1_000_000 });
  const body = { model: 'bench', max_tokens: 32, messages: [{ role: 'user', content: 'hello' }] };
  const url = `${gatewayUrl}/v1/chat/completions`;
  const specs = { unlimited: target(url, { authorization: `Bearer ${unlimitedKey}` }, body), limited: target(url, { authorization: `Bearer ${limitedKey}` }, body) };
  await seedBudget(specs.limited, usage, count);
  const all = { unlimited: [], limited: [] };
  for (let run = 0; run < runs; run += 1) {
    for (const name of ['unlimited', 'limited']) {
      const figures = await closedLoop(specs[name], requests, warmup);
      count(figures.ok);
      all[name].push(figures);
    }
  }
  const summary = (figures) => ({ p50: median(figures.map((r) => r.p50)), errors: figures.reduce((sum, r) => sum + r.errors, 0) });
  return { unlimited: summary(all.unlimited), limited: summary(all.limited), runs: all };
}
