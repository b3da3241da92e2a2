import {
  Anchor,
  Badge,
  Button,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { uuidv7 } from 'uuidv7';
import { DIAGNOSTIC_STATUSES, type DiagnosticStatus } from '../../../shared/schemas/diagnostics.js';
import {
  createDiagnosticTree,
  type DiagnosticTreeCreate,
  type DiagnosticTreeSummary,
  listDiagnosticTrees,
} from '../../api/diagnostics.js';
import { AppModal } from '../../components/AppModal.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { type Column, PagedTable, usePagedQuery } from '../../components/PagedTable.js';
import { OrgSelect } from '../../components/Pickers.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { useOrgNames } from '../../components/useNames.js';
import { useCan, useSession } from '../../session/session.js';

export const STATUS_COLORS: Record<DiagnosticStatus, string> = {
  draft: 'gray',
  published: 'green',
  archived: 'dark',
};

/**
 * The diagnostic trees: technicians find, create and edit them; those who only file tickets see the
 * published ones and start them.
 */
export function DiagnosticsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const manager = can('diagnostic.manage');
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [creating, setCreating] = useState(false);
  const setFilter = (name: 'q' | 'orgId' | 'status', value: string | null) =>
    setParams(
      (old) => {
        const next = new URLSearchParams(old);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the debounced text goes to the address.
  useEffect(() => {
    if ((params.get('q') ?? '') !== q) setFilter('q', q || null);
  }, [q]);

  const filters = {
    q: params.get('q') || undefined,
    orgId: params.get('orgId') || undefined,
    status: (params.get('status') as DiagnosticStatus | null) || undefined,
  };
  const query = usePagedQuery(['diagnostics', 'list', filters], (cursor) =>
    listDiagnosticTrees({ ...filters, cursor }),
  );
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];
  const orgs = useOrgNames(rows.map((r) => r.orgId));
  const canEdit = (tree: DiagnosticTreeSummary) => can('diagnostic.manage', { orgId: tree.orgId });

  const columns: Column<DiagnosticTreeSummary>[] = [
    {
      key: 'title',
      header: t('diagnostics.treeTitle'),
      render: (tree) => (
        <Stack gap={0}>
          <Anchor
            component={Link}
            to={canEdit(tree) ? `/diagnostics/${tree.id}` : `/diagnostics/${tree.id}/walk`}
            fw={500}
          >
            {tree.title}
          </Anchor>
          {tree.description && (
            <Text size="xs" c="dimmed" lineClamp={2}>
              {tree.description}
            </Text>
          )}
        </Stack>
      ),
    },
    ...(manager
      ? [
          {
            key: 'status',
            header: t('diagnostics.status'),
            render: (tree: DiagnosticTreeSummary) => (
              <Group gap={4}>
                <Badge color={STATUS_COLORS[tree.status]} variant="light">
                  {t(`diagnostics.statuses.${tree.status}`)}
                </Badge>
                {tree.status === 'published' && tree.publishedVersion !== tree.version && (
                  <Badge color="orange" variant="outline">
                    {t('diagnostics.unpublishedChanges')}
                  </Badge>
                )}
              </Group>
            ),
          },
          {
            key: 'org',
            header: t('diagnostics.org'),
            render: (tree: DiagnosticTreeSummary) => orgs.get(tree.orgId) ?? '…',
          },
          {
            key: 'updated',
            header: t('diagnostics.updated'),
            render: (tree: DiagnosticTreeSummary) => <RelativeTime iso={tree.updatedAt} />,
          },
        ]
      : []),
    {
      key: 'actions',
      header: t('common.actions'),
      render: (tree) =>
        tree.status === 'published' ? (
          <Button
            component={Link}
            to={`/diagnostics/${tree.id}/walk`}
            size="xs"
            variant="light"
            aria-label={t('diagnostics.walkTree', { title: tree.title })}
          >
            {t('diagnostics.walk')}
          </Button>
        ) : null,
    },
  ];

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Stack gap={2}>
          <Title order={2}>{t('diagnostics.title')}</Title>
          <Text size="sm" c="dimmed">
            {manager ? t('diagnostics.intro') : t('diagnostics.introRequester')}
          </Text>
        </Stack>
        {manager && <Button onClick={() => setCreating(true)}>{t('diagnostics.create')}</Button>}
      </Group>
      <SimpleGrid cols={{ base: 1, sm: manager ? 3 : 2 }}>
        <TextInput
          label={t('diagnostics.search')}
          placeholder={t('diagnostics.searchPlaceholder')}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          type="search"
        />
        <OrgSelect
          label={t('diagnostics.org')}
          value={filters.orgId ?? null}
          onChange={(v) => setFilter('orgId', v)}
          clearable
          placeholder={t('common.all')}
        />
        {manager && (
          <Select
            label={t('diagnostics.status')}
            data={DIAGNOSTIC_STATUSES.map((s) => ({ value: s, label: t(`diagnostics.statuses.${s}`) }))}
            value={filters.status ?? null}
            onChange={(v) => setFilter('status', v)}
            clearable
            placeholder={t('diagnostics.allStatuses')}
          />
        )}
      </SimpleGrid>
      <PagedTable
        query={query}
        columns={columns}
        rowKey={(tree) => tree.id}
        caption={t('diagnostics.title')}
        emptyText={manager ? t('diagnostics.empty') : t('diagnostics.emptyRequester')}
      />
      {manager && <CreateTreeModal opened={creating} onClose={() => setCreating(false)} />}
    </Stack>
  );
}

