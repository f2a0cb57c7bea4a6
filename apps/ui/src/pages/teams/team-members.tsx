import { Button, Group, Modal, Select, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { post } from '../../api/client';
import type { Member, TeamRow } from '../../api/types';
import { DataTable } from '../../components/data-table';
import { EmptyState } from '../../components/page-state';
import { ActionError, useAction } from '../../components/use-action';

/** A team's members and roles: `/team/member_add` and `/team/member_delete`. */
export function TeamMembers({ team, onClose, onChanged }: { team: TeamRow; onClose: () => void; onChanged: () => void }) {
  const [members, setMembers] = useState<Member[]>(team.members_with_roles ?? []);
  const [userId, setUserId] = useState('');
  const [role, setRole] = useState<string | null>('user');
  const action = useAction();
  const change = (path: string, body: unknown) =>
    action.run(async () => {
      const answer = await post<{ members_with_roles?: Member[]; updated_team?: { members_with_roles: Member[] } }>(path, body);
      setMembers(answer.updated_team?.members_with_roles ?? answer.members_with_roles ?? members);
      onChanged();
    });
  return (
    <Modal opened onClose={onClose} title={`Members of ${team.team_alias ?? team.team_id}`} size="lg">
      <Stack>
        <ActionError error={action.error} onClose={action.clear} />
        {members.length === 0 ? (
          <EmptyState>No members yet.</EmptyState>
        ) : (
          <DataTable
            caption="Team members"
            rows={members}
            rowKey={(member) => member.user_id}
            columns={[
              { header: 'User', render: (member) => member.user_id },
              { header: 'Email', render: (member) => member.user_email ?? '—' },
              { header: 'Role', render: (member) => member.role },
              { header: 'Actions', render: (member) => <Button size="xs" variant="subtle" color="red" aria-label={`Remove ${member.user_id}`} onClick={() => void change('/team/member_delete', { team_id: team.team_id, user_id: member.user_id })}>Remove</Button> },
            ]}
          />
        )}
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void change('/team/member_add', { team_id: team.team_id, member: { user_id: userId.trim(), role } }).then((done) => done && setUserId(''));
          }}
        >
          <Group align="flex-end">
            <TextInput label="User id" required value={userId} onChange={(event) => setUserId(event.currentTarget.value)} />
            <Select label="Role" data={['user', 'admin']} value={role} onChange={setRole} allowDeselect={false} w={110} />
            <Button type="submit" loading={action.busy}>
              Add member
            </Button>
          </Group>
        </form>
      </Stack>
    </Modal>
  );
}
