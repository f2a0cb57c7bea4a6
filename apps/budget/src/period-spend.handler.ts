import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { budgetQueueGroup, budgetSubjects, periodSpendRequestSchema } from '@switchboard/contracts';
import type { PeriodSpendReplyV1, SubjectNamespace } from '@switchboard/contracts';
import { decodeJson, encodeJson } from '@switchboard/messaging';
import type { Logger } from '@switchboard/observability';
import type { PeriodSpendService } from './period-spend.service';

/** `<prefix>.budget.cmd.period_spend.v1` in the queue group `budget`: decode, answer, reply. */
export class PeriodSpendHandler {
  private subscription: Subscription | undefined;
  private readonly active = new Set<Promise<void>>();

  constructor(
    private readonly connection: NatsConnection,
    private readonly namespace: SubjectNamespace,
    private readonly service: PeriodSpendService,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.subscription = this.connection.subscribe(budgetSubjects.periodSpend(this.namespace), {
      queue: budgetQueueGroup,
      callback: (error, message) => {
        if (error) return;
        const task = this.reply(message.data)
          .then((reply) => {
            message.respond(encodeJson(reply));
          })
          .finally(() => this.active.delete(task));
        this.active.add(task);
      },
    });
  }

  async drain(): Promise<void> {
    this.subscription?.unsubscribe();
    await Promise.allSettled([...this.active]);
  }

  private async reply(data: Uint8Array): Promise<PeriodSpendReplyV1> {
    const parsed = periodSpendRequestSchema.safeParse(safeJson(data));
    if (!parsed.success) return { error: { code: 'invalid_request', message: `Invalid period_spend request: ${parsed.error.issues[0]?.message ?? 'unreadable'}` } };
    try {
      return await this.service.answer(parsed.data);
    } catch (error) {
      this.logger.warn({ err: error, entity: parsed.data.entity }, 'period spend could not be answered');
      return { error: { code: 'ledger_unavailable', message: error instanceof Error ? error.message.slice(0, 200) : 'ledger unavailable' } };
    }
  }
}

function safeJson(data: Uint8Array): unknown {
  try {
    return decodeJson<unknown>(data);
  } catch {
    return undefined;
  }
}
