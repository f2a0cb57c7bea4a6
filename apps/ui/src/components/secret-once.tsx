import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text } from '@mantine/core';

/**
 * A newly created or regenerated key, shown once: the gateway stores only its hash, and the UI
 * keeps it nowhere after this dialog closes.
 */
export function SecretOnce({ secret, title, onClose }: { secret: string | undefined; title: string; onClose: () => void }) {
  return (
    <Modal opened={secret !== undefined} onClose={onClose} title={title || 'New key'} size="lg">
      <Stack>
        <Alert color="yellow" title="Copy this key now">
          It is shown only once. Switchboard keeps only its hash and cannot show it again.
        </Alert>
        <Code block data-testid="new-secret" style={{ wordBreak: 'break-all' }}>
          {secret}
        </Code>
        <Group justify="space-between">
          <CopyButton value={secret ?? ''}>{({ copied, copy }) => <Button onClick={copy} color={copied ? 'teal' : 'blue'}>{copied ? 'Copied' : 'Copy key'}</Button>}</CopyButton>
          <Button variant="default" onClick={onClose}>
            Done
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          Use it as "Authorization: Bearer &lt;key&gt;" with any OpenAI-compatible client.
        </Text>
      </Stack>
    </Modal>
  );
}
