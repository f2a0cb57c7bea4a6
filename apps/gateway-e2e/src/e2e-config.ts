/** A config whose model groups point at the fake OpenAI upstream, one per behaviour. */
export function fakeUpstreamConfig(upstreamUrl: string, extraModels = ''): string {
  const behaviours = [
    'ok',
    'slow-ok',
    'tools',
    'reasoning',
    'status-400',
    'status-401',
    'status-429',
    'status-500',
    'status-503',
    'context',
    'slow-stream',
    'cut-stream',
    'error-first',
    'error-after-output',
  ];
  const entries = behaviours.map(
    (behaviour) => `  - model_name: fake-${behaviour}
    litellm_params:
      model: openai/${behaviour}
      api_base: ${upstreamUrl}/v1
      api_key: os.environ/FAKE_UPSTREAM_KEY`,
  );
  return `model_list:
${entries.join('\n')}
  - model_name: fake-hang
    litellm_params:
      model: openai/hang
      api_base: ${upstreamUrl}/v1
      api_key: os.environ/FAKE_UPSTREAM_KEY
      timeout: 2
  - model_name: fake-embedding
    litellm_params:
      model: openai/text-embedding-3-small
      api_base: ${upstreamUrl}/v1
      api_key: os.environ/FAKE_UPSTREAM_KEY
  - model_name: unreachable
    litellm_params:
      model: openai/ok
      api_base: http://127.0.0.1:9/v1
      api_key: sk-unused
  - model_name: mock-gpt
    litellm_params:
      model: mock/mock-gpt
  - model_name: mock-embedding-floats
    litellm_params:
      model: mock/mock-embedding
  - model_name: groq-only
    litellm_params:
      model: groq/llama-3.3-70b-versatile
      api_base: ${upstreamUrl}/v1
      api_key: os.environ/FAKE_UPSTREAM_KEY
${extraModels}`;
}

export const upstreamKey = 'sk-upstream-canary-0123456789';

/**
 * A model group `priced` on the fake OpenAI upstream with known prices: each request with
 * `max_tokens: 10` reserves $0.000025 and really costs $0.0000235 (11 prompt tokens, 3 of them
 * cached, and 7 completion tokens).
 */
export function pricedUpstreamConfig(upstreamUrl: string, extra = ''): string {
  return `model_list:
  - model_name: priced
    litellm_params:
      model: openai/ok
      api_base: ${upstreamUrl}/v1
      api_key: sk-upstream
      input_cost_per_token: "0.000001"
      output_cost_per_token: "0.000002"
      cache_read_input_token_cost: "0.0000005"
${extra}`;
}

/** A POST to a management route with the master key that must answer 200; its JSON body. */
export async function manage(system: { baseUrl: string; masterKey: string }, path: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await fetch(`${system.baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${system.masterKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}
