import { OpenAiCompatibleAdapter } from '../openai-compatible';
import type { OpenAiCompatiblePreset } from '../openai-compatible';
import { azureAiEndpoint, azureEndpoint } from './azure-api';

/** Azure speaks OpenAI's wire format; only the URL scheme and the `api-key` header differ. */
const azurePreset: OpenAiCompatiblePreset = { provider: 'azure', requiresApiKey: false, supportsEmbeddings: true };
const azureAiPreset: OpenAiCompatiblePreset = { provider: 'azure_ai', requiresApiKey: false, supportsEmbeddings: true };

export function createAzureAdapter(): OpenAiCompatibleAdapter {
  return new OpenAiCompatibleAdapter(azurePreset, azureEndpoint);
}

export function createAzureAiAdapter(): OpenAiCompatibleAdapter {
  return new OpenAiCompatibleAdapter(azureAiPreset, azureAiEndpoint);
}
