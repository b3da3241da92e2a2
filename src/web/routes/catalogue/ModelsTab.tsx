import {
  Button,
  Group,
  List,
  Menu,
  NumberInput,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createModel, deleteModel, getModel, listModels, type Model, updateModel } from '../../api/assets.js';
import { ApiError } from '../../api/client.js';
import { AppModal } from '../../components/AppModal.js';
import { AssetTypeSelect, PartySelect, typeLabel, useAssetTypes } from '../../components/AssetPickers.js';
import { ConfirmModal } from '../../components/ConfirmModal.js';
import { ConflictAlert } from '../../components/ConflictAlert.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { FormSkeleton } from '../../components/FormSkeleton.js';
import { type Column, PagedTable, usePagedQuery } from '../../components/PagedTable.js';
import { OrgSelect } from '../../components/Pickers.js';
import { useVersionedEdit } from '../../components/useVersionedEdit.js';
import { useCan, useSession } from '../../session/session.js';

type Dialog = { kind: 'create' } | { kind: 'edit' | 'delete'; model: Model } | null;
const FIELDS = [
  'orgId',
  'manufacturerId',
  'typeId',
  'name',
  'partNumber',
  'lifetimeMonths',
  'powerWatts',
  'boxContents',
  'installSteps',
] as const;

export function ModelsTab() {
  const { t } = useTranslation();
  const can = useCan();
  const { me } = useSession();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [orgId, setOrgId] = useState<string | null>(null);
  const [manufacturerId, setManufacturerId] = useState<string | null>(null);
  const [typeId, setTypeId] = useState<string | null>(null);
  const filters = {
    q: q || undefined,
    orgId: orgId ?? undefined,
    manufacturerId: manufacturerId ?? undefined,
    typeId: typeId ?? undefined,
  };
  const query = usePagedQuery(['models', 'list', filters], (cursor) => listModels({ ...filters, cursor }));
  const types = useAssetTypes(orgId);
  const [dialog, setDialog] = useState<Dialog>(null);
  const close = () => setDialog(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['models'] });

  const remove = useMutation({
    mutationFn: async (model: Model) => {
      const { data, etag } = await getModel(model.id);
      if (data.version !== model.version) {
        throw new ApiError({ type: 'about:blank', title: '', status: 412, code: 'precondition.failed' });
      }
      await deleteModel(model.id, etag);
    },
    onSuccess: () => {
      close();
      notifications.show({ color: 'teal', message: t('catalogue.deleted') });
      refresh();
    },
    onError: (err) => {
      if (err instanceof ApiError && err.status === 412) refresh();
    },
  });

  const columns: Column<Model>[] = [
    {
      key: 'name',
      header: t('catalogue.name'),
      render: (m) => (
        <div>
          <Text fw={500}>{m.name}</Text>
          <Text size="sm" c="dimmed">
            {m.manufacturerName}
            {m.partNumber ? ` · ${m.partNumber}` : ''}
          </Text>
        </div>
      ),
    },
    {
      key: 'type',
      header: t('catalogue.type'),
      render: (m) => typeLabel(types.data?.find((x) => x.id === m.typeId)),
    },
    {
      key: 'lifetime',
      header: t('catalogue.lifetimeShort'),
      render: (m) => (m.lifetimeMonths ? t('catalogue.months', { count: m.lifetimeMonths }) : '—'),
    },
    {
      key: 'power',
      header: t('catalogue.powerShort'),
      render: (m) => (m.powerWatts !== null ? t('catalogue.watts', { value: m.powerWatts }) : '—'),
    },
    {
      key: 'box',
      header: t('catalogue.boxContents'),
      render: (m) =>
        m.boxContents.length > 0 ? (
          <List size="sm">
            {m.boxContents.map((item) => (
              <List.Item key={item}>{item}</List.Item>
            ))}
          </List>
        ) : (
          '—'
        ),
    },
    {
      key: 'actions',
      header: t('common.actions'),
      render: (m) =>
        can('catalogue.manage', { orgId: m.orgId }) && (
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <Button size="compact-sm" variant="subtle" aria-label={`${t('common.actions')} ${m.name}`}>
                {t('common.actions')}
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item onClick={() => setDialog({ kind: 'edit', model: m })}>{t('common.edit')}</Menu.Item>
              <Menu.Item color="red" onClick={() => setDialog({ kind: 'delete', model: m })}>
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
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} style={{ flex: 1 }}>
          <TextInput
            label={t('common.search')}
            placeholder={t('catalogue.searchPlaceholder')}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            type="search"
          />
          <OrgSelect
            label={t('catalogue.org')}
            value={orgId}
            onChange={setOrgId}
            clearable
            placeholder={t('common.all')}
          />
          <PartySelect
            kind="manufacturers"
            label={t('catalogue.manufacturer')}
            orgId={orgId}
            value={manufacturerId}
            onChange={setManufacturerId}
            placeholder={t('common.all')}
          />
          <AssetTypeSelect
            label={t('catalogue.type')}
            orgId={orgId}
            value={typeId}
            onChange={setTypeId}
            placeholder={t('common.all')}
          />
        </SimpleGrid>
        {can('catalogue.manage') && (
          <Button onClick={() => setDialog({ kind: 'create' })}>{t('catalogue.createModel')}</Button>
        )}
      </Group>
      <PagedTable
        query={query}
        columns={columns}
        rowKey={(m) => m.id}
        caption={t('catalogue.models')}
        emptyText={t('catalogue.emptyModels')}
      />
      <AppModal
        opened={dialog?.kind === 'create' || dialog?.kind === 'edit'}
        onClose={close}
        title={dialog?.kind === 'edit' ? t('catalogue.editModel') : t('catalogue.createModel')}
        centered
        size="lg"
      >
        {(dialog?.kind === 'create' || dialog?.kind === 'edit') && (
          <ModelForm
            model={dialog.kind === 'edit' ? dialog.model : null}
            defaultOrgId={orgId ?? me.memberships[0]?.orgId ?? null}
            onDone={() => {
              close();
              refresh();
            }}
          />
        )}
      </AppModal>
      <ConfirmModal
        opened={dialog?.kind === 'delete'}
        title={t('common.delete')}
        message={dialog?.kind === 'delete' ? t('catalogue.deleteConfirm', { name: dialog.model.name }) : ''}
        confirmLabel={t('common.delete')}
        danger
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() => dialog?.kind === 'delete' && remove.mutate(dialog.model)}
        onClose={() => {
          close();
          remove.reset();
        }}
      />
    </Stack>
  );
}

