import { Button, Group, NumberInput, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AppModal } from '../../components/AppModal.js';
import { ModelSelect, PartySelect } from '../../components/AssetPickers.js';
import { ConflictAlert } from '../../components/ConflictAlert.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { FormSkeleton } from '../../components/FormSkeleton.js';
import { type Column, PagedTable, usePagedQuery } from '../../components/PagedTable.js';
import { OrgSelect } from '../../components/Pickers.js';
import { useSupplierNames } from '../../components/useNames.js';
import { useVersionedEdit } from '../../components/useVersionedEdit.js';
import { useCan, useSession } from '../../session/session.js';
import { createArticle, getArticle, listArticles, type StockArticle, updateArticle } from './api.js';

type Dialog = { kind: 'create' } | { kind: 'edit'; article: StockArticle } | null;
const FIELDS = ['orgId', 'name', 'reference', 'unit', 'modelId', 'supplierId', 'leadTimeDays', 'notes'];

/** Consumables counted by quantity, with their default supplier and its lead time. */
export function ArticlesTab() {
  const { t } = useTranslation();
  const can = useCan();
  const { me } = useSession();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [orgId, setOrgId] = useState<string | null>(null);
  const filters = { q: q || undefined, orgId: orgId ?? undefined };
  const query = usePagedQuery(['stock', 'articles', filters], (cursor) =>
    listArticles({ ...filters, cursor }),
  );
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];
  const suppliers = useSupplierNames(rows.map((a) => a.supplierId));
  const [dialog, setDialog] = useState<Dialog>(null);
  const close = () => setDialog(null);
  const done = () => {
    close();
    void queryClient.invalidateQueries({ queryKey: ['stock'] });
  };

  const columns: Column<StockArticle>[] = [
    { key: 'name', header: t('stock.articleName'), render: (a) => a.name },
    { key: 'reference', header: t('stock.reference'), render: (a) => a.reference ?? '—' },
    { key: 'unit', header: t('stock.unit'), render: (a) => a.unit },
    {
      key: 'supplier',
      header: t('stock.supplier'),
      render: (a) => (a.supplierId ? (suppliers.get(a.supplierId) ?? '…') : '—'),
    },
    { key: 'lead', header: t('stock.leadTime'), render: (a) => t('stock.days', { count: a.leadTimeDays }) },
    {
      key: 'actions',
      header: t('common.actions'),
      render: (a) =>
        can('stock.manage', { orgId: a.orgId }) && (
          <Button size="compact-sm" variant="subtle" onClick={() => setDialog({ kind: 'edit', article: a })}>
            {t('common.edit')}
          </Button>
        ),
    },
  ];

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <SimpleGrid cols={{ base: 1, sm: 2 }} style={{ flex: 1 }}>
          <TextInput
            label={t('common.search')}
            placeholder={t('stock.searchArticles')}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            type="search"
          />
          <OrgSelect
            label={t('stock.org')}
            value={orgId}
            onChange={setOrgId}
            clearable
            placeholder={t('common.all')}
          />
        </SimpleGrid>
        {can('stock.manage') && (
          <Button onClick={() => setDialog({ kind: 'create' })}>{t('stock.createArticle')}</Button>
        )}
      </Group>
      <PagedTable
        query={query}
        columns={columns}
        rowKey={(a) => a.id}
        caption={t('stock.tabs.articles')}
        emptyText={t('stock.emptyArticles')}
      />
      <AppModal
        opened={dialog !== null}
        onClose={close}
        centered
        size="lg"
        title={dialog?.kind === 'edit' ? t('stock.editArticle') : t('stock.createArticle')}
      >
        {dialog && (
          <ArticleForm
            article={dialog.kind === 'edit' ? dialog.article : null}
            defaultOrgId={orgId ?? me.memberships[0]?.orgId ?? null}
            onDone={done}
          />
        )}
      </AppModal>
    </Stack>
  );
}

type Values = {
  name: string;
  reference: string;
  unit: string;
  modelId: string | null;
  supplierId: string | null;
  leadTimeDays: number;
  notes: string;
};
const EMPTY: Values = {
  name: '',
  reference: '',
  unit: 'pcs',
  modelId: null,
  supplierId: null,
  leadTimeDays: 0,
  notes: '',
};
const bodyOf = (v: Values) => ({ ...v, reference: v.reference.trim() || null });

