import { Badge, Button, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { api, post } from '../../api/client';
import type { KeyList, KeyRow, TeamRow } from '../../api/types';
import { ConfirmButton } from '../../components/confirm-button';
import { DataTable } from '../../components/data-table';
import type { Column } from '../../components/data-table';
import { ResourceView, useResource } from '../../components/page-state';
import { Pager } from '../../components/pager';
import { SecretOnce } from '../../components/secret-once';
import { ActionError, useAction } from '../../components/use-action';
import { formatDate, formatUsd, limitText } from '../../lib/format';
import { KeyForm } from './key-form';
import { RegenerateForm } from './regenerate-form';

/** Virtual keys: one page at a time from `/key/list`, filtered on the server. */
export function KeysPage() {
  const [page, setPage] = useState(1);
  const [size, setSize] = useState(25);
  const [alias, setAlias] = useState('');
  const [search, setSearch] = useState('');
  const [teamFilter, setTeamFilter] = useState<string | null>(null);
  const [userFilter, setUserFilter] = useState('');
  const [form, setForm] = useState<{ editing?: KeyRow; serial: number } | undefined>();
  const [regenerating, setRegenerating] = useState<KeyRow>();
  const [secret, setSecret] = useState<{ value: string; title: string }>();
  const action = useAction();
  const teams = useResource(() => api<TeamRow[]>('/team/list'), []);
  const teamOptions = (teams.data ?? []).map((team) => ({ value: team.team_id, label: team.team_alias ?? team.team_id }));
  const teamName = (id: string | null) => (id ? (teamOptions.find((team) => team.value === id)?.label ?? id) : '—');
  const keys = useResource(
    () => api<KeyList>('/key/list', { query: { page, size, return_full_object: true, key_alias: search, team_id: teamFilter, user_id: userFilter.trim() } }),
    [page, size, search, teamFilter, userFilter],
  );
  const write = (path: string, body: unknown) => action.run(async () => {
    await post(path, body);
    keys.reload();
  });

  const columns: Array<Column<KeyRow>> = [
    { header: 'Alias', render: (key) => <Text size="sm" fw={500}>{key.key_alias ?? '—'}</Text> },
    { header: 'Key', render: (key) => <Text size="sm" ff="monospace">{key.key_name}</Text> },
    { header: 'Team', render: (key) => teamName(key.team_id) },
    { header: 'User', render: (key) => key.user_id ?? '—' },
    { header: 'Models', render: (key) => (key.models.length ? key.models.join(', ') : 'all allowed') },
    { header: 'Spend / budget', render: (key) => `${formatUsd(key.spend)} / ${key.max_budget === null ? 'no limit' : formatUsd(key.max_budget)}${key.budget_duration ? ` per ${key.budget_duration}` : ''}` },
    { header: 'Limits', render: (key) => `rpm ${limitText(key.rpm_limit)}, tpm ${limitText(key.tpm_limit)}, parallel ${limitText(key.max_parallel_requests)}` },
    { header: 'Expires', render: (key) => formatDate(key.expires) },
    { header: 'Status', render: (key) => (key.blocked ? <Badge variant="dot" miw={80} color="red">blocked</Badge> : <Badge variant="dot" miw={80} color="green">active</Badge>) },
    {
      header: 'Actions',
      render: (key) => (
        <Group gap={4} wrap="nowrap">
          <Button size="xs" variant="subtle" onClick={() => setForm({ editing: key, serial: Date.now() })} aria-label={`Edit ${key.key_alias ?? key.key_name}`}>
            Edit
          </Button>
          <Button size="xs" variant="subtle" onClick={() => void write(key.blocked ? '/key/unblock' : '/key/block', { key: key.token })} aria-label={`${key.blocked ? 'Unblock' : 'Block'} ${key.key_alias ?? key.key_name}`}>
            {key.blocked ? 'Unblock' : 'Block'}
          </Button>
          <Button size="xs" variant="subtle" onClick={() => setRegenerating(key)} aria-label={`Regenerate ${key.key_alias ?? key.key_name}`}>
            Regenerate
          </Button>
          <ConfirmButton label="Delete" aria-label={`Delete ${key.key_alias ?? key.key_name}`} question={`Delete ${key.key_alias ?? key.key_name}? Requests with it are refused at once.`} onConfirm={async () => void (await write('/key/delete', { keys: [key.token] }))} />
        </Group>
      ),
    },
  ];

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Virtual keys
        </Title>
        <Button onClick={() => setForm({ serial: Date.now() })}>Create key</Button>
      </Group>
      <ActionError error={action.error} onClose={action.clear} />
      <Group align="flex-end" wrap="wrap">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            setPage(1);
            setSearch(alias.trim());
          }}
        >
          <Group align="flex-end" gap="xs">
            <TextInput label="Search by alias" placeholder="exact alias" value={alias} onChange={(event) => setAlias(event.currentTarget.value)} />
            <Button type="submit" variant="light">
              Search
            </Button>
          </Group>
        </form>
        <Select label="Team" placeholder="Any team" data={teamOptions} value={teamFilter} onChange={(value) => { setPage(1); setTeamFilter(value); }} clearable searchable />
        <TextInput label="User id" placeholder="Any user" value={userFilter} onChange={(event) => { setPage(1); setUserFilter(event.currentTarget.value); }} />
      </Group>
      <ResourceView resource={keys} empty="No keys match. Create one with “Create key”." isEmpty={(data) => data.keys.length === 0}>
        {(data) => (
          <>
            <DataTable caption="Virtual keys" columns={columns} rows={data.keys} rowKey={(key) => key.token} />
            <Pager page={page} totalPages={data.total_pages} total={data.total_count} size={size} onPage={setPage} onSize={(value) => { setPage(1); setSize(value); }} />
          </>
        )}
      </ResourceView>
      {form && (
        <KeyForm
          key={form.serial}
          opened
          editing={form.editing}
          teams={teamOptions}
          onClose={() => setForm(undefined)}
          onSaved={keys.reload}
          onCreated={(value) => setSecret({ value, title: 'Your new key' })}
        />
      )}
      <RegenerateForm key={regenerating?.token ?? 'none'} target={regenerating} onClose={() => setRegenerating(undefined)} onRegenerated={(value) => { setSecret({ value, title: 'Regenerated key' }); keys.reload(); }} />
      <SecretOnce secret={secret?.value} title={secret?.title ?? ''} onClose={() => setSecret(undefined)} />
    </Stack>
  );
}
