import { Code, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type InventoryError, listInventoryErrors } from '../../api/inventory.js';
import { type Column, PagedTable, usePagedQuery } from '../../components/PagedTable.js';
import { RelativeTime } from '../../components/RelativeTime.js';

const mono = (value: string | null) => (
  <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
    {value ?? '—'}
  </Text>
);

/** Inventories Parc refused, newest first, with the reason the agent was given. */
export function ErrorsTab({ orgId }: { orgId: string | null }) {
  const { t } = useTranslation();
  const query = usePagedQuery(['inventory', 'errors', { orgId }], (cursor) =>
    listInventoryErrors({ orgId: orgId ?? undefined, cursor }),
  );
  const columns: Column<InventoryError>[] = [
    { key: 'at', header: t('inventory.errors.at'), render: (e) => <RelativeTime iso={e.at} /> },
    {
      key: 'reason',
      header: t('inventory.errors.reason'),
      render: (e) => (
        <Stack gap={0}>
          <Text size="sm" fw={500}>
            {e.message}
          </Text>
          <Text size="xs" c="dimmed" ff="monospace">
            {e.reason}
          </Text>
        </Stack>
      ),
    },
    { key: 'device', header: t('inventory.errors.deviceId'), render: (e) => mono(e.deviceId) },
    { key: 'ip', header: t('inventory.errors.ip'), render: (e) => mono(e.ip) },
    { key: 'agent', header: t('inventory.errors.agent'), render: (e) => mono(e.agent) },
    {
      key: 'detail',
      header: t('inventory.errors.detail'),
      render: (e) =>
        e.detail ? (
          <Code block style={{ whiteSpace: 'pre-wrap', maxWidth: 420, maxHeight: 120, overflow: 'auto' }}>
            {e.detail}
          </Code>
        ) : (
          <Text c="dimmed">—</Text>
        ),
    },
  ];
  return (
    <PagedTable
      query={query}
      columns={columns}
      rowKey={(e) => e.id}
      caption={t('inventory.errors.caption')}
      emptyText={t('inventory.errors.empty')}
    />
  );
}
