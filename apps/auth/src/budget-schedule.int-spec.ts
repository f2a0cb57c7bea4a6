import 'reflect-metadata';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { Controller, Module } from '@nestjs/common';
import type { INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budgetQueueGroup, busPatterns } from '@switchboard/contracts';
import type { ManagementActor, SpendTotalsReplyV1, SpendTotalsRequestV1 } from '@switchboard/contracts';
import { NatsBusTransport } from '@switchboard/messaging';
import { budgetPeriodAt, budgetScheduleOf, hashApiKey } from '@switchboard/identity';
import { createIsolation, runMigrations } from '@switchboard/testing';
import type { Isolation } from '@switchboard/testing';
import { createIdentityDataSource } from '@switchboard/data-access-identity';
import type { DataSource } from 'typeorm';
import { createAuthServices } from './auth-services';

type Json = Record<string, unknown>;

/** What the stand-in budget service has recorded, by `<type>:<id>`, and what it was asked. */
const recorded = new Map<string, string>();
const asked: string[] = [];

/** A stand-in for the budget service's `spend_totals` (the auth service no longer reads the spend tables). */
@Controller()
class FakeSpendTotalsController {
  @MessagePattern(busPatterns.budgetSpendTotals, { queue: budgetQueueGroup })
  totals(@Payload() request: SpendTotalsRequestV1): SpendTotalsReplyV1 {
    asked.push(...request.entities.map((entity) => `${entity.type}:${entity.id}`));
    return {
      totals: request.entities.flatMap((entity) => {
        const spend = recorded.get(`${entity.type}:${entity.id}`);
        return spend === undefined ? [] : [{ ...entity, spend, requests: 1 }];
      }),
    };
  }
}

@Module({ controllers: [FakeSpendTotalsController] })
class FakeBudgetModule {}

