/**
 * Every NATS subject and JetStream name in Switchboard is built here and nowhere else.
 * Shape: `<prefix>.<domain>.<cmd|evt>.<name>.v<major>[.<routing-key>]`.
 * Routing keys are provider names (`openai`, `hosted_vllm`), never model ids: model ids contain dots.
 */
export interface SubjectNamespace {
  /** The subject prefix (`sb` by default; a unique one per test run). */
  readonly prefix: string;
}

import { busPatterns } from './bus-patterns';
import type { BusPattern } from './bus-patterns';

const tokenPattern = /^[A-Za-z0-9_-]+$/;

function token(value: string, what: string): string {
  if (!tokenPattern.test(value)) throw new Error(`Invalid ${what} for a NATS subject token: ${JSON.stringify(value)}`);
  return value;
}

export function subjectNamespace(prefix = 'sb'): SubjectNamespace {
  for (const part of prefix.split('.')) token(part, 'subject prefix');
  return { prefix };
}

/** The subject of a bus pattern in this namespace, with its routing key when the pattern is routed. */
export function subjectOf(ns: SubjectNamespace, pattern: BusPattern, routingKey?: string): string {
  return routingKey === undefined ? `${ns.prefix}.${pattern}` : `${ns.prefix}.${pattern}.${token(routingKey, 'routing key')}`;
}

/** Commands served by provider workers, one queue group per provider. */
export const providerSubjects = {
  chat: (ns: SubjectNamespace, provider: string) => subjectOf(ns, busPatterns.providerChat, provider),
  embed: (ns: SubjectNamespace, provider: string) => subjectOf(ns, busPatterns.providerEmbed, provider),
  /** Broadcast to every worker (no queue group): the one holding the request aborts it. */
  cancel: (ns: SubjectNamespace) => subjectOf(ns, busPatterns.providerCancel),
} as const;

/** The queue group a worker joins for one provider. */
export function providerQueueGroup(provider: string): string {
  return `worker-${token(provider, 'provider')}`;
}

/** Usage events, persisted in the usage stream. */
export const usageSubjects = {
  recorded: (ns: SubjectNamespace) => subjectOf(ns, busPatterns.usageRecorded),
  /** A soft budget was crossed (`BudgetAlertV1`), once per budget and period. */
  budgetAlert: (ns: SubjectNamespace) => subjectOf(ns, busPatterns.usageBudgetAlert),
  all: (ns: SubjectNamespace) => `${ns.prefix}.usage.evt.>`,
  /** Usage events no consumer could read, kept for inspection (stream `<PREFIX>_USAGE_DLQ`). */
  dead: (ns: SubjectNamespace) => subjectOf(ns, busPatterns.usageDead),
} as const;

/** JetStream stream names may not contain dots: derive them from the prefix. */
export function streamName(ns: SubjectNamespace, name: 'USAGE' | 'USAGE_DLQ' | 'PAYLOADS'): string {
  return `${ns.prefix.replace(/[.-]/g, '_').toUpperCase()}_${name}`;
}

/** Routing state shared by gateway instances. */
export const routerSubjects = {
  /** Broadcast: a deployment entered cooldown (every gateway applies it locally). */
  cooldown: (ns: SubjectNamespace) => subjectOf(ns, busPatterns.routerCooldown),
} as const;

/** Defaults of the usage stream: how long the server remembers message ids, and how long events are kept. */
export const usageStreamDefaults = { duplicateWindowMs: 300_000, maxAgeMs: 7 * 24 * 3_600_000 } as const;

/**
 * The public NATS API (docs/nats-api.md): OpenAI request and response JSON, unchanged, for internal
 * services that live on NATS. Served in the queue group `api-ingress`.
 */
export const apiSubjects = {
  chatCompletions: (ns: SubjectNamespace) => subjectOf(ns, busPatterns.apiChatCompletions),
  embeddings: (ns: SubjectNamespace) => subjectOf(ns, busPatterns.apiEmbeddings),
  responses: (ns: SubjectNamespace) => subjectOf(ns, busPatterns.apiResponses),
  models: (ns: SubjectNamespace) => subjectOf(ns, busPatterns.apiModels),
  /** A caller stopping a stream early: `{"request_id": "..."}`. */
  cancel: (ns: SubjectNamespace) => subjectOf(ns, busPatterns.apiCancel),
} as const;

export const apiQueueGroup = 'api-ingress';

/**
 * The auth service (docs/ARCHITECTURE.md D20): key verification and the management API as
 * commands in the queue group `auth`, and one broadcast event when identity data changes.
 */
export const authSubjects = {
  verifyKey: (ns: SubjectNamespace) => subjectOf(ns, busPatterns.authVerifyKey),
  manage: (ns: SubjectNamespace) => subjectOf(ns, busPatterns.authManage),
  listModels: (ns: SubjectNamespace) => subjectOf(ns, busPatterns.authListModels),
  /** A customer's (end user's) status and limits, for the gateways' caches. */
  customerStatus: (ns: SubjectNamespace) => subjectOf(ns, busPatterns.authCustomerStatus),
  /** Broadcast (core NATS, no queue group): every gateway drops what it cached for these objects. */
  changed: (ns: SubjectNamespace) => subjectOf(ns, busPatterns.authChanged),
} as const;

export const authQueueGroup = 'auth';

/**
 * The budget service (owner of the spend ledger): the spend of one budget period, asked by a
 * gateway when a period's Redis counter is missing (docs/ARCHITECTURE.md D16). Queue group `budget`.
 */
export const budgetSubjects = {
  periodSpend: (ns: SubjectNamespace) => `${ns.prefix}.budget.cmd.period_spend.v1`,
} as const;

export const budgetQueueGroup = 'budget';
