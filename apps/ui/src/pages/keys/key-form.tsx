import { Button, Group, Modal, Select, SimpleGrid, Stack, TagsInput, TextInput } from '@mantine/core';
import { useState } from 'react';
import { post } from '../../api/client';
import type { KeyRow } from '../../api/types';
import { ObjectInput, parseJsonObject } from '../../components/json-input';
import { LimitInputs, limitBody, limitValues } from '../../components/limit-inputs';
import { ModelSelect } from '../../components/model-select';
import { ActionError, useAction } from '../../components/use-action';

export interface TeamOption {
  value: string;
  label: string;
}

/** Create (`/key/generate`) or edit (`/key/update`) a key; on create the new key goes to `onCreated`, once. */
export function KeyForm({ opened, editing, teams, onClose, onSaved, onCreated }: { opened: boolean; editing?: KeyRow; teams: TeamOption[]; onClose: () => void; onSaved: () => void; onCreated: (key: string) => void }) {
  const [alias, setAlias] = useState(editing?.key_alias ?? '');
  const [teamId, setTeamId] = useState<string | null>(editing?.team_id ?? null);
  const [userId, setUserId] = useState(editing?.user_id ?? '');
  const [models, setModels] = useState<string[]>(editing?.models ?? []);
  const [tags, setTags] = useState<string[]>(editing?.tags ?? []);
  const [duration, setDuration] = useState('');
  const [metadata, setMetadata] = useState(editing ? JSON.stringify(editing.metadata ?? {}, null, 2) : '');
  const [limits, setLimits] = useState(limitValues(editing));
  const action = useAction();

  const save = () =>
    action.run(async () => {
      const body: Record<string, unknown> = {
        key_alias: alias.trim() || (editing ? null : undefined),
        team_id: teamId ?? (editing ? null : undefined),
        user_id: userId.trim() || undefined,
        models,
        tags,
        metadata: parseJsonObject(metadata, 'Metadata') ?? (editing ? {} : undefined),
        duration: duration.trim() || undefined,
        ...limitBody(limits, editing ? 'update' : 'create'),
      };
      if (editing) {
        await post('/key/update', { key: editing.token, ...body });
      } else {
        const created = await post<{ key: string }>('/key/generate', body);
        onCreated(created.key);
      }
      onSaved();
      onClose();
    });

  return (
    <Modal opened={opened} onClose={onClose} title={editing ? `Edit key ${editing.key_alias ?? editing.key_name}` : 'Create a virtual key'} size="xl">
      <Stack>
        <ActionError error={action.error} onClose={action.clear} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label="Key alias" value={alias} onChange={(event) => setAlias(event.currentTarget.value)} />
          <Select label="Team" placeholder="No team" data={teams} value={teamId} onChange={setTeamId} clearable searchable />
          <TextInput label="User id" description="Owner of the key (default: you)" value={userId} onChange={(event) => setUserId(event.currentTarget.value)} />
          <TextInput label={editing ? 'New expiry (from now)' : 'Expires after'} description="30d, 12h, 1mo; empty: never" value={duration} onChange={(event) => setDuration(event.currentTarget.value)} />
        </SimpleGrid>
        <ModelSelect value={models} onChange={setModels} />
        <LimitInputs values={limits} onChange={setLimits} />
        <TagsInput label="Tags" description="Recorded with every request of the key (spend by tag)" value={tags} onChange={setTags} />
        <ObjectInput label="Metadata (JSON)" value={metadata} onChange={setMetadata} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button loading={action.busy} onClick={() => void save()}>
            {editing ? 'Save' : 'Create key'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
