import { Badge, Button, Group, Stack, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { api, post } from '../../api/client';
import type { CustomerRow } from '../../api/types';
import { ConfirmButton } from '../../components/confirm-button';
import { DataTable } from '../../components/data-table';
import { FormModal } from '../../components/form-modal';
import { LimitInputs, limitBody, limitValues } from '../../components/limit-inputs';
import { ResourceView, useResource } from '../../components/page-state';
import { Pager } from '../../components/pager';
import { ActionError, useAction } from '../../components/use-action';
import { formatUsd } from '../../lib/format';

function CustomerForm({ editing, onClose, onSaved }: { editing?: CustomerRow; onClose: () => void; onSaved: () => void }) {
  const [userId, setUserId] = useState(editing?.user_id ?? '');
  const [alias, setAlias] = useState(editing?.alias ?? '');
  const [limits, setLimits] = useState(limitValues(editing));
  return (
    <FormModal
      title={editing ? `Edit customer ${editing.user_id}` : 'Create a customer'}
      submitLabel={editing ? 'Save' : 'Create customer'}
      onClose={onClose}
      onSubmit={async () => {
        await post(editing ? '/customer/update' : '/customer/new', { user_id: editing?.user_id ?? userId.trim(), alias: alias.trim() || null, ...limitBody(limits, editing ? 'update' : 'create') });
        onSaved();
      }}
    >
      <TextInput label="Customer id" description="The `user` field of requests" required value={userId} onChange={(event) => setUserId(event.currentTarget.value)} disabled={editing !== undefined} />
      <TextInput label="Alias" value={alias} onChange={(event) => setAlias(event.currentTarget.value)} />
      <LimitInputs values={limits} onChange={setLimits} />
    </FormModal>
  );
}

/** Customers (end users): proxy admins only, a page of 100 at a time from `/customer/list`. */
export function CustomersPage() {
  const [page, setPage] = useState(1);
  const customers = useResource(() => api<CustomerRow[]>('/customer/list', { query: { page, size: 100 } }), [page]);
  const [form, setForm] = useState<{ editing?: CustomerRow; serial: number }>();
  const action = useAction();
  const write = (path: string, body: unknown) => action.run(async () => {
    await post(path, body);
    customers.reload();
  });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Customers
        </Title>
        <Button onClick={() => setForm({ serial: Date.now() })}>Create customer</Button>
      </Group>
      <ActionError error={action.error} onClose={action.clear} />
      <ResourceView resource={customers} empty="No customers on this page." isEmpty={(data) => data.length === 0}>
        {(data) => (
          <>
            <DataTable
              caption="Customers"
              rows={data}
              rowKey={(customer) => customer.user_id}
              columns={[
                { header: 'Customer', render: (customer) => customer.user_id },
                { header: 'Alias', render: (customer) => customer.alias ?? '—' },
                { header: 'Spend / budget', render: (customer) => `${formatUsd(customer.spend)} / ${customer.max_budget === null ? 'no limit' : formatUsd(customer.max_budget)}` },
                { header: 'Status', render: (customer) => (customer.blocked ? <Badge variant="dot" miw={80} color="red">blocked</Badge> : <Badge variant="dot" miw={80} color="green">active</Badge>) },
                {
                  header: 'Actions',
                  render: (customer) => (
                    <Group gap={4} wrap="nowrap">
                      <Button size="xs" variant="subtle" onClick={() => setForm({ editing: customer, serial: Date.now() })}>Edit</Button>
                      <Button size="xs" variant="subtle" onClick={() => void write(customer.blocked ? '/customer/unblock' : '/customer/block', { user_ids: [customer.user_id] })}>{customer.blocked ? 'Unblock' : 'Block'}</Button>
                      <ConfirmButton label="Delete" question={`Delete customer ${customer.user_id}?`} onConfirm={async () => void (await write('/customer/delete', { user_ids: [customer.user_id] }))} />
                    </Group>
                  ),
                },
              ]}
            />
            <Pager page={page} totalPages={data.length === 100 ? page + 1 : page} total={(page - 1) * 100 + data.length} size={100} onPage={setPage} />
          </>
        )}
      </ResourceView>
      {form && <CustomerForm key={form.serial} editing={form.editing} onClose={() => setForm(undefined)} onSaved={customers.reload} />}
    </Stack>
  );
}
