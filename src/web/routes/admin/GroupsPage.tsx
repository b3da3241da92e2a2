import { Button, EmptyState, Group as Row, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { orgsWhere } from '../../../shared/policy.js';
import { ApiError } from '../../api/client.js';
import { deleteGroup, type Group, getGroup, listGroups } from '../../api/orgs.js';
import { AppModal } from '../../components/AppModal.js';
import { ConfirmModal } from '../../components/ConfirmModal.js';
import { formatDate } from '../../components/format.js';
import { type Column, PagedTable, usePagedQuery } from '../../components/PagedTable.js';
import { OrgSelect } from '../../components/Pickers.js';
import { useCan, useSession } from '../../session/session.js';
import { CreateGroupForm, EditGroupForm } from './GroupForm.js';

type Dialog = { kind: 'create' } | { kind: 'edit' | 'delete'; group: Group } | null;

export function GroupsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { me, actor } = useSession();
  const queryClient = useQueryClient();
  const readable = orgsWhere(actor, 'group.read');
  const firstOrg = readable === 'all' ? (me.memberships[0]?.orgId ?? null) : (readable[0] ?? null);
  const [orgId, setOrgId] = useState<string | null>(firstOrg);
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const query = usePagedQuery(
    ['groups', 'list', orgId, q],
    (cursor) => listGroups({ orgId: orgId ?? undefined, q: q || undefined, cursor }),
    orgId !== null,
  );
  const [dialog, setDialog] = useState<Dialog>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['groups'] });
  const close = () => setDialog(null);

  // Delete the version the person saw: if the group changed since the list was read, say so instead.
  const remove = useMutation({
    mutationFn: async (group: Group) => {
      const { data, etag } = await getGroup(group.id);
      if (data.version !== group.version) {
        throw new ApiError({ type: 'about:blank', title: '', status: 412, code: 'precondition.failed' });
      }
      await deleteGroup(group.id, etag);
    },
    onSuccess: () => {
      close();
      notifications.show({ color: 'teal', message: t('groups.deleted') });
      refresh();
    },
    onError: (err) => {
      if (err instanceof ApiError && err.status === 412) refresh();
    },
  });

  const manage = orgId !== null && can('group.manage', { orgId });
  const columns: Column<Group>[] = [
    {
      key: 'name',
      header: t('groups.name'),
      render: (g) => (
        <div>
          <Text fw={500}>{g.name}</Text>
          {g.description && (
            <Text size="sm" c="dimmed" lineClamp={2}>
              {g.description}
            </Text>
          )}
        </div>
      ),
    },
    {
      key: 'members',
      header: t('groups.members'),
      render: (g) => t('groups.memberCount', { count: g.memberIds.length }),
    },
    { key: 'updated', header: t('audit.at'), render: (g) => formatDate(g.updatedAt) },
    {
      key: 'actions',
      header: t('common.actions'),
      render: (g) =>
        manage && (
          <Row gap={4} wrap="nowrap">
            <Button
              size="compact-sm"
              variant="subtle"
              onClick={() => setDialog({ kind: 'edit', group: g })}
              aria-label={`${t('common.edit')} ${g.name}`}
            >
              {t('common.edit')}
            </Button>
            <Button
              size="compact-sm"
              variant="subtle"
              color="red"
              onClick={() => setDialog({ kind: 'delete', group: g })}
              aria-label={`${t('common.delete')} ${g.name}`}
            >
              {t('common.delete')}
            </Button>
          </Row>
        ),
    },
  ];

  return (
    <Stack gap="md">
      <Row justify="space-between">
        <Title order={2}>{t('groups.title')}</Title>
        {manage && <Button onClick={() => setDialog({ kind: 'create' })}>{t('groups.create')}</Button>}
      </Row>
      <SimpleGrid cols={{ base: 1, sm: 2 }} maw={720}>
        <OrgSelect
          label={t('orgs.select')}
          value={orgId}
          onChange={setOrgId}
          only={readable === 'all' ? undefined : me.memberships.filter((m) => readable.includes(m.orgId))}
        />
        <TextInput
          label={t('common.search')}
          placeholder={t('groups.searchPlaceholder')}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          type="search"
        />
      </SimpleGrid>
      {orgId === null ? (
        <EmptyState title={t('common.emptyTitle')} description={t('groups.chooseOrg')} py="xl" />
      ) : (
        <PagedTable
          query={query}
          columns={columns}
          rowKey={(g) => g.id}
          caption={t('groups.title')}
          emptyText={t('groups.empty')}
        />
      )}
      <AppModal
        opened={dialog?.kind === 'create'}
        onClose={close}
        title={t('groups.create')}
        centered
        size="lg"
      >
        {orgId && (
          <CreateGroupForm
            orgId={orgId}
            onDone={() => {
              close();
              refresh();
            }}
          />
        )}
      </AppModal>
      <AppModal
        opened={dialog?.kind === 'edit'}
        onClose={close}
        title={t('groups.editTitle')}
        centered
        size="lg"
      >
        {dialog?.kind === 'edit' && (
          <EditGroupForm
            group={dialog.group}
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
        message={dialog?.kind === 'delete' ? t('groups.deleteConfirm', { name: dialog.group.name }) : ''}
        confirmLabel={t('common.delete')}
        danger
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() => dialog?.kind === 'delete' && remove.mutate(dialog.group)}
        onClose={() => {
          close();
          remove.reset();
        }}
      />
    </Stack>
  );
}
