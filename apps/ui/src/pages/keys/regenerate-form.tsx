import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { post } from '../../api/client';
import type { KeyRow } from '../../api/types';
import { ActionError, useAction } from '../../components/use-action';

/** `/key/regenerate`: a new secret for the same key, the old one working for the grace period. */
export function RegenerateForm({ target, onClose, onRegenerated }: { target: KeyRow | undefined; onClose: () => void; onRegenerated: (key: string) => void }) {
  const [grace, setGrace] = useState('');
  const action = useAction();
  return (
    <Modal opened={target !== undefined} onClose={onClose} title="Regenerate key">
      <Stack>
        <ActionError error={action.error} onClose={action.clear} />
        <Text size="sm">A new secret replaces {target?.key_alias ?? target?.key_name}. Budgets, limits and spend stay with the key.</Text>
        <TextInput label="Grace period" description="How long the old secret keeps working (e.g. 24h); empty: revoked now" value={grace} onChange={(event) => setGrace(event.currentTarget.value)} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            loading={action.busy}
            onClick={() =>
              void action.run(async () => {
                const answer = await post<{ key: string }>('/key/regenerate', { key: target?.token, ...(grace.trim() ? { grace_period: grace.trim() } : {}) });
                onClose();
                onRegenerated(answer.key);
              })
            }
          >
            Regenerate
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
