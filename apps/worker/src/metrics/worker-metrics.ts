import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import type { UsageEventV1 } from '@switchboard/contracts';

/** Advised buckets of the OpenTelemetry GenAI client metrics (token counts and seconds). */
const tokenBuckets = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
const durationBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

/** The worker's series: tokens and upstream calls, from each usage event (docs/metrics.md). */
export class WorkerMetrics {
  private readonly tokens: Counter<'model_group' | 'provider' | 'key_alias' | 'team' | 'type'>;
  private readonly calls: Counter<'model_group' | 'provider' | 'status' | 'error'>;
  private readonly tokenUsage: Histogram<'gen_ai_operation_name' | 'gen_ai_provider_name' | 'gen_ai_request_model' | 'gen_ai_token_type'>;
  private readonly operationDuration: Histogram<'gen_ai_operation_name' | 'gen_ai_provider_name' | 'gen_ai_request_model' | 'error_type'>;

  constructor(registry: Registry, pendingUsageEvents: () => number) {
    const registers = [registry];
    this.tokens = new Counter({
      name: 'switchboard_tokens_total',
      help: 'Tokens used, by model group, provider, key alias, team and type (input, output, cache_read, cache_write, reasoning)',
      labelNames: ['model_group', 'provider', 'key_alias', 'team', 'type'],
      registers,
    });
    this.calls = new Counter({
      name: 'switchboard_upstream_requests_total',
      help: 'Upstream calls finished, by model group, provider, outcome and error code',
      labelNames: ['model_group', 'provider', 'status', 'error'],
      registers,
    });
    this.tokenUsage = new Histogram({
      name: 'gen_ai_client_token_usage',
      help: 'OpenTelemetry GenAI: tokens per call',
      labelNames: ['gen_ai_operation_name', 'gen_ai_provider_name', 'gen_ai_request_model', 'gen_ai_token_type'],
      buckets: tokenBuckets,
      registers,
    });
    this.operationDuration = new Histogram({
      name: 'gen_ai_client_operation_duration_seconds',
      help: 'OpenTelemetry GenAI: duration of a call',
      labelNames: ['gen_ai_operation_name', 'gen_ai_provider_name', 'gen_ai_request_model', 'error_type'],
      buckets: durationBuckets,
      registers,
    });
    new Gauge({
      name: 'switchboard_usage_events_pending',
      help: 'Usage events not yet stored in JetStream',
      registers,
      collect() {
        this.set(pendingUsageEvents());
      },
    });
  }

  observe(event: UsageEventV1): void {
    const group = { model_group: event.modelGroup, provider: event.provider };
    const who = { ...group, key_alias: event.caller?.keyAlias ?? 'none', team: event.caller?.teamId ?? 'none' };
    const usage = event.usage;
    const amounts: Record<string, number> = {
      input: usage.inputTokens.total,
      output: usage.outputTokens.total,
      cache_read: usage.inputTokens.cacheRead,
      cache_write: usage.inputTokens.cacheWrite,
      reasoning: usage.outputTokens.reasoning,
    };
    for (const [type, amount] of Object.entries(amounts)) if (amount > 0) this.tokens.inc({ ...who, type }, amount);
    this.calls.inc({ ...group, status: event.status, error: event.errorCode ?? 'none' });
    const operation = event.callType === 'embedding' ? 'embeddings' : 'chat';
    const base = { gen_ai_operation_name: operation, gen_ai_provider_name: event.provider, gen_ai_request_model: event.upstreamModel };
    this.tokenUsage.observe({ ...base, gen_ai_token_type: 'input' }, usage.inputTokens.total);
    if (operation === 'chat') this.tokenUsage.observe({ ...base, gen_ai_token_type: 'output' }, usage.outputTokens.total);
    this.operationDuration.observe({ ...base, error_type: event.errorCode ?? '' }, event.latencyMs / 1000);
  }
}
