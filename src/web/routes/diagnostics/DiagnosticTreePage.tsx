import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  List,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { type DiagnosticNodeKind, validateDiagnosticGraph } from '../../../shared/schemas/diagnostics.js';
import { IMPACTS, URGENCIES } from '../../../shared/schemas/helpdesk.js';
import { ApiError } from '../../api/client.js';
import {
  archiveDiagnosticTree,
  type DiagnosticCategory,
  type DiagnosticNode,
  type DiagnosticTree,
  deleteDiagnosticTree,
  getDiagnosticTree,
  getKbArticleTitle,
  listDiagnosticCategories,
  publishDiagnosticTree,
  saveDiagnosticTree,
  searchKbArticles,
} from '../../api/diagnostics.js';
import { ConfirmModal } from '../../components/ConfirmModal.js';
import { ConflictAlert } from '../../components/ConflictAlert.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { useVersionedEdit } from '../../components/useVersionedEdit.js';
import { currentLanguage } from '../../i18n/index.js';
import { useCan } from '../../session/session.js';
import { STATUS_COLORS } from './DiagnosticsPage.js';
import {
  addAnswer,
  deleteNode,
  docOf,
  type EditorDoc,
  type Layout,
  layoutOf,
  removeAnswer,
  setAnswerLabel,
  setAnswerTarget,
  setKind,
  updateNode,
} from './editorDoc.js';

type Issue = { nodeId: string | null; field: string; message: string };

/** Rules the editor checks itself as one types; the server's reports of them are superseded by its own. */
const GRAPH_CODES = new Set([
  'dangling',
  'cycle',
  'leaf_not_outcome',
  'not_allowed',
  'unreachable',
  'duplicate',
  'too_long',
  'too_deep',
  'required',
]);

function splitPath(path: string, ids: readonly string[]): { nodeId: string | null; field: string } {
  const m = /^nodes\.(\d+)(?:\.(.*))?$/.exec(path);
  if (!m) return { nodeId: null, field: path };
  return { nodeId: ids[Number(m[1])] ?? null, field: m[2] ?? '' };
}

