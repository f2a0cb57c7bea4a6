import { Alert } from '@mantine/core';
import { useState } from 'react';

/** Runs a page's write (create, block, delete, ...) and keeps its error to show. */
export function useAction() {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      return true;
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, error, clear: () => setError(undefined) };
}

export function ActionError({ error, onClose }: { error: string | undefined; onClose: () => void }) {
  if (!error) return null;
  return (
    <Alert color="red" title="The gateway refused this" withCloseButton closeButtonLabel="Dismiss" onClose={onClose} role="alert" mb="sm">
      {error}
    </Alert>
  );
}
