import { Button, Group, Select, Stack, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { api, post } from '../../api/client';
import type { OrganizationRow } from '../../api/types';
import { ConfirmButton } from '../../components/confirm-button';
import { DataTable } from '../../components/data-table';
import { FormModal } from '../../components/form-modal';
import { LimitInputs, limitBody, limitValues } from '../../components/limit-inputs';
import { ModelSelect } from '../../components/model-select';
import { ResourceView, useResource } from '../../components/page-state';
import { ActionError, useAction } from '../../components/use-action';
import { formatUsd } from '../../lib/format';

function OrganizationForm({ editing, onClose, onSaved }: { editing?: OrganizationRow; onClose: () => void; onSaved: () => void }) {
  const [alias, setAlias] = useState(editing?.organization_alias ?? '');
  const [models, setModels] = useState<string[]>(editing?.models ?? []);
  const [limits, setLimits] = useState(limitValues(editing));
  return (
    <FormModal
      title={editing ? `Edit ${editing.organization_alias ?? editing.organization_id}` : 'Create an organization'}
      submitLabel={editing ? 'Save' : 'Create organization'}
      onClose={onClose}
      onSubmit={async () => {
        const body = { organization_alias: alias.trim(), models, ...limitBody(limits, editing ? 'update' : 'create') };
        await post(editing ? '/organization/update' : '/organization/new', editing ? { organization_id: editing.organization_id, ...body } : body);
        onSaved();
      }}
    >
      <TextInput label="Organization name" required value={alias} onChange={(event) => setAlias(event.currentTarget.value)} />
      <ModelSelect value={models} onChange={setModels} />
      <LimitInputs values={limits} onChange={setLimits} />
    </FormModal>
  );
}

function MemberForm({ organization, onClose, onSaved }: { organization: OrganizationRow; onClose: () => void; onSaved: () => void }) {
  const [userId, setUserId] = useState('');
  const [role, setRole] = useState<string | null>('internal_user');
  return (
    <FormModal title={`Add a member to ${organization.organization_alias ?? organization.organization_id}`} submitLabel="Add member" onClose={onClose} onSubmit={async () => { await post('/organization/member_add', { organization_id: organization.organization_id, member: { user_id: userId.trim(), role } }); onSaved(); }}>
      <TextInput label="User id" required value={userId} onChange={(event) => setUserId(event.currentTarget.value)} />
      <Select label="Role" data={['org_admin', 'internal_user', 'internal_user_viewer']} value={role} onChange={setRole} allowDeselect={false} />
    </FormModal>
  );
}

/** Organizations: `/organization/list`, create, edit, members, delete. */
export function OrganizationsPage() {
  const organizations = useResource(() => api<OrganizationRow[]>('/organization/list'), []);
  const [form, setForm] = useState<{ editing?: OrganizationRow; serial: number }>();
  const [adding, setAdding] = useState<OrganizationRow>();
  const action = useAction();
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Organizations
        </Title>
        <Button onClick={() => setForm({ serial: Date.now() })}>Create organization</Button>
      </Group>
      <ActionError error={action.error} onClose={action.clear} />
      <ResourceView resource={organizations} empty="No organizations." isEmpty={(data) => data.length === 0}>
        {(data) => (
          <DataTable
            caption="Organizations"
            rows={data}
            rowKey={(organization) => organization.organization_id}
            columns={[
              { header: 'Organization', render: (organization) => organization.organization_alias ?? organization.organization_id },
              { header: 'Members', render: (organization) => (organization.members ?? []).map((member) => `${member.user_id} (${member.user_role})`).join(', ') || '—' },
              { header: 'Models', render: (organization) => (organization.models.length ? organization.models.join(', ') : 'all') },
              { header: 'Spend / budget', render: (organization) => `${formatUsd(organization.spend)} / ${organization.max_budget === null ? 'no limit' : formatUsd(organization.max_budget)}` },
              {
                header: 'Actions',
                render: (organization) => (
                  <Group gap={4} wrap="nowrap">
                    <Button size="xs" variant="subtle" onClick={() => setForm({ editing: organization, serial: Date.now() })}>Edit</Button>
                    <Button size="xs" variant="subtle" onClick={() => setAdding(organization)}>Add member</Button>
                    <ConfirmButton label="Delete" question={`Delete ${organization.organization_alias ?? organization.organization_id}?`} onConfirm={async () => void (await action.run(async () => { await post('/organization/delete', { organization_ids: [organization.organization_id] }); organizations.reload(); }))} />
                  </Group>
                ),
              },
            ]}
          />
        )}
      </ResourceView>
      {form && <OrganizationForm key={form.serial} editing={form.editing} onClose={() => setForm(undefined)} onSaved={organizations.reload} />}
      {adding && <MemberForm organization={adding} onClose={() => setAdding(undefined)} onSaved={organizations.reload} />}
    </Stack>
  );
}