/** Creates an article, or edits one with the version read (If-Match). */
export function ArticleForm({
  article,
  defaultOrgId,
  onDone,
}: {
  article: StockArticle | null;
  defaultOrgId: string | null;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [orgId, setOrgId] = useState<string | null>(article?.orgId ?? defaultOrgId);
  const [values, setValues] = useState<Values>(EMPTY);
  const set = (v: Partial<Values>) => setValues((old) => ({ ...old, ...v }));
  const create = useMutation({
    mutationFn: () => createArticle({ orgId: orgId ?? '', ...bodyOf(values) }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('stock.articleCreated') });
      onDone();
    },
  });
  const edit = useVersionedEdit({
    queryKey: ['stock', 'article', article?.id, 'edit'],
    load: () => getArticle(article?.id ?? ''),
    save: (etag) => updateArticle(article?.id ?? '', bodyOf(values), etag),
    reset: (a: StockArticle) =>
      setValues({
        name: a.name,
        reference: a.reference ?? '',
        unit: a.unit,
        modelId: a.modelId,
        supplierId: a.supplierId,
        leadTimeDays: a.leadTimeDays,
        notes: a.notes,
      }),
    onSaved: () => {
      notifications.show({ color: 'teal', message: t('common.saved') });
      onDone();
    },
    enabled: article !== null,
  });
  if (article && edit.record.isError)
    return <ErrorAlert error={edit.record.error} onRetry={() => void edit.record.refetch()} />;
  if (article && edit.record.isPending) return <FormSkeleton fields={5} />;
  const err = article ? edit.error : create.error;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (article) edit.mutation.mutate();
    else create.mutate();
  };
  return (
    <form onSubmit={onSubmit}>
      <Stack>
        <ConflictAlert show={edit.conflict} />
        {!article && (
          <OrgSelect
            label={t('stock.org')}
            value={orgId}
            onChange={setOrgId}
            required
            error={fieldError(err, 'orgId')}
          />
        )}
        <TextInput
          label={t('stock.articleName')}
          value={values.name}
          onChange={(e) => set({ name: e.currentTarget.value })}
          required
          data-autofocus
          error={fieldError(err, 'name')}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('stock.reference')}
            description={t('stock.referenceHelp')}
            value={values.reference}
            onChange={(e) => set({ reference: e.currentTarget.value })}
            error={fieldError(err, 'reference')}
          />
          <TextInput
            label={t('stock.unit')}
            description={t('stock.unitHelp')}
            value={values.unit}
            onChange={(e) => set({ unit: e.currentTarget.value })}
            required
            error={fieldError(err, 'unit')}
          />
          <PartySelect
            kind="suppliers"
            orgId={orgId}
            label={t('stock.supplier')}
            value={values.supplierId}
            onChange={(v) => set({ supplierId: v })}
            error={fieldError(err, 'supplierId')}
          />
          <NumberInput
            label={t('stock.leadTimeDays')}
            min={0}
            max={365}
            value={values.leadTimeDays}
            onChange={(v) => set({ leadTimeDays: typeof v === 'number' ? v : 0 })}
            error={fieldError(err, 'leadTimeDays')}
          />
        </SimpleGrid>
        <ModelSelect
          orgId={orgId}
          label={t('stock.model')}
          description={t('stock.modelHelp')}
          value={values.modelId}
          onChange={(v) => set({ modelId: v })}
          error={fieldError(err, 'modelId')}
        />
        <Textarea
          label={t('stock.notes')}
          value={values.notes}
          onChange={(e) => set({ notes: e.currentTarget.value })}
          autosize
          minRows={2}
        />
        {!article && (
          <Text size="xs" c="dimmed">
            {t('stock.articleMinimumHint')}
          </Text>
        )}
        <ErrorAlert error={err} fields={FIELDS} />
        <Group justify="flex-end">
          <Button type="submit" loading={article ? edit.mutation.isPending : create.isPending}>
            {article ? t('common.save') : t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
