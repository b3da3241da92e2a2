import { Button, Group, Select, SimpleGrid, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AssetStatus } from '../../../shared/schemas/assets.js';
import { type Asset, createAsset, getAsset, updateAsset } from '../../api/assets.js';
import { ConflictAlert } from '../../components/ConflictAlert.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { FormSkeleton } from '../../components/FormSkeleton.js';
import { OrgSelect } from '../../components/Pickers.js';
import { useVersionedEdit } from '../../components/useVersionedEdit.js';
import {
  ASSET_FIELDS,
  AssetFields,
  type AssetValues,
  assetBody,
  assetValuesOf,
  DuplicateAlert,
  emptyAssetValues,
} from './AssetFields.js';

// A new asset starts in one of the first steps of its life; later ones are reached by status changes.
const INITIAL_STATUSES: AssetStatus[] = ['ordered', 'in_stock', 'deployed'];

export function CreateAssetForm({
  defaultOrgId,
  defaultLocationId,
  onDone,
}: {
  defaultOrgId: string | null;
  defaultLocationId?: string | null;
  onDone: (asset: Asset) => void;
}) {
  const { t } = useTranslation();
  const [orgId, setOrgId] = useState<string | null>(defaultOrgId);
  const [status, setStatus] = useState<AssetStatus>('in_stock');
  const [values, setValues] = useState<AssetValues>({
    ...emptyAssetValues(),
    locationId: defaultLocationId ?? null,
  });
  const set = (v: Partial<AssetValues>) => setValues((old) => ({ ...old, ...v }));
  const create = useMutation({
    mutationFn: () => createAsset({ ...assetBody(values), orgId: orgId ?? '', status }),
    onSuccess: (asset) => {
      notifications.show({ color: 'teal', message: t('assets.created') });
      onDone(asset);
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const err = create.error;
  return (
    <form onSubmit={onSubmit}>
      <Stack>
        <DuplicateAlert error={err} />
        <ErrorAlert error={err} fields={ASSET_FIELDS} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <OrgSelect
            label={t('assets.org')}
            value={orgId}
            onChange={(v) => {
              setOrgId(v);
              // Types, models, places and people belong to one organisation.
              setValues(emptyAssetValues());
            }}
            required
            error={fieldError(err, 'orgId')}
          />
          <Select
            label={t('assets.statusLabel')}
            data={INITIAL_STATUSES.map((s) => ({
              value: s,
              label: t(`assets.status.${s}`),
            }))}
            value={status}
            onChange={(v) => setStatus((v as AssetStatus | null) ?? 'in_stock')}
            allowDeselect={false}
            error={fieldError(err, 'status')}
          />
        </SimpleGrid>
        {orgId && <AssetFields orgId={orgId} values={values} set={set} error={err} />}
        <Group justify="flex-end">
          <Button
            type="submit"
            loading={create.isPending}
            disabled={!orgId || !values.typeId || !values.name.trim()}
          >
            {t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function EditAssetForm({ assetId, onDone }: { assetId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [orgId, setOrgId] = useState<string | null>(null);
  const [values, setValues] = useState<AssetValues>(emptyAssetValues());
  const set = (v: Partial<AssetValues>) => setValues((old) => ({ ...old, ...v }));
  const edit = useVersionedEdit({
    queryKey: ['asset', assetId, 'edit'],
    load: () => getAsset(assetId),
    save: (etag) => updateAsset(assetId, assetBody(values), etag),
    reset: (a: Asset) => {
      setOrgId(a.orgId);
      setValues(assetValuesOf(a));
    },
    onSaved: () => {
      notifications.show({ color: 'teal', message: t('common.saved') });
      onDone();
    },
  });
  if (edit.record.isError)
    return <ErrorAlert error={edit.record.error} onRetry={() => void edit.record.refetch()} />;
  if (edit.record.isPending || !orgId) return <FormSkeleton fields={6} />;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    edit.mutation.mutate();
  };
  const err = edit.error;
  return (
    <form onSubmit={onSubmit}>
      <Stack>
        <ConflictAlert show={edit.conflict} />
        <DuplicateAlert error={err} />
        <ErrorAlert error={err} fields={ASSET_FIELDS} />
        <AssetFields orgId={orgId} values={values} set={set} error={err} />
        <Group justify="flex-end">
          <Button type="submit" loading={edit.mutation.isPending} disabled={!values.name.trim()}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
