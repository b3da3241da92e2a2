import { Badge, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MOVEMENT_KINDS, type MovementKind } from '../../../shared/schemas/stock.js';
import { formatDateTime } from '../../components/format.js';
import { type Column, PagedTable, usePagedQuery } from '../../components/PagedTable.js';
import { OrgSelect } from '../../components/Pickers.js';
import { listMovements, type StockMovement } from './api.js';
import { ArticleSelect, StockLocationSelect } from './StockPickers.js';
import { useStockLocationNames } from './useStockNames.js';

const KIND_COLORS: Record<MovementKind, string> = {
  in: 'teal',
  out: 'orange',
  transfer: 'blue',
  adjustment: 'grape',
  reservation: 'gray',
  release: 'gray',
};

/** The ledger, newest first: every movement with its author, reason and document. */
export function MovementsTab() {
  const { t } = useTranslation();
  const [orgId, setOrgId] = useState<string | null>(null);
  const [articleId, setArticleId] = useState<string | null>(null);
  const [stockLocationId, setStockLocationId] = useState<string | null>(null);
  const [kind, setKind] = useState<string | null>(null);
  const filters = {
    orgId: orgId ?? undefined,
    articleId: articleId ?? undefined,
    stockLocationId: stockLocationId ?? undefined,
    kind: (kind as MovementKind | null) ?? undefined,
  };
  const query = usePagedQuery(['stock', 'movements', filters], (cursor) =>
    listMovements({ ...filters, cursor }),
  );
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];
  const names = useStockLocationNames(rows.flatMap((m) => [m.fromLocationId, m.toLocationId]));
  const place = (id: string | null) => (id ? (names.get(id) ?? '…') : '—');

  const columns: Column<StockMovement>[] = [
    { key: 'at', header: t('stock.at'), render: (m) => formatDateTime(m.at) },
    {
      key: 'kind',
      header: t('stock.kind'),
      render: (m) => (
        <Badge color={KIND_COLORS[m.kind]} variant="light">
          {t(`stock.kinds.${m.kind}`)}
        </Badge>
      ),
    },
    { key: 'article', header: t('stock.article'), render: (m) => m.articleName },
    { key: 'quantity', header: t('stock.quantity'), render: (m) => m.quantity },
    { key: 'from', header: t('stock.from'), render: (m) => place(m.fromLocationId) },
    { key: 'to', header: t('stock.to'), render: (m) => place(m.toLocationId) },
    {
      key: 'reason',
      header: t('stock.reason'),
      render: (m) => (
        <Stack gap={0}>
          <Text size="sm">{m.reason || '—'}</Text>
          {m.document && (
            <Text size="xs" c="dimmed">
              {t(`stock.documents.${m.document.kind}`, { defaultValue: m.document.kind })}{' '}
              {m.document.id.slice(0, 8)}
            </Text>
          )}
        </Stack>
      ),
    },
    { key: 'author', header: t('stock.author'), render: (m) => m.authorLabel },
  ];

  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
        <OrgSelect
          label={t('stock.org')}
          value={orgId}
          onChange={setOrgId}
          clearable
          placeholder={t('common.all')}
        />
        <ArticleSelect
          label={t('stock.article')}
          value={articleId}
          onChange={setArticleId}
          orgId={orgId}
          placeholder={t('common.all')}
        />
        <StockLocationSelect
          label={t('stock.location')}
          value={stockLocationId}
          onChange={setStockLocationId}
          orgId={orgId}
          placeholder={t('common.all')}
        />
        <Select
          label={t('stock.kind')}
          data={MOVEMENT_KINDS.map((k) => ({ value: k, label: t(`stock.kinds.${k}`) }))}
          value={kind}
          onChange={setKind}
          clearable
          placeholder={t('common.all')}
        />
      </SimpleGrid>
      <PagedTable
        query={query}
        columns={columns}
        rowKey={(m) => m.id}
        caption={t('stock.tabs.movements')}
        emptyText={t('stock.emptyMovements')}
      />
    </Stack>
  );
}
