import { Badge, Button, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { api, post } from '../../api/client';
import type { TeamRow } from '../../api/types';
import { ConfirmButton } from '../../components/confirm-button';
import { DataTable } from '../../components/data-table';
import { ResourceView, useResource } from '../../components/page-state';
import { Pager } from '../../components/pager';
import { ActionError, useAction } from '../../components/use-action';
import { formatUsd, limitText } from '../../lib/format';
import { TeamForm } from './team-form';
import { TeamMembers } from './team-members';

const pageSize = 25;

/** Teams the caller may see (`/team/list` has no paging in LiteLLM; pages are cut here). */
export function TeamsPage() {
  const teams = useResource(() => api<TeamRow[]>('/team/list'), []);
  const [page, setPage] = useState(1);
  const [filter, setFilter] = useState('');
  const [form, setForm] = useState<{ editing?: TeamRow; serial: number }>();
  const [members, setMembers] = useState<TeamRow>();
  const action = useAction();
  const write = (path: string, body: unknown) => action.run(async () => {
    await post(path, body);
    teams.reload();
  });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Teams
        </Title>
        <Button onClick={() => setForm({ serial: Date.now() })}>Create team</Button>
      </Group>
      <ActionError error={action.error} onClose={action.clear} />
      <TextInput label="Filter by name" maw={320} value={filter} onChange={(event) => { setPage(1); setFilter(event.currentTarget.value); }} />
      <ResourceView resource={teams} empty="No teams yet." isEmpty={(data) => data.length === 0}>
        {(data) => {
          const visible = data.filter((team) => (team.team_alias ?? team.team_id).toLowerCase().includes(filter.toLowerCase()));
          return (
            <>
              <DataTable
                caption="Teams"
                rows={visible.slice((page - 1) * pageSize, page * pageSize)}
                rowKey={(team) => team.team_id}
                columns={[
                  { header: 'Team', render: (team) => <Text size="sm" fw={500}>{team.team_alias ?? team.team_id}</Text> },
                  { header: 'Members', render: (team) => String(team.members_with_roles?.length ?? 0) },
                  { header: 'Models', render: (team) => (team.models.length ? team.models.join(', ') : 'all') },
                  { header: 'Spend / budget', render: (team) => `${formatUsd(team.spend)} / ${team.max_budget === null ? 'no limit' : formatUsd(team.max_budget)}` },
                  { header: 'Limits', render: (team) => `rpm ${limitText(team.rpm_limit)}, tpm ${limitText(team.tpm_limit)}` },
                  { header: 'Status', render: (team) => (team.blocked ? <Badge variant="dot" miw={80} color="red">blocked</Badge> : <Badge variant="dot" miw={80} color="green">active</Badge>) },
                  {
                    header: 'Actions',
                    render: (team) => (
                      <Group gap={4} wrap="nowrap">
                        <Button size="xs" variant="subtle" onClick={() => setForm({ editing: team, serial: Date.now() })}>Edit</Button>
                        <Button size="xs" variant="subtle" onClick={() => setMembers(team)}>Members</Button>
                        <Button size="xs" variant="subtle" onClick={() => void write(team.blocked ? '/team/unblock' : '/team/block', { team_id: team.team_id })}>
                          {team.blocked ? 'Unblock' : 'Block'}
                        </Button>
                        <ConfirmButton label="Delete" question={`Delete team ${team.team_alias ?? team.team_id}?`} onConfirm={async () => void (await write('/team/delete', { team_ids: [team.team_id] }))} />
                      </Group>
                    ),
                  },
                ]}
              />
              <Pager page={page} totalPages={Math.ceil(visible.length / pageSize)} total={visible.length} size={pageSize} onPage={setPage} />
            </>
          );
        }}
      </ResourceView>
      {form && <TeamForm key={form.serial} editing={form.editing} onClose={() => setForm(undefined)} onSaved={teams.reload} />}
      {members && <TeamMembers team={members} onClose={() => setMembers(undefined)} onChanged={teams.reload} />}
    </Stack>
  );
}
