import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { formatDateTime } from '../../components/format.js';
import { type Column, PagedTable, usePagedQuery } from '../../components/PagedTable.js';
import { OrgSelect } from '../../components/Pickers.js';
import { useCan, useSession } from '../../session/session.js';
import { listSources, mapSource, type SecuritySource } from './api.js';

/** Log sources with their counters; an unknown syslog sender is mapped to an organisation here. */
export function SourcesTab() {
  const { t } = useTranslation();
  const query = usePagedQuery(['security', 'sources'], (cursor) => listSources({ cursor }));
  const columns: Column<SecuritySource>[] = [
    {
      key: 'name',
      header: t('security.source'),
      render: (s) => (
        <Group gap="xs">
          <Text size="sm">{s.name}</Text>
          {s.unknown && (
            <Badge color="orange" variant="light">
              {t('security.unknownSource')}
            </Badge>
          )}
        </Group>
      ),
    },
    { key: 'kind', header: t('security.kind'), render: (s) => s.kind },
    { key: 'ip', header: t('security.srcIp'), render: (s) => s.ip ?? '—' },
    { key: 'received', header: t('security.received'), render: (s) => s.counters.received },
    { key: 'stored', header: t('security.stored'), render: (s) => s.counters.stored },
    {
      key: 'rejected',
      header: t('security.rejected'),
      render: (s) =>
        Object.entries({ ...s.counters.rejected, ...s.counters.dropped })
          .map(([k, n]) => `${k}: ${n}`)
          .join(', ') || '—',
    },
    { key: 'seen', header: t('security.lastSeen'), render: (s) => formatDateTime(s.lastSeenAt) },
  ];
  return (
    <PagedTable
      query={query}
      columns={columns}
      rowKey={(s) => s.id}
      caption={t('security.tabs.sources')}
      emptyText={t('security.emptySources')}
      expanded={(s) => (s.unknown ? <MapSource source={s} /> : null)}
    />
  );
}

function MapSource({ source }: { source: SecuritySource }) {
  const { t } = useTranslation();
  const can = useCan();
  const { me } = useSession();
  const [orgId, setOrgId] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const map = useMutation({
    mutationFn: () => mapSource(source, orgId!),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['security', 'sources'] }),
  });
  if (!can('security.manage')) return null;
  return (
    <Stack gap="xs">
      <Group align="flex-end">
        <OrgSelect label={t('security.mapTo')} value={orgId} onChange={setOrgId} only={me.memberships} />
        <Button onClick={() => map.mutate()} disabled={!orgId} loading={map.isPending}>
          {t('security.map')}
        </Button>
      </Group>
      <ErrorAlert error={map.error} />
    </Stack>
  );
}
