import { Button, Group, Select, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { WORK_ORDER_KINDS, type WorkOrderKind } from '../../../shared/schemas/workorders.js';
import { LocationSelect } from '../../components/AssetPickers.js';
import { ConflictAlert } from '../../components/ConflictAlert.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { FormSkeleton } from '../../components/FormSkeleton.js';
import { localInputToIso } from '../../components/format.js';
import { UserMultiSelect, UserSelect } from '../../components/Pickers.js';
import { useVersionedEdit } from '../../components/useVersionedEdit.js';
import { getWorkOrder, updateWorkOrder, type WorkOrderDetail } from './api.js';

/** An ISO instant as the value of <input type="datetime-local"> (the browser's local time). */
const toLocal = (iso: string | null) => {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

type Values = {
  kind: WorkOrderKind;
  title: string;
  description: string;
  locationId: string | null;
  earliestDate: string;
  latestDate: string;
  technicianId: string | null;
  start: string;
  end: string;
  users: string[];
};

/** The header of an open work order: what, where, when, who (If-Match; a concurrent change is reloaded). */
export function WorkOrderEdit({ wo, onDone }: { wo: WorkOrderDetail; onDone: () => void }) {
  const { t } = useTranslation();
  const [v, setValues] = useState<Values | null>(null);
  const set = (p: Partial<Values>) => setValues((old) => (old ? { ...old, ...p } : old));
  const edit = useVersionedEdit({
    queryKey: ['workorders', wo.id, 'edit'],
    load: () => getWorkOrder(wo.id),
    save: (etag) =>
      updateWorkOrder(
        wo.id,
        {
          kind: v?.kind,
          title: v?.title,
          description: v?.description,
          locationId: v?.locationId ?? undefined,
          earliestDate: v?.earliestDate || null,
          latestDate: v?.latestDate || null,
          technicianId: v?.technicianId ?? null,
          scheduledStart: localInputToIso(v?.start ?? '') ?? null,
          scheduledEnd: localInputToIso(v?.end ?? '') ?? null,
          affectedUserIds: v?.users,
        },
        etag,
      ),
    reset: (w: WorkOrderDetail) =>
      setValues({
        kind: w.kind,
        title: w.title,
        description: w.description,
        locationId: w.locationId,
        earliestDate: w.earliestDate ?? '',
        latestDate: w.latestDate ?? '',
        technicianId: w.technicianId,
        start: toLocal(w.scheduledStart),
        end: toLocal(w.scheduledEnd),
        users: w.affectedUserIds,
      }),
    onSaved: onDone,
  });
  if (!v) return <FormSkeleton fields={6} />;
  const err = edit.error;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    edit.mutation.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        <ConflictAlert show={edit.conflict} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('workorders.title')}
            value={v.title}
            onChange={(e) => set({ title: e.currentTarget.value })}
            required
            error={fieldError(err, 'title')}
          />
          <Select
            label={t('workorders.kind')}
            data={WORK_ORDER_KINDS.map((k) => ({ value: k, label: t(`workorders.kinds.${k}`) }))}
            value={v.kind}
            onChange={(k) => k && set({ kind: k as WorkOrderKind })}
            allowDeselect={false}
          />
          <LocationSelect
            label={t('workorders.location')}
            value={v.locationId}
            onChange={(x) => set({ locationId: x })}
            orgId={wo.orgId}
            required
            error={fieldError(err, 'locationId')}
          />
          <UserSelect
            label={t('workorders.technician')}
            orgId={wo.orgId}
            value={v.technicianId}
            onChange={(x) => set({ technicianId: x })}
            error={fieldError(err, 'technicianId')}
          />
          <TextInput
            type="date"
            label={t('workorders.earliestDate')}
            value={v.earliestDate}
            onChange={(e) => set({ earliestDate: e.currentTarget.value })}
            error={fieldError(err, 'earliestDate')}
          />
          <TextInput
            type="date"
            label={t('workorders.latestDate')}
            value={v.latestDate}
            onChange={(e) => set({ latestDate: e.currentTarget.value })}
            error={fieldError(err, 'latestDate')}
          />
          <TextInput
            type="datetime-local"
            label={t('workorders.scheduledStart')}
            value={v.start}
            onChange={(e) => set({ start: e.currentTarget.value })}
            error={fieldError(err, 'scheduledStart')}
          />
          <TextInput
            type="datetime-local"
            label={t('workorders.scheduledEnd')}
            value={v.end}
            onChange={(e) => set({ end: e.currentTarget.value })}
            error={fieldError(err, 'scheduledEnd')}
          />
        </SimpleGrid>
        <UserMultiSelect
          label={t('workorders.affectedUsers')}
          orgId={wo.orgId}
          value={v.users}
          onChange={(users) => set({ users })}
          error={fieldError(err, 'affectedUserIds')}
        />
        <Textarea
          label={t('workorders.description')}
          value={v.description}
          onChange={(e) => set({ description: e.currentTarget.value })}
          autosize
          minRows={2}
        />
        <ErrorAlert
          error={err}
          fields={[
            'title',
            'locationId',
            'technicianId',
            'earliestDate',
            'latestDate',
            'scheduledStart',
            'scheduledEnd',
            'affectedUserIds',
          ]}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={edit.mutation.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
