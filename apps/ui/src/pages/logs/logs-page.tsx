import { Badge, Button, Group, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { api } from '../../api/client';
import type { SpendLogRow } from '../../api/types';
import { DataTable } from '../../components/data-table';
import { ResourceView, useResource } from '../../components/page-state';
import { formatDate, formatNumber, formatUsd } from '../../lib/format';
import { useSignedIn } from '../../session';
import { LogDetail } from './log-detail';

const pageSize = 50;

interface Filters {
  start: string;
  end: string;
  apiKey: string;
  team: string;
  model: string;
  status: string | null;
  tag: string;
  requestId: string;
}

const empty: Filters = { start: '', end: '', apiKey: '', team: '', model: '', status: null, tag: '', requestId: '' };

/**
 * The spend log (`/spend/logs`), newest first, filtered on the server; older pages are read with
 * `end_date` set to the oldest row shown (keyset paging, fast at any depth).
 */
export function LogsPage() {
  const session = useSignedIn();
  const [draft, setDraft] = useState<Filters>(empty);
  const [filters, setFilters] = useState<Filters>(empty);
  const [cursors, setCursors] = useState<string[]>([]);
  const [selected, setSelected] = useState<SpendLogRow>();
  const before = cursors[cursors.length - 1];
  const logs = useResource(
    () =>
      api<SpendLogRow[]>('/spend/logs', {
        query: {
          limit: pageSize,
          start_date: filters.start && new Date(filters.start).toISOString(),
          end_date: before ?? (filters.end && new Date(filters.end).toISOString()),
          api_key: filters.apiKey,
          team_id: filters.team,
          model: filters.model,
          status: filters.status,
          tag: filters.tag,
          request_id: filters.requestId,
        },
      }),
    [filters, before],
  );
  const set = (name: keyof Filters) => (event: React.ChangeEvent<HTMLInputElement>) => setDraft({ ...draft, [name]: event.currentTarget.value });
  return (
    <Stack>
      <Title order={1} size="h2">
        Logs
      </Title>
      {!session.is_proxy_admin && (
        <Text size="sm" c="dimmed">
          You see the requests of your own keys.
        </Text>
      )}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setCursors([]);
          setFilters(draft);
        }}
      >
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
          <TextInput label="From" type="datetime-local" value={draft.start} onChange={set('start')} />
          <TextInput label="Until" type="datetime-local" value={draft.end} onChange={set('end')} />
          <TextInput label="Key hash" value={draft.apiKey} onChange={set('apiKey')} />
          <TextInput label="Team id" value={draft.team} onChange={set('team')} />
          <TextInput label="Model" value={draft.model} onChange={set('model')} />
          <Select label="Status" placeholder="Any" data={['success', 'failure', 'cancelled']} value={draft.status} onChange={(value) => setDraft({ ...draft, status: value })} clearable />
          <TextInput label="Tag" value={draft.tag} onChange={set('tag')} />
          <TextInput label="Request id" value={draft.requestId} onChange={set('requestId')} />
        </SimpleGrid>
        <Group mt="sm">
          <Button type="submit">Apply filters</Button>
          <Button variant="default" onClick={() => { setDraft(empty); setFilters(empty); setCursors([]); }}>
            Clear
          </Button>
        </Group>
      </form>
      <ResourceView resource={logs} empty="No requests match." isEmpty={(rows) => rows.length === 0}>
        {(rows) => (
          <>
            <DataTable
              caption="Spend log"
              rows={rows}
              rowKey={(row) => `${row.request_id}-${row.attempt}`}
              columns={[
                { header: 'When', render: (row) => formatDate(row.occurred_at) },
                { header: 'Request', render: (row) => <Button size="compact-xs" variant="subtle" onClick={() => setSelected(row)} aria-label={`Details of ${row.request_id}`}>{row.request_id}</Button> },
                { header: 'Key', render: (row) => row.key_alias ?? '—' },
                { header: 'Model', render: (row) => row.model_group },
                { header: 'Status', render: (row) => <Badge variant="dot" miw={80} color={row.status === 'success' ? 'green' : 'red'}>{row.status}</Badge> },
                { header: 'Tokens', render: (row) => formatNumber(row.prompt_tokens + row.completion_tokens) },
                { header: 'Cost', render: (row) => <span data-testid="log-cost">{formatUsd(row.spend)}</span> },
                { header: 'Latency', render: (row) => `${formatNumber(row.latency_ms)} ms` },
              ]}
            />
            <Group justify="flex-end">
              <Button variant="default" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
                Newer
              </Button>
              <Button variant="default" disabled={rows.length < pageSize} onClick={() => setCursors([...cursors, rows[rows.length - 1].occurred_at])}>
                Older
              </Button>
            </Group>
          </>
        )}
      </ResourceView>
      <LogDetail row={selected} traceUrl={session.trace_url} onClose={() => setSelected(undefined)} />
    </Stack>
  );
}
