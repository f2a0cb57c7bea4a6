import { Badge, Button, Group, Select, Stack, Title } from '@mantine/core';
import { useState } from 'react';
import { api, post } from '../../api/client';
import type { UserList, UserRow } from '../../api/types';
import { ConfirmButton } from '../../components/confirm-button';
import { DataTable } from '../../components/data-table';
import { ResourceView, useResource } from '../../components/page-state';
import { Pager } from '../../components/pager';
import { SecretOnce } from '../../components/secret-once';
import { ActionError, useAction } from '../../components/use-action';
import { formatUsd, limitText } from '../../lib/format';
import { UserForm, userRoles } from './user-form';

/** Internal users, a page at a time from `/user/list` (`page`, `page_size`, `role`). */
export function UsersPage() {
  const [page, setPage] = useState(1);
  const [size, setSize] = useState(25);
  const [role, setRole] = useState<string | null>(null);
  const [form, setForm] = useState<{ editing?: UserRow; serial: number }>();
  const [secret, setSecret] = useState<string>();
  const users = useResource(() => api<UserList>('/user/list', { query: { page, page_size: size, role } }), [page, size, role]);
  const action = useAction();
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Users
        </Title>
        <Button onClick={() => setForm({ serial: Date.now() })}>Create user</Button>
      </Group>
      <ActionError error={action.error} onClose={action.clear} />
      <Select label="Role" placeholder="Any role" data={userRoles} value={role} onChange={(value) => { setPage(1); setRole(value); }} clearable maw={260} />
      <ResourceView resource={users} empty="No users." isEmpty={(data) => data.users.length === 0}>
        {(data) => (
          <>
            <DataTable
              caption="Users"
              rows={data.users}
              rowKey={(user) => user.user_id}
              columns={[
                { header: 'User', render: (user) => user.user_id },
                { header: 'Email', render: (user) => user.user_email ?? '—' },
                { header: 'Role', render: (user) => <Badge variant="light">{user.user_role}</Badge> },
                { header: 'Teams', render: (user) => String(user.teams?.length ?? 0) },
                { header: 'Spend / budget', render: (user) => `${formatUsd(user.spend)} / ${user.max_budget === null ? 'no limit' : formatUsd(user.max_budget)}` },
                { header: 'Limits', render: (user) => `rpm ${limitText(user.rpm_limit)}, tpm ${limitText(user.tpm_limit)}` },
                {
                  header: 'Actions',
                  render: (user) => (
                    <Group gap={4} wrap="nowrap">
                      <Button size="xs" variant="subtle" onClick={() => setForm({ editing: user, serial: Date.now() })}>Edit</Button>
                      <ConfirmButton label="Delete" question={`Delete user ${user.user_id}?`} onConfirm={async () => void (await action.run(async () => { await post('/user/delete', { user_ids: [user.user_id] }); users.reload(); }))} />
                    </Group>
                  ),
                },
              ]}
            />
            <Pager page={page} totalPages={data.total_pages} total={data.total} size={size} onPage={setPage} onSize={(value) => { setPage(1); setSize(value); }} />
          </>
        )}
      </ResourceView>
      {form && <UserForm key={form.serial} editing={form.editing} onClose={() => setForm(undefined)} onSaved={users.reload} onKey={setSecret} />}
      <SecretOnce secret={secret} title="The user's first key" onClose={() => setSecret(undefined)} />
    </Stack>
  );
}
