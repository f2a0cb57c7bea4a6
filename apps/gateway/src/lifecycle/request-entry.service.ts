import { Inject, Injectable } from '@nestjs/common';
import type { SwitchboardConfig } from '@switchboard/config';
import type { Caller } from '@switchboard/contracts';
import type { RouteRequest } from '@switchboard/router';
import { SwitchboardError } from '@switchboard/spec';
import { authorizeRouteModels } from '../auth/model-access';
import { SWITCHBOARD_CONFIG } from '../bootstrap/tokens';
import { ModelRouter } from '../routing/model-router.service';
import { resolveRouteModels } from '../routing/model-resolution';
import { refuseUnsupportedHeaders } from '../http/request-headers';
import type { CallPlan } from './call-plan';

/** A request let in: its route with concrete names, the name each group was asked for, and its slot to give back. */
export interface Entry {
  route: RouteRequest;
  /** The caller, its tags joined by the request's (`tags`, `metadata.tags`, `x-litellm-tags`): tags label spend. */
  caller: Caller;
  requestedAs: (modelGroup: string) => string;
  /** `forward_client_headers_to_llm_api`: the client's headers for the upstream. */
  forwardedHeaders?: Record<string, string>;
  release: () => void;
}

/** Client headers never forwarded upstream: LiteLLM's own, keys, and what describes the hop to the gateway. */
const notForwarded = /^(x-litellm-|x-api-key$|x-stainless-|x-forwarded-|x-real-ip$|x-request-id$|x-csrf-token$|x-amz-|x-goog-)/;

/**
 * LiteLLM's `forward_client_headers_to_llm_api`: the client's `x-*` headers (not LiteLLM's own,
 * not keys) and `anthropic-beta`, for the upstream request.
 */
export function forwardableHeaders(headers: Readonly<Record<string, string | string[] | undefined>>): Record<string, string> | undefined {
  const forwarded: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (typeof value !== 'string' || (!lower.startsWith('x-') && lower !== 'anthropic-beta') || notForwarded.test(lower)) continue;
    forwarded[lower] = value;
  }
  return Object.keys(forwarded).length ? forwarded : undefined;
}

/**
 * The checks every request passes before admission, the same on every edge and API: LiteLLM's
 * request headers it cannot honour refused (400 naming them), its models
 * resolved (key and team aliases, `model_group_alias`, wildcard groups) and access-checked by
 * their concrete names, the model known, `general_settings.enforce_user_param`, and
 * `general_settings.global_max_parallel_requests` (LLM requests in flight on this instance).
 */
@Injectable()
export class RequestEntry {
  private readonly enforceUserParam: boolean;
  private readonly globalLimit: number | undefined;
  private readonly forwardHeaders: boolean;
  private inFlight = 0;

  constructor(
    @Inject(ModelRouter) private readonly router: ModelRouter,
    @Inject(SWITCHBOARD_CONFIG) config: SwitchboardConfig,
  ) {
    this.enforceUserParam = config.generalSettings.enforce_user_param === true;
    const limit = config.generalSettings.global_max_parallel_requests;
    this.globalLimit = typeof limit === 'number' ? limit : undefined;
    this.forwardHeaders = config.generalSettings.forward_client_headers_to_llm_api === true;
  }

  enter(plan: CallPlan): Entry {
    refuseUnsupportedHeaders(plan.traceCarrier);
    const resolved = resolveRouteModels(plan.route, plan.verified, (name) => this.router.resolveAlias(name));
    const route = authorizeRouteModels(plan.verified, resolved.route, this.router.enforceFallbackModelAccess, resolved.requestedAs);
    this.router.assertModelExists(route.modelGroup);
    if (this.enforceUserParam && !plan.user) {
      const param = plan.errorFormat === 'anthropic' ? 'metadata.user_id' : 'user';
      throw new SwitchboardError('invalid_request', `BadRequest please pass param=${param} in request body. This is a required param (general_settings.enforce_user_param)`, { param });
    }
    if (this.globalLimit !== undefined && this.inFlight >= this.globalLimit) {
      throw new SwitchboardError('rate_limited', `Max parallel request limit reached: this gateway instance has ${this.inFlight} requests in flight (general_settings.global_max_parallel_requests: ${this.globalLimit})`, {
        retryAfterSeconds: 1,
      });
    }
    this.inFlight += 1;
    let released = false;
    // The key's (and its team's) tags join the request's, for spend and for tag filtering, as in LiteLLM.
    const tags = [...new Set([...(plan.caller.tags ?? []), ...(plan.route.tags ?? [])])];
    return {
      route: tags.length ? { ...route, tags } : route,
      caller: tags.length ? { ...plan.caller, tags } : plan.caller,
      requestedAs: resolved.requestedAs,
      forwardedHeaders: this.forwardHeaders ? forwardableHeaders(plan.traceCarrier) : undefined,
      release: () => {
        if (released) return;
        released = true;
        this.inFlight -= 1;
      },
    };
  }
}
