import type { MetricsRoute } from '../metrics/gateway-metrics.service';
import type { CallPlan } from './call-plan';

/** The metrics route of a request: its API, with `nats_` on the public NATS edge (docs/metrics.md). */
export function metricsRouteOf(plan: Pick<CallPlan, 'edge' | 'api'>): MetricsRoute {
  if (plan.edge === 'http') return plan.api;
  return plan.api === 'embeddings' ? 'nats_embeddings' : plan.api === 'responses' ? 'nats_responses' : 'nats_chat';
}
