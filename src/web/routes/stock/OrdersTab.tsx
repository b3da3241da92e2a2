import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Group,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { PURCHASE_ORDER_STATUSES, type PurchaseOrderStatus } from '../../../shared/schemas/stock.js';
import { AppModal } from '../../components/AppModal.js';
import { ModelSelect, PartySelect } from '../../components/AssetPickers.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { formatDate } from '../../components/format.js';
import { type Column, PagedTable, usePagedQuery } from '../../components/PagedTable.js';
import { OrgSelect } from '../../components/Pickers.js';
import { useCan, useSession } from '../../session/session.js';
import { createOrder, listOrders, type PurchaseOrderSummary } from './api.js';
import { ArticleSelect, StockLocationSelect } from './StockPickers.js';

export const ORDER_COLORS: Record<PurchaseOrderStatus, string> = {
  ordered: 'blue',
  partly_received: 'yellow',
  received: 'teal',
  cancelled: 'gray',
};

/** Purchase orders, newest first; supervisors place them, technicians receive them. */
export function OrdersTab() {
  const { t } = useTranslation();
  const can = useCan();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [status, setStatus] = useState<string | null>(null);
  const [orgId, setOrgId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const filters = {
    q: q || undefined,
    orgId: orgId ?? undefined,
    status: (status as PurchaseOrderStatus | null) ?? undefined,
  };
  const query = usePagedQuery(['stock', 'orders', filters], (cursor) => listOrders({ ...filters, cursor }));

  const columns: Column<PurchaseOrderSummary>[] = [
    {
      key: 'reference',
      header: t('stock.orderReference'),
      render: (o) => (
        <Anchor component={Link} to={`/stock/orders/${o.id}`}>
          {o.reference}
        </Anchor>
      ),
    },
    { key: 'supplier', header: t('stock.supplier'), render: (o) => o.supplierName },
    {
      key: 'status',
      header: t('stock.status'),
      render: (o) => (
        <Badge color={ORDER_COLORS[o.status]} variant="light">
          {t(`stock.orderStatus.${o.status}`)}
        </Badge>
      ),
    },
    { key: 'lines', header: t('stock.lines'), render: (o) => o.lineCount },
    { key: 'ordered', header: t('stock.orderedAt'), render: (o) => formatDate(o.orderedAt) },
    { key: 'expected', header: t('stock.expectedDate'), render: (o) => formatDate(o.expectedDate) },
  ];

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <SimpleGrid cols={{ base: 1, sm: 3 }} style={{ flex: 1 }}>
          <TextInput
            label={t('common.search')}
            placeholder={t('stock.searchOrders')}
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
          <Select
            label={t('stock.status')}
            data={PURCHASE_ORDER_STATUSES.map((s) => ({ value: s, label: t(`stock.orderStatus.${s}`) }))}
            value={status}
            onChange={setStatus}
            clearable
            placeholder={t('common.all')}
          />
        </SimpleGrid>
        {can('purchase.manage') && (
          <Button onClick={() => setCreating(true)}>{t('stock.createOrder')}</Button>
        )}
      </Group>
      <PagedTable
        query={query}
        columns={columns}
        rowKey={(o) => o.id}
        caption={t('stock.tabs.orders')}
        emptyText={t('stock.emptyOrders')}
      />
      <AppModal
        opened={creating}
        onClose={() => setCreating(false)}
        centered
        size="xl"
        title={t('stock.createOrder')}
      >
        {creating && <OrderForm defaultOrgId={orgId} />}
      </AppModal>
    </Stack>
  );
}

type LineDraft = { key: number; kind: 'article' | 'model'; refId: string | null; quantity: number };
let nextKey = 1;
const newLine = (): LineDraft => ({ key: nextKey++, kind: 'article', refId: null, quantity: 1 });

