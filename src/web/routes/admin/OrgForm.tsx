import { Button, Group, Select, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createOrg, getOrg, type Organisation, updateOrg } from '../../api/orgs.js';
import { ConflictAlert } from '../../components/ConflictAlert.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { FormSkeleton } from '../../components/FormSkeleton.js';
import { useVersionedEdit } from '../../components/useVersionedEdit.js';

const FIELDS = ['name', 'slug', 'timeZone', 'locale'] as const;
type Values = { name: string; slug: string; timeZone: string; locale: 'fr' | 'en' };
const EMPTY: Values = { name: '', slug: '', timeZone: 'Europe/Paris', locale: 'fr' };

function timeZones(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? ['Europe/Paris', 'UTC'];
}

function OrgFields({
  values,
  set,
  error,
}: {
  values: Values;
  set: (v: Partial<Values>) => void;
  error: unknown;
}) {
  const { t } = useTranslation();
  const zones = useMemo(timeZones, []);
  return (
    <>
      <TextInput
        label={t('orgs.name')}
        value={values.name}
        onChange={(e) => set({ name: e.currentTarget.value })}
        required
        data-autofocus
        error={fieldError(error, 'name')}
      />
      <TextInput
        label={t('orgs.slug')}
        description={t('orgs.slugHelp')}
        value={values.slug}
        onChange={(e) => set({ slug: e.currentTarget.value })}
        required
        error={fieldError(error, 'slug')}
      />
      <Select
        label={t('orgs.timeZone')}
        data={zones}
        value={values.timeZone}
        onChange={(v) => set({ timeZone: v ?? 'Europe/Paris' })}
        searchable
        allowDeselect={false}
        error={fieldError(error, 'timeZone')}
      />
      <Select
        label={t('orgs.locale')}
        data={[
          { value: 'fr', label: t('language.fr') },
          { value: 'en', label: t('language.en') },
        ]}
        value={values.locale}
        onChange={(v) => set({ locale: v === 'en' ? 'en' : 'fr' })}
        allowDeselect={false}
        error={fieldError(error, 'locale')}
      />
    </>
  );
}

export function CreateOrgForm({ onDone }: { onDone: (org: Organisation) => void }) {
  const { t } = useTranslation();
  const [values, setValues] = useState<Values>(EMPTY);
  const create = useMutation({
    mutationFn: () => createOrg(values),
    onSuccess: (org) => {
      notifications.show({ color: 'teal', message: t('orgs.created') });
      onDone(org);
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={onSubmit}>
      <Stack>
        <ErrorAlert error={create.error} fields={FIELDS} />
        <OrgFields values={values} set={(v) => setValues((old) => ({ ...old, ...v }))} error={create.error} />
        <Group justify="flex-end">
          <Button type="submit" loading={create.isPending}>
            {t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function EditOrgForm({ orgId, onDone }: { orgId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [values, setValues] = useState<Values>(EMPTY);
  const edit = useVersionedEdit({
    queryKey: ['org', orgId],
    load: () => getOrg(orgId),
    save: (etag) => updateOrg(orgId, values, etag),
    reset: (org: Organisation) =>
      setValues({ name: org.name, slug: org.slug, timeZone: org.timeZone, locale: org.locale }),
    onSaved: () => {
      notifications.show({ color: 'teal', message: t('common.saved') });
      onDone();
    },
  });
  if (edit.record.isError)
    return <ErrorAlert error={edit.record.error} onRetry={() => void edit.record.refetch()} />;
  if (edit.record.isPending) return <FormSkeleton fields={4} />;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    edit.mutation.mutate();
  };
  return (
    <form onSubmit={onSubmit}>
      <Stack>
        <ConflictAlert show={edit.conflict} />
        <ErrorAlert error={edit.error} fields={FIELDS} />
        <OrgFields values={values} set={(v) => setValues((old) => ({ ...old, ...v }))} error={edit.error} />
        <Group justify="flex-end">
          <Button type="submit" loading={edit.mutation.isPending} disabled={edit.record.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
