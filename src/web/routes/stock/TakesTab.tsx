import { Anchor, Badge, Button, Group, Select, SimpleGrid, Stack, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { STOCK_TAKE_STATUSES } from '../../../shared/schemas/stock.js';
import { AppModal } from '../../components/AppModal.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { formatDateTime } from '../../components/format.js';
import { type Column, PagedTable, usePagedQuery } from '../../components/PagedTable.js';
import { useCan } from '../../session/session.js';
import { createTake, listTakes, type StockTake } from './api.js';
import { StockLocationSelect } from './StockPickers.js';

export const TAKE_COLORS: Record<StockTake['status'], string> = {
  open: 'blue',
  booked: 'teal',
  cancelled: 'gray',
};

/** Stock-takings: counts of a store, open until their discrepancies are booked. */
export function TakesTab() {
  const { t } = useTranslation();
  const can = useCan();
  const [stockLocationId, setStockLocationId] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const filters = {
    stockLocationId: stockLocationId ?? undefined,
    status: (status as StockTake['status'] | null) ?? undefined,
  };
  const query = usePagedQuery(['stock', 'takes', filters], (cursor) => listTakes({ ...filters, cursor }));
  const columns: Column<StockTake>[] = [
    {
      key: 'location',
      header: t('stock.location'),
      render: (s) => (
        <Anchor component={Link} to={`/stock/takes/${s.id}`}>
          {s.stockLocationName}
        </Anchor>
      ),
    },
    {
      key: 'status',
      header: t('stock.status'),
      render: (s) => (
        <Badge color={TAKE_COLORS[s.status]} variant="light">
          {t(`stock.takeStatus.${s.status}`)}
        </Badge>
      ),
    },
    { key: 'started', header: t('stock.startedAt'), render: (s) => formatDateTime(s.createdAt) },
    {
      key: 'booked',
      header: t('stock.bookedAt'),
      render: (s) => (s.bookedAt ? formatDateTime(s.bookedAt) : '—'),
    },
  ];
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <SimpleGrid cols={{ base: 1, sm: 2 }} style={{ flex: 1 }}>
          <StockLocationSelect
            label={t('stock.location')}
            value={stockLocationId}
            onChange={setStockLocationId}
            placeholder={t('common.all')}
          />
          <Select
            label={t('stock.status')}
            data={STOCK_TAKE_STATUSES.map((s) => ({ value: s, label: t(`stock.takeStatus.${s}`) }))}
            value={status}
            onChange={setStatus}
            clearable
            placeholder={t('common.all')}
          />
        </SimpleGrid>
        {can('stock.manage') && <Button onClick={() => setStarting(true)}>{t('stock.startTake')}</Button>}
      </Group>
      <PagedTable
        query={query}
        columns={columns}
        rowKey={(s) => s.id}
        caption={t('stock.tabs.takes')}
        emptyText={t('stock.emptyTakes')}
      />
      <AppModal opened={starting} onClose={() => setStarting(false)} centered title={t('stock.startTake')}>
        {starting && <StartTakeForm />}
      </AppModal>
    </Stack>
  );
}

function StartTakeForm() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [stockLocationId, setStockLocationId] = useState<string | null>(null);
  const [notes, setNotes] = useState('');
  const start = useMutation({
    mutationFn: () => createTake({ stockLocationId: stockLocationId ?? '', notes }),
    onSuccess: (take) => {
      void queryClient.invalidateQueries({ queryKey: ['stock'] });
      void navigate(`/stock/takes/${take.id}`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    start.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        <StockLocationSelect
          label={t('stock.location')}
          value={stockLocationId}
          onChange={setStockLocationId}
          required
          error={fieldError(start.error, 'stockLocationId')}
        />
        <Textarea
          label={t('stock.notes')}
          value={notes}
          onChange={(e) => setNotes(e.currentTarget.value)}
          autosize
        />
        <ErrorAlert error={start.error} fields={['stockLocationId']} />
        <Group justify="flex-end">
          <Button type="submit" loading={start.isPending}>
            {t('stock.startTake')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
