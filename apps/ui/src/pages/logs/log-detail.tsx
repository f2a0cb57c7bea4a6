import { Anchor, Badge, Code, Drawer, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { SpendLogRow } from '../../api/types';
import { formatDate, formatNumber, formatUsd } from '../../lib/format';

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

/** Stored messages as `role: text` lines (non-text parts as JSON). */
function transcript(messages: unknown): string {
  if (!Array.isArray(messages)) return JSON.stringify(messages, null, 2);
  return messages
    .map((message: { role?: string; content?: unknown }) => `${message.role ?? 'message'}: ${typeof message.content === 'string' ? message.content : JSON.stringify(message.content)}`)
    .join('\n\n');
}

/** One request from the spend log: timings, tokens, cost, routing, and the stored prompt and answer. */
export function LogDetail({ row, traceUrl, onClose }: { row: SpendLogRow | undefined; traceUrl: string | null; onClose: () => void }) {
  return (
    <Drawer opened={row !== undefined} onClose={onClose} title="Request detail" position="right" size="lg">
      {row && (
        <Stack>
          <SimpleGrid cols={2}>
            <Field label="Request id">
              <Code>{row.request_id}</Code>
            </Field>
            <Field label="When">{formatDate(row.occurred_at)}</Field>
            <Field label="Status">
              <Badge variant="dot" miw={80} color={row.status === 'success' ? 'green' : 'red'}>{row.status}</Badge> {row.error_code ?? ''}
            </Field>
            <Field label="Cost">{formatUsd(row.spend)}{row.price_missing ? ' (no price known)' : ''}</Field>
            <Field label="Latency">{formatNumber(row.latency_ms)} ms</Field>
            <Field label="Time to first token">{row.time_to_first_token_ms === null || row.time_to_first_token_ms === undefined ? '—' : `${formatNumber(row.time_to_first_token_ms)} ms`}</Field>
            <Field label="Tokens (prompt / completion)">
              {formatNumber(row.prompt_tokens)} / {formatNumber(row.completion_tokens)}
            </Field>
            <Field label="Cache hit">{row.cache_read_tokens > 0 ? `yes, ${formatNumber(row.cache_read_tokens)} cached prompt tokens` : 'no'}</Field>
            <Field label="Model group / deployment">
              {row.model_group} / {row.deployment_id}
            </Field>
            <Field label="Upstream">
              {row.provider}/{row.upstream_model}
            </Field>
            <Field label="Attempt (retries and fallbacks)">{row.attempt}</Field>
            <Field label="Guardrails">none configured</Field>
            <Field label="Key / team / user">
              {row.key_alias ?? '—'} / {row.team_id ?? '—'} / {row.user_id ?? '—'}
            </Field>
            <Field label="Customer / tags">
              {row.customer_id ?? '—'} / {(row.tags ?? []).join(', ') || '—'}
            </Field>
          </SimpleGrid>
          {traceUrl && (
            <Anchor href={traceUrl.replace('{request_id}', encodeURIComponent(row.request_id))} target="_blank" rel="noreferrer noopener">
              Open the trace
            </Anchor>
          )}
          <Title order={3} size="h5">
            Prompt
          </Title>
          {row.messages ? (
            <Code block data-testid="log-prompt">
              {transcript(row.messages)}
            </Code>
          ) : (
            <Text size="sm" c="dimmed">
              Not stored (general_settings.store_prompts_in_spend_logs is off).
            </Text>
          )}
          <Title order={3} size="h5">
            Answer
          </Title>
          {row.response ? <Code block>{row.response}</Code> : <Text size="sm" c="dimmed">Not stored.</Text>}
        </Stack>
      )}
    </Drawer>
  );
}
