import type { ModelDeployment } from '@switchboard/config';
import type { ModelPrice } from '@switchboard/pricing';
import { usdToNumber } from '@switchboard/pricing';

/** The OpenAI parameters Switchboard's chat route takes (each provider drops what it cannot use, with a warning). */
const supportedOpenAiParams = [
  'temperature', 'top_p', 'n', 'stream', 'stream_options', 'stop', 'max_tokens', 'max_completion_tokens', 'presence_penalty', 'frequency_penalty',
  'logit_bias', 'user', 'response_format', 'seed', 'tools', 'tool_choice', 'parallel_tool_calls', 'logprobs', 'top_logprobs', 'reasoning_effort',
];

function numberOf(deployment: ModelDeployment, name: string): number | undefined {
  const value = deployment.params[name] ?? deployment.info[name];
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

function sum(values: Array<number | undefined>): number | null {
  const known = values.filter((value): value is number => value !== undefined);
  return known.length ? known.reduce((total, value) => total + value, 0) : null;
}

function largest(values: Array<number | undefined>): number | null {
  const known = values.filter((value): value is number => value !== undefined);
  return known.length ? Math.max(...known) : null;
}

/** One model group as LiteLLM's `/model_group/info` describes it (`ModelGroupInfo`). */
export function modelGroupInfo(name: string, deployments: readonly ModelDeployment[], priceOf: (deployment: ModelDeployment) => ModelPrice | undefined) {
  const priced = deployments.map(priceOf);
  const first = priced.find((price) => price !== undefined);
  const supports = (flag: string) => deployments.some((deployment) => deployment.info[flag] === true);
  const accessGroups = [...new Set(deployments.flatMap((deployment) => (Array.isArray(deployment.info.access_groups) ? (deployment.info.access_groups as string[]) : [])))];
  return {
    model_group: name,
    providers: [...new Set(deployments.map((deployment) => deployment.provider))],
    max_input_tokens: largest(deployments.map((deployment) => numberOf(deployment, 'max_input_tokens'))),
    max_output_tokens: largest(deployments.map((deployment) => numberOf(deployment, 'max_output_tokens'))),
    input_cost_per_token: first ? usdToNumber(first.inputPerToken) : null,
    output_cost_per_token: first ? usdToNumber(first.outputPerToken) : null,
    mode: typeof deployments[0]?.info.mode === 'string' ? deployments[0].info.mode : 'chat',
    tpm: sum(deployments.map((deployment) => numberOf(deployment, 'tpm'))),
    rpm: sum(deployments.map((deployment) => numberOf(deployment, 'rpm'))),
    supports_parallel_function_calling: supports('supports_parallel_function_calling'),
    supports_vision: supports('supports_vision'),
    supports_function_calling: supports('supports_function_calling'),
    supports_reasoning: supports('supports_reasoning'),
    supported_openai_params: supportedOpenAiParams,
    access_groups: accessGroups,
  };
}
