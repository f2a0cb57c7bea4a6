import { parseConfig } from '@switchboard/config';
import type { ModelDeployment } from '@switchboard/config';
import { Router as CoreRouter, requestDefaultsFor, routerSettingsFrom } from '@switchboard/router';
import type { RouteTrace } from '@switchboard/router';
import type { ChatRequest, EmbeddingRequest } from '@switchboard/spec';
import { stringify } from 'yaml';
import { callChat, callEmbedding } from './direct-call';
import type { ChatCompletionChunkObject, ChatCompletionObject } from './direct-call';

export interface ModelListEntry {
  model_name: string;
  litellm_params: { model: string; [param: string]: unknown };
  model_info?: Record<string, unknown>;
}

export interface RouterInit {
  model_list: ModelListEntry[];
  /** LiteLLM's `router_settings` (routing_strategy, num_retries, fallbacks, cooldown_time, ...). */
  router_settings?: Record<string, unknown>;
  /** Where `os.environ/NAME` references are resolved; defaults to `process.env`. */
  environment?: Readonly<Record<string, string | undefined>>;
}

export interface RoutedOptions {
  num_retries?: number;
  fallbacks?: string[];
  disable_fallbacks?: boolean;
  tags?: string[];
  signal?: AbortSignal;
}

/**
 * LiteLLM's `Router` in process: the same `model_list` and `router_settings`, the same strategies,
 * retries, fallbacks and cooldowns as the gateway, calling provider adapters directly (no NATS).
 */
export class Router {
  private readonly router: CoreRouter;
  private readonly deployments: ModelDeployment[];
  private readonly environment: Readonly<Record<string, string | undefined>>;

  constructor(init: RouterInit) {
    this.environment = init.environment ?? process.env;
    // Validated by the same loader as config.yaml, so a bad model_list fails here with its key path.
    const config = parseConfig(stringify({ model_list: init.model_list, router_settings: init.router_settings ?? {} }), 'Router(model_list)', {
      environment: this.environment,
    });
    this.deployments = config.modelList;
    this.router = new CoreRouter({ deployments: () => this.deployments, settings: routerSettingsFrom(config) });
  }

  async completion(request: ChatRequest & { stream?: false | null } & RoutedOptions): Promise<ChatCompletionObject>;
  async completion(request: ChatRequest & { stream: true } & RoutedOptions): Promise<AsyncIterable<ChatCompletionChunkObject>>;
  async completion(request: ChatRequest & RoutedOptions): Promise<ChatCompletionObject | AsyncIterable<ChatCompletionChunkObject>> {
    const { num_retries, fallbacks, disable_fallbacks, tags, signal, ...chat } = request;
    const trace: RouteTrace = { attemptedRetries: 0, attemptedFallbacks: 0, modelGroup: chat.model };
    return this.router.execute(
      { modelGroup: chat.model, numRetries: num_retries, fallbacks, disableFallbacks: disable_fallbacks, tags },
      (deployment) => callChat(deployment, requestDefaultsFor({ ...chat, model: deployment.modelName }, deployment, this.router.settings.defaultRequestParams), this.environment, signal),
      trace,
    );
  }

  async embedding(request: EmbeddingRequest & RoutedOptions): Promise<Record<string, unknown>> {
    const { num_retries, fallbacks, disable_fallbacks, tags, signal: _signal, ...embed } = request;
    return this.router.execute(
      { modelGroup: embed.model, numRetries: num_retries, fallbacks, disableFallbacks: disable_fallbacks, tags },
      (deployment) => callEmbedding(deployment, requestDefaultsFor({ ...embed, model: deployment.modelName }, deployment, this.router.settings.defaultRequestParams), this.environment),
    );
  }

  /** Deployments resting after failures, and for how long. */
  cooldowns(): Array<{ deploymentId: string; remainingMs: number }> {
    return this.router.cooldowns.snapshot();
  }
}
