import { Anchor, Button, Group, Menu, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  createParty,
  deleteParty,
  getParty,
  listParties,
  type Party,
  type PartyKind,
  updateParty,
} from '../../api/assets.js';
import { ApiError } from '../../api/client.js';
import { AppModal } from '../../components/AppModal.js';
import { ConfirmModal } from '../../components/ConfirmModal.js';
import { ConflictAlert } from '../../components/ConflictAlert.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { FormSkeleton } from '../../components/FormSkeleton.js';
import { type Column, PagedTable, usePagedQuery } from '../../components/PagedTable.js';
import { OrgSelect } from '../../components/Pickers.js';
import { useVersionedEdit } from '../../components/useVersionedEdit.js';
import { useCan, useSession } from '../../session/session.js';

type Dialog = { kind: 'create' } | { kind: 'edit' | 'delete'; party: Party } | null;
const FIELDS = ['orgId', 'name', 'website', 'contactEmail', 'phone', 'notes'] as const;

/** Manufacturers or suppliers: the same list, form and rules. */
export function PartiesTab({ kind }: { kind: PartyKind }) {
  const { t } = useTranslation();
  const can = useCan();
  const { me } = useSession();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [orgId, setOrgId] = useState<string | null>(null);
  const filters = { q: q || undefined, orgId: orgId ?? undefined };
  const query = usePagedQuery([kind, 'list', filters], (cursor) => listParties(kind, { ...filters, cursor }));
  const [dialog, setDialog] = useState<Dialog>(null);
  const close = () => setDialog(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: [kind] });
  const labels =
    kind === 'manufacturers'
      ? { create: t('catalogue.createManufacturer'), edit: t('catalogue.editManufacturer') }
      : { create: t('catalogue.createSupplier'), edit: t('catalogue.editSupplier') };

  // Delete the version the person saw: if it changed since the list was read, say so instead.
  const remove = useMutation({
    mutationFn: async (party: Party) => {
      const { data, etag } = await getParty(kind, party.id);
      if (data.version !== party.version) {
        throw new ApiError({ type: 'about:blank', title: '', status: 412, code: 'precondition.failed' });
      }
      await deleteParty(kind, party.id, etag);
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

  const columns: Column<Party>[] = [
    { key: 'name', header: t('catalogue.name'), render: (p) => p.name },
    {
      key: 'website',
      header: t('catalogue.website'),
      render: (p) =>
        p.website ? (
          <Anchor href={p.website} target="_blank" rel="noreferrer" size="sm">
            {p.website}
          </Anchor>
        ) : (
          '—'
        ),
    },
    { key: 'email', header: t('catalogue.contactEmail'), render: (p) => p.contactEmail ?? '—' },
    { key: 'phone', header: t('catalogue.phone'), render: (p) => p.phone ?? '—' },
    {
      key: 'actions',
      header: t('common.actions'),
      render: (p) =>
        can('catalogue.manage', { orgId: p.orgId }) && (
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <Button size="compact-sm" variant="subtle" aria-label={`${t('common.actions')} ${p.name}`}>
                {t('common.actions')}
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item onClick={() => setDialog({ kind: 'edit', party: p })}>{t('common.edit')}</Menu.Item>
              <Menu.Item color="red" onClick={() => setDialog({ kind: 'delete', party: p })}>
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
        </SimpleGrid>
        {can('catalogue.manage') && (
          <Button onClick={() => setDialog({ kind: 'create' })}>{labels.create}</Button>
        )}
      </Group>
      <PagedTable
        query={query}
        columns={columns}
        rowKey={(p) => p.id}
        caption={t(`catalogue.${kind}`)}
        emptyText={t('catalogue.emptyParties')}
      />
      <AppModal
        opened={dialog?.kind === 'create' || dialog?.kind === 'edit'}
        onClose={close}
        centered
        title={dialog?.kind === 'edit' ? labels.edit : labels.create}
      >
        {dialog?.kind === 'create' && (
          <PartyForm
            kind={kind}
            party={null}
            defaultOrgId={orgId ?? me.memberships[0]?.orgId ?? null}
            onDone={() => {
              close();
              refresh();
            }}
          />
        )}
        {dialog?.kind === 'edit' && (
          <PartyForm
            kind={kind}
            party={dialog.party}
            defaultOrgId={dialog.party.orgId}
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
        message={dialog?.kind === 'delete' ? t('catalogue.deleteConfirm', { name: dialog.party.name }) : ''}
        confirmLabel={t('common.delete')}
        danger
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() => dialog?.kind === 'delete' && remove.mutate(dialog.party)}
        onClose={() => {
          close();
          remove.reset();
        }}
      />
    </Stack>
  );
}

type Values = { name: string; website: string; contactEmail: string; phone: string; notes: string };
const EMPTY: Values = { name: '', website: '', contactEmail: '', phone: '', notes: '' };
const orNull = (v: string) => v.trim() || null;
const bodyOf = (v: Values) => ({
  name: v.name,
  website: orNull(v.website),
  contactEmail: orNull(v.contactEmail),
  phone: orNull(v.phone),
  notes: v.notes,
});

function PartyForm({
  kind,
  party,
  defaultOrgId,
  onDone,
}: {
  kind: PartyKind;
  party: Party | null;
  defaultOrgId: string | null;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [orgId, setOrgId] = useState<string | null>(defaultOrgId);
  const [values, setValues] = useState<Values>(EMPTY);
  const set = (v: Partial<Values>) => setValues((old) => ({ ...old, ...v }));
  const create = useMutation({
    mutationFn: () => createParty(kind, { orgId: orgId ?? '', ...bodyOf(values) }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('catalogue.created') });
      onDone();
    },
  });
  const edit = useVersionedEdit({
    queryKey: [kind, party?.id, 'edit'],
    load: () => getParty(kind, party?.id ?? ''),
    save: (etag) => updateParty(kind, party?.id ?? '', bodyOf(values), etag),
    reset: (p: Party) =>
      setValues({
        name: p.name,
        website: p.website ?? '',
        contactEmail: p.contactEmail ?? '',
        phone: p.phone ?? '',
        notes: p.notes,
      }),
    onSaved: () => {
      notifications.show({ color: 'teal', message: t('common.saved') });
      onDone();
    },
    enabled: party !== null,
  });
  if (party && edit.record.isError)
    return <ErrorAlert error={edit.record.error} onRetry={() => void edit.record.refetch()} />;
  if (party && edit.record.isPending) return <FormSkeleton fields={4} />;
  const err = party ? edit.error : create.error;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (party) edit.mutation.mutate();
    else create.mutate();
  };
  return (
    <form onSubmit={onSubmit}>
      <Stack>
        <ConflictAlert show={edit.conflict} />
        <ErrorAlert error={err} fields={FIELDS} />
        {!party && (
          <OrgSelect
            label={t('catalogue.org')}
            value={orgId}
            onChange={setOrgId}
            required
            error={fieldError(err, 'orgId')}
          />
        )}
        <TextInput
          label={t('catalogue.name')}
          value={values.name}
          onChange={(e) => set({ name: e.currentTarget.value })}
          required
          data-autofocus
          error={fieldError(err, 'name')}
        />
        <TextInput
          label={t('catalogue.website')}
          type="url"
          placeholder="https://"
          value={values.website}
          onChange={(e) => set({ website: e.currentTarget.value })}
          error={fieldError(err, 'website')}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('catalogue.contactEmail')}
            type="email"
            value={values.contactEmail}
            onChange={(e) => set({ contactEmail: e.currentTarget.value })}
            error={fieldError(err, 'contactEmail')}
          />
          <TextInput
            label={t('catalogue.phone')}
            value={values.phone}
            onChange={(e) => set({ phone: e.currentTarget.value })}
            error={fieldError(err, 'phone')}
          />
        </SimpleGrid>
        <Textarea
          label={t('catalogue.notes')}
          value={values.notes}
          onChange={(e) => set({ notes: e.currentTarget.value })}
          autosize
          minRows={2}
          error={fieldError(err, 'notes')}
        />
        <Group justify="flex-end">
          <Button
            type="submit"
            loading={party ? edit.mutation.isPending : create.isPending}
            disabled={!values.name.trim() || (!party && !orgId)}
          >
            {party ? t('common.save') : t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
