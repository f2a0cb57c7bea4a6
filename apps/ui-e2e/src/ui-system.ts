import { createIsolation, startFakeOpenAiUpstream, startSystem } from '@switchboard/testing';
import type { FakeServer, Isolation, RunningSystem } from '@switchboard/testing';

/**
 * The whole system for the UI tests: gateway, worker, auth, budget (spend ledger) and a fake
 * OpenAI upstream behind a priced model group, with prompts stored in the spend log.
 */
export interface UiSystem {
  isolation: Isolation;
  upstream: FakeServer;
  system: RunningSystem;
  stop(): Promise<void>;
}

export async function startUiSystem(gatewayEnvironment: Record<string, string> = {}): Promise<UiSystem> {
  const isolation = await createIsolation();
  const upstream = await startFakeOpenAiUpstream();
  const config = `model_list:
  - model_name: priced
    litellm_params:
      model: openai/ok
      api_base: ${upstream.url}/v1
      api_key: sk-upstream
      input_cost_per_token: "0.000001"
      output_cost_per_token: "0.000002"
      cache_read_input_token_cost: "0.0000005"
  - model_name: mock-gpt
    litellm_params:
      model: mock/mock-gpt
general_settings:
  store_prompts_in_spend_logs: true
`;
  const system = await startSystem({
    isolation,
    config,
    workers: [{ providers: 'openai,mock' }],
    budget: true,
    gatewayEnvironment: { UI_USERNAME: 'ui-admin', UI_PASSWORD: 'ui-password-123', ...gatewayEnvironment },
  });
  return {
    isolation,
    upstream,
    system,
    stop: async () => {
      await system.stop();
      await upstream.close();
      await isolation.cleanup();
    },
  };
}

/** A management call with the master key that must answer 200. */
export async function manage(system: RunningSystem, path: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await fetch(`${system.baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${system.masterKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}
