import {
  Badge,
  Button,
  Card,
  Center,
  EmptyState,
  Group,
  NumberInput,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RULE_KINDS } from '../../../shared/schemas/inventory.js';
import {
  createEnrolmentToken,
  createInventoryRule,
  deleteInventoryRule,
  type EnrolmentToken,
  type EnrolmentTokenCreated,
  type InventoryRule,
  listEnrolmentTokens,
  listInventoryRules,
  type RuleKind,
  revokeEnrolmentToken,
} from '../../api/inventory.js';
import { AppModal } from '../../components/AppModal.js';
import { ConfirmItemModal } from '../../components/ConfirmModal.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { formatDateTime } from '../../components/format.js';
import { type Column, PagedTable, usePagedQuery } from '../../components/PagedTable.js';
import { OrgSelect } from '../../components/Pickers.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { SecretBox } from '../../components/SecretBox.js';
import { useOrgNames } from '../../components/useNames.js';
import { useCan, useSession } from '../../session/session.js';

const TOKENS_KEY = ['inventory', 'tokens'] as const;
const RULES_KEY = ['inventory', 'rules'] as const;

/**
 * The organisations where the person may enrol devices: a global administrator searches them all, the
 * others choose among their own.
 */
function useManagedOrgs() {
  const { me } = useSession();
  const can = useCan();
  const only = me.globalAdmin
    ? undefined
    : me.memberships.filter((m) => can('inventory.manage', { orgId: m.orgId }));
  return { only, first: only?.[0]?.orgId ?? me.memberships[0]?.orgId ?? null };
}

/** How agents are enrolled: the tokens they present, and the rules that file devices without one. */
export function EnrolmentTab({ orgId }: { orgId: string | null }) {
  return (
    <Stack gap="lg">
      <TokensCard orgId={orgId} />
      <RulesCard orgId={orgId} />
    </Stack>
  );
}

/** The commands that point each kind of agent at this Parc with the token. */
export function agentCommands(serverUrl: string, token: string) {
  return {
    parc: `parc-agent --server ${serverUrl} --token ${token}`,
    fusion: `fusioninventory-agent --server "${serverUrl}/ocsinventory?token=${token}"`,
    glpi: `glpi-agent --server "${serverUrl}/front/inventory.php?token=${token}"`,
  };
}

function TokensCard({ orgId }: { orgId: string | null }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const query = usePagedQuery([...TOKENS_KEY, { orgId }], (cursor) =>
    listEnrolmentTokens({ orgId: orgId ?? undefined, cursor }),
  );
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];
  const orgs = useOrgNames(rows.map((r) => r.orgId));
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<EnrolmentTokenCreated | null>(null);
  const [revoking, setRevoking] = useState<EnrolmentToken | null>(null);
  const revoke = useMutation({
    mutationFn: (id: string) => revokeEnrolmentToken(id),
    onSuccess: () => {
      setRevoking(null);
      notifications.show({ color: 'teal', message: t('inventory.tokens.revokedNotice') });
      void queryClient.invalidateQueries({ queryKey: TOKENS_KEY });
    },
  });

  const columns: Column<EnrolmentToken>[] = [
    { key: 'name', header: t('inventory.tokens.name'), render: (r) => <Text fw={500}>{r.name}</Text> },
    { key: 'org', header: t('inventory.org'), render: (r) => orgs.get(r.orgId) ?? '…' },
    {
      key: 'prefix',
      header: t('inventory.tokens.prefix'),
      render: (r) => <Text ff="monospace">penr_{r.prefix}_…</Text>,
    },
    { key: 'created', header: t('inventory.tokens.createdAt'), render: (r) => formatDateTime(r.createdAt) },
    {
      key: 'used',
      header: t('inventory.tokens.lastUsedAt'),
      render: (r) => (r.lastUsedAt ? <RelativeTime iso={r.lastUsedAt} /> : t('common.never')),
    },
    {
      key: 'status',
      header: t('inventory.tokens.status'),
      render: (r) => (
        <Badge variant="light" color={r.revokedAt ? 'red' : 'teal'}>
          {t(r.revokedAt ? 'inventory.tokens.revoked' : 'inventory.tokens.active')}
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
            aria-label={t('inventory.tokens.revokeNamed', { name: r.name })}
          >
            {t('inventory.tokens.revoke')}
          </Button>
        ),
    },
  ];

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="enrolment-tokens">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4" id="enrolment-tokens">
          {t('inventory.tokens.title')}
        </Title>
        <Button size="sm" onClick={() => setCreating(true)}>
          {t('inventory.tokens.create')}
        </Button>
      </Group>
      <Text size="sm" c="dimmed" mb="md">
        {t('inventory.tokens.intro')}
      </Text>
      <PagedTable
        query={query}
        columns={columns}
        rowKey={(r) => r.id}
        caption={t('inventory.tokens.title')}
        emptyText={t('inventory.tokens.empty')}
      />
      <AppModal
        opened={creating}
        onClose={() => setCreating(false)}
        title={t('inventory.tokens.create')}
        centered
      >
        <CreateTokenForm
          defaultOrgId={orgId}
          onCreated={(token) => {
            setCreating(false);
            setCreated(token);
            void queryClient.invalidateQueries({ queryKey: TOKENS_KEY });
          }}
        />
      </AppModal>
      <AppModal
        opened={created !== null}
        onClose={() => setCreated(null)}
        title={t('inventory.tokens.createdTitle')}
        centered
        size="xl"
        closeOnClickOutside={false}
      >
        {created && <CreatedToken token={created.token} onDone={() => setCreated(null)} />}
      </AppModal>
      <ConfirmItemModal
        item={revoking}
        onClose={() => setRevoking(null)}
        mutation={revoke}
        run={(item) => revoke.mutate(item.id)}
        title={t('inventory.tokens.revoke')}
        message={t('inventory.tokens.revokeConfirm', { name: revoking?.name ?? '' })}
        confirmLabel={t('inventory.tokens.revoke')}
        danger
      />
    </Card>
  );
}