/** A new order: supplier, receiving store, lines of articles (quantities) or models (serialised units). */
function OrderForm({ defaultOrgId }: { defaultOrgId: string | null }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [orgId, setOrgId] = useState<string | null>(defaultOrgId ?? me.memberships[0]?.orgId ?? null);
  const [supplierId, setSupplierId] = useState<string | null>(null);
  const [stockLocationId, setStockLocationId] = useState<string | null>(null);
  const [expectedDate, setExpectedDate] = useState('');
  const [notes, setNotes] = useState('');
  const [lines, setLines] = useState<LineDraft[]>([newLine()]);
  const setLine = (key: number, v: Partial<LineDraft>) =>
    setLines((old) => old.map((l) => (l.key === key ? { ...l, ...v } : l)));
  const create = useMutation({
    mutationFn: () =>
      createOrder({
        orgId: orgId ?? '',
        supplierId: supplierId ?? '',
        stockLocationId: stockLocationId ?? '',
        expectedDate: expectedDate || undefined,
        notes,
        lines: lines.map((l) =>
          l.kind === 'article'
            ? { articleId: l.refId ?? '', quantity: l.quantity }
            : { modelId: l.refId ?? '', quantity: l.quantity },
        ),
      }),
    onSuccess: (order) => {
      void queryClient.invalidateQueries({ queryKey: ['stock'] });
      void navigate(`/stock/orders/${order.id}`);
    },
  });
  const err = create.error;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <OrgSelect
            label={t('stock.org')}
            value={orgId}
            onChange={setOrgId}
            required
            error={fieldError(err, 'orgId')}
          />
          <PartySelect
            kind="suppliers"
            orgId={orgId}
            label={t('stock.supplier')}
            value={supplierId}
            onChange={setSupplierId}
            required
            error={fieldError(err, 'supplierId')}
          />
          <StockLocationSelect
            label={t('stock.receivingLocation')}
            value={stockLocationId}
            onChange={setStockLocationId}
            orgId={orgId}
            required
            error={fieldError(err, 'stockLocationId')}
          />
          <TextInput
            type="date"
            label={t('stock.expectedDate')}
            description={t('stock.expectedDateHelp')}
            value={expectedDate}
            onChange={(e) => setExpectedDate(e.currentTarget.value)}
            error={fieldError(err, 'expectedDate')}
          />
        </SimpleGrid>
        <Text fw={600}>{t('stock.lines')}</Text>
        {lines.map((l, i) => (
          <Group key={l.key} align="flex-end" wrap="nowrap">
            <SegmentedControl
              value={l.kind}
              onChange={(v) => setLine(l.key, { kind: v as LineDraft['kind'], refId: null })}
              data={[
                { value: 'article', label: t('stock.lineArticle') },
                { value: 'model', label: t('stock.lineModel') },
              ]}
              aria-label={t('stock.lineKind')}
            />
            <div style={{ flex: 1 }}>
              {l.kind === 'article' ? (
                <ArticleSelect
                  label={t('stock.article')}
                  value={l.refId}
                  onChange={(v) => setLine(l.key, { refId: v })}
                  orgId={orgId}
                  required
                  error={fieldError(err, `lines.${i}.articleId`)}
                />
              ) : (
                <ModelSelect
                  label={t('stock.model')}
                  value={l.refId}
                  onChange={(v) => setLine(l.key, { refId: v })}
                  orgId={orgId}
                  required
                  error={fieldError(err, `lines.${i}.modelId`)}
                />
              )}
            </div>
            <NumberInput
              label={t('stock.quantity')}
              min={1}
              w={110}
              value={l.quantity}
              onChange={(v) => setLine(l.key, { quantity: typeof v === 'number' ? v : 1 })}
              error={fieldError(err, `lines.${i}.quantity`)}
            />
            <ActionIcon
              variant="subtle"
              color="red"
              size="lg"
              disabled={lines.length === 1}
              onClick={() => setLines((old) => old.filter((x) => x.key !== l.key))}
              aria-label={t('stock.removeLine', { n: i + 1 })}
            >
              ×
            </ActionIcon>
          </Group>
        ))}
        <div>
          <Button variant="default" size="xs" onClick={() => setLines((old) => [...old, newLine()])}>
            {t('stock.addLine')}
          </Button>
        </div>
        <Textarea
          label={t('stock.notes')}
          value={notes}
          onChange={(e) => setNotes(e.currentTarget.value)}
          autosize
          minRows={2}
        />
        <ErrorAlert
          error={err}
          fields={['orgId', 'supplierId', 'stockLocationId', 'expectedDate', 'lines']}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={create.isPending}>
            {t('stock.placeOrder')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
