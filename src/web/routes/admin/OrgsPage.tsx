import { Badge, Button, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { listOrgs, type Organisation } from '../../api/orgs.js';
import { AppModal } from '../../components/AppModal.js';
import { formatDate } from '../../components/format.js';
import { type Column, PagedTable, usePagedQuery } from '../../components/PagedTable.js';
import { useCan } from '../../session/session.js';
import { CreateOrgForm, EditOrgForm } from './OrgForm.js';

export function OrgsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const query = usePagedQuery(['orgs', 'list', q], (cursor) => listOrgs({ q: q || undefined, cursor }));
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Organisation | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['orgs'] });

  const columns: Column<Organisation>[] = [
    {
      key: 'name',
      header: t('orgs.name'),
      render: (o) => (
        <Group gap="xs">
          <Text fw={500}>{o.name}</Text>
          {o.isHome && (
            <Badge size="xs" variant="light">
              {t('orgs.home')}
            </Badge>
          )}
        </Group>
      ),
    },
    {
      key: 'slug',
      header: t('orgs.slug'),
      render: (o) => (
        <Text ff="monospace" size="sm">
          {o.slug}
        </Text>
      ),
    },
    { key: 'tz', header: t('orgs.timeZone'), render: (o) => o.timeZone },
    { key: 'locale', header: t('orgs.locale'), render: (o) => t(`language.${o.locale}`) },
    { key: 'updated', header: t('audit.at'), render: (o) => formatDate(o.updatedAt) },
    {
      key: 'actions',
      header: t('common.actions'),
      render: (o) =>
        can('org.manage', { orgId: o.id }) && (
          <Button
            size="compact-sm"
            variant="subtle"
            onClick={() => setEditing(o)}
            aria-label={`${t('common.edit')} ${o.name}`}
          >
            {t('common.edit')}
          </Button>
        ),
    },
  ];

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>{t('orgs.title')}</Title>
        {can('org.create') && <Button onClick={() => setCreating(true)}>{t('orgs.create')}</Button>}
      </Group>
      <TextInput
        label={t('common.search')}
        placeholder={t('orgs.searchPlaceholder')}
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
        maw={360}
        type="search"
      />
      <PagedTable
        query={query}
        columns={columns}
        rowKey={(o) => o.id}
        caption={t('orgs.title')}
        emptyText={t('orgs.empty')}
      />
      <AppModal opened={creating} onClose={() => setCreating(false)} title={t('orgs.create')} centered>
        <CreateOrgForm
          onDone={() => {
            setCreating(false);
            refresh();
          }}
        />
      </AppModal>
      <AppModal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={t('orgs.editTitle')}
        centered
      >
        {editing && (
          <EditOrgForm
            orgId={editing.id}
            onDone={() => {
              setEditing(null);
              refresh();
            }}
          />
        )}
      </AppModal>
    </Stack>
  );
}
