import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import { HealthModule } from '@switchboard/observability';
import { AuthController } from './auth.controller';
import type { createAuthServices } from './auth-services';
import { KeyVerificationService } from './key-verification.service';
import { ManagementService } from './management.service';
import { ModelManagementService } from './model-management.service';
import type { AuthSettings } from './auth-settings.schema';

export interface AuthBoot {
  settings: AuthSettings;
  connection: NatsConnection;
  services: ReturnType<typeof createAuthServices>;
}

/** The auth service as a Nest microservice: its bus controller, the services it calls, its probes. */
@Module({})
export class AuthModule {
  static create(boot: AuthBoot): DynamicModule {
    return {
      module: AuthModule,
      imports: [
        HealthModule.forRoot({
          probes: () => ({
            nats: () => !boot.connection.isClosed() && !boot.connection.isDraining(),
            db: async () => (await boot.services.store.ping(), true),
          }),
          server: { port: boot.settings.AUTH_HEALTH_PORT, host: boot.settings.AUTH_HEALTH_HOST },
        }),
      ],
      controllers: [AuthController],
      providers: [
        { provide: KeyVerificationService, useValue: boot.services.verification },
        { provide: ManagementService, useValue: boot.services.management },
        { provide: ModelManagementService, useValue: boot.services.models },
      ],
    };
  }
}
