import {
  Anchor,
  Button,
  Checkbox,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ASSET_STATUSES, type AssetStatus } from '../../../shared/schemas/assets.js';
import { type Asset, assetExportCsv, listAssets } from '../../api/assets.js';
import { AppModal } from '../../components/AppModal.js';
import {
  AssetTypeSelect,
  LocationSelect,
  StatusBadge,
  typeLabel,
  useAssetTypes,
} from '../../components/AssetPickers.js';
import { errorMessage } from '../../components/errors.js';
import { type Column, PagedTable, usePagedQuery } from '../../components/PagedTable.js';
import { OrgSelect, UserSelect } from '../../components/Pickers.js';
import { useLocationNames, useUserNames } from '../../components/useNames.js';
import { useCan, useSession } from '../../session/session.js';
import { BulkBar } from './AssetBulk.js';
import { CreateAssetForm } from './AssetForms.js';
import { SavedSearches } from './SavedSearches.js';

type Sort = 'name' | 'createdAt' | 'updatedAt';
const FILTERS = [
  'orgId',
  'typeId',
  'status',
  'locationId',
  'assignedUserId',
  'warrantyBefore',
  'sort',
  'order',
] as const;
type Filter = (typeof FILTERS)[number];

/** The fleet, searched and filtered on the server; the filters live in the address, so they can be linked. */
export function AssetsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { me } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [creating, setCreating] = useState(false);
  const get = (name: Filter) => params.get(name) ?? null;
  const setFilter = (name: Filter | 'q', value: string | null) =>
    setParams(
      (old) => {
        const next = new URLSearchParams(old);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );

  // biome-ignore lint/correctness/useExhaustiveDependencies: only the debounced text goes to the address.
  useEffect(() => {
    if ((params.get('q') ?? '') !== q) setFilter('q', q || null);
  }, [q]);

  const orgId = get('orgId');
  const sort = (get('sort') as Sort | null) ?? 'name';
  const order = get('order') === 'desc' ? 'desc' : 'asc';
  const filters = {
    q: q || undefined,
    orgId: orgId ?? undefined,
    typeId: get('typeId') ?? undefined,
    status: (get('status') as AssetStatus | null) ?? undefined,
    locationId: get('locationId') ?? undefined,
    assignedUserId: get('assignedUserId') ?? undefined,
    warrantyBefore: get('warrantyBefore') ?? undefined,
    sort,
    order,
  } as const;
  const query = usePagedQuery(['assets', 'list', filters], (cursor) => listAssets({ ...filters, cursor }));
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];
  const types = useAssetTypes(orgId);
  const locations = useLocationNames(rows.map((a) => a.locationId));
  const users = useUserNames(rows.map((a) => a.assignedUserId));

  // The selection: the assets themselves (names are needed to explain a refused bulk edit); a new
  // search starts a new selection.
  const [selection, setSelection] = useState<Map<string, Asset>>(new Map());
  const filterKey = JSON.stringify(filters);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the filters changing is the trigger.
  useEffect(() => setSelection(new Map()), [filterKey]);
  const toggle = (asset: Asset, on: boolean) =>
    setSelection((old) => {
      const next = new Map(old);
      if (on) next.set(asset.id, asset);
      else next.delete(asset.id);
      return next;
    });
  const allOnPage = rows.length > 0 && rows.every((a) => selection.has(a.id));
  const someOnPage = rows.some((a) => selection.has(a.id));
  const selected = useMemo(() => [...selection.values()], [selection]);
  const exportCsv = useMutation({
    mutationFn: () => assetExportCsv(filters),
    onSuccess: ({ blob, filename }) => {
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = filename;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    },
    onError: (err) => notifications.show({ color: 'red', message: errorMessage(t, err) }),
  });

  const columns: Column<Asset>[] = [
    {
      key: 'select',
      header: (
        <Checkbox
          aria-label={t('assets.selectPage')}
          checked={allOnPage}
          indeterminate={someOnPage && !allOnPage}
          onChange={(e) => {
            const on = e.currentTarget.checked;
            setSelection((old) => {
              const next = new Map(old);
              for (const a of rows) {
                if (on) next.set(a.id, a);
                else next.delete(a.id);
              }
              return next;
            });
          }}
        />
      ),
      render: (a) => (
        <Checkbox
          aria-label={t('assets.select', { name: a.name })}
          checked={selection.has(a.id)}
          onChange={(e) => toggle(a, e.currentTarget.checked)}
        />
      ),
    },
    {
      key: 'name',
      header: t('assets.name'),
      render: (a) => (
        <Anchor component={Link} to={`/assets/${a.id}`} fw={500}>
          {a.name}
        </Anchor>
      ),
    },
    { key: 'tag', header: t('assets.assetTag'), render: (a) => a.assetTag ?? '—' },
    { key: 'serial', header: t('assets.serial'), render: (a) => a.serial ?? '—' },
    {
      key: 'type',
      header: t('assets.type'),
      render: (a) => typeLabel(types.data?.find((x) => x.id === a.typeId)),
    },
    { key: 'status', header: t('assets.statusLabel'), render: (a) => <StatusBadge status={a.status} /> },
    {
      key: 'location',
      header: t('assets.location'),
      render: (a) =>
        a.locationId ? (
          <Text size="sm">{locations.get(a.locationId) ?? '…'}</Text>
        ) : (
          <Text c="dimmed">—</Text>
        ),
    },
    {
      key: 'assignee',
      header: t('assets.assignee'),
      render: (a) => (a.assignedUserId ? (users.get(a.assignedUserId) ?? '…') : <Text c="dimmed">—</Text>),
    },
  ];

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>{t('assets.title')}</Title>
        <Group gap="xs">
          <Button variant="default" onClick={() => exportCsv.mutate()} loading={exportCsv.isPending}>
            {t('assets.export')}
          </Button>
          {can('asset.manage') && (
            <Button component={Link} to="/assets/import" variant="default">
              {t('assets.import.open')}
            </Button>
          )}
          {can('asset.manage') && <Button onClick={() => setCreating(true)}>{t('assets.create')}</Button>}
        </Group>
      </Group>
      <SavedSearches
        params={params}
        defaultOrgId={orgId ?? me.memberships[0]?.orgId ?? null}
        onApply={(saved) => {
          // The text box follows the search picked, so its debounce does not put the old text back.
          setSearch(saved.q ?? '');
          setParams(new URLSearchParams(saved));
        }}
      />
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
        <TextInput
          label={t('common.search')}
          placeholder={t('assets.searchPlaceholder')}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          type="search"
        />
        <OrgSelect
          label={t('assets.org')}
          value={orgId}
          onChange={(v) => setFilter('orgId', v)}
          clearable
          placeholder={t('common.all')}
        />
        <AssetTypeSelect
          label={t('assets.type')}
          orgId={orgId}
          value={get('typeId')}
          onChange={(v) => setFilter('typeId', v)}
          placeholder={t('common.all')}
        />
        <Select
          label={t('assets.statusLabel')}
          placeholder={t('common.all')}
          data={ASSET_STATUSES.map((s) => ({ value: s, label: t(`assets.status.${s}`) }))}
          value={get('status')}
          onChange={(v) => setFilter('status', v)}
          clearable
        />
        <LocationSelect
          label={t('assets.location')}
          orgId={orgId}
          value={get('locationId')}
          onChange={(v) => setFilter('locationId', v)}
          placeholder={t('common.all')}
        />
        <UserSelect
          label={t('assets.assignee')}
          orgId={orgId}
          value={get('assignedUserId')}
          onChange={(v) => setFilter('assignedUserId', v)}
          placeholder={t('common.all')}
        />
        <TextInput
          label={t('assets.warrantyBefore')}
          type="date"
          value={get('warrantyBefore') ?? ''}
          onChange={(e) => setFilter('warrantyBefore', e.currentTarget.value || null)}
        />
        <Select
          label={t('assets.sort')}
          data={[
            { value: 'name', label: t('assets.sortName') },
            { value: 'createdAt', label: t('assets.sortCreated') },
            { value: 'updatedAt', label: t('assets.sortUpdated') },
          ]}
          value={sort}
          onChange={(v) => setFilter('sort', v === 'name' ? null : v)}
          allowDeselect={false}
        />
        <Select
          label={t('assets.order')}
          data={[
            { value: 'asc', label: t('users.asc') },
            { value: 'desc', label: t('users.desc') },
          ]}
          value={order}
          onChange={(v) => setFilter('order', v === 'desc' ? 'desc' : null)}
          allowDeselect={false}
        />
      </SimpleGrid>
      {selected.length > 0 && (
        <BulkBar selected={selected} canEdit={can('asset.manage')} onClear={() => setSelection(new Map())} />
      )}
      <PagedTable
        query={query}
        columns={columns}
        rowKey={(a) => a.id}
        caption={t('assets.title')}
        emptyText={t('assets.empty')}
        emptyAction={
          can('asset.manage') && (
            <Button variant="light" onClick={() => setCreating(true)}>
              {t('assets.create')}
            </Button>
          )
        }
      />
      <AppModal
        opened={creating}
        onClose={() => setCreating(false)}
        title={t('assets.create')}
        centered
        size="xl"
      >
        <CreateAssetForm
          defaultOrgId={orgId ?? me.memberships[0]?.orgId ?? null}
          defaultLocationId={get('locationId')}
          onDone={(asset) => {
            setCreating(false);
            void queryClient.invalidateQueries({ queryKey: ['assets'] });
            // A place's asset count and a rack's elevation include the new asset.
            void queryClient.invalidateQueries({ queryKey: ['location'] });
            void navigate(`/assets/${asset.id}`);
          }}
        />
      </AppModal>
    </Stack>
  );
}
