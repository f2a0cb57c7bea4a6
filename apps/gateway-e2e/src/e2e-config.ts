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
