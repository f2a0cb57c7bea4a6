import { NumberInput, PasswordInput, SimpleGrid, TextInput } from '@mantine/core';
import { useState } from 'react';
import { post } from '../../api/client';
import type { DeploymentInfo } from '../../api/types';
import { FormModal } from '../../components/form-modal';

const numberOrEmpty = (value: unknown): number | '' => (typeof value === 'number' ? value : typeof value === 'string' && value !== '' && !Number.isNaN(Number(value)) ? Number(value) : '');

/**
 * `/model/new` or `/model/update` for a database-stored deployment. The API key is write-only: the
 * field starts empty, and an empty field on edit keeps the stored (encrypted) key.
 */
export function ModelForm({ editing, onClose, onSaved }: { editing?: DeploymentInfo; onClose: () => void; onSaved: () => void }) {
  const params = editing?.litellm_params ?? { model: '' };
  const [name, setName] = useState(editing?.model_name ?? '');
  const [model, setModel] = useState(String(params.model ?? ''));
  const [apiBase, setApiBase] = useState(typeof params.api_base === 'string' ? params.api_base : '');
  const [apiKey, setApiKey] = useState('');
  const [inputCost, setInputCost] = useState<number | ''>(numberOrEmpty(params.input_cost_per_token));
  const [outputCost, setOutputCost] = useState<number | ''>(numberOrEmpty(params.output_cost_per_token));
  return (
    <FormModal
      title={editing ? `Edit ${editing.model_name}` : 'Add a model'}
      submitLabel={editing ? 'Save' : 'Add model'}
      onClose={onClose}
      onSubmit={async () => {
        const litellmParams: Record<string, unknown> = { model: model.trim() };
        if (apiBase.trim()) litellmParams.api_base = apiBase.trim();
        if (apiKey) litellmParams.api_key = apiKey;
        if (inputCost !== '') litellmParams.input_cost_per_token = inputCost;
        if (outputCost !== '') litellmParams.output_cost_per_token = outputCost;
        if (editing) await post('/model/update', { model_name: name.trim(), litellm_params: litellmParams, model_info: { id: editing.model_info.id } });
        else await post('/model/new', { model_name: name.trim(), litellm_params: litellmParams });
        onSaved();
      }}
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label="Model name" description="What clients send as `model`" required value={name} onChange={(event) => setName(event.currentTarget.value)} />
        <TextInput label="Provider model" description="<provider>/<model>, e.g. openai/gpt-4o" required value={model} onChange={(event) => setModel(event.currentTarget.value)} />
        <TextInput label="API base" value={apiBase} onChange={(event) => setApiBase(event.currentTarget.value)} />
        <PasswordInput
          label="API key"
          description={editing ? 'Write-only: empty keeps the stored key' : 'Or os.environ/NAME'}
          autoComplete="off"
          value={apiKey}
          onChange={(event) => setApiKey(event.currentTarget.value)}
        />
        <NumberInput label="Input cost per token (USD)" min={0} decimalScale={12} value={inputCost} onChange={(value) => setInputCost(value === '' ? '' : Number(value))} />
        <NumberInput label="Output cost per token (USD)" min={0} decimalScale={12} value={outputCost} onChange={(value) => setOutputCost(value === '' ? '' : Number(value))} />
      </SimpleGrid>
    </FormModal>
  );
}
