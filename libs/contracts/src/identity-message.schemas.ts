import { z } from 'zod';
import type { CustomerStatusRequest, ManagementRequest, VerifyKeyRequest } from './identity-messages';

/** The payloads of the auth service's commands, validated by its handlers (BusPayloadPipe). */
export const verifyKeyRequestSchema: z.ZodType<VerifyKeyRequest> = z.object({
  key_hash: z.string().regex(/^[0-9a-f]{64}$/, 'must be the SHA-256 hex of the key'),
});

export const managementRequestSchema: z.ZodType<ManagementRequest> = z.object({
  operation: z.string().min(1).max(200),
  actor: z.discriminatedUnion('kind', [z.object({ kind: z.literal('master') }), z.object({ kind: z.literal('key'), keyHash: z.string().min(1) })]),
  body: z.record(z.string(), z.unknown()),
  query: z.record(z.string(), z.string()),
  changedBy: z.string().optional(),
});

export const customerStatusRequestSchema: z.ZodType<CustomerStatusRequest> = z.object({
  customer_id: z.string().min(1),
});

/** `list_models` takes no arguments: an empty object. */
export const listModelsRequestSchema = z.object({}).strict();
