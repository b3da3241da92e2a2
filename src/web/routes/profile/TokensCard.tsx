import { Badge, Button, Card, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiToken, type ApiTokenCreated, createToken, listTokens, revokeToken } from '../../api/auth.js';
import type { RoleName } from '../../api/orgs.js';
import { AppModal } from '../../components/AppModal.js';
import { ConfirmItemModal } from '../../components/ConfirmModal.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { formatDate, formatDateTime } from '../../components/format.js';
import { type Column, PagedTable, usePagedQuery } from '../../components/PagedTable.js';
import { OrgSelect } from '../../components/Pickers.js';
import { RoleBadges } from '../../components/RoleBadges.js';
import { SecretBox } from '../../components/SecretBox.js';
import { useSession } from '../../session/session.js';

const KEY = ['tokens'] as const;

function status(token: ApiToken): 'revoked' | 'expired' | 'active' {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && new Date(token.expiresAt).getTime() < Date.now()) return 'expired';
  return 'active';
}

export function TokensCard() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const query = usePagedQuery(KEY, (cursor) => listTokens(cursor));
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<ApiTokenCreated | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const revoke = useMutation({
    mutationFn: (id: string) => revokeToken(id),
    onSuccess: () => {
      setRevoking(null);
      notifications.show({ color: 'teal', message: t('tokens.revokedNotice') });
      void queryClient.invalidateQueries({ queryKey: KEY });
    },
  });

  const colors = { active: 'teal', revoked: 'red', expired: 'gray' } as const;
  const columns: Column<ApiToken>[] = [
    { key: 'name', header: t('tokens.name'), render: (r) => <Text fw={500}>{r.name}</Text> },
    { key: 'prefix', header: t('tokens.prefix'), render: (r) => <Text ff="monospace">{r.prefix}…</Text> },
    { key: 'role', header: t('tokens.role'), render: (r) => <RoleBadges roles={[r.role]} /> },
    {
      key: 'expires',
      header: t('tokens.expiresAt'),
      render: (r) => (r.expiresAt ? formatDate(r.expiresAt) : t('common.never')),
    },
    {
      key: 'used',
      header: t('tokens.lastUsedAt'),
      render: (r) => (r.lastUsedAt ? formatDateTime(r.lastUsedAt) : t('common.never')),
    },
    {
      key: 'status',
      header: t('tokens.status'),
      render: (r) => (
        <Badge variant="light" color={colors[status(r)]}>
          {t(`tokens.${status(r)}`)}
        </Badge>
      ),
    },
    {
      key: 'actions',
      header: t('common.actions'),
      render: (r) =>
        !r.revokedAt && (
          <Button
            size="compact-sm"
            color="red"
            variant="subtle"
            onClick={() => setRevoking(r)}
            aria-label={`${t('tokens.revoke')} ${r.name}`}
          >
            {t('tokens.revoke')}
          </Button>
        ),
    },
  ];

  return (
    <Card withBorder padding="lg">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4">
          {t('tokens.title')}
        </Title>
        <Button size="sm" onClick={() => setCreating(true)}>
          {t('tokens.create')}
        </Button>
      </Group>
      <Text size="sm" c="dimmed" mb="md">
        {t('tokens.intro')}
      </Text>
      <PagedTable
        query={query}
        columns={columns}
        rowKey={(r) => r.id}
        caption={t('tokens.title')}
        emptyText={t('tokens.empty')}
      />
      <AppModal opened={creating} onClose={() => setCreating(false)} title={t('tokens.create')} centered>
        <CreateTokenForm
          onCreated={(token) => {
            setCreating(false);
            setCreated(token);
            void queryClient.invalidateQueries({ queryKey: KEY });
          }}
        />
      </AppModal>
      <AppModal
        opened={created !== null}
        onClose={() => setCreated(null)}
        title={t('tokens.createdTitle')}
        centered
        closeOnClickOutside={false}
      >
        <Stack>
          <Text size="sm">{t('tokens.createdText')}</Text>
          <SecretBox value={created?.token ?? ''} label={t('tokens.createdTitle')} />
          <Group justify="flex-end">
            <Button onClick={() => setCreated(null)}>{t('common.done')}</Button>
          </Group>
        </Stack>
      </AppModal>
      <ConfirmItemModal
        item={revoking}
        onClose={() => setRevoking(null)}
        mutation={revoke}
        run={(item) => revoke.mutate(item.id)}
        title={t('tokens.revoke')}
        message={t('tokens.revokeConfirm', { name: revoking?.name ?? '' })}
        confirmLabel={t('tokens.revoke')}
        danger
      />
    </Card>
  );
}

function CreateTokenForm({ onCreated }: { onCreated: (token: ApiTokenCreated) => void }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const [name, setName] = useState('');
  const [orgId, setOrgId] = useState<string | null>(me.memberships[0]?.orgId ?? null);
  const [role, setRole] = useState<RoleName | null>(null);
  const [expires, setExpires] = useState('');
  // A token carries one role the person holds in that organisation (the server refuses any other).
  const roles = me.memberships.find((m) => m.orgId === orgId)?.roles ?? [];
  const create = useMutation({
    mutationFn: () =>
      createToken({
        name,
        orgId: orgId ?? '',
        role: role ?? 'requester',
        expiresAt: expires ? new Date(`${expires}T23:59:59`).toISOString() : null,
      }),
    onSuccess: onCreated,
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={onSubmit}>
      <Stack>
        <ErrorAlert error={create.error} fields={['name', 'orgId', 'role', 'expiresAt']} />
        <TextInput
          label={t('tokens.name')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          required
          data-autofocus
          error={fieldError(create.error, 'name')}
        />
        <OrgSelect
          label={t('tokens.org')}
          value={orgId}
          onChange={(v) => {
            setOrgId(v);
            setRole(null);
          }}
          required
          only={me.memberships}
          error={fieldError(create.error, 'orgId')}
        />
        <Select
          label={t('tokens.role')}
          data={roles.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          value={role}
          onChange={(v) => setRole(v as RoleName | null)}
          required
          error={fieldError(create.error, 'role')}
        />
        <TextInput
          label={t('tokens.expiresAt')}
          type="date"
          value={expires}
          onChange={(e) => setExpires(e.currentTarget.value)}
          description={t('tokens.expiryHelp')}
          error={fieldError(create.error, 'expiresAt')}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={create.isPending} disabled={!name.trim() || !orgId || !role}>
            {t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
