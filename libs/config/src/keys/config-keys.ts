import { generalSettingsKeys } from './general-settings.keys';
import { honoured, isInert, refused } from './key-rule';
import type { KeyRule, Rules } from './key-rule';
import { litellmSettingsKeys } from './litellm-settings.keys';
import { modelEntryKeys } from './model-list.keys';
import { routerSettingsKeys } from './router-settings.keys';

const credentialKeys: Rules = {
  credential_name: honoured('the name deployments give as litellm_credential_name'),
  credential_values: honoured('litellm_params values (api_key, api_base, ...) the deployments take; os.environ/NAME allowed'),
  credential_info: honoured('free-form description, not used'),
};

/** Every top-level key of LiteLLM's `config.yaml` (https://docs.litellm.ai/docs/proxy/configs). */
export const configKeys: Rules = {
  model_list: honoured('the deployments', { items: modelEntryKeys }),
  litellm_settings: honoured('LiteLLM module settings', { section: litellmSettingsKeys }),
  general_settings: honoured('proxy settings', { section: generalSettingsKeys }),
  router_settings: honoured('routing settings', { section: routerSettingsKeys }),
  environment_variables: honoured('values for os.environ/NAME references in this file (the process environment wins); they travel to the workers with the deployment'),
  credential_list: honoured('named credentials deployments take with litellm_credential_name', { items: credentialKeys }),
  include: honoured('other YAML files (relative to this one) whose model_list entries are added'),
  guardrails: refused('Switchboard has no guardrail integrations: remove them, or run the guardrail in front of Switchboard'),
  prompts: refused('prompt management is not available: send the prompt in the request'),
  callback_settings: refused('per-callback settings are not available: callbacks never receive prompts (docs/callbacks.md)'),
  mcp_servers: refused('MCP servers are not available: remove them'),
  mcp_tools: refused('MCP servers are not available: remove them'),
  search_tools: refused('the search API is not available: remove it'),
  vector_store_registry: refused('vector stores are not available: remove it'),
  assistant_settings: refused('the Assistants API is not available: remove it'),
  finetune_settings: refused('the fine-tuning API is not available: remove it'),
  files_settings: refused('the Files API is not available: remove it'),
  policies: refused('policies are not available: remove them'),
  agent_list: refused('agents (A2A) are not available: remove them'),
};

export interface KeyFinding {
  path: string;
  /** A whole sentence that starts with the key path. */
  message: string;
}

export interface KeyReport {
  errors: KeyFinding[];
  warnings: KeyFinding[];
}

/**
 * Checks every key of a parsed config file against LiteLLM's config reference: refused keys and
 * values and unknown keys are errors (the process does not start); ignored keys are warnings.
 */
export function checkConfigKeys(raw: unknown): KeyReport {
  const report: KeyReport = { errors: [], warnings: [] };
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) walk(raw as Record<string, unknown>, configKeys, '', false, report);
  return report;
}

function walk(value: Record<string, unknown>, rules: Rules, prefix: string, open: boolean, report: KeyReport): void {
  for (const [key, child] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const rule = Object.hasOwn(rules, key) ? rules[key] : undefined;
    if (!rule) {
      if (!open) report.errors.push({ path, message: `${path} is not a LiteLLM config key Switchboard knows (docs/litellm-compatibility.md): check its spelling, or remove it` });
      continue;
    }
    check(rule, child, path, report);
  }
}

function check(rule: KeyRule, value: unknown, path: string, report: KeyReport): void {
  if (rule.status === 'refused') {
    if (isInert(value)) report.warnings.push({ path, message: `${path} has no effect here (${rule.note})` });
    else report.errors.push({ path, message: `${path} is not supported: ${rule.note}` });
    return;
  }
  if (rule.status === 'ignored') {
    report.warnings.push({ path, message: `${path} is accepted and has no effect here: ${rule.note}` });
    return;
  }
  const refusal = rule.refuseValue?.(value);
  if (refusal) {
    report.errors.push({ path, message: `${path}: ${refusal}` });
    return;
  }
  if (rule.section && value && typeof value === 'object' && !Array.isArray(value)) walk(value as Record<string, unknown>, rule.section, path, rule.open === true, report);
  if (rule.items && Array.isArray(value)) {
    value.forEach((item, index) => {
      if (item && typeof item === 'object' && !Array.isArray(item)) walk(item as Record<string, unknown>, rule.items ?? {}, `${path}[${index}]`, false, report);
    });
  }
}

/** Every rule as `<path>`: rule, arrays written `[]` (`model_list[].litellm_params.api_key`), for the compatibility table. */
export function flattenConfigKeys(rules: Rules = configKeys, prefix = ''): Array<{ path: string; rule: KeyRule }> {
  const result: Array<{ path: string; rule: KeyRule }> = [];
  for (const [key, rule] of Object.entries(rules)) {
    const path = prefix ? `${prefix}.${key}` : key;
    result.push({ path, rule });
    if (rule.section) result.push(...flattenConfigKeys(rule.section, path));
    if (rule.items) result.push(...flattenConfigKeys(rule.items, `${path}[]`));
  }
  return result;
}

