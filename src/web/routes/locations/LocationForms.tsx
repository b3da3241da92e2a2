import { Alert, Button, Group, NumberInput, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LOCATION_KINDS } from '../../../shared/schemas/assets.js';
import { createLocation, getLocation, type Location, updateLocation } from '../../api/assets.js';
import { isApiError } from '../../api/client.js';
import { LocationSelect } from '../../components/AssetPickers.js';
import { ConflictAlert } from '../../components/ConflictAlert.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { FormSkeleton } from '../../components/FormSkeleton.js';
import { OrgSelect } from '../../components/Pickers.js';
import { useVersionedEdit } from '../../components/useVersionedEdit.js';

export type LocationKind = (typeof LOCATION_KINDS)[number];

/** What may go inside each kind (the server holds the same rule and says so with location.bad_parent). */
export const CHILD_KINDS: Record<LocationKind, LocationKind[]> = {
  site: ['building'],
  building: ['floor', 'room'],
  floor: ['room'],
  room: ['rack'],
  rack: [],
};

const FIELDS = ['orgId', 'parentId', 'kind', 'name', 'address', 'rackUnits'] as const;

/** The server's error, plus the parents it would accept when the place was wrong. */
export function LocationError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const allowed =
    isApiError(error, 'location.bad_parent') && Array.isArray(error.problem.allowedParentKinds)
      ? (error.problem.allowedParentKinds as string[])
      : null;
  return (
    <>
      <ErrorAlert error={error} fields={FIELDS} />
      {allowed && (
        <Alert color="yellow" variant="light">
          {t('locations.allowedParents', {
            list: allowed
              .map((k) =>
                k === 'root' ? t('locations.root') : t(`locations.kinds.${k}`, { defaultValue: k }),
              )
              .join(', '),
          })}
        </Alert>
      )}
    </>
  );
}

export function CreateLocationForm({
  parent,
  defaultOrgId,
  onDone,
}: {
  parent: Location | null;
  defaultOrgId: string | null;
  onDone: (location: Location) => void;
}) {
  const { t } = useTranslation();
  const kinds: LocationKind[] = parent ? CHILD_KINDS[parent.kind] : ['site'];
  const [orgId, setOrgId] = useState<string | null>(parent?.orgId ?? defaultOrgId);
  const [kind, setKind] = useState<LocationKind>(kinds[0] ?? 'site');
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const [rackUnits, setRackUnits] = useState<number | null>(null);
  const create = useMutation({
    mutationFn: () =>
      createLocation({
        orgId: orgId ?? '',
        parentId: parent?.id ?? null,
        kind,
        name,
        address: address.trim() || null,
        rackUnits: kind === 'rack' ? rackUnits : null,
      }),
    onSuccess: (location) => {
      notifications.show({ color: 'teal', message: t('locations.created') });
      onDone(location);
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
        <LocationError error={err} />
        {!parent && (
          <OrgSelect
            label={t('locations.org')}
            value={orgId}
            onChange={setOrgId}
            required
            error={fieldError(err, 'orgId')}
          />
        )}
        <Select
          label={t('locations.kind')}
          data={kinds.map((k) => ({ value: k, label: t(`locations.kinds.${k}`) }))}
          value={kind}
          onChange={(v) => setKind((v as LocationKind | null) ?? kind)}
          allowDeselect={false}
          error={fieldError(err, 'kind')}
          comboboxProps={{ withinPortal: true }}
        />
        <TextInput
          label={t('locations.name')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          required
          data-autofocus
          error={fieldError(err, 'name')}
        />
        {kind === 'site' && (
          <Textarea
            label={t('locations.address')}
            value={address}
            onChange={(e) => setAddress(e.currentTarget.value)}
            autosize
            error={fieldError(err, 'address')}
          />
        )}
        {kind === 'rack' && (
          <NumberInput
            label={t('locations.rackUnits')}
            value={rackUnits ?? ''}
            onChange={(v) => setRackUnits(typeof v === 'number' ? v : null)}
            min={1}
            max={60}
            error={fieldError(err, 'rackUnits')}
          />
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={create.isPending} disabled={!orgId || !name.trim()}>
            {t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

type EditValues = { name: string; address: string; rackUnits: number | null; parentId: string | null };

/** Rename (name, address, height) or move (parent) one location, with If-Match. */
export function EditLocationForm({
  locationId,
  mode,
  onDone,
}: {
  locationId: string;
  mode: 'edit' | 'move';
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [values, setValues] = useState<EditValues>({
    name: '',
    address: '',
    rackUnits: null,
    parentId: null,
  });
  const [record, setRecord] = useState<Location | null>(null);
  const set = (v: Partial<EditValues>) => setValues((old) => ({ ...old, ...v }));
  const edit = useVersionedEdit({
    queryKey: ['location', locationId, 'edit'],
    load: () => getLocation(locationId),
    save: (etag) =>
      updateLocation(
        locationId,
        mode === 'move'
          ? { parentId: values.parentId }
          : {
              name: values.name,
              address: values.address.trim() || null,
              rackUnits: record?.kind === 'rack' ? values.rackUnits : null,
            },
        etag,
      ),
    reset: (l: Location) => {
      setRecord(l);
      setValues({ name: l.name, address: l.address ?? '', rackUnits: l.rackUnits, parentId: l.parentId });
    },
    onSaved: () => {
      notifications.show({
        color: 'teal',
        message: mode === 'move' ? t('locations.moved') : t('common.saved'),
      });
      onDone();
    },
  });
  if (edit.record.isError)
    return <ErrorAlert error={edit.record.error} onRetry={() => void edit.record.refetch()} />;
  if (edit.record.isPending || !record) return <FormSkeleton fields={2} />;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    edit.mutation.mutate();
  };
  const err = edit.error;
  return (
    <form onSubmit={onSubmit}>
      <Stack>
        <ConflictAlert show={edit.conflict} />
        <LocationError error={err} />
        {mode === 'move' ? (
          <LocationSelect
            label={t('locations.moveTo')}
            orgId={record.orgId}
            value={values.parentId}
            onChange={(parentId) => set({ parentId })}
            placeholder={t('locations.root')}
            error={fieldError(err, 'parentId')}
          />
        ) : (
          <>
            <TextInput
              label={t('locations.name')}
              value={values.name}
              onChange={(e) => set({ name: e.currentTarget.value })}
              required
              data-autofocus
              error={fieldError(err, 'name')}
            />
            <Textarea
              label={t('locations.address')}
              value={values.address}
              onChange={(e) => set({ address: e.currentTarget.value })}
              autosize
              error={fieldError(err, 'address')}
            />
            {record.kind === 'rack' && (
              <NumberInput
                label={t('locations.rackUnits')}
                value={values.rackUnits ?? ''}
                onChange={(v) => set({ rackUnits: typeof v === 'number' ? v : null })}
                min={1}
                max={60}
                error={fieldError(err, 'rackUnits')}
              />
            )}
          </>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={edit.mutation.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