describe('budget periods and the stable key id in the auth service (real Postgres and NATS)', () => {
  let isolation: Isolation;
  let pool: pg.Pool;
  let dataSource: DataSource;
  let connection: NatsConnection;
  let services: ReturnType<typeof createAuthServices>;
  let budget: INestMicroservice | undefined;
  const master: ManagementActor = { kind: 'master' };

  const ok = async (operation: string, body: Json = {}, query: Record<string, string> = {}, actor: ManagementActor = master) => {
    const outcome = await services.management.handle({ operation, actor, body, query });
    if ('error' in outcome) throw new Error(`${operation}: ${JSON.stringify(outcome.error)}`);
    return outcome.body as Json;
  };
  const keyInfo = async (key: string) => (await ok('key/info', {}, { key })).info as Json;

  beforeAll(async () => {
    isolation = await createIsolation();
    await runMigrations(isolation.environment);
    pool = new pg.Pool({ connectionString: isolation.databaseUrl, max: 4 });
    connection = await connect({ servers: isolation.urls.natsUrl });
    dataSource = await createIdentityDataSource({ url: isolation.databaseUrl, poolSize: 4 }).initialize();
    services = createAuthServices(dataSource, connection, isolation.namespace, { saltKey: 'int-salt', onUnexpected: (error) => { throw error; } });
    budget = await NestFactory.createMicroservice(FakeBudgetModule, { strategy: new NatsBusTransport({ connection, namespace: isolation.namespace }), logger: false });
    await budget.listen();
  });

  afterAll(async () => {
    await budget?.close();
    await connection?.close();
    await dataSource?.destroy();
    await pool?.end();
    await isolation?.cleanup();
  });

  it("shows LiteLLM's budget_reset_at (creation + budget_duration) and sends the gateway the period anchors", async () => {
    const { key } = (await ok('key/generate', { max_budget: 1, budget_duration: '1h' })) as { key: string };
    const info = await keyInfo(key);
    const created = Date.parse(String(info.created_at));
    expect(Date.parse(String(info.budget_reset_at))).toBe(created + 3_600_000);
    expect(info).not.toHaveProperty('budget_period_start');
    const verified = await services.verification.verify(hashApiKey(key));
    expect(verified.identity?.keyId).toBe(hashApiKey(key));
    expect(verified.identity?.limits).toMatchObject({ budget_period_start: new Date(created).toISOString(), budget_reset_at: new Date(created + 3_600_000).toISOString() });
    expect((await keyInfo((await ok('key/generate', { max_budget: 1 })).key as string)).budget_reset_at).toBeNull();
  });

  it('a budget_duration change keeps the running period and resets at now + the new duration; the same duration again changes nothing', async () => {
    const { key } = (await ok('key/generate', { max_budget: 1, budget_duration: '1h' })) as { key: string };
    const created = Date.parse(String((await keyInfo(key)).created_at));
    const before = Date.now();
    await ok('key/update', { key, budget_duration: '2d' });
    const after = Date.now();
    const resetAt = Date.parse(String((await keyInfo(key)).budget_reset_at));
    expect(resetAt).toBeGreaterThanOrEqual(before + 2 * 86_400_000);
    expect(resetAt).toBeLessThanOrEqual(after + 2 * 86_400_000);
    const limits = (await services.verification.verify(hashApiKey(key))).identity?.limits;
    expect(budgetPeriodAt(budgetScheduleOf(limits), Date.now())).toEqual({ startMs: created, endMs: resetAt });
    await ok('key/update', { key, budget_duration: '48h', max_budget: 2 });
    expect(Date.parse(String((await keyInfo(key)).budget_reset_at))).toBe(resetAt);
    // The anchors are the auth service's own: a request body naming them moves nothing (refused or not).
    await services.management.handle({ operation: 'key/update', actor: master, body: { key, budget_reset_at: '2000-01-01T00:00:00.000Z', budget_period_start: '2000-01-01T00:00:00.000Z' }, query: {} });
    expect(Date.parse(String((await keyInfo(key)).budget_reset_at))).toBe(resetAt);
    expect((await services.verification.verify(hashApiKey(key))).identity?.limits.budget_period_start).toBe(new Date(created).toISOString());

    const user = await ok('user/new', { max_budget: 5, budget_duration: '1d', auto_create_key: false });
    await ok('user/update', { user_id: user.user_id, budget_duration: '30d' });
    const { user_info: userInfo } = (await ok('user/info', {}, { user_id: String(user.user_id) })) as { user_info: Json };
    expect(Date.parse(String(userInfo.budget_reset_at)) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    await ok('customer/new', { user_id: 'budget-customer', max_budget: 1, budget_duration: '1d' });
    expect((await services.verification.customerStatus('budget-customer')).limits).toMatchObject({ budget_duration: '1d', budget_reset_at: expect.any(String) });
  });

  it('a regenerated key keeps its stable id, budget period and spend (counted under the id)', async () => {
    const { key } = (await ok('key/generate', { max_budget: 1, budget_duration: '1d' })) as { key: string };
    const id = hashApiKey(key);
    const before = await keyInfo(key);
    recorded.set(`key:${id}`, '0.250000000000');
    const first = (await ok('key/regenerate', { key })) as { key: string; spend: number };
    expect(first.spend).toBe(0.25);
    const second = (await ok('key/regenerate', { key: first.key })) as { key: string };
    // Twice regenerated: the id is still the first hash.
    const verified = await services.verification.verify(hashApiKey(second.key));
    expect(verified.identity?.keyId).toBe(id);
    expect(verified.identity?.spend).toBe(0.25);
    const info = await keyInfo(second.key);
    expect(info.spend).toBe(0.25);
    expect(info.budget_reset_at).toBe(before.budget_reset_at);
    // Always asked under the stable id, never under a later hash.
    expect(asked.filter((entry) => entry.startsWith('key:'))).not.toContain(`key:${hashApiKey(second.key)}`);
  });

  it('without the budget service a key still verifies (its spend unknown) and views answer with spend 0, at once', async () => {
    const { key } = (await ok('key/generate', {})) as { key: string };
    recorded.set(`key:${hashApiKey(key)}`, '1.500000000000');
    expect((await services.verification.verify(hashApiKey(key))).identity?.spend).toBe(1.5);
    await budget?.close();
    budget = undefined;
    const started = Date.now();
    const verified = await services.verification.verify(hashApiKey(key));
    expect(verified.status).toBe('valid');
    expect(verified.identity?.spend).toBeUndefined();
    expect((await keyInfo(key)).spend).toBe(0);
    // Nobody serves the subject: NATS says so at once, no timeout is waited for.
    expect(Date.now() - started).toBeLessThan(500);
  });
});
