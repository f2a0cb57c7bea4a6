import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DependencyHealthService } from './dependency-health.service';

/** Unauthenticated probes, with LiteLLM's route names. */
@Controller('health')
export class HealthController {
  constructor(@Inject(DependencyHealthService) private readonly health: DependencyHealthService) {}

  @Get(['liveliness', 'liveness'])
  liveliness(): string {
    return "I'm alive!";
  }

  @Get('readiness')
  async readiness(@Res({ passthrough: true }) reply: FastifyReply) {
    const report = await this.health.readiness();
    void reply.code(report.ready ? 200 : 503);
    return {
      status: report.ready ? 'connected' : 'unavailable',
      nats: report.nats,
      db: report.postgres,
      cache: report.redis,
      draining: report.draining,
    };
  }
}
