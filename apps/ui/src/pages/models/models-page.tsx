import { Badge, Button, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { api, post } from '../../api/client';
import type { DeploymentInfo } from '../../api/types';
import { ConfirmButton } from '../../components/confirm-button';
import { DataTable } from '../../components/data-table';
import { ResourceView, useResource } from '../../components/page-state';
import { ActionError, useAction } from '../../components/use-action';
import { useSignedIn } from '../../session';
import { ModelForm } from './model-form';

type Health = { state: 'checking' } | { state: 'healthy' } | { state: 'unhealthy'; error: string };

const perMillion = (value: unknown) => (typeof value === 'number' ? `$${(value * 1_000_000).toFixed(2)}` : '—');

/** Deployments from the config and the database (`/model/info`), their prices and a health probe. */
export function ModelsPage() {
  const session = useSignedIn();
  const models = useResource(() => api<{ data: DeploymentInfo[] }>('/model/info'), []);
  const [health, setHealth] = useState<Record<string, Health>>({});
  const [form, setForm] = useState<{ editing?: DeploymentInfo; serial: number }>();
  const action = useAction();
  const test = async (id: string) => {
    setHealth((previous) => ({ ...previous, [id]: { state: 'checking' } }));
    try {
      const report = await api<{ unhealthy_endpoints: Array<{ error?: string }> }>('/health', { query: { model_id: id } });
      const failure = report.unhealthy_endpoints[0];
      setHealth((previous) => ({ ...previous, [id]: failure ? { state: 'unhealthy', error: failure.error ?? 'failed' } : { state: 'healthy' } }));
    } catch (error) {
      setHealth((previous) => ({ ...previous, [id]: { state: 'unhealthy', error: error instanceof Error ? error.message : String(error) } }));
    }
  };
  const healthBadge = (id: string) => {
    const state = health[id];
    if (!state) return <Text size="xs" c="dimmed">not tested</Text>;
    if (state.state === 'checking') return <Badge variant="dot" miw={80} color="gray">checking</Badge>;
    if (state.state === 'healthy') return <Badge variant="dot" miw={80} color="green">healthy</Badge>;
    return <Badge variant="dot" miw={80} color="red" title={state.error}>unhealthy: {state.error.slice(0, 60)}</Badge>;
  };
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Models
        </Title>
        {session.is_proxy_admin && <Button onClick={() => setForm({ serial: Date.now() })}>Add model</Button>}
      </Group>
      <ActionError error={action.error} onClose={action.clear} />
      <ResourceView resource={models} empty="No models are configured." isEmpty={(data) => data.data.length === 0}>
        {(data) => (
          <DataTable
            caption="Model deployments"
            rows={data.data}
            rowKey={(model) => model.model_info.id}
            columns={[
              { header: 'Model', render: (model) => <Text size="sm" fw={500}>{model.model_name}</Text> },
              { header: 'Provider model', render: (model) => <Text size="sm" ff="monospace">{model.litellm_params.model}</Text> },
              { header: 'Source', render: (model) => (model.model_info.db_model ? <Badge variant="light">database</Badge> : <Badge variant="outline">config</Badge>) },
              { header: 'Input / 1M tokens', render: (model) => perMillion(model.model_info.input_cost_per_token) },
              { header: 'Output / 1M tokens', render: (model) => perMillion(model.model_info.output_cost_per_token) },
              { header: 'Health', render: (model) => healthBadge(model.model_info.id) },
              {
                header: 'Actions',
                render: (model) => (
                  <Group gap={4} wrap="nowrap">
                    <Button size="xs" variant="subtle" onClick={() => void test(model.model_info.id)} aria-label={`Test ${model.model_name} (${model.model_info.id})`}>
                      Test
                    </Button>
                    {session.is_proxy_admin && model.model_info.db_model && (
                      <>
                        <Button size="xs" variant="subtle" onClick={() => setForm({ editing: model, serial: Date.now() })}>Edit</Button>
                        <ConfirmButton label="Delete" question={`Delete the stored model ${model.model_name}?`} onConfirm={async () => void (await action.run(async () => { await post('/model/delete', { id: model.model_info.id }); models.reload(); }))} />
                      </>
                    )}
                  </Group>
                ),
              },
            ]}
          />
        )}
      </ResourceView>
      {form && <ModelForm key={form.serial} editing={form.editing} onClose={() => setForm(undefined)} onSaved={models.reload} />}
    </Stack>
  );
}