/** A new tree starts as a first question answered yes or no, each answer leading to an outcome to fill. */
function CreateTreeModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const { me } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const managed = me.memberships.filter((m) => can('diagnostic.manage', { orgId: m.orgId }));
  const [orgId, setOrgId] = useState<string | null>(managed[0]?.orgId ?? null);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [question, setQuestion] = useState('');
  const create = useMutation({
    mutationFn: () => {
      const root = uuidv7();
      const yes = uuidv7();
      const no = uuidv7();
      const outcome = (id: string) => ({ id, kind: 'outcome' as const, text: '', createTicket: true });
      const input: DiagnosticTreeCreate = {
        orgId: orgId ?? '',
        title,
        description,
        rootNodeId: root,
        nodes: [
          {
            id: root,
            kind: 'question',
            text: question,
            answers: [
              { id: uuidv7(), label: t('diagnostics.yes'), nextNodeId: yes },
              { id: uuidv7(), label: t('diagnostics.no'), nextNodeId: no },
            ],
          },
          outcome(yes),
          outcome(no),
        ],
      };
      return createDiagnosticTree(input);
    },
    onSuccess: (tree) => {
      void queryClient.invalidateQueries({ queryKey: ['diagnostics', 'list'] });
      onClose();
      void navigate(`/diagnostics/${tree.id}`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const questionError = fieldError(create.error, 'nodes.0.text') ?? fieldError(create.error, 'nodes');
  return (
    <AppModal opened={opened} onClose={onClose} title={t('diagnostics.createTitle')} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorAlert error={create.error} fields={['orgId', 'title', 'description', 'nodes']} />
          <OrgSelect
            label={t('diagnostics.org')}
            value={orgId}
            onChange={setOrgId}
            required
            only={me.globalAdmin ? undefined : managed}
            error={fieldError(create.error, 'orgId')}
          />
          <TextInput
            label={t('diagnostics.treeTitle')}
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            required
            data-autofocus
            error={fieldError(create.error, 'title')}
          />
          <Textarea
            label={t('diagnostics.description')}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            autosize
            minRows={2}
            error={fieldError(create.error, 'description')}
          />
          <TextInput
            label={t('diagnostics.firstQuestion')}
            placeholder={t('diagnostics.firstQuestionPlaceholder')}
            value={question}
            onChange={(e) => setQuestion(e.currentTarget.value)}
            required
            error={questionError}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('common.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </AppModal>
  );
}
