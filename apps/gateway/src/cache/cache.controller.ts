import { Body, Controller, Get, HttpCode, Inject, Post, Req, UseGuards } from '@nestjs/common';
import { SwitchboardError } from '@switchboard/spec';
import { AuthGuard } from '../auth/auth.guard';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { assertProxyAdmin } from '../auth/admin-access';
import { ResponseCacheService } from './response-cache.service';

/**
 * LiteLLM's cache routes (https://docs.litellm.ai/docs/proxy/caching): `GET /cache/ping` for any
 * key; `POST /cache/delete` and `POST /cache/flushall` for proxy admins only. `flushall` removes this
 * cache's entries, never the rest of a Redis that budgets and sessions share.
 */
@Controller('cache')
@UseGuards(AuthGuard)
export class CacheController {
  constructor(@Inject(ResponseCacheService) private readonly cache: ResponseCacheService) {}

  @Get('ping')
  async ping(): Promise<Record<string, unknown>> {
    const params = this.cache.describe();
    if (!params) throw new SwitchboardError('upstream_unavailable', 'Cache not initialized: set litellm_settings.cache: true');
    let backend: Record<string, unknown>;
    try {
      backend = await this.cache.ping();
    } catch (error) {
      throw new SwitchboardError('upstream_unavailable', `Service Unhealthy (${SwitchboardError.from(error).message})`, { retryAfterSeconds: 1 });
    }
    return {
      status: 'healthy',
      cache_type: params.type,
      ...(params.type === 'local' ? {} : { ping_response: backend.ping_response === true, set_cache_response: 'success' }),
      litellm_cache_params: params,
      health_check_cache_params: backend,
    };
  }

  @Post('delete')
  @HttpCode(200)
  async delete(@Req() request: AuthenticatedRequest, @Body() body: unknown): Promise<Record<string, unknown>> {
    assertProxyAdmin(request.verifiedKey, '/cache/delete');
    const keys = (body as { keys?: unknown } | undefined)?.keys;
    if (!Array.isArray(keys) || keys.length === 0 || keys.length > 1_000 || keys.some((key) => typeof key !== 'string' || key === '' || key.length > 300)) {
      throw new SwitchboardError('invalid_request', "'keys' must be a list of 1 to 1000 cache keys (x-litellm-cache-key)", { param: 'keys' });
    }
    this.assertInitialized();
    const deleted = await this.backend(() => this.cache.delete(keys as string[]));
    return { status: 'success', deleted };
  }

  @Post('flushall')
  @HttpCode(200)
  async flushAll(@Req() request: AuthenticatedRequest): Promise<Record<string, unknown>> {
    assertProxyAdmin(request.verifiedKey, '/cache/flushall');
    this.assertInitialized();
    const deleted = await this.backend(() => this.cache.flush());
    return { status: 'success', deleted };
  }

  private assertInitialized(): void {
    if (!this.cache.settings) throw new SwitchboardError('upstream_unavailable', 'Cache not initialized: set litellm_settings.cache: true');
  }

  private async backend<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw new SwitchboardError('upstream_unavailable', `Cache backend unavailable (${SwitchboardError.from(error).message})`, { retryAfterSeconds: 1 });
    }
  }
}
