import { Button, Checkbox, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  createSavedSearch,
  deleteSavedSearch,
  listSavedSearches,
  type SavedSearch,
} from '../../api/searches.js';
import { AppModal } from '../../components/AppModal.js';
import { ConfirmItemModal } from '../../components/ConfirmModal.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { OrgSelect } from '../../components/Pickers.js';
import { useCan, useSession } from '../../session/session.js';

const QUERY_KEY = ['saved-searches', 'assets'] as const;

type Query = Record<string, string>;

/** The list's address parameters as a saved search keeps them: no empty values. */
export function queryOf(params: URLSearchParams): Query {
  const out: Query = {};
  for (const [key, value] of params) if (value) out[key] = value;
  return out;
}

/** Same filters whatever the order of the parameters. */
const sameQuery = (a: Query, b: Query): boolean => {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
};

/**
 * The user's saved searches of the asset list, and those shared with their organisations: picking one
 * applies its filters; the current filters can be saved under a name; one's own can be deleted.
 */
export function SavedSearches({
  params,
  defaultOrgId,
  onApply,
}: {
  /** The list's current address parameters. */
  params: URLSearchParams;
  /** The organisation proposed when sharing: the one filtered on, else the user's first. */
  defaultOrgId: string | null;
  onApply: (query: Query) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: QUERY_KEY, queryFn: () => listSavedSearches('assets') });
  const searches = query.data ?? [];
  const current = queryOf(params);
  // The search the list shows now, if any: own ones first, as the list answers them.
  const active = searches.find((s) => sameQuery(s.query, current)) ?? null;
  const [saving, setSaving] = useState(false);
  const [deleting, setDeleting] = useState<SavedSearch | null>(null);
  const remove = useMutation({
    mutationFn: (s: SavedSearch) => deleteSavedSearch(s.id),
    onSuccess: () => {
      setDeleting(null);
      notifications.show({ color: 'teal', message: t('assets.savedSearches.deleted') });
      void queryClient.invalidateQueries({ queryKey: QUERY_KEY });
    },
  });

  const mine = searches.filter((s) => s.mine);
  const shared = searches.filter((s) => !s.mine);
  const option = (s: SavedSearch) => ({
    value: s.id,
    label: s.mine && s.shared ? t('assets.savedSearches.sharedMark', { name: s.name }) : s.name,
  });
  const data = [
    ...(mine.length > 0 ? [{ group: t('assets.savedSearches.mine'), items: mine.map(option) }] : []),
    ...(shared.length > 0 ? [{ group: t('assets.savedSearches.shared'), items: shared.map(option) }] : []),
  ];

  return (
    <Stack gap={4}>
      <Group gap="xs" align="flex-end">
        {searches.length > 0 && (
          <Select
            label={t('assets.savedSearches.label')}
            placeholder={t('assets.savedSearches.placeholder')}
            data={data}
            value={active?.id ?? null}
            onChange={(id) => {
              const picked = searches.find((s) => s.id === id);
              if (picked) onApply(picked.query);
            }}
            allowDeselect={false}
            searchable
            nothingFoundMessage={t('common.none')}
            comboboxProps={{ withinPortal: true }}
            w={280}
          />
        )}
        <Button variant="default" onClick={() => setSaving(true)}>
          {t('assets.savedSearches.save')}
        </Button>
        {active?.mine && (
          <Button variant="subtle" color="red" onClick={() => setDeleting(active)}>
            {t('assets.savedSearches.delete')}
          </Button>
        )}
      </Group>
      {query.isSuccess && searches.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('assets.savedSearches.empty')}
        </Text>
      )}
      {query.isError && <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />}
      <AppModal
        opened={saving}
        onClose={() => setSaving(false)}
        title={t('assets.savedSearches.saveTitle')}
        centered
      >
        <SaveSearchForm
          query={current}
          defaultOrgId={defaultOrgId}
          onDone={(saved) => {
            setSaving(false);
            notifications.show({
              color: 'teal',
              message: t('assets.savedSearches.saved', { name: saved.name }),
            });
            void queryClient.invalidateQueries({ queryKey: QUERY_KEY });
          }}
        />
      </AppModal>
      <ConfirmItemModal
        item={deleting}
        onClose={() => setDeleting(null)}
        mutation={remove}
        run={(item) => remove.mutate(item)}
        title={t('assets.savedSearches.delete')}
        message={t('assets.savedSearches.deleteConfirm', { name: deleting?.name ?? '' })}
        confirmLabel={t('common.delete')}
        danger
      />
    </Stack>
  );
}

function SaveSearchForm({
  query,
  defaultOrgId,
  onDone,
}: {
  query: Query;
  defaultOrgId: string | null;
  onDone: (saved: SavedSearch) => void;
}) {
  const { t } = useTranslation();
  const { me } = useSession();
  const can = useCan();
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  const [orgId, setOrgId] = useState<string | null>(defaultOrgId);
  const save = useMutation({
    mutationFn: () =>
      createSavedSearch({ scope: 'assets', name, query, shared, orgId: shared ? orgId : null }),
    onSuccess: onDone,
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const err = save.error;
  // A home administrator may share with any organisation; others with those where they see the fleet.
  const orgs = me.globalAdmin
    ? undefined
    : me.memberships.filter((m) => can('asset.read', { orgId: m.orgId }));
  return (
    <form onSubmit={onSubmit}>
      <Stack>
        <ErrorAlert error={err} fields={['name', 'orgId', 'shared']} />
        <TextInput
          label={t('assets.savedSearches.name')}
          description={t('assets.savedSearches.nameHelp')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          withAsterisk
          maxLength={100}
          error={fieldError(err, 'name')}
          data-autofocus
        />
        <Checkbox
          label={t('assets.savedSearches.share')}
          description={t('assets.savedSearches.shareHelp')}
          checked={shared}
          onChange={(e) => setShared(e.currentTarget.checked)}
          error={fieldError(err, 'shared')}
        />
        {shared && (
          <OrgSelect
            label={t('assets.savedSearches.org')}
            value={orgId}
            onChange={setOrgId}
            error={fieldError(err, 'orgId')}
            {...(orgs && { only: orgs })}
          />
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
