import { Controller, Inject, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { authQueueGroup, busPatterns, customerStatusRequestSchema, listModelsRequestSchema, managementRequestSchema, verifyKeyRequestSchema } from '@switchboard/contracts';
import type { CustomerStatusReply, CustomerStatusRequest, ListModelsReply, ManagementRequest, VerifyKeyReply, VerifyKeyRequest } from '@switchboard/contracts';
import { BusExceptionFilter, BusPayloadPipe } from '@switchboard/messaging';
import { SwitchboardError } from '@switchboard/spec';
import { KeyVerificationService } from './key-verification.service';
import { ManagementService } from './management.service';
import { ModelManagementService } from './model-management.service';

const inAuthGroup = { queue: authQueueGroup };

/** The auth service's commands, served in the queue group `auth`: validate, call one service, reply. */
@Controller()
@UseFilters(BusExceptionFilter)
export class AuthController {
  constructor(
    @Inject(KeyVerificationService) private readonly verification: KeyVerificationService,
    @Inject(ManagementService) private readonly management: ManagementService,
    @Inject(ModelManagementService) private readonly models: ModelManagementService,
  ) {}

  @MessagePattern(busPatterns.authVerifyKey, inAuthGroup)
  verifyKey(@Payload(new BusPayloadPipe(verifyKeyRequestSchema)) request: VerifyKeyRequest): Promise<VerifyKeyReply> {
    return this.verification.verify(request.key_hash);
  }

  /** One management route: its body, or its error (LiteLLM's status and message) as the one error reply. */
  @MessagePattern(busPatterns.authManage, inAuthGroup)
  async manage(@Payload(new BusPayloadPipe(managementRequestSchema)) request: ManagementRequest): Promise<unknown> {
    const outcome = await this.management.handle(request);
    if ('error' in outcome) throw SwitchboardError.fromPayload(outcome.error);
    return outcome.body ?? null;
  }

  @MessagePattern(busPatterns.authCustomerStatus, inAuthGroup)
  customerStatus(@Payload(new BusPayloadPipe(customerStatusRequestSchema)) request: CustomerStatusRequest): Promise<CustomerStatusReply> {
    return this.verification.customerStatus(request.customer_id);
  }

  @MessagePattern(busPatterns.authListModels, inAuthGroup)
  async listModels(@Payload(new BusPayloadPipe(listModelsRequestSchema)) _request: unknown): Promise<ListModelsReply> {
    return { models: await this.models.all() };
  }
}