/** A tree's editor: the outline from the first question, each node's settings, saving as a whole. */
export function DiagnosticTreePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const can = useCan();
  const [doc, setDoc] = useState<EditorDoc | null>(null);
  const [savedJson, setSavedJson] = useState('');
  const [confirm, setConfirm] = useState<'archive' | 'delete' | null>(null);
  // The node ids of the document last sent: the server's field paths count nodes in that order.
  const sentIds = useRef<string[]>([]);
  const queryKey = ['diagnostics', 'tree', id];

  const edit = useVersionedEdit<DiagnosticTree, DiagnosticTree>({
    queryKey,
    load: () => getDiagnosticTree(id),
    save: (etag) => {
      const current = doc!;
      sentIds.current = current.nodes.map((n) => n.id);
      return saveDiagnosticTree(id, current, etag);
    },
    reset: (tree) => {
      const next = docOf(tree);
      setDoc(next);
      setSavedJson(JSON.stringify(next));
    },
    onSaved: () => notifications.show({ color: 'green', message: t('diagnostics.saved') }),
  });
  const tree = edit.record.data?.data;
  const etag = edit.record.data?.etag ?? null;
  const afterAction = () => void queryClient.invalidateQueries({ queryKey: ['diagnostics'] });
  const publish = useMutation({
    mutationFn: () => publishDiagnosticTree(id, etag),
    onSuccess: () => {
      afterAction();
      notifications.show({ color: 'green', message: t('diagnostics.published') });
    },
  });
  const archive = useMutation({
    mutationFn: () => archiveDiagnosticTree(id, etag),
    onSuccess: () => {
      setConfirm(null);
      afterAction();
      notifications.show({ message: t('diagnostics.archived') });
    },
  });
  const remove = useMutation({
    mutationFn: () => deleteDiagnosticTree(id),
    onSuccess: () => {
      setConfirm(null);
      afterAction();
      notifications.show({ message: t('diagnostics.deleted') });
      void navigate('/diagnostics');
    },
  });
  const categories = useQuery({
    queryKey: ['diagnostics', 'categories'],
    queryFn: listDiagnosticCategories,
    staleTime: 5 * 60_000,
  });

  const issues = useMemo(() => {
    const out: Issue[] = [];
    if (!doc) return out;
    const ids = doc.nodes.map((n) => n.id);
    for (const issue of validateDiagnosticGraph(doc)) {
      out.push({ ...splitPath(issue.path, ids), message: t(`diagnostics.issueCodes.${issue.code}`) });
    }
    const err = edit.error;
    if (err instanceof ApiError) {
      for (const e of err.problem.errors ?? []) {
        const path = String(e.path ?? '');
        const graphRule = GRAPH_CODES.has(e.code) || (path === 'rootNodeId' && e.code === 'not_found');
        if (graphRule) continue;
        out.push({ ...splitPath(path, sentIds.current), message: e.message });
      }
    }
    return out;
  }, [doc, edit.error, t]);

  if (edit.record.isPending || (!doc && !edit.record.isError)) {
    return (
      <Stack aria-busy="true" aria-label={t('app.loading')}>
        <Skeleton height={32} width={280} />
        <Skeleton height={120} />
        <Skeleton height={240} />
      </Stack>
    );
  }
  if (edit.record.isError || !doc || !tree) {
    return (
      <Stack>
        <ErrorAlert
          error={edit.record.error}
          title={t('diagnostics.notFound')}
          onRetry={() => void edit.record.refetch()}
        />
        <Anchor component={Link} to="/diagnostics">
          {t('diagnostics.back')}
        </Anchor>
      </Stack>
    );
  }

  const dirty = JSON.stringify(doc) !== savedJson;
  const change = (f: (d: EditorDoc) => EditorDoc) => setDoc((d) => (d ? f(d) : d));
  const layout = layoutOf(doc);
  const upToDate = tree.status === 'published' && tree.publishedVersion === tree.version;
  const topIssues = issues.filter(
    (i) => i.nodeId === null && i.field !== 'title' && i.field !== 'description',
  );
  const fieldIssue = (field: string) =>
    issues
      .filter((i) => i.nodeId === null && i.field === field)
      .map((i) => i.message)
      .join(' · ') || undefined;
  const lang = currentLanguage();
  const categoryOptions = (categories.data ?? [])
    .filter((c) => c.active && (c.orgId === null || c.orgId === tree.orgId))
    .map((c: DiagnosticCategory) => ({ value: c.id, label: c.name[lang] }));
  const ctx: EditorCtx = {
    doc,
    layout,
    byId: new Map(doc.nodes.map((n) => [n.id, n])),
    issues,
    change,
    categoryOptions,
    orgId: tree.orgId,
    canReadKb: can('kb.read', { orgId: tree.orgId }),
  };

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Anchor component={Link} to="/diagnostics" size="sm">
            {t('diagnostics.back')}
          </Anchor>
          <Title order={2}>{tree.title}</Title>
          <Group gap="xs">
            <Badge color={STATUS_COLORS[tree.status]} variant="light">
              {t(`diagnostics.statuses.${tree.status}`)}
            </Badge>
            {tree.status === 'published' && !upToDate && (
              <Badge color="orange" variant="outline">
                {t('diagnostics.unpublishedChanges')}
              </Badge>
            )}
            {dirty && (
              <Badge color="yellow" variant="outline">
                {t('diagnostics.unsaved')}
              </Badge>
            )}
            {tree.publishedVersion !== null && (
              <Text size="sm" c="dimmed">
                {t('diagnostics.publishedVersion', { version: tree.publishedVersion })}
              </Text>
            )}
          </Group>
        </Stack>
        <Group gap="xs">
          <Button onClick={() => edit.mutation.mutate()} loading={edit.mutation.isPending} disabled={!dirty}>
            {t('diagnostics.save')}
          </Button>
          <Button
            color="green"
            onClick={() => publish.mutate()}
            loading={publish.isPending}
            disabled={dirty || upToDate}
            title={dirty ? t('diagnostics.saveBeforePublish') : undefined}
          >
            {t('diagnostics.publish')}
          </Button>
          <Button
            variant="default"
            component={Link}
            to={`/diagnostics/${id}/walk?preview=1`}
            disabled={dirty}
            onClick={(e) => dirty && e.preventDefault()}
          >
            {t('diagnostics.tryOut')}
          </Button>
          {tree.status !== 'archived' && (
            <Button variant="default" onClick={() => setConfirm('archive')}>
              {t('diagnostics.archive')}
            </Button>
          )}
          {tree.status === 'draft' && (
            <Button variant="subtle" color="red" onClick={() => setConfirm('delete')}>
              {t('diagnostics.delete')}
            </Button>
          )}
        </Group>
      </Group>
      <ConflictAlert show={edit.conflict} />
      <ErrorAlert error={edit.error} fields={['title', 'description', 'nodes', 'rootNodeId']} />
      <ErrorAlert error={publish.error} fields={['nodes', 'rootNodeId']} />
      <Card withBorder>
        <Stack gap="sm">
          <TextInput
            label={t('diagnostics.treeTitle')}
            value={doc.title}
            onChange={(e) => {
              const title = e.currentTarget.value;
              change((d) => ({ ...d, title }));
            }}
            required
            error={fieldIssue('title')}
          />
          <Textarea
            label={t('diagnostics.description')}
            value={doc.description}
            onChange={(e) => {
              const description = e.currentTarget.value;
              change((d) => ({ ...d, description }));
            }}
            autosize
            minRows={1}
            error={fieldIssue('description')}
          />
        </Stack>
      </Card>
      {issues.length > 0 ? (
        <Alert color="orange" variant="light" title={t('diagnostics.issues', { count: issues.length })}>
          {topIssues.length > 0 && (
            <List size="sm">
              {topIssues.map((i) => (
                <List.Item key={`${i.field}-${i.message}`}>{i.message}</List.Item>
              ))}
            </List>
          )}
        </Alert>
      ) : (
        <Text size="sm" c="green.8">
          {t('diagnostics.complete')}
        </Text>
      )}
      <Title order={3}>{t('diagnostics.outline')}</Title>
      {layout.heads.slice(0, 1).map((head) => (
        <NodeCard key={head} nodeId={head} ctx={ctx} />
      ))}
      {layout.heads.length > 1 && (
        <Stack gap="sm">
          <Title order={3}>{t('diagnostics.unlinked')}</Title>
          <Text size="sm" c="dimmed">
            {t('diagnostics.unlinkedHelp')}
          </Text>
          {layout.heads.slice(1).map((head) => (
            <NodeCard key={head} nodeId={head} ctx={ctx} />
          ))}
        </Stack>
      )}
      <ConfirmModal
        opened={confirm === 'archive'}
        title={t('diagnostics.archive')}
        message={t('diagnostics.archiveConfirm', { title: tree.title })}
        confirmLabel={t('diagnostics.archive')}
        loading={archive.isPending}
        error={archive.error}
        onConfirm={() => archive.mutate()}
        onClose={() => setConfirm(null)}
      />
      <ConfirmModal
        opened={confirm === 'delete'}
        title={t('diagnostics.delete')}
        message={t('diagnostics.deleteConfirm', { title: tree.title })}
        confirmLabel={t('common.delete')}
        danger
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() => remove.mutate()}
        onClose={() => setConfirm(null)}
      />
    </Stack>
  );
}

