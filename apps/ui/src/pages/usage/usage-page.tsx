import { Button, Group, SegmentedControl, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Paper } from '@mantine/core';
import { useState } from 'react';
import { api } from '../../api/client';
import type { TeamRow } from '../../api/types';
import { DataTable } from '../../components/data-table';
import { ResourceView, useResource } from '../../components/page-state';
import { formatNumber, formatUsd } from '../../lib/format';
import { useSignedIn } from '../../session';
import { RequestsChart, SpendChart, TokensChart } from './usage-charts';
import { breakdownBy, downloadCsv, loadUsage, logLimit, seriesOf } from './usage-data';
import type { Breakdown, Granularity } from './usage-data';

function Total({ label, value }: { label: string; value: string }) {
  return (
    <Paper withBorder p="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="xl" fw={700} data-testid={`total-${label.toLowerCase().replace(/\s+/g, '-')}`}>
        {value}
      </Text>
    </Paper>
  );
}

function BreakdownTable({ caption, rows }: { caption: string; rows: Breakdown[] }) {
  return (
    <Stack gap={4}>
      <Text fw={600} size="sm">
        {caption}
      </Text>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing in this period.
        </Text>
      ) : (
        <DataTable
          caption={caption}
          rows={rows.slice(0, 10)}
          rowKey={(row) => row.name}
          columns={[
            { header: 'Name', render: (row) => row.name },
            { header: 'Spend', render: (row) => formatUsd(row.spend) },
            { header: 'Requests', render: (row) => formatNumber(row.requests) },
          ]}
        />
      )}
    </Stack>
  );
}

/** Spend, tokens, requests and error rates over time, broken down by model, key, team, tag and customer. */
export function UsagePage() {
  const session = useSignedIn();
  const [days, setDays] = useState('30');
  const [granularity, setGranularity] = useState<Granularity>('day');
  const teams = useResource(() => api<TeamRow[]>('/team/list').catch(() => [] as TeamRow[]), []);
  const teamName = (id: string) => teams.data?.find((team) => team.team_id === id)?.team_alias ?? id;
  const usage = useResource(() => loadUsage(Number(days), session.is_proxy_admin || session.user_role === 'proxy_admin_viewer', teamName), [days, teams.data]);
  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Title order={1} size="h2">
          Usage
        </Title>
        <Group wrap="wrap">
          <SegmentedControl aria-label="Period" value={days} onChange={setDays} data={[{ value: '7', label: '7 days' }, { value: '30', label: '30 days' }, { value: '90', label: '90 days' }]} />
          <SegmentedControl aria-label="Granularity" value={granularity} onChange={(value) => setGranularity(value as Granularity)} data={[{ value: 'day', label: 'Day' }, { value: 'week', label: 'Week' }, { value: 'month', label: 'Month' }]} />
        </Group>
      </Group>
      <ResourceView resource={usage} empty="No usage in this period." isEmpty={(data) => data.records.length === 0}>
        {(data) => {
          const series = seriesOf(data.records, granularity);
          const total = series.reduce((sum, point) => ({ spend: sum.spend + point.spend, tokens: sum.tokens + point.tokens, requests: sum.requests + point.requests, failed: sum.failed + point.failed }), { spend: 0, tokens: 0, requests: 0, failed: 0 });
          const models = breakdownBy(data.records, 'model');
          const keys = breakdownBy(data.records, 'key');
          return (
            <Stack>
              {data.fromLogs && (
                <Text size="sm" c="dimmed">
                  Your own requests (the latest {logLimit.toLocaleString('en-US')} in the period).
                </Text>
              )}
              <SimpleGrid cols={{ base: 2, md: 4 }}>
                <Total label="Spend" value={formatUsd(total.spend)} />
                <Total label="Requests" value={formatNumber(total.requests)} />
                <Total label="Tokens" value={formatNumber(total.tokens)} />
                <Total label="Error rate" value={`${total.requests ? ((total.failed / total.requests) * 100).toFixed(1) : '0.0'} %`} />
              </SimpleGrid>
              <SimpleGrid cols={{ base: 1, lg: 3 }}>
                <SpendChart series={series} />
                <TokensChart series={series} />
                <RequestsChart series={series} />
              </SimpleGrid>
              <Group>
                <Button
                  variant="default"
                  onClick={() => downloadCsv(`switchboard-usage-${granularity}.csv`, ['period', 'spend_usd', 'requests', 'failed_requests', 'tokens'], series.map((point) => [point.period, point.spend, point.requests, point.failed, point.tokens]))}
                >
                  Export CSV (over time)
                </Button>
                <Button
                  variant="default"
                  onClick={() => downloadCsv('switchboard-usage-records.csv', ['day', 'model', 'key', 'spend_usd', 'requests', 'failed_requests', 'tokens'], data.records.map((record) => [record.day, record.model, record.key, record.spend, record.requests, record.failed, record.tokens]))}
                >
                  Export CSV (by day, model and key)
                </Button>
              </Group>
              <SimpleGrid cols={{ base: 1, md: 2 }}>
                <BreakdownTable caption="By model" rows={models} />
                <BreakdownTable caption={data.fromLogs ? 'By key' : 'Top keys (by hash)'} rows={keys.map((key) => ({ ...key, name: data.fromLogs ? key.name : `${key.name.slice(0, 12)}…` }))} />
                <BreakdownTable caption="Top teams" rows={data.teams} />
                <BreakdownTable caption="By tag" rows={data.tags} />
                {!data.fromLogs && <BreakdownTable caption="Top customers" rows={data.customers} />}
              </SimpleGrid>
            </Stack>
          );
        }}
      </ResourceView>
    </Stack>
  );
}
