import {
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  NumberInput,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { isApiError } from '../../api/client.js';
import { ConfirmModal } from '../../components/ConfirmModal.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { FormSkeleton } from '../../components/FormSkeleton.js';
import { formatDate, formatDateTime } from '../../components/format.js';
import { useCan } from '../../session/session.js';
import { cancelOrder, getOrder, type PurchaseOrder, receiveOrder } from './api.js';
import { ORDER_COLORS } from './OrdersTab.js';
import { useStockLocationNames } from './useStockNames.js';

/** One purchase order: its lines, what was received, and the reception of a delivery. */
export function OrderPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const can = useCan();
  const queryClient = useQueryClient();
  const order = useQuery({ queryKey: ['stock', 'order', id], queryFn: () => getOrder(id) });
  const [cancelling, setCancelling] = useState(false);
  const names = useStockLocationNames([order.data?.data.stockLocationId]);
  const cancel = useMutation({
    mutationFn: () => cancelOrder(id, order.data?.etag ?? null),
    onSuccess: () => {
      setCancelling(false);
      void queryClient.invalidateQueries({ queryKey: ['stock'] });
    },
  });
  if (order.isPending) return <FormSkeleton fields={4} />;
  if (order.isError) return <ErrorAlert error={order.error} onRetry={() => void order.refetch()} />;
  const o = order.data.data;
  const open = o.status === 'ordered' || o.status === 'partly_received';
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/stock?tab=orders" size="sm">
        ← {t('stock.tabs.orders')}
      </Anchor>
      <Group justify="space-between">
        <Group gap="sm">
          <Title order={2}>{o.reference}</Title>
          <Badge color={ORDER_COLORS[o.status]} variant="light">
            {t(`stock.orderStatus.${o.status}`)}
          </Badge>
        </Group>
        {open && can('purchase.manage', { orgId: o.orgId }) && (
          <Button variant="default" color="red" onClick={() => setCancelling(true)}>
            {t('stock.cancelOrder')}
          </Button>
        )}
      </Group>
      <Card withBorder>
        <Group gap="xl">
          <Info label={t('stock.supplier')} value={o.supplierName} />
          <Info label={t('stock.receivingLocation')} value={names.get(o.stockLocationId) ?? '…'} />
          <Info label={t('stock.orderedAt')} value={formatDateTime(o.orderedAt)} />
          <Info label={t('stock.expectedDate')} value={formatDate(o.expectedDate)} />
        </Group>
        {o.notes && (
          <Text size="sm" mt="sm">
            {o.notes}
          </Text>
        )}
      </Card>
      {open && can('stock.manage', { orgId: o.orgId }) ? (
        <ReceptionForm
          key={o.version}
          order={o}
          onDone={() => void queryClient.invalidateQueries({ queryKey: ['stock'] })}
        />
      ) : (
        <LinesTable order={o} />
      )}
      <ConfirmModal
        opened={cancelling}
        title={t('stock.cancelOrder')}
        message={t('stock.cancelOrderConfirm', { reference: o.reference })}
        confirmLabel={t('stock.cancelOrder')}
        danger
        loading={cancel.isPending}
        error={cancel.error}
        onConfirm={() => cancel.mutate()}
        onClose={() => setCancelling(false)}
      />
    </Stack>
  );
}

function Info({ label, value }: { label: string; value: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm">{value}</Text>
    </Stack>
  );
}

