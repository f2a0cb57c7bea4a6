import { Alert, Badge, Code, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { api } from '../../api/client';
import { ResourceView, useResource } from '../../components/page-state';
import { useSignedIn } from '../../session';

interface ConfigSettings {
  callbacks: Array<{ name: string; type: string }>;
  alerts: Array<{ name: string }>;
  router_settings: Record<string, unknown>;
  cache: { enabled: boolean; cache_params: Record<string, unknown> };
  guardrails: unknown[];
  general_settings: Record<string, unknown>;
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

function Json({ value }: { value: unknown }) {
  return <Code block>{JSON.stringify(value, null, 2)}</Code>;
}

/** The proxy's settings from its config file (`/get/config/callbacks`), secrets masked. */
export function SettingsPage() {
  const session = useSignedIn();
  const settings = useResource(() => api<ConfigSettings>('/get/config/callbacks'), []);
  return (
    <Stack>
      <Title order={1} size="h2">
        Settings
      </Title>
      <Alert color="blue" title="Read-only">
        {session.is_proxy_admin
          ? 'These settings come from the config file (config.yaml): change the file and restart the services to change them.'
          : 'Only a proxy admin can change settings; they come from the config file.'}
      </Alert>
      <ResourceView resource={settings} empty="No settings." isEmpty={() => false}>
        {(data) => (
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Section title="Router settings">
              <Json value={data.router_settings} />
            </Section>
            <Section title="Callbacks">
              {data.callbacks.length === 0 ? (
                <Text size="sm" c="dimmed">No callbacks configured.</Text>
              ) : (
                <Group gap="xs">
                  {data.callbacks.map((callback) => (
                    <Badge key={`${callback.name}-${callback.type}`} variant="light">
                      {callback.name} ({callback.type})
                    </Badge>
                  ))}
                </Group>
              )}
            </Section>
            <Section title="Guardrails">
              {data.guardrails.length === 0 ? <Text size="sm" c="dimmed">No guardrails configured.</Text> : <Json value={data.guardrails} />}
            </Section>
            <Section title="Cache">
              <Text size="sm">Response cache: {data.cache.enabled ? 'on' : 'off'}</Text>
              {data.cache.enabled && <Json value={data.cache.cache_params} />}
            </Section>
            <Section title="Alerting">
              {data.alerts.length === 0 ? <Text size="sm" c="dimmed">No alerting configured.</Text> : <Text size="sm">{data.alerts.map((alert) => alert.name).join(', ')}</Text>}
            </Section>
            <Section title="General settings">
              <Json value={data.general_settings} />
            </Section>
          </SimpleGrid>
        )}
      </ResourceView>
    </Stack>
  );
}