type EditorCtx = {
  doc: EditorDoc;
  layout: Layout;
  byId: Map<string, DiagnosticNode>;
  issues: Issue[];
  change: (f: (d: EditorDoc) => EditorDoc) => void;
  categoryOptions: Array<{ value: string; label: string }>;
  orgId: string;
  canReadKb: boolean;
};

function useNodeName() {
  const { t } = useTranslation();
  return (ctx: EditorCtx, node: DiagnosticNode) =>
    `${t(`diagnostics.kinds.${node.kind}`)} ${ctx.layout.numbers.get(node.id) ?? ''}`.trim();
}

/** Fields of a node the card shows its problems on; the others are listed at the top of the card. */
function shownOnField(field: string): boolean {
  return (
    field === 'text' ||
    field === 'categoryId' ||
    field === 'impact' ||
    field === 'urgency' ||
    field === 'kbArticleId' ||
    /^answers\.\d+\.(label|nextNodeId)$/.test(field)
  );
}

function NodeCard({ nodeId, ctx }: { nodeId: string; ctx: EditorCtx }) {
  const { t } = useTranslation();
  const nameOf = useNodeName();
  const node = ctx.byId.get(nodeId);
  if (!node) return null;
  const isRoot = node.id === ctx.doc.rootNodeId;
  const name = nameOf(ctx, node);
  const mine = ctx.issues.filter((i) => i.nodeId === node.id);
  const on = (field: string) =>
    mine
      .filter((i) => i.field === field)
      .map((i) => i.message)
      .join(' · ') || undefined;
  const others = mine.filter((i) => !shownOnField(i.field));
  const update = (patch: Partial<DiagnosticNode>) => ctx.change((d) => updateNode(d, node.id, patch));
  const targets = [
    { value: 'new:question', label: t('diagnostics.newQuestion') },
    { value: 'new:outcome', label: t('diagnostics.newOutcome') },
    ...ctx.doc.nodes
      .filter((n) => n.id !== node.id)
      .map((n) => ({
        value: n.id,
        label: t('diagnostics.nodeOption', {
          kind: nameOf(ctx, n),
          text: n.text.trim() ? n.text.trim().slice(0, 60) : t('diagnostics.untitled'),
        }),
      })),
  ];

  return (
    <Paper withBorder p="sm" role="group" aria-label={name} bg={isRoot ? 'blue.0' : undefined}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap">
          <Group gap="xs">
            <Badge variant="filled" color={node.kind === 'question' ? 'blue' : 'teal'}>
              {name}
            </Badge>
            {isRoot && <Badge variant="outline">{t('diagnostics.root')}</Badge>}
          </Group>
          <Group gap="xs">
            <SegmentedControl
              size="xs"
              aria-label={t('diagnostics.kind')}
              // A question with answers keeps its kind: remove the answers first (what hangs below goes too).
              disabled={node.kind === 'question' && node.answers.length > 0}
              value={node.kind}
              onChange={(kind) => ctx.change((d) => setKind(d, node.id, kind as DiagnosticNodeKind))}
              data={[
                { value: 'question', label: t('diagnostics.kinds.question') },
                { value: 'outcome', label: t('diagnostics.kinds.outcome') },
              ]}
            />
            {!isRoot && (
              <Button
                size="xs"
                variant="subtle"
                color="red"
                onClick={() => ctx.change((d) => deleteNode(d, node.id))}
              >
                {t('diagnostics.deleteNode')}
              </Button>
            )}
          </Group>
        </Group>
        {others.length > 0 && (
          <Alert color="red" variant="light" p="xs" role="alert">
            <List size="sm">
              {others.map((i) => (
                <List.Item key={`${i.field}-${i.message}`}>{i.message}</List.Item>
              ))}
            </List>
          </Alert>
        )}
        <Textarea
          label={node.kind === 'question' ? t('diagnostics.questionText') : t('diagnostics.adviceText')}
          placeholder={node.kind === 'outcome' ? t('diagnostics.advicePlaceholder') : undefined}
          value={node.text}
          onChange={(e) => update({ text: e.currentTarget.value })}
          autosize
          minRows={1}
          required={node.kind === 'question'}
          error={on('text')}
        />
        {node.kind === 'question' ? (
          <Stack gap="xs">
            {node.answers.map((a, j) => {
              const target = a.nextNodeId ? ctx.byId.get(a.nextNodeId) : undefined;
              const nested = target && ctx.layout.home.get(target.id) === `${node.id}:${a.id}`;
              return (
                <Stack
                  key={a.id}
                  gap={6}
                  pl="md"
                  style={{ borderLeft: '3px solid var(--mantine-color-blue-3)' }}
                >
                  <Group align="flex-start" wrap="nowrap" gap="xs">
                    <TextInput
                      label={t('diagnostics.answerLabel', { n: j + 1 })}
                      value={a.label}
                      onChange={(e) => {
                        const label = e.currentTarget.value;
                        ctx.change((d) => setAnswerLabel(d, node.id, a.id, label));
                      }}
                      required
                      error={on(`answers.${j}.label`)}
                      style={{ flex: 1 }}
                    />
                    <Select
                      label={t('diagnostics.leadsTo', { n: j + 1 })}
                      data={targets}
                      value={a.nextNodeId}
                      onChange={(value) => ctx.change((d) => setAnswerTarget(d, node.id, a.id, value))}
                      error={on(`answers.${j}.nextNodeId`)}
                      allowDeselect={false}
                      comboboxProps={{ withinPortal: true }}
                      style={{ flex: 1 }}
                    />
                    <ActionIcon
                      mt={28}
                      variant="subtle"
                      color="red"
                      aria-label={t('diagnostics.removeAnswer', { n: j + 1 })}
                      onClick={() => ctx.change((d) => removeAnswer(d, node.id, a.id))}
                    >
                      ✕
                    </ActionIcon>
                  </Group>
                  {nested ? (
                    <NodeCard nodeId={target.id} ctx={ctx} />
                  ) : (
                    target && (
                      <Text size="sm" c="dimmed">
                        → {nameOf(ctx, target)} ({t('diagnostics.shownElsewhere')})
                      </Text>
                    )
                  )}
                </Stack>
              );
            })}
            <Group>
              <Button
                size="xs"
                variant="light"
                onClick={() => ctx.change((d) => addAnswer(d, node.id, t('diagnostics.newAnswer')))}
              >
                {t('diagnostics.addAnswer')}
              </Button>
            </Group>
          </Stack>
        ) : (
          <OutcomeFields node={node} ctx={ctx} on={on} update={update} />
        )}
      </Stack>
    </Paper>
  );
}

