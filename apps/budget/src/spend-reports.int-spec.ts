import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestMicroservice } from '@nestjs/common';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelDeployment, SwitchboardConfig } from '@switchboard/config';
import { busPatterns, replyHeaders, subjectOf } from '@switchboard/contracts';
import type { BusPattern } from '@switchboard/contracts';
import { SpendLedgerRepository, SpendReportRepository, createSpendDataSource } from '@switchboard/data-access-spend';
import type { LedgerEntry } from '@switchboard/data-access-spend';
import { NatsBusClient, NatsBusTransport } from '@switchboard/messaging';
import { PricingService } from '@switchboard/pricing';
import { createIsolation, runMigrations } from '@switchboard/testing';
import type { Isolation } from '@switchboard/testing';
import { SpendReportsModule } from './spend-reports.module';
import { SpendReportsService } from './spend-reports.service';

const priced: ModelDeployment = { id: 'd-priced', modelName: 'priced', provider: 'openai', params: { model: 'openai/ok', input_cost_per_token: '0.000001', output_cost_per_token: '0.000002' }, info: {} };
const config: SwitchboardConfig = { sourcePath: 'x', modelList: [priced], routerSettings: {}, litellmSettings: {}, generalSettings: { maxRequestSizeMb: 10 }, warnings: [] };

const entry = (messageId: string, extra: Partial<LedgerEntry> = {}): LedgerEntry => ({
  messageId,
  requestId: messageId,
  occurredAt: new Date().toISOString(),
  callType: 'chat',
  status: 'success',
  keyHash: 'hash-a',
  keyId: 'key-a',
  teamId: 'team-a',
  tags: ['t'],
  modelGroup: 'priced',
  deploymentId: 'd-priced',
  provider: 'openai',
  upstreamModel: 'ok',
  promptTokens: 10,
  completionTokens: 5,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  cost: '0.000020000000',
  priceSource: 'deployment',
  priceMissing: false,
  usageEstimated: false,
  latencyMs: 10,
  attempt: 1,
  ...extra,
});

describe('the budget service answers spend reports over the bus (real NATS and Postgres)', () => {
  let isolation: Isolation;
  let dataSource: DataSource;
  let connection: NatsConnection;
  let app: INestMicroservice;
  let client: NatsBusClient;

  beforeAll(async () => {
    isolation = await createIsolation();
    await runMigrations(isolation.environment);
    dataSource = await createSpendDataSource({ url: isolation.databaseUrl, poolSize: 2 }).initialize();
    connection = await connect({ servers: isolation.urls.natsUrl });
    const service = new SpendReportsService(new SpendReportRepository(dataSource), PricingService.fromSettings(config, {}), { timeoutMs: 2_000 });
    app = await NestFactory.createMicroservice(SpendReportsModule.create(service), { strategy: new NatsBusTransport({ connection, namespace: isolation.namespace }), logger: false });
    await app.listen();
    client = new NatsBusClient({ connection, namespace: isolation.namespace, defaultTimeoutMs: 2_000 });
    const ledger = new SpendLedgerRepository(dataSource);
    await ledger.record(entry('r-1'));
    await ledger.record(entry('r-2', { keyHash: 'hash-b', keyId: 'key-b', status: 'failure', cost: '0.000000000001' }));
  });

  afterAll(async () => {
    client?.close();
    await app?.close();
    await connection?.close();
    await dataSource?.destroy();
    await isolation?.cleanup();
  });

  it('answers each report with the contract shape, amounts exact', async () => {
    await expect(client.request(busPatterns.budgetSpendLogs, { v: 1, keyHash: 'hash-b', limit: 10 })).resolves.toMatchObject({
      logs: [{ request_id: 'r-2', status: 'failure', cost: '0.000000000001', tags: ['t'], response_id: null, messages: null }],
    });
    await expect(client.request(busPatterns.budgetSpendByModel, { v: 1 })).resolves.toEqual({
      models: [{ model: 'priced', total_spend: '0.000020000001', requests: 2, prompt_tokens: 20, completion_tokens: 10 }],
    });
    const today = new Date().toISOString().slice(0, 10);
    await expect(client.request(busPatterns.budgetDailySpend, { v: 1, entityType: 'team', startDate: today, endDate: today })).resolves.toEqual({
      days: [{ day: today, entity_id: 'team-a', model_group: 'priced', spend: '0.000020000001', requests: 2, failed_requests: 1, prompt_tokens: 20, completion_tokens: 10 }],
    });
    await expect(client.request(busPatterns.budgetSpendTotals, { v: 1, entities: [{ type: 'key', id: 'key-a' }, { type: 'user', id: 'nobody' }] })).resolves.toEqual({
      totals: [{ type: 'key', id: 'key-a', spend: '0.000020000000', requests: 1 }],
    });
    // 10 x $1/M + 10 x $2/M, priced as the ledger prices it.
    await expect(client.request(busPatterns.budgetCalculateSpend, { v: 1, model: 'priced', usage: { prompt_tokens: 10, completion_tokens: 10 } })).resolves.toEqual({ cost: '0.000030000000' });
    await expect(client.request(busPatterns.budgetCalculateSpend, { v: 1, model: 'unknown', usage: {} })).rejects.toMatchObject({ code: 'model_not_found', status: 404, param: 'model' });
  });

  it('answers a malformed message on every spend subject with the one error shape, and keeps serving', async () => {
    const patterns: BusPattern[] = [
      busPatterns.budgetSpendLogs,
      busPatterns.budgetSpendByModel,
      busPatterns.budgetSpendByKey,
      busPatterns.budgetDailySpend,
      busPatterns.budgetSpendByTag,
      busPatterns.budgetSpendTotals,
      busPatterns.budgetCalculateSpend,
    ];
    for (const pattern of patterns) {
      for (const payload of ['not json', '{"v":2}']) {
        const message = await connection.request(subjectOf(isolation.namespace, pattern), new TextEncoder().encode(payload), { timeout: 2_000 });
        expect(message.headers?.get(replyHeaders.status), `${pattern} ${payload}`).toBe('400');
        expect(message.headers?.get(replyHeaders.errorCode)).toBe('invalid_request');
        expect(message.json<{ error: { type: string } }>().error.type).toBe('invalid_request_error');
      }
    }
    await expect(client.request(busPatterns.budgetSpendByKey, { v: 1 })).resolves.toMatchObject({ keys: [{ key_alias: null, total_spend: '0.000020000001', requests: 2 }] });
  });
});
