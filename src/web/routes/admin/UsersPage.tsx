import { Badge, Button, Group, Menu, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES } from '../../../shared/policy.js';
import { listUsers, type RoleName, resetPassword, type User } from '../../api/orgs.js';
import { AppModal } from '../../components/AppModal.js';
import { ConfirmModal } from '../../components/ConfirmModal.js';
import { formatDateTime } from '../../components/format.js';
import { type Column, PagedTable, usePagedQuery } from '../../components/PagedTable.js';
import { OrgSelect } from '../../components/Pickers.js';
import { RoleBadges } from '../../components/RoleBadges.js';
import { SecretBox } from '../../components/SecretBox.js';
import { useCan, useSession } from '../../session/session.js';
import { CreateUserForm, EditUserForm } from './UserForms.js';
import { UserRolesForm } from './UserRolesForm.js';

type Sort = 'email' | 'displayName' | 'createdAt';
type Dialog = { kind: 'create' } | { kind: 'edit' | 'roles' | 'reset'; user: User } | null;

export function UsersPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { me } = useSession();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [orgId, setOrgId] = useState<string | null>(null);
  const [role, setRole] = useState<RoleName | null>(null);
  const [sort, setSort] = useState<Sort>('email');
  const [order, setOrder] = useState<'asc' | 'desc'>('asc');
  const filters = { q: q || undefined, orgId: orgId ?? undefined, role: role ?? undefined, sort, order };
  const query = usePagedQuery(['users', 'list', filters], (cursor) => listUsers({ ...filters, cursor }));
  const [dialog, setDialog] = useState<Dialog>(null);
  const [secret, setSecret] = useState<{ name: string; password: string } | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['users'] });
  const close = () => setDialog(null);

  const reset = useMutation({
    mutationFn: (user: User) => resetPassword(user.id),
    onSuccess: (password, user) => {
      setDialog(null);
      setSecret({ name: user.displayName, password });
      refresh();
    },
  });

  const manages = (u: User) =>
    me.globalAdmin ||
    u.memberships.some((m) => can('user.manage', { orgId: m.orgId })) ||
    u.memberships.length === 0;
  const columns: Column<User>[] = [
    {
      key: 'name',
      header: t('users.displayName'),
      render: (u) => (
        <div>
          <Text fw={500}>
            {u.displayName}
            {u.id === me.id && <Text span c="dimmed" size="sm">{` (${t('users.you')})`}</Text>}
          </Text>
          <Text size="sm" c="dimmed">
            {u.email}
          </Text>
        </div>
      ),
    },
    {
      key: 'memberships',
      header: t('users.memberships'),
      render: (u) => (
        <Stack gap={4}>
          {u.memberships.map((m) => (
            <Group key={m.orgId} gap={6} wrap="nowrap">
              <Text size="sm">{m.orgName}</Text>
              <RoleBadges roles={m.roles} />
            </Group>
          ))}
        </Stack>
      ),
    },
    {
      key: 'status',
      header: t('users.status'),
      render: (u) => (
        <Group gap={4}>
          <Badge variant="light" color={u.disabled ? 'gray' : 'teal'}>
            {u.disabled ? t('users.disabledLabel') : t('users.active')}
          </Badge>
          {u.totpEnabled && (
            <Badge variant="outline" size="sm">
              {t('users.twoFactor')}
            </Badge>
          )}
          {u.mustChangePassword && (
            <Badge variant="light" color="yellow" size="sm">
              {t('users.mustChange')}
            </Badge>
          )}
        </Group>
      ),
    },
    {
      key: 'login',
      header: t('users.lastLogin'),
      render: (u) => (u.lastLoginAt ? formatDateTime(u.lastLoginAt) : t('common.never')),
    },
    {
      key: 'actions',
      header: t('common.actions'),
      render: (u) =>
        manages(u) && (
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <Button
                size="compact-sm"
                variant="subtle"
                aria-label={`${t('common.actions')} ${u.displayName}`}
              >
                {t('common.actions')}
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item onClick={() => setDialog({ kind: 'edit', user: u })}>{t('common.edit')}</Menu.Item>
              <Menu.Item onClick={() => setDialog({ kind: 'roles', user: u })}>{t('users.roles')}</Menu.Item>
              <Menu.Item color="red" onClick={() => setDialog({ kind: 'reset', user: u })}>
                {t('users.resetPassword')}
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        ),
    },
  ];

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>{t('users.title')}</Title>
        {can('user.manage') && (
          <Button onClick={() => setDialog({ kind: 'create' })}>{t('users.create')}</Button>
        )}
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 5 }}>
        <TextInput
          label={t('common.search')}
          placeholder={t('users.searchPlaceholder')}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          type="search"
        />
        <OrgSelect
          label={t('users.org')}
          value={orgId}
          onChange={setOrgId}
          clearable
          placeholder={t('common.all')}
        />
        <Select
          label={t('users.role')}
          placeholder={t('common.all')}
          data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          value={role}
          onChange={(v) => setRole(v as RoleName | null)}
          clearable
        />
        <Select
          label={t('users.sort')}
          data={[
            { value: 'email', label: t('users.sortEmail') },
            { value: 'displayName', label: t('users.sortName') },
            { value: 'createdAt', label: t('users.sortCreated') },
          ]}
          value={sort}
          onChange={(v) => setSort((v as Sort | null) ?? 'email')}
          allowDeselect={false}
        />
        <Select
          label={t('users.order')}
          data={[
            { value: 'asc', label: t('users.asc') },
            { value: 'desc', label: t('users.desc') },
          ]}
          value={order}
          onChange={(v) => setOrder(v === 'desc' ? 'desc' : 'asc')}
          allowDeselect={false}
        />
      </SimpleGrid>
      <PagedTable
        query={query}
        columns={columns}
        rowKey={(u) => u.id}
        caption={t('users.title')}
        emptyText={t('users.empty')}
      />

      <AppModal
        opened={dialog?.kind === 'create'}
        onClose={close}
        title={t('users.create')}
        centered
        size="lg"
      >
        <CreateUserForm
          defaultOrgId={orgId ?? me.memberships[0]?.orgId ?? null}
          onDone={(user, temporaryPassword) => {
            close();
            refresh();
            if (temporaryPassword) setSecret({ name: user.displayName, password: temporaryPassword });
          }}
        />
      </AppModal>
      <AppModal opened={dialog?.kind === 'edit'} onClose={close} title={t('users.editTitle')} centered>
        {dialog?.kind === 'edit' && (
          <EditUserForm
            userId={dialog.user.id}
            onDone={() => {
              close();
              refresh();
            }}
          />
        )}
      </AppModal>
      <AppModal
        opened={dialog?.kind === 'roles'}
        onClose={() => {
          close();
          refresh();
        }}
        title={dialog?.kind === 'roles' ? t('users.rolesTitle', { name: dialog.user.displayName }) : ''}
        centered
        size="lg"
      >
        {dialog?.kind === 'roles' && <UserRolesForm user={dialog.user} />}
      </AppModal>
      <ConfirmModal
        opened={dialog?.kind === 'reset'}
        title={t('users.resetPassword')}
        message={dialog?.kind === 'reset' ? t('users.resetConfirm', { name: dialog.user.displayName }) : ''}
        confirmLabel={t('users.resetPassword')}
        danger
        loading={reset.isPending}
        error={reset.error}
        onConfirm={() => dialog?.kind === 'reset' && reset.mutate(dialog.user)}
        onClose={() => {
          close();
          reset.reset();
        }}
      />
      <AppModal
        opened={secret !== null}
        onClose={() => setSecret(null)}
        title={t('users.temporaryTitle')}
        centered
        closeOnClickOutside={false}
      >
        <Stack>
          <Text size="sm">{t('users.temporaryText', { name: secret?.name ?? '' })}</Text>
          <SecretBox value={secret?.password ?? ''} label={t('users.temporaryTitle')} />
          <Group justify="flex-end">
            <Button onClick={() => setSecret(null)}>{t('common.done')}</Button>
          </Group>
        </Stack>
      </AppModal>
    </Stack>
  );
}
