import { Checkbox, Select, SimpleGrid, TextInput } from '@mantine/core';
import { useState } from 'react';
import { post } from '../../api/client';
import type { UserRow } from '../../api/types';
import { FormModal } from '../../components/form-modal';
import { LimitInputs, limitBody, limitValues } from '../../components/limit-inputs';
import { ModelSelect } from '../../components/model-select';

export const userRoles = ['proxy_admin', 'proxy_admin_viewer', 'internal_user', 'internal_user_viewer'];

/** `/user/new` (optionally with a first key, shown once) or `/user/update`. */
export function UserForm({ editing, onClose, onSaved, onKey }: { editing?: UserRow; onClose: () => void; onSaved: () => void; onKey: (key: string) => void }) {
  const [userId, setUserId] = useState(editing?.user_id ?? '');
  const [email, setEmail] = useState(editing?.user_email ?? '');
  const [role, setRole] = useState<string | null>(editing?.user_role ?? 'internal_user');
  const [models, setModels] = useState<string[]>(editing?.models ?? []);
  const [createKey, setCreateKey] = useState(false);
  const [limits, setLimits] = useState(limitValues(editing));
  return (
    <FormModal
      title={editing ? `Edit user ${editing.user_id}` : 'Create a user'}
      submitLabel={editing ? 'Save' : 'Create user'}
      onClose={onClose}
      onSubmit={async () => {
        const body = { user_id: userId.trim() || undefined, user_email: email.trim() || null, user_role: role ?? undefined, models, ...limitBody(limits, editing ? 'update' : 'create') };
        if (editing) {
          await post('/user/update', { ...body, user_id: editing.user_id });
        } else {
          const created = await post<{ key?: string }>('/user/new', { ...body, auto_create_key: createKey });
          if (created.key) onKey(created.key);
        }
        onSaved();
      }}
    >
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <TextInput label="User id" description="Empty: generated" value={userId} onChange={(event) => setUserId(event.currentTarget.value)} disabled={editing !== undefined} />
        <TextInput label="Email" type="email" value={email} onChange={(event) => setEmail(event.currentTarget.value)} />
        <Select label="Role" data={userRoles} value={role} onChange={setRole} allowDeselect={false} />
      </SimpleGrid>
      <ModelSelect value={models} onChange={setModels} />
      <LimitInputs values={limits} onChange={setLimits} />
      {!editing && <Checkbox label="Also create a key for this user" checked={createKey} onChange={(event) => setCreateKey(event.currentTarget.checked)} />}
    </FormModal>
  );
}
