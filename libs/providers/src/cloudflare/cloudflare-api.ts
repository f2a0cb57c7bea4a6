import { SwitchboardError } from '@switchboard/spec';
import type { ResolvedDeployment } from '@switchboard/spec';
import type { OpenAiCompatiblePreset } from '../openai-compatible/openai-compatible-presets';

const cloudflareApiOrigin = 'https://api.cloudflare.com';

/**
 * Workers AI through its documented OpenAI-compatible endpoints (`/ai/v1/chat/completions`,
 * `/ai/v1/embeddings`): https://developers.cloudflare.com/workers-ai/configuration/open-ai-compatibility/
 * They take OpenAI's request, tools and stream format, so the shared OpenAI-compatible pieces apply.
 */
export const cloudflarePreset: OpenAiCompatiblePreset = {
  provider: 'cloudflare',
  requiresApiKey: true,
  supportsEmbeddings: true,
};

/**
 * The OpenAI base URL (ending in /v1) for a deployment:
 * - `api_base` naming an account (`.../accounts/<id>/...`, e.g. LiteLLM's `.../ai/run/`): that account's /ai/v1;
 * - `api_base` that is only an origin (a proxy of api.cloudflare.com): the account path under it;
 * - any other `api_base` (an AI Gateway `.../workers-ai`, a custom proxy): used as the base, /v1 added if missing;
 * - no `api_base`: api.cloudflare.com with `cloudflare_account_id`.
 */
export function cloudflareBaseUrl(deployment: ResolvedDeployment): string {
  const apiBase = deployment.apiBase?.replace(/\/+$/, '');
  const accountInBase = apiBase ? /^(.*\/accounts\/[^/]+)(\/|$)/.exec(apiBase) : null;
  if (accountInBase) return `${accountInBase[1]}/ai/v1`;
  if (apiBase && !/^https?:\/\/[^/]+$/.test(apiBase)) return apiBase.endsWith('/v1') ? apiBase : `${apiBase}/v1`;
  const accountId = deployment.params.cloudflare_account_id;
  if (typeof accountId !== 'string' || !/^[A-Za-z0-9_-]+$/.test(accountId)) {
    throw new SwitchboardError(
      'invalid_request',
      `Deployment ${deployment.id} (cloudflare) needs cloudflare_account_id or an api_base with /accounts/<id>`,
      { status: 500, retryable: false },
    );
  }
  return `${apiBase ?? cloudflareApiOrigin}/client/v4/accounts/${accountId}/ai/v1`;
}
