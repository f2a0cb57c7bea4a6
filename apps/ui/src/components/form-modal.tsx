import { Button, Group, Modal, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { ActionError, useAction } from './use-action';

/** A modal form: its fields, Cancel and a submit button whose errors show inside the dialog. */
export function FormModal({ title, submitLabel, onClose, onSubmit, children }: { title: string; submitLabel: string; onClose: () => void; onSubmit: () => Promise<void>; children: ReactNode }) {
  const action = useAction();
  return (
    <Modal opened onClose={onClose} title={title} size="xl">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void action.run(async () => {
            await onSubmit();
            onClose();
          });
        }}
      >
        <Stack>
          <ActionError error={action.error} onClose={action.clear} />
          {children}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={action.busy}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
