/** One Responses streaming event: `type`, `sequence_number` and the event's fields. */
export type ResponseStreamEvent = { type: string; sequence_number: number } & Record<string, unknown>;

/** The events as Server-Sent Events, each with its `event:` line, as OpenAI's HTTP stream frames them. */
export function toServerSentEvents(events: readonly ResponseStreamEvent[]): string {
  return events.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`).join('');
}
