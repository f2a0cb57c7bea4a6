import { Alert, Badge, Button, Card, Group, Paper, Select, Stack, Text, Textarea, Title } from '@mantine/core';
import { useRef, useState } from 'react';
import { post } from '../../api/client';
import { useModelNames } from '../../components/model-select';
import { formatUsd } from '../../lib/format';
import { streamChat } from './chat-stream';
import type { ChatMessage, StreamResult } from './chat-stream';

interface Turn {
  message: ChatMessage;
  stats?: StreamResult & { cost?: number };
}

/** Chat with any model the signed-in key may use; each answer streams, with its latency, tokens and cost. */
export function PlaygroundPage() {
  const models = useModelNames();
  const [model, setModel] = useState<string | null>(null);
  const [system, setSystem] = useState('');
  const [prompt, setPrompt] = useState('');
  const [turns, setTurns] = useState<Turn[]>([]);
  const [streaming, setStreaming] = useState<string>();
  const [error, setError] = useState<string>();
  const abort = useRef<AbortController | undefined>(undefined);
  const chosen = model ?? models.data?.[0] ?? null;

  const send = async () => {
    if (!chosen || !prompt.trim()) return;
    const history: ChatMessage[] = [...(system.trim() ? [{ role: 'system' as const, content: system.trim() }] : []), ...turns.map((turn) => turn.message), { role: 'user', content: prompt }];
    setTurns((previous) => [...previous, { message: { role: 'user', content: prompt } }]);
    setPrompt('');
    setError(undefined);
    setStreaming('');
    abort.current = new AbortController();
    try {
      const result = await streamChat(chosen, history, setStreaming, abort.current.signal);
      let cost: number | undefined;
      if (result.usage) cost = (await post<{ cost: number }>('/spend/calculate', { model: chosen, completion_response: { usage: result.usage } }).catch(() => undefined))?.cost;
      setTurns((previous) => [...previous, { message: { role: 'assistant', content: result.text }, stats: { ...result, cost } }]);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setStreaming(undefined);
    }
  };

  return (
    <Stack>
      <Title order={1} size="h2">
        Playground
      </Title>
      <Group align="flex-end" wrap="wrap">
        <Select label="Model" data={models.data ?? []} value={chosen} onChange={setModel} searchable allowDeselect={false} w={280} placeholder={models.error ? 'Models unavailable' : 'Loading models'} />
        <Button variant="default" onClick={() => setTurns([])} disabled={turns.length === 0}>
          New chat
        </Button>
      </Group>
      <Textarea label="System prompt" autosize minRows={1} maxRows={4} value={system} onChange={(event) => setSystem(event.currentTarget.value)} />
      <Stack gap="xs" aria-live="polite" data-testid="transcript">
        {turns.map((turn, index) => (
          <Paper key={index} withBorder p="sm" bg={turn.message.role === 'user' ? 'var(--mantine-color-gray-0)' : undefined}>
            <Text size="xs" c="dimmed" fw={600}>
              {turn.message.role === 'user' ? 'You' : chosen}
            </Text>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid={turn.message.role === 'assistant' ? 'answer' : 'question'}>
              {turn.message.content}
            </Text>
            {turn.stats && (
              <Group gap="xs" mt="xs" data-testid="answer-stats">
                <Badge variant="light">first token {turn.stats.firstTokenMs === null ? '—' : `${Math.round(turn.stats.firstTokenMs)} ms`}</Badge>
                <Badge variant="light">total {Math.round(turn.stats.totalMs)} ms</Badge>
                <Badge variant="light">{turn.stats.usage ? `${turn.stats.usage.prompt_tokens} + ${turn.stats.usage.completion_tokens} tokens` : 'tokens unknown'}</Badge>
                <Badge variant="light">cost {turn.stats.cost === undefined ? '—' : formatUsd(turn.stats.cost)}</Badge>
              </Group>
            )}
          </Paper>
        ))}
        {streaming !== undefined && (
          <Card withBorder p="sm">
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="streaming">
              {streaming || '…'}
            </Text>
          </Card>
        )}
      </Stack>
      {error && (
        <Alert color="red" title="The gateway refused this request" role="alert" data-testid="playground-error">
          {error}
        </Alert>
      )}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void send();
        }}
      >
        <Stack>
          <Textarea label="Message" autosize minRows={2} value={prompt} onChange={(event) => setPrompt(event.currentTarget.value)} />
          <Group>
            <Button type="submit" disabled={!chosen || streaming !== undefined}>
              Send
            </Button>
            {streaming !== undefined && (
              <Button variant="default" onClick={() => abort.current?.abort()}>
                Stop
              </Button>
            )}
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
