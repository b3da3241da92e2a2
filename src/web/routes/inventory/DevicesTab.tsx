import { Anchor, Badge, Button, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { type Device, type FleetStats, listDevices } from '../../api/inventory.js';
import { type Column, PagedTable, usePagedQuery } from '../../components/PagedTable.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { useOrgNames } from '../../components/useNames.js';
import type { InventoryFilter } from './InventoryPage.js';

/** The choices of "silent for at least N days". */
export const SILENT_CHOICES = ['7', '30', '90'] as const;
const DAY_MS = 24 * 3600_000;

type Filters = { orgId: string | null; q: string | null; silentDays: number | null; agent: string | null };

/** How a device is doing: filed and reporting, silent for too long, or waiting for an organisation. */
export function deviceState(device: Device, silentDays: number, now = Date.now()) {
  if (device.status === 'pending') return 'pending' as const;
  return now - Date.parse(device.lastContactAt) > silentDays * DAY_MS
    ? ('silent' as const)
    : ('active' as const);
}
const STATE_COLORS = { active: 'teal', silent: 'orange', pending: 'blue' } as const;

export function DeviceStateBadge({ device, silentDays }: { device: Device; silentDays: number }) {
  const { t } = useTranslation();
  const state = deviceState(device, silentDays);
  return (
    <Badge variant="light" color={STATE_COLORS[state]}>
      {t(`inventory.devices.states.${state}`)}
    </Badge>
  );
}

/** The devices the agents report, last contact first, filtered on the server. */
export function DevicesTab({
  filters,
  agents,
  silentThreshold,
  onFilter,
  onEnrol,
}: {
  filters: Filters;
  agents: FleetStats['agents'];
  silentThreshold: number;
  onFilter: (name: InventoryFilter, value: string | null) => void;
  onEnrol?: (() => void) | undefined;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState(filters.q ?? '');
  const [q] = useDebouncedValue(search.trim(), 300);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the debounced text goes to the address.
  useEffect(() => {
    if ((filters.q ?? '') !== q) onFilter('q', q || null);
  }, [q]);

  const serverFilters = {
    orgId: filters.orgId ?? undefined,
    q: filters.q ?? undefined,
    silentDays: filters.silentDays ?? undefined,
    agent: filters.agent ?? undefined,
  };
  const query = usePagedQuery(['inventory', 'devices', 'list', serverFilters], (cursor) =>
    listDevices({ ...serverFilters, cursor }),
  );
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];
  const orgs = useOrgNames(rows.map((d) => d.orgId));
  const agentOptions = agents
    .filter((a): a is { agentVersion: string; count: number } => a.agentVersion !== null)
    .map((a) => ({ value: a.agentVersion, label: `${a.agentVersion} (${a.count})` }));
  if (filters.agent && !agentOptions.some((o) => o.value === filters.agent)) {
    agentOptions.push({ value: filters.agent, label: filters.agent });
  }

  const columns: Column<Device>[] = [
    {
      key: 'hostname',
      header: t('inventory.devices.hostname'),
      render: (d) => {
        const name = d.hostname ?? d.deviceId;
        return d.assetId ? (
          <Anchor component={Link} to={`/assets/${d.assetId}`} fw={500}>
            {name}
          </Anchor>
        ) : (
          <Stack gap={0}>
            <Text fw={500}>{name}</Text>
            <Text size="xs" c="dimmed">
              {t('inventory.devices.noAsset')}
            </Text>
          </Stack>
        );
      },
    },
    {
      key: 'org',
      header: t('inventory.devices.org'),
      render: (d) => (d.orgId ? (orgs.get(d.orgId) ?? '…') : <Text c="dimmed">—</Text>),
    },
    {
      key: 'agent',
      header: t('inventory.devices.agent'),
      render: (d) => (
        <Text size="sm" ff="monospace">
          {d.agentVersion ?? '—'}
        </Text>
      ),
    },
    {
      key: 'lastContact',
      header: t('inventory.devices.lastContact'),
      render: (d) => <RelativeTime iso={d.lastContactAt} />,
    },
    {
      key: 'lastIp',
      header: t('inventory.devices.lastIp'),
      render: (d) => (
        <Text size="sm" ff="monospace">
          {d.lastIp ?? '—'}
        </Text>
      ),
    },
    {
      key: 'status',
      header: t('inventory.devices.status'),
      render: (d) => <DeviceStateBadge device={d} silentDays={silentThreshold} />,
    },
  ];

  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <TextInput
          label={t('common.search')}
          placeholder={t('inventory.devices.searchPlaceholder')}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          type="search"
        />
        <Select
          label={t('inventory.devices.silentFor')}
          placeholder={t('common.all')}
          data={SILENT_CHOICES.map((d) => ({
            value: d,
            label: t('inventory.devices.silentDays', { count: Number(d) }),
          }))}
          value={filters.silentDays ? String(filters.silentDays) : null}
          onChange={(v) => onFilter('silent', v)}
          clearable
        />
        <Select
          label={t('inventory.devices.agent')}
          placeholder={t('common.all')}
          data={agentOptions}
          value={filters.agent}
          onChange={(v) => onFilter('agent', v)}
          clearable
          searchable
          nothingFoundMessage={t('common.none')}
        />
      </SimpleGrid>
      <PagedTable
        query={query}
        columns={columns}
        rowKey={(d) => d.id}
        caption={t('inventory.devices.caption')}
        emptyText={t('inventory.devices.empty')}
        emptyAction={
          onEnrol && (
            <Button variant="light" onClick={onEnrol}>
              {t('inventory.devices.enrol')}
            </Button>
          )
        }
      />
    </Stack>
  );
}
