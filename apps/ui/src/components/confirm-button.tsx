import { Button, Group, Modal, Text } from '@mantine/core';
import { useState } from 'react';
import type { ButtonProps } from '@mantine/core';

/** A button that asks before doing something that cannot be undone. */
export function ConfirmButton({ label, question, onConfirm, ...props }: ButtonProps & { label: string; question: string; onConfirm: () => Promise<void> }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  return (
    <>
      <Button size="xs" variant="subtle" color="red" {...props} onClick={() => setOpen(true)}>
        {label}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={label}>
        <Text size="sm">{question}</Text>
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button
            color="red"
            loading={busy}
            onClick={async () => {
              setBusy(true);
              try {
                await onConfirm();
              } finally {
                setBusy(false);
                setOpen(false);
              }
            }}
          >
            {label}
          </Button>
        </Group>
      </Modal>
    </>
  );
}
