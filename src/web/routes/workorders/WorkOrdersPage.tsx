import {
  Anchor,
  Badge,
  Button,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import {
  WORK_ORDER_KINDS,
  WORK_ORDER_SORTS,
  WORK_ORDER_STATUSES,
  type WorkOrderKind,
  type WorkOrderStatus,
} from '../../../shared/schemas/workorders.js';
import { AppModal } from '../../components/AppModal.js';
import { LocationSelect } from '../../components/AssetPickers.js';
import { formatDate, formatDateTime } from '../../components/format.js';
import { type Column, PagedTable, usePagedQuery } from '../../components/PagedTable.js';
import { OrgSelect, UserSelect } from '../../components/Pickers.js';
import { useCan, useSession } from '../../session/session.js';
import { listWorkOrders, type WorkOrder } from './api.js';
import { WorkOrderForm } from './WorkOrderForm.js';

export const WO_COLORS: Record<WorkOrderStatus, string> = {
  draft: 'gray',
  planned: 'blue',
  in_progress: 'yellow',
  done: 'teal',
  failed: 'red',
  cancelled: 'dark',
};

export function StatusBadge({ status }: { status: WorkOrderStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={WO_COLORS[status]} variant="light">
      {t(`workorders.status.${status}`)}
    </Badge>
  );
}

/** Work orders with filters, sorting and server pages; "late" and "mine" come from the dashboards' links. */
export function WorkOrdersPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { me } = useSession();
  const [params] = useSearchParams();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [orgId, setOrgId] = useState<string | null>(params.get('orgId'));
  const [status, setStatus] = useState<string | null>(params.get('status'));
  const [kind, setKind] = useState<string | null>(null);
  const [locationId, setLocationId] = useState<string | null>(null);
  const [technicianId, setTechnicianId] = useState<string | null>(params.get('mine') ? me.id : null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [sort, setSort] = useState<string>(params.get('mine') ? 'scheduled' : 'created');
  const [order, setOrder] = useState<string>(params.get('mine') ? 'asc' : 'desc');
  const [late, setLate] = useState(params.get('late') === 'true');
  const [creating, setCreating] = useState(false);
  const filters = {
    q: q || undefined,
    orgId: orgId ?? undefined,
    status: (status as WorkOrderStatus | null) ?? undefined,
    kind: (kind as WorkOrderKind | null) ?? undefined,
    locationId: locationId ?? undefined,
    technicianId: technicianId ?? undefined,
    from: from || undefined,
    to: to || undefined,
    late: late ? ('true' as const) : undefined,
    sort: sort as (typeof WORK_ORDER_SORTS)[number],
    order: order as 'asc' | 'desc',
  };
  const query = usePagedQuery(['workorders', 'list', filters], (cursor) =>
    listWorkOrders({ ...filters, cursor }),
  );

  const columns: Column<WorkOrder>[] = [
    {
      key: 'reference',
      header: t('workorders.reference'),
      render: (w) => (
        <Anchor component={Link} to={`/work-orders/${w.id}`}>
          {w.reference}
        </Anchor>
      ),
    },
    { key: 'title', header: t('workorders.title'), render: (w) => w.title },
    { key: 'kind', header: t('workorders.kind'), render: (w) => t(`workorders.kinds.${w.kind}`) },
    { key: 'status', header: t('workorders.statusLabel'), render: (w) => <StatusBadge status={w.status} /> },
    { key: 'location', header: t('workorders.location'), render: (w) => w.locationName },
    { key: 'technician', header: t('workorders.technician'), render: (w) => w.technicianName ?? '—' },
    {
      key: 'when',
      header: t('workorders.when'),
      render: (w) =>
        w.scheduledStart ? (
          formatDateTime(w.scheduledStart)
        ) : w.earliestDate || w.latestDate ? (
          <Text size="sm" c="dimmed">
            {formatDate(w.earliestDate)} → {formatDate(w.latestDate)}
          </Text>
        ) : (
          '—'
        ),
    },
  ];

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>{t('workorders.heading')}</Title>
        {can('workorder.manage') && (
          <Button onClick={() => setCreating(true)}>{t('workorders.create')}</Button>
        )}
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
        <TextInput
          label={t('common.search')}
          placeholder={t('workorders.searchPlaceholder')}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          type="search"
        />
        <OrgSelect
          label={t('workorders.org')}
          value={orgId}
          onChange={setOrgId}
          clearable
          placeholder={t('common.all')}
        />
        <Select
          label={t('workorders.statusLabel')}
          data={WORK_ORDER_STATUSES.map((s) => ({ value: s, label: t(`workorders.status.${s}`) }))}
          value={status}
          onChange={setStatus}
          clearable
          placeholder={t('common.all')}
        />
        <Select
          label={t('workorders.kind')}
          data={WORK_ORDER_KINDS.map((k) => ({ value: k, label: t(`workorders.kinds.${k}`) }))}
          value={kind}
          onChange={setKind}
          clearable
          placeholder={t('common.all')}
        />
        <LocationSelect
          label={t('workorders.location')}
          value={locationId}
          onChange={setLocationId}
          orgId={orgId}
          placeholder={t('common.all')}
        />
        <UserSelect
          label={t('workorders.technician')}
          orgId={orgId}
          value={technicianId}
          onChange={setTechnicianId}
        />
        <TextInput
          type="date"
          label={t('workorders.fromDate')}
          value={from}
          onChange={(e) => setFrom(e.currentTarget.value)}
        />
        <TextInput
          type="date"
          label={t('workorders.toDate')}
          value={to}
          onChange={(e) => setTo(e.currentTarget.value)}
        />
        <Group grow gap="xs" align="flex-end">
          <Select
            label={t('workorders.sort')}
            data={WORK_ORDER_SORTS.map((s) => ({ value: s, label: t(`workorders.sorts.${s}`) }))}
            value={sort}
            onChange={(v) => setSort(v ?? 'created')}
            allowDeselect={false}
          />
          <Select
            label={t('workorders.order')}
            data={[
              { value: 'asc', label: t('workorders.asc') },
              { value: 'desc', label: t('workorders.desc') },
            ]}
            value={order}
            onChange={(v) => setOrder(v ?? 'desc')}
            allowDeselect={false}
          />
        </Group>
      </SimpleGrid>
      {late && (
        <Group gap="xs">
          <Badge color="red" variant="light">
            {t('workorders.lateOnly')}
          </Badge>
          <Button size="compact-xs" variant="subtle" onClick={() => setLate(false)}>
            {t('workorders.clearLate')}
          </Button>
        </Group>
      )}
      <PagedTable
        query={query}
        columns={columns}
        rowKey={(w) => w.id}
        caption={t('workorders.heading')}
        emptyText={t('workorders.empty')}
        emptyAction={
          can('workorder.manage') ? (
            <Button variant="light" onClick={() => setCreating(true)}>
              {t('workorders.create')}
            </Button>
          ) : undefined
        }
      />
      <AppModal
        opened={creating}
        onClose={() => setCreating(false)}
        centered
        size="xl"
        title={t('workorders.create')}
      >
        {creating && <WorkOrderForm defaultOrgId={orgId} />}
      </AppModal>
    </Stack>
  );
}
