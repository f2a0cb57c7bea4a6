import type { ProviderAdapter } from '@switchboard/spec';
import { AnthropicAdapter } from './anthropic/anthropic-adapter';
import { createAzureAdapter, createAzureAiAdapter } from './azure/azure-adapter';
import { BedrockAdapter } from './bedrock/bedrock-adapter';
import { GeminiAdapter } from './gemini/gemini-adapter';
import { MockAdapter } from './mock/mock-adapter';
import { VertexAiAdapter } from './vertex-ai/vertex-ai-adapter';
import { OpenAiCompatibleAdapter, openAiCompatiblePresets } from './openai-compatible';
import { CohereAdapter } from './cohere/cohere-adapter';
import { MistralAdapter } from './mistral/mistral-adapter';
import { OllamaAdapter } from './ollama/ollama-adapter';
import { HuggingFaceAdapter } from './huggingface/huggingface-adapter';
import { VoyageAdapter } from './voyage/voyage-adapter';
import { CloudflareAdapter } from './cloudflare/cloudflare-adapter';
import { Ai21Adapter } from './ai21/ai21-adapter';
import { BasetenAdapter } from './baseten/baseten-adapter';
import { AlephAlphaAdapter } from './aleph-alpha/aleph-alpha-adapter';
import { WatsonxAdapter } from './watsonx/watsonx-adapter';
import { ReplicateAdapter } from './replicate/replicate-adapter';
import { NlpCloudAdapter } from './nlp-cloud/nlp-cloud-adapter';
import { PetalsAdapter } from './petals/petals-adapter';
import { SagemakerAdapter } from './sagemaker/sagemaker-adapter';
import { SagemakerChatAdapter } from './sagemaker/sagemaker-chat-adapter';

/**
 * Every provider Switchboard speaks, by the name used in `model: <provider>/<model>`.
 * Native adapters register themselves here; OpenAI-compatible vendors come from their presets.
 */
export function createProviderRegistry(): ReadonlyMap<string, ProviderAdapter> {
  const adapters: ProviderAdapter[] = [
    new MockAdapter(),
    new AnthropicAdapter(),
    createAzureAdapter(),
    createAzureAiAdapter(),
    new BedrockAdapter(),
    new VertexAiAdapter(),
    new GeminiAdapter('gemini'),
    // PaLM was retired by Google; `palm/*` models are served by the Gemini API (docs/providers.md).
    new GeminiAdapter('palm'),
    ...openAiCompatiblePresets.map((preset) => new OpenAiCompatibleAdapter(preset)),
    new CohereAdapter(),
    new MistralAdapter(),
    new OllamaAdapter('ollama'),
    new OllamaAdapter('ollama_chat'),
    new HuggingFaceAdapter(),
    new VoyageAdapter(),
    new CloudflareAdapter(),
    new Ai21Adapter(),
    new BasetenAdapter(),
    new AlephAlphaAdapter(),
    new WatsonxAdapter(),
    new ReplicateAdapter(),
    new NlpCloudAdapter(),
    new PetalsAdapter(),
    new SagemakerAdapter(),
    new SagemakerChatAdapter(),
  ];
  return new Map(adapters.map((adapter) => [adapter.provider, adapter]));
}

export function knownProviders(): string[] {
  return [...createProviderRegistry().keys()].sort();
}