/** The token, shown once, and the command line of each agent that uses it. */
function CreatedToken({ token, onDone }: { token: string; onDone: () => void }) {
  const { t } = useTranslation();
  const commands = agentCommands(window.location.origin, token);
  return (
    <Stack>
      <Text size="sm">{t('inventory.tokens.createdText')}</Text>
      <SecretBox value={token} label={t('inventory.tokens.token')} />
      <Title order={4} size="h5" mt="sm">
        {t('inventory.tokens.commands')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('inventory.tokens.commandsHelp')}
      </Text>
      {(['parc', 'fusion', 'glpi'] as const).map((agent) => (
        <Stack key={agent} gap={4}>
          <Text size="sm" fw={500}>
            {t(`inventory.tokens.agents.${agent}`)}
          </Text>
          <SecretBox value={commands[agent]} label={t(`inventory.tokens.agents.${agent}`)} />
        </Stack>
      ))}
      <Group justify="flex-end">
        <Button onClick={onDone}>{t('common.done')}</Button>
      </Group>
    </Stack>
  );
}

function CreateTokenForm({
  defaultOrgId,
  onCreated,
}: {
  defaultOrgId: string | null;
  onCreated: (token: EnrolmentTokenCreated) => void;
}) {
  const { t } = useTranslation();
  const managed = useManagedOrgs();
  const [name, setName] = useState('');
  const [orgId, setOrgId] = useState<string | null>(defaultOrgId ?? managed.first);
  const create = useMutation({
    mutationFn: () => createEnrolmentToken({ orgId: orgId ?? '', name: name.trim() }),
    onSuccess: onCreated,
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={onSubmit}>
      <Stack>
        <ErrorAlert error={create.error} fields={['name', 'orgId']} />
        <OrgSelect
          label={t('inventory.org')}
          value={orgId}
          onChange={setOrgId}
          required
          only={managed.only}
          error={fieldError(create.error, 'orgId')}
        />
        <TextInput
          label={t('inventory.tokens.name')}
          description={t('inventory.tokens.nameHelp')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          required
          maxLength={100}
          data-autofocus
          error={fieldError(create.error, 'name')}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={create.isPending} disabled={!name.trim() || !orgId}>
            {t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function RulesCard({ orgId }: { orgId: string | null }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: RULES_KEY, queryFn: listInventoryRules });
  const rules = (query.data ?? []).filter((r) => !orgId || r.orgId === orgId);
  const orgs = useOrgNames(rules.map((r) => r.orgId));
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<InventoryRule | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => deleteInventoryRule(id),
    onSuccess: () => {
      setDeleting(null);
      notifications.show({ color: 'teal', message: t('inventory.rules.deleted') });
      void queryClient.invalidateQueries({ queryKey: RULES_KEY });
    },
  });

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="enrolment-rules">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4" id="enrolment-rules">
          {t('inventory.rules.title')}
        </Title>
        <Button size="sm" onClick={() => setCreating(true)}>
          {t('inventory.rules.create')}
        </Button>
      </Group>
      <Text size="sm" c="dimmed" mb="md">
        {t('inventory.rules.intro')}
      </Text>
      {query.isPending && (
        <Stack gap="xs" aria-busy="true" aria-label={t('app.loading')}>
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} height={36} radius="sm" />
          ))}
        </Stack>
      )}
      {query.isError && <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />}
      {query.isSuccess && rules.length === 0 && (
        <EmptyState title={t('common.emptyTitle')} description={t('inventory.rules.empty')} py="md">
          <Center>
            <Button variant="light" onClick={() => setCreating(true)}>
              {t('inventory.rules.create')}
            </Button>
          </Center>
        </EmptyState>
      )}
      {rules.length > 0 && (
        <Table.ScrollContainer minWidth={560}>
          <Table striped verticalSpacing="xs" aria-label={t('inventory.rules.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('inventory.rules.priority')}</Table.Th>
                <Table.Th scope="col">{t('inventory.rules.kind')}</Table.Th>
                <Table.Th scope="col">{t('inventory.rules.pattern')}</Table.Th>
                <Table.Th scope="col">{t('inventory.org')}</Table.Th>
                <Table.Th scope="col">{t('common.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rules.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{r.priority}</Table.Td>
                  <Table.Td>{t(`inventory.rules.kinds.${r.kind}`)}</Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {r.pattern}
                    </Text>
                  </Table.Td>
                  <Table.Td>{orgs.get(r.orgId) ?? '…'}</Table.Td>
                  <Table.Td>
                    <Button
                      size="compact-sm"
                      color="red"
                      variant="subtle"
                      onClick={() => setDeleting(r)}
                      aria-label={t('inventory.rules.deleteNamed', { pattern: r.pattern })}
                    >
                      {t('common.delete')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <AppModal
        opened={creating}
        onClose={() => setCreating(false)}
        title={t('inventory.rules.create')}
        centered
      >
        {creating && (
          <CreateRuleForm
            defaultOrgId={orgId}
            onCreated={() => {
              setCreating(false);
              notifications.show({ color: 'teal', message: t('inventory.rules.created') });
              void queryClient.invalidateQueries({ queryKey: RULES_KEY });
            }}
          />
        )}
      </AppModal>
      <ConfirmItemModal
        item={deleting}
        onClose={() => setDeleting(null)}
        mutation={remove}
        run={(item) => remove.mutate(item.id)}
        title={t('inventory.rules.deleteTitle')}
        message={t('inventory.rules.deleteConfirm', { pattern: deleting?.pattern ?? '' })}
        confirmLabel={t('common.delete')}
        danger
      />
    </Card>
  );
}

function CreateRuleForm({
  defaultOrgId,
  onCreated,
}: {
  defaultOrgId: string | null;
  onCreated: (rule: InventoryRule) => void;
}) {
  const { t } = useTranslation();
  const managed = useManagedOrgs();
  const [orgId, setOrgId] = useState<string | null>(defaultOrgId ?? managed.first);
  const [kind, setKind] = useState<RuleKind>('ip_range');
  const [pattern, setPattern] = useState('');
  const [priority, setPriority] = useState<number | string>(100);
  const create = useMutation({
    mutationFn: () =>
      createInventoryRule({
        orgId: orgId ?? '',
        kind,
        pattern: pattern.trim(),
        priority: typeof priority === 'number' ? priority : Number(priority) || 0,
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
        <ErrorAlert error={create.error} fields={['orgId', 'kind', 'pattern', 'priority']} />
        <OrgSelect
          label={t('inventory.org')}
          value={orgId}
          onChange={setOrgId}
          required
          only={managed.only}
          error={fieldError(create.error, 'orgId')}
        />
        <Select
          label={t('inventory.rules.kind')}
          data={RULE_KINDS.map((k) => ({ value: k, label: t(`inventory.rules.kinds.${k}`) }))}
          value={kind}
          onChange={(v) => v && setKind(v as RuleKind)}
          allowDeselect={false}
          required
          error={fieldError(create.error, 'kind')}
        />
        <TextInput
          label={t('inventory.rules.pattern')}
          description={t(`inventory.rules.patternHelp.${kind}`)}
          placeholder={t(`inventory.rules.patternExample.${kind}`)}
          value={pattern}
          onChange={(e) => setPattern(e.currentTarget.value)}
          required
          maxLength={200}
          data-autofocus
          error={fieldError(create.error, 'pattern')}
        />
        <NumberInput
          label={t('inventory.rules.priority')}
          description={t('inventory.rules.priorityHelp')}
          value={priority}
          onChange={setPriority}
          min={0}
          max={10_000}
          allowDecimal={false}
          allowNegative={false}
          error={fieldError(create.error, 'priority')}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={create.isPending} disabled={!pattern.trim() || !orgId}>
            {t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