function OutcomeFields({
  node,
  ctx,
  on,
  update,
}: {
  node: DiagnosticNode;
  ctx: EditorCtx;
  on: (field: string) => string | undefined;
  update: (patch: Partial<DiagnosticNode>) => void;
}) {
  const { t } = useTranslation();
  const categories = [...ctx.categoryOptions];
  if (node.categoryId && !categories.some((c) => c.value === node.categoryId)) {
    categories.push({ value: node.categoryId, label: node.categoryId });
  }
  return (
    <Stack gap="xs">
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Select
          label={t('diagnostics.category')}
          data={categories}
          value={node.categoryId}
          onChange={(categoryId) => update({ categoryId })}
          placeholder={t('diagnostics.noCategory')}
          clearable
          searchable
          error={on('categoryId')}
          comboboxProps={{ withinPortal: true }}
        />
        <Select
          label={t('diagnostics.impact')}
          data={IMPACTS.map((v) => ({ value: v, label: t(`diagnostics.impacts.${v}`) }))}
          value={node.impact}
          onChange={(impact) => update({ impact: impact as DiagnosticNode['impact'] })}
          placeholder={t('diagnostics.notSet')}
          clearable
          error={on('impact')}
          comboboxProps={{ withinPortal: true }}
        />
        <Select
          label={t('diagnostics.urgency')}
          data={URGENCIES.map((v) => ({ value: v, label: t(`diagnostics.urgencies.${v}`) }))}
          value={node.urgency}
          onChange={(urgency) => update({ urgency: urgency as DiagnosticNode['urgency'] })}
          placeholder={t('diagnostics.notSet')}
          clearable
          error={on('urgency')}
          comboboxProps={{ withinPortal: true }}
        />
      </SimpleGrid>
      {ctx.canReadKb && (
        <KbPicker
          orgId={ctx.orgId}
          value={node.kbArticleId}
          onChange={(kbArticleId) => update({ kbArticleId })}
          error={on('kbArticleId')}
        />
      )}
      <Checkbox
        label={t('diagnostics.createTicket')}
        description={t('diagnostics.createTicketHelp')}
        checked={node.createTicket}
        onChange={(e) => update({ createTicket: e.currentTarget.checked })}
      />
    </Stack>
  );
}

/** A published procedure of the tree's organisation, searched by title. */
function KbPicker({
  orgId,
  value,
  onChange,
  error,
}: {
  orgId: string;
  value: string | null;
  onChange: (value: string | null) => void;
  error?: string | undefined;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const found = useQuery({
    queryKey: ['diagnostics', 'kb', orgId, q],
    queryFn: () => searchKbArticles(orgId, q),
    placeholderData: keepPreviousData,
    retry: false,
  });
  const chosen = useQuery({
    queryKey: ['diagnostics', 'kb-title', value],
    queryFn: () => getKbArticleTitle(value ?? ''),
    enabled: !!value,
    retry: false,
    staleTime: 5 * 60_000,
  });
  const options = (found.data ?? []).map((a) => ({ value: a.id, label: a.title }));
  if (value && !options.some((o) => o.value === value)) options.push({ value, label: chosen.data ?? value });
  return (
    <Select
      label={t('diagnostics.kbArticle')}
      placeholder={t('diagnostics.kbArticlePlaceholder')}
      data={options}
      value={value}
      onChange={onChange}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      clearable
      nothingFoundMessage={found.isFetching ? t('app.loading') : t('common.none')}
      error={error}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