type Values = {
  manufacturerId: string | null;
  typeId: string | null;
  name: string;
  partNumber: string;
  lifetimeMonths: number | null;
  powerWatts: number | null;
  boxContents: string;
  installSteps: string;
};
const EMPTY: Values = {
  manufacturerId: null,
  typeId: null,
  name: '',
  partNumber: '',
  lifetimeMonths: null,
  powerWatts: null,
  boxContents: '',
  installSteps: '',
};
const bodyOf = (v: Values) => ({
  manufacturerId: v.manufacturerId ?? '',
  typeId: v.typeId ?? '',
  name: v.name,
  partNumber: v.partNumber.trim() || null,
  lifetimeMonths: v.lifetimeMonths,
  powerWatts: v.powerWatts,
  boxContents: v.boxContents
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean),
  installSteps: v.installSteps
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean),
});

function ModelForm({
  model,
  defaultOrgId,
  onDone,
}: {
  model: Model | null;
  defaultOrgId: string | null;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [orgId, setOrgId] = useState<string | null>(model?.orgId ?? defaultOrgId);
  const [values, setValues] = useState<Values>(EMPTY);
  const set = (v: Partial<Values>) => setValues((old) => ({ ...old, ...v }));
  const create = useMutation({
    mutationFn: () => createModel({ orgId: orgId ?? '', ...bodyOf(values) }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('catalogue.created') });
      onDone();
    },
  });
  const edit = useVersionedEdit({
    queryKey: ['models', model?.id, 'edit'],
    load: () => getModel(model?.id ?? ''),
    save: (etag) => updateModel(model?.id ?? '', bodyOf(values), etag),
    reset: (m: Model) =>
      setValues({
        manufacturerId: m.manufacturerId,
        typeId: m.typeId,
        name: m.name,
        partNumber: m.partNumber ?? '',
        lifetimeMonths: m.lifetimeMonths,
        powerWatts: m.powerWatts,
        boxContents: m.boxContents.join('\n'),
        installSteps: m.installSteps.join('\n'),
      }),
    onSaved: () => {
      notifications.show({ color: 'teal', message: t('common.saved') });
      onDone();
    },
    enabled: model !== null,
  });
  if (model && edit.record.isError)
    return <ErrorAlert error={edit.record.error} onRetry={() => void edit.record.refetch()} />;
  if (model && edit.record.isPending) return <FormSkeleton fields={5} />;
  const err = model ? edit.error : create.error;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (model) edit.mutation.mutate();
    else create.mutate();
  };
  return (
    <form onSubmit={onSubmit}>
      <Stack>
        <ConflictAlert show={edit.conflict} />
        <ErrorAlert error={err} fields={FIELDS} />
        {!model && (
          <OrgSelect
            label={t('catalogue.org')}
            value={orgId}
            onChange={(v) => {
              setOrgId(v);
              setValues(EMPTY);
            }}
            required
            error={fieldError(err, 'orgId')}
          />
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <PartySelect
            kind="manufacturers"
            label={t('catalogue.manufacturer')}
            orgId={orgId}
            value={values.manufacturerId}
            onChange={(manufacturerId) => set({ manufacturerId })}
            required
            error={fieldError(err, 'manufacturerId')}
          />
          <AssetTypeSelect
            label={t('catalogue.type')}
            orgId={orgId}
            value={values.typeId}
            onChange={(typeId) => set({ typeId })}
            required
            error={fieldError(err, 'typeId')}
          />
          <TextInput
            label={t('catalogue.name')}
            value={values.name}
            onChange={(e) => set({ name: e.currentTarget.value })}
            required
            error={fieldError(err, 'name')}
          />
          <TextInput
            label={t('catalogue.partNumber')}
            value={values.partNumber}
            onChange={(e) => set({ partNumber: e.currentTarget.value })}
            error={fieldError(err, 'partNumber')}
          />
          <NumberInput
            label={t('catalogue.lifetime')}
            value={values.lifetimeMonths ?? ''}
            onChange={(v) => set({ lifetimeMonths: typeof v === 'number' ? v : null })}
            min={1}
            max={600}
            allowDecimal={false}
            error={fieldError(err, 'lifetimeMonths')}
          />
          <NumberInput
            label={t('catalogue.power')}
            value={values.powerWatts ?? ''}
            onChange={(v) => set({ powerWatts: typeof v === 'number' ? v : null })}
            min={0}
            max={100_000}
            error={fieldError(err, 'powerWatts')}
          />
        </SimpleGrid>
        <Textarea
          label={t('catalogue.boxContents')}
          description={t('catalogue.boxContentsHelp')}
          value={values.boxContents}
          onChange={(e) => set({ boxContents: e.currentTarget.value })}
          autosize
          minRows={3}
          error={fieldError(err, 'boxContents')}
        />
        <Textarea
          label={t('catalogue.installSteps')}
          description={t('catalogue.installStepsHelp')}
          value={values.installSteps}
          onChange={(e) => set({ installSteps: e.currentTarget.value })}
          autosize
          minRows={2}
          error={fieldError(err, 'installSteps')}
        />
        <Group justify="flex-end">
          <Button
            type="submit"
            loading={model ? edit.mutation.isPending : create.isPending}
            disabled={!values.name.trim() || !values.manufacturerId || !values.typeId || !orgId}
          >
            {model ? t('common.save') : t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
