import { MultiSelect } from '@mantine/core';
import { api } from '../api/client';
import { useResource } from './page-state';

/** The model groups the signed-in key may use (an empty choice means every model the owner allows). */
export function useModelNames() {
  return useResource(async () => {
    const models = await api<{ data: Array<{ id: string }> }>('/v1/models');
    return models.data.map((model) => model.id).sort();
  }, []);
}

export function ModelSelect({ value, onChange, label = 'Models' }: { value: string[]; onChange: (value: string[]) => void; label?: string }) {
  const names = useModelNames();
  const options = [...new Set([...(names.data ?? []), ...value])];
  return <MultiSelect label={label} description="Empty: every model the owner allows" data={options} value={value} onChange={onChange} searchable clearable />;
}