function LinesTable({ order }: { order: PurchaseOrder }) {
  const { t } = useTranslation();
  return (
    <Table aria-label={t('stock.lines')} striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{t('stock.article')}</Table.Th>
          <Table.Th scope="col">{t('stock.ordered')}</Table.Th>
          <Table.Th scope="col">{t('stock.received')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {order.lines.map((l) => (
          <Table.Tr key={l.id}>
            <Table.Td>
              {l.label} {l.serialised && <Badge variant="outline">{t('stock.serialised')}</Badge>}
            </Table.Td>
            <Table.Td>{l.quantity}</Table.Td>
            <Table.Td>{l.receivedQuantity}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

type Draft = Record<string, { quantity: number; serials: string }>;
const serialsOf = (text: string) =>
  text
    .split(/[\n,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** What arrived: a quantity per line, and one serial number per unit of a serialised line. */
function ReceptionForm({ order, onDone }: { order: PurchaseOrder; onDone: () => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Draft>(() =>
    Object.fromEntries(
      order.lines.map((l) => [l.id, { quantity: Math.max(0, l.quantity - l.receivedQuantity), serials: '' }]),
    ),
  );
  const [confirmOver, setConfirmOver] = useState(false);
  const [note, setNote] = useState('');
  const received = order.lines.filter((l) => (draft[l.id]?.quantity ?? 0) > 0);
  const receive = useMutation({
    mutationFn: () =>
      receiveOrder(order.id, {
        lines: received.map((l) => ({
          lineId: l.id,
          quantity: draft[l.id]!.quantity,
          ...(l.serialised && { serials: serialsOf(draft[l.id]!.serials) }),
        })),
        confirmOverReceipt: confirmOver,
        note,
      }),
    onSuccess: (r) => {
      notifications.show({
        color: 'teal',
        message:
          r.assetIds.length > 0
            ? t('stock.receivedWithAssets', { count: r.assetIds.length })
            : t('stock.receivedDone'),
      });
      setConfirmOver(false);
      onDone();
    },
  });
  const err = receive.error;
  const over = isApiError(err, 'purchase_order.over_receipt');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    receive.mutate();
  };
  const index = (lineId: string) => received.findIndex((l) => l.id === lineId);
  return (
    <form onSubmit={submit}>
      <Stack>
        <Title order={3}>{t('stock.receive')}</Title>
        <Table aria-label={t('stock.lines')} verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('stock.article')}</Table.Th>
              <Table.Th scope="col">{t('stock.ordered')}</Table.Th>
              <Table.Th scope="col">{t('stock.received')}</Table.Th>
              <Table.Th scope="col">{t('stock.receivingNow')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {order.lines.map((l) => {
              const d = draft[l.id] ?? { quantity: 0, serials: '' };
              const set = (v: Partial<typeof d>) => setDraft((old) => ({ ...old, [l.id]: { ...d, ...v } }));
              const i = index(l.id);
              const count = serialsOf(d.serials).length;
              return (
                <Table.Tr key={l.id}>
                  <Table.Td>
                    <Text size="sm">{l.label}</Text>
                    {l.serialised && <Badge variant="outline">{t('stock.serialised')}</Badge>}
                  </Table.Td>
                  <Table.Td>{l.quantity}</Table.Td>
                  <Table.Td>{l.receivedQuantity}</Table.Td>
                  <Table.Td>
                    <Stack gap="xs">
                      <NumberInput
                        aria-label={t('stock.receivingNowOf', { label: l.label })}
                        min={0}
                        w={120}
                        value={d.quantity}
                        onChange={(v) => set({ quantity: typeof v === 'number' ? v : 0 })}
                        error={i >= 0 ? fieldError(err, `lines.${i}.quantity`) : undefined}
                      />
                      {l.serialised && d.quantity > 0 && (
                        <Textarea
                          label={t('stock.serials')}
                          description={t('stock.serialsHelp', { count, expected: d.quantity })}
                          value={d.serials}
                          onChange={(e) => set({ serials: e.currentTarget.value })}
                          autosize
                          minRows={2}
                          error={i >= 0 ? fieldError(err, `lines.${i}.serials`) : undefined}
                        />
                      )}
                    </Stack>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
        <Textarea
          label={t('stock.receptionNote')}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          autosize
        />
        <ErrorAlert error={err} />
        {(over || confirmOver) && (
          <Checkbox
            label={t('stock.confirmOverReceipt')}
            checked={confirmOver}
            onChange={(e) => setConfirmOver(e.currentTarget.checked)}
          />
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={receive.isPending} disabled={received.length === 0}>
            {t('stock.receive')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
