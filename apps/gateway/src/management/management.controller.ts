import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { busPatterns } from '@switchboard/contracts';
import type { ManagementActor, ManagementRequest } from '@switchboard/contracts';
import type { NatsBusClient } from '@switchboard/messaging';
import { SwitchboardError } from '@switchboard/spec';
import { AuthGuard } from '../auth/auth.guard';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { BUS_CLIENT, GATEWAY_SETTINGS } from '../bootstrap/tokens';
import type { GatewaySettings } from '../gateway-settings.schema';

const postRoutes = [
  'key/generate', 'key/update', 'key/delete', 'key/regenerate', 'key/block', 'key/unblock',
  'user/new', 'user/update', 'user/delete',
  'team/new', 'team/update', 'team/delete', 'team/member_add', 'team/member_delete', 'team/block', 'team/unblock',
  'organization/new', 'organization/update', 'organization/delete', 'organization/member_add', 'organization/info',
  'customer/new', 'customer/update', 'customer/delete', 'customer/block', 'customer/unblock',
  'end_user/new', 'end_user/update', 'end_user/delete', 'end_user/block', 'end_user/unblock',
  'model/new', 'model/update', 'model/delete',
];
const getRoutes = ['key/info', 'key/list', 'user/info', 'user/list', 'team/info', 'team/list', 'organization/info', 'organization/list', 'customer/info', 'customer/list', 'end_user/info', 'end_user/list'];

/**
 * LiteLLM's management API, delegated over NATS to the auth service, which authorizes the caller
 * against the database and answers the body; errors come back as OpenAI error JSON.
 */
@Controller()
@UseGuards(AuthGuard)
export class ManagementController {
  constructor(
    @Inject(BUS_CLIENT) private readonly bus: NatsBusClient,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
  ) {}

  @Post(postRoutes)
  @HttpCode(200)
  post(@Req() request: AuthenticatedRequest, @Body() body: unknown, @Query() query: Record<string, string>) {
    return this.forward(request, routeOf(request.url), body, query);
  }

  @Get(getRoutes)
  get(@Req() request: AuthenticatedRequest, @Query() query: Record<string, string>) {
    return this.forward(request, routeOf(request.url), {}, query);
  }

  @Post(['key/:key/regenerate', 'model/:id/update'])
  @HttpCode(200)
  withPathId(@Req() request: AuthenticatedRequest, @Body() body: unknown, @Query() query: Record<string, string>, @Param() _params: Record<string, string>) {
    return this.forward(request, routeOf(request.url), body, query);
  }

  private async forward(request: AuthenticatedRequest, operation: string, body: unknown, query: Record<string, string>): Promise<unknown> {
    if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) {
      throw new SwitchboardError('invalid_request', 'The request body must be a JSON object', { param: 'body' });
    }
    const verified = request.verifiedKey;
    const actor: ManagementActor = verified?.identity ? { kind: 'key', keyHash: verified.identity.keyHash } : { kind: 'master' };
    const changedBy = request.headers['litellm-changed-by'];
    const command: ManagementRequest = {
      operation,
      actor,
      body: (body as Record<string, unknown>) ?? {},
      query: { ...query },
      changedBy: typeof changedBy === 'string' ? changedBy : undefined,
    };
    try {
      return await this.bus.request<unknown>(busPatterns.authManage, command, { timeoutMs: this.settings.AUTH_TIMEOUT_MS * 5, service: 'The auth service' });
    } catch (error) {
      if (error instanceof SwitchboardError && error.code !== 'no_worker' && error.code !== 'bus_unavailable' && error.code !== 'upstream_unavailable') throw error;
      throw new SwitchboardError('upstream_unavailable', 'The auth service is unavailable; management routes need it', { retryAfterSeconds: 1 });
    }
  }
}

/** `/key/generate?x=1` -> `key/generate`; `/key/sk-.../regenerate` keeps its path id for the auth service. */
function routeOf(url: string): string {
  return url.split('?')[0].replace(/^\/+/, '');
}
