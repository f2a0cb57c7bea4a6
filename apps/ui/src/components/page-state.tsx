import { Alert, Button, Center, Group, Loader, Text } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DependencyList } from 'react';

export interface Resource<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

/** Loads data for a page; reloads when a dependency changes; ignores answers that arrive late. */
export function useResource<T>(load: () => Promise<T>, dependencies: DependencyList): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);
  // The caller names the dependencies, as with useEffect.
  const run = useCallback(load, dependencies);
  useEffect(() => {
    const ticket = ++latest.current;
    setState((previous) => ({ ...previous, loading: true, error: undefined }));
    run().then(
      (data) => ticket === latest.current && setState({ data, loading: false }),
      (error: unknown) => ticket === latest.current && setState({ error: error instanceof Error ? error : new Error(String(error)), loading: false }),
    );
  }, [run, generation]);
  return { data: state.data, error: state.error, loading: state.loading, reload: () => setGeneration((value) => value + 1) };
}

export function LoadingState({ label = 'Loading' }: { label?: string }) {
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Loader size="sm" aria-hidden="true" />
      <Text ml="sm" size="sm">
        {label}…
      </Text>
    </Center>
  );
}

export function ErrorState({ error, onRetry }: { error: Error; onRetry?: () => void }) {
  return (
    <Alert color="red" title="Something went wrong" role="alert">
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm">{error.message}</Text>
        {onRetry && (
          <Button size="xs" variant="light" color="red" onClick={onRetry}>
            Retry
          </Button>
        )}
      </Group>
    </Alert>
  );
}

export function EmptyState({ children }: { children: string }) {
  return (
    <Text c="dimmed" ta="center" py="xl" size="sm">
      {children}
    </Text>
  );
}

/** Loading, error and empty states around a page's content. */
export function ResourceView<T>({ resource, empty, isEmpty, children }: { resource: Resource<T>; empty: string; isEmpty: (data: T) => boolean; children: (data: T) => React.ReactNode }) {
  if (resource.error) return <ErrorState error={resource.error} onRetry={resource.reload} />;
  if (resource.data === undefined) return <LoadingState />;
  if (isEmpty(resource.data)) return <EmptyState>{empty}</EmptyState>;
  return <>{children(resource.data)}</>;
}
