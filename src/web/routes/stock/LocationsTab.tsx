import { Button, Group, Menu, SegmentedControl, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { STOCK_LOCATION_KINDS } from '../../../shared/schemas/stock.js';
import { ApiError } from '../../api/client.js';
import { AppModal } from '../../components/AppModal.js';
import { LocationSelect } from '../../components/AssetPickers.js';
import { ConfirmItemModal } from '../../components/ConfirmModal.js';
import { ConflictAlert } from '../../components/ConflictAlert.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { FormSkeleton } from '../../components/FormSkeleton.js';
import { type Column, PagedTable, usePagedQuery } from '../../components/PagedTable.js';
import { OrgSelect } from '../../components/Pickers.js';
import { useVersionedEdit } from '../../components/useVersionedEdit.js';
import { useCan, useSession } from '../../session/session.js';
import {
  createStockLocation,
  deleteStockLocation,
  getStockLocation,
  listStockLocations,
  type StockLocation,
  updateStockLocation,
} from './api.js';

type Kind = (typeof STOCK_LOCATION_KINDS)[number];
const FIELDS = ['orgId', 'locationId', 'kind', 'name', 'notes'];

/** Store rooms and cabinets, each in a place of the CMDB's locations tree. */
export function LocationsTab() {
  const { t } = useTranslation();
  const can = useCan();
  const { me } = useSession();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [orgId, setOrgId] = useState<string | null>(null);
  const filters = { q: q || undefined, orgId: orgId ?? undefined };
  const query = usePagedQuery(['stock', 'locations', filters], (cursor) =>
    listStockLocations({ ...filters, cursor }),
  );
  const [editing, setEditing] = useState<StockLocation | 'new' | null>(null);
  const [removing, setRemoving] = useState<StockLocation | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['stock'] });
  const remove = useMutation({
    mutationFn: async (l: StockLocation) => {
      const { data, etag } = await getStockLocation(l.id);
      if (data.version !== l.version)
        throw new ApiError({ type: 'about:blank', title: '', status: 412, code: 'precondition.failed' });
      await deleteStockLocation(l.id, etag);
    },
    onSuccess: () => {
      setRemoving(null);
      notifications.show({ color: 'teal', message: t('stock.locationDeleted') });
      refresh();
    },
  });

  const columns: Column<StockLocation>[] = [
    { key: 'name', header: t('stock.locationName'), render: (l) => l.name },
    { key: 'kind', header: t('stock.locationKind'), render: (l) => t(`stock.locationKinds.${l.kind}`) },
    { key: 'place', header: t('stock.cmdbLocation'), render: (l) => l.locationPath || '—' },
    {
      key: 'actions',
      header: t('common.actions'),
      render: (l) =>
        can('stock.manage', { orgId: l.orgId }) && (
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <Button size="compact-sm" variant="subtle" aria-label={`${t('common.actions')} ${l.name}`}>
                {t('common.actions')}
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item onClick={() => setEditing(l)}>{t('common.edit')}</Menu.Item>
              <Menu.Item color="red" onClick={() => setRemoving(l)}>
                {t('common.delete')}
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        ),
    },
  ];

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <SimpleGrid cols={{ base: 1, sm: 2 }} style={{ flex: 1 }}>
          <TextInput
            label={t('common.search')}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            type="search"
          />
          <OrgSelect
            label={t('stock.org')}
            value={orgId}
            onChange={setOrgId}
            clearable
            placeholder={t('common.all')}
          />
        </SimpleGrid>
        {can('stock.manage') && (
          <Button onClick={() => setEditing('new')}>{t('stock.createLocation')}</Button>
        )}
      </Group>
      <PagedTable
        query={query}
        columns={columns}
        rowKey={(l) => l.id}
        caption={t('stock.tabs.locations')}
        emptyText={t('stock.emptyLocations')}
      />
      <AppModal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        centered
        title={editing === 'new' ? t('stock.createLocation') : t('stock.editLocation')}
      >
        {editing && (
          <LocationForm
            location={editing === 'new' ? null : editing}
            defaultOrgId={orgId ?? me.memberships[0]?.orgId ?? null}
            onDone={() => {
              setEditing(null);
              refresh();
            }}
          />
        )}
      </AppModal>
      <ConfirmItemModal
        item={removing}
        onClose={() => setRemoving(null)}
        mutation={remove}
        run={(l) => remove.mutate(l)}
        title={t('common.delete')}
        message={removing ? t('stock.deleteLocationConfirm', { name: removing.name }) : ''}
        confirmLabel={t('common.delete')}
        danger
      />
    </Stack>
  );
}

type Values = { locationId: string | null; kind: Kind; name: string; notes: string };

function LocationForm({
  location,
  defaultOrgId,
  onDone,
}: {
  location: StockLocation | null;
  defaultOrgId: string | null;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [orgId, setOrgId] = useState<string | null>(location?.orgId ?? defaultOrgId);
  const [values, setValues] = useState<Values>({ locationId: null, kind: 'store_room', name: '', notes: '' });
  const set = (v: Partial<Values>) => setValues((old) => ({ ...old, ...v }));
  const body = () => ({ ...values, locationId: values.locationId ?? '' });
  const create = useMutation({
    mutationFn: () => createStockLocation({ orgId: orgId ?? '', ...body() }),
    onSuccess: onDone,
  });
  const edit = useVersionedEdit({
    queryKey: ['stock', 'location', location?.id, 'edit'],
    load: () => getStockLocation(location?.id ?? ''),
    save: (etag) => updateStockLocation(location?.id ?? '', body(), etag),
    reset: (l: StockLocation) =>
      setValues({ locationId: l.locationId, kind: l.kind, name: l.name, notes: l.notes }),
    onSaved: onDone,
    enabled: location !== null,
  });
  if (location && edit.record.isPending) return <FormSkeleton fields={3} />;
  const err = location ? edit.error : create.error;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (location) edit.mutation.mutate();
    else create.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        <ConflictAlert show={edit.conflict} />
        {!location && (
          <OrgSelect
            label={t('stock.org')}
            value={orgId}
            onChange={setOrgId}
            required
            error={fieldError(err, 'orgId')}
          />
        )}
        <TextInput
          label={t('stock.locationName')}
          value={values.name}
          onChange={(e) => set({ name: e.currentTarget.value })}
          required
          data-autofocus
          error={fieldError(err, 'name')}
        />
        <SegmentedControl
          value={values.kind}
          onChange={(v) => set({ kind: v as Kind })}
          data={STOCK_LOCATION_KINDS.map((k) => ({ value: k, label: t(`stock.locationKinds.${k}`) }))}
          aria-label={t('stock.locationKind')}
        />
        <LocationSelect
          orgId={orgId}
          label={t('stock.cmdbLocation')}
          description={t('stock.cmdbLocationHelp')}
          value={values.locationId}
          onChange={(v) => set({ locationId: v })}
          required
          error={fieldError(err, 'locationId')}
        />
        <Textarea
          label={t('stock.notes')}
          value={values.notes}
          onChange={(e) => set({ notes: e.currentTarget.value })}
          autosize
          minRows={2}
        />
        <ErrorAlert error={err} fields={FIELDS} />
        <Group justify="flex-end">
          <Button type="submit" loading={location ? edit.mutation.isPending : create.isPending}>
            {location ? t('common.save') : t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
