/**
 * Every NATS subject and JetStream name in Switchboard is built here and nowhere else.
 * Shape: `<prefix>.<domain>.<cmd|evt>.<name>.v<major>[.<routing-key>]`.
 * Routing keys are provider names (`openai`, `hosted_vllm`), never model ids: model ids contain dots.
 */
export interface SubjectNamespace {
  /** The subject prefix (`sb` by default; a unique one per test run). */
  readonly prefix: string;
}

const tokenPattern = /^[A-Za-z0-9_-]+$/;

function token(value: string, what: string): string {
  if (!tokenPattern.test(value)) throw new Error(`Invalid ${what} for a NATS subject token: ${JSON.stringify(value)}`);
  return value;
}

export function subjectNamespace(prefix = 'sb'): SubjectNamespace {
  for (const part of prefix.split('.')) token(part, 'subject prefix');
  return { prefix };
}

/** Commands served by provider workers, one queue group per provider. */
export const providerSubjects = {
  chat: (ns: SubjectNamespace, provider: string) => `${ns.prefix}.provider.cmd.chat.v1.${token(provider, 'provider')}`,
  embed: (ns: SubjectNamespace, provider: string) => `${ns.prefix}.provider.cmd.embed.v1.${token(provider, 'provider')}`,
  /** Broadcast to every worker (no queue group): the one holding the request aborts it. */
  cancel: (ns: SubjectNamespace) => `${ns.prefix}.provider.cmd.cancel.v1`,
} as const;

/** The queue group a worker joins for one provider. */
export function providerQueueGroup(provider: string): string {
  return `worker-${token(provider, 'provider')}`;
}

/** Usage events, persisted in the usage stream. */
export const usageSubjects = {
  recorded: (ns: SubjectNamespace) => `${ns.prefix}.usage.evt.recorded.v1`,
  /** A soft budget was crossed (`BudgetAlertV1`), once per budget and period. */
  budgetAlert: (ns: SubjectNamespace) => `${ns.prefix}.usage.evt.budget_alert.v1`,
  all: (ns: SubjectNamespace) => `${ns.prefix}.usage.evt.>`,
  /** Usage events no consumer could read, kept for inspection (stream `<PREFIX>_USAGE_DLQ`). */
  dead: (ns: SubjectNamespace) => `${ns.prefix}.usage-dlq.evt.dead.v1`,
} as const;

/** JetStream stream names may not contain dots: derive them from the prefix. */
export function streamName(ns: SubjectNamespace, name: 'USAGE' | 'USAGE_DLQ'): string {
  return `${ns.prefix.replace(/[.-]/g, '_').toUpperCase()}_${name}`;
}

/** Routing state shared by gateway instances. */
export const routerSubjects = {
  /** Broadcast: a deployment entered cooldown (every gateway applies it locally). */
  cooldown: (ns: SubjectNamespace) => `${ns.prefix}.router.evt.cooldown.v1`,
} as const;

/** Defaults of the usage stream: how long the server remembers message ids, and how long events are kept. */
export const usageStreamDefaults = { duplicateWindowMs: 300_000, maxAgeMs: 7 * 24 * 3_600_000 } as const;

/**
 * The public NATS API (docs/nats-api.md): OpenAI request and response JSON, unchanged, for internal
 * services that live on NATS. Served in the queue group `api-ingress`.
 */
export const apiSubjects = {
  chatCompletions: (ns: SubjectNamespace) => `${ns.prefix}.api.cmd.chat_completions.v1`,
  embeddings: (ns: SubjectNamespace) => `${ns.prefix}.api.cmd.embeddings.v1`,
  responses: (ns: SubjectNamespace) => `${ns.prefix}.api.cmd.responses.v1`,
  models: (ns: SubjectNamespace) => `${ns.prefix}.api.cmd.models.v1`,
  /** A caller stopping a stream early: `{"request_id": "..."}`. */
  cancel: (ns: SubjectNamespace) => `${ns.prefix}.api.cmd.cancel.v1`,
} as const;

export const apiQueueGroup = 'api-ingress';

/**
 * The auth service (docs/ARCHITECTURE.md D20): key verification and the management API as
 * commands in the queue group `auth`, and one broadcast event when identity data changes.
 */
export const authSubjects = {
  verifyKey: (ns: SubjectNamespace) => `${ns.prefix}.auth.cmd.verify_key.v1`,
  manage: (ns: SubjectNamespace) => `${ns.prefix}.auth.cmd.manage.v1`,
  listModels: (ns: SubjectNamespace) => `${ns.prefix}.auth.cmd.list_models.v1`,
  /** A customer's (end user's) status and limits, for the gateways' caches. */
  customerStatus: (ns: SubjectNamespace) => `${ns.prefix}.auth.cmd.customer_status.v1`,
  /** Broadcast (core NATS, no queue group): every gateway drops what it cached for these objects. */
  changed: (ns: SubjectNamespace) => `${ns.prefix}.auth.evt.changed.v1`,
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
