import { SimpleGrid, TextInput } from '@mantine/core';
import { useState } from 'react';
import { post } from '../../api/client';
import type { TeamRow } from '../../api/types';
import { FormModal } from '../../components/form-modal';
import { LimitInputs, limitBody, limitValues } from '../../components/limit-inputs';
import { ModelSelect } from '../../components/model-select';

/** `/team/new` or `/team/update`: alias, organization, models, budget and limits. */
export function TeamForm({ editing, onClose, onSaved }: { editing?: TeamRow; onClose: () => void; onSaved: () => void }) {
  const [alias, setAlias] = useState(editing?.team_alias ?? '');
  const [organization, setOrganization] = useState(editing?.organization_id ?? '');
  const [models, setModels] = useState<string[]>(editing?.models ?? []);
  const [limits, setLimits] = useState(limitValues(editing));
  return (
    <FormModal
      title={editing ? `Edit team ${editing.team_alias ?? editing.team_id}` : 'Create a team'}
      submitLabel={editing ? 'Save' : 'Create team'}
      onClose={onClose}
      onSubmit={async () => {
        const body = { team_alias: alias.trim() || null, organization_id: organization.trim() || undefined, models, ...limitBody(limits, editing ? 'update' : 'create') };
        await post(editing ? '/team/update' : '/team/new', editing ? { team_id: editing.team_id, ...body } : body);
        onSaved();
      }}
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label="Team name" required value={alias} onChange={(event) => setAlias(event.currentTarget.value)} />
        <TextInput label="Organization id" value={organization} onChange={(event) => setOrganization(event.currentTarget.value)} disabled={editing !== undefined} />
      </SimpleGrid>
      <ModelSelect value={models} onChange={setModels} />
      <LimitInputs values={limits} onChange={setLimits} />
    </FormModal>
  );
}
