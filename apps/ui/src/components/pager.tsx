import { Group, Pagination, Select, Text } from '@mantine/core';

/** Server-side paging: the page and size go to the route; only one page is ever loaded. */
export function Pager({ page, totalPages, total, size, onPage, onSize }: { page: number; totalPages: number; total: number; size: number; onPage: (page: number) => void; onSize?: (size: number) => void }) {
  return (
    <Group justify="space-between" mt="sm" wrap="wrap">
      <Text size="sm" c="dimmed">
        {total.toLocaleString('en-US')} in all
      </Text>
      <Group gap="xs">
        {onSize && (
          <Select
            aria-label="Rows per page"
            size="xs"
            w={90}
            data={['10', '25', '50', '100']}
            value={String(size)}
            onChange={(value) => value && onSize(Number(value))}
            allowDeselect={false}
          />
        )}
        <Pagination total={Math.max(totalPages, 1)} value={page} onChange={onPage} size="sm" getControlProps={(control) => ({ 'aria-label': `${control} page` })} />
      </Group>
    </Group>
  );
}
