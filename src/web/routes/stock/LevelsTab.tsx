import {
  Badge,
  Button,
  Group,
  Menu,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { LEVEL_SORTS } from '../../../shared/schemas/stock.js';
import { AppModal } from '../../components/AppModal.js';
import { ConflictAlert } from '../../components/ConflictAlert.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { FormSkeleton } from '../../components/FormSkeleton.js';
import { type Column, PagedTable, usePagedQuery } from '../../components/PagedTable.js';
import { OrgSelect } from '../../components/Pickers.js';
import { useVersionedEdit } from '../../components/useVersionedEdit.js';
import { useCan } from '../../session/session.js';
import { getLevel, listLevels, type StockLevel, setMinimum } from './api.js';
import { MovementDialog, type MovementPreset } from './MovementDialog.js';
import { StockLocationSelect } from './StockPickers.js';

type Sort = (typeof LEVEL_SORTS)[number];

/** Every level with its figures; "to reorder" in red. Filters live in the address, so the reorder mail links here. */
export function LevelsTab() {
  const { t } = useTranslation();
  const can = useCan();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [q] = useDebouncedValue(search.trim(), 250);
  const set = (name: string, value: string | null) =>
    setParams(
      (old) => {
        const next = new URLSearchParams(old);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );
  const sort = (LEVEL_SORTS.find((s) => s === params.get('sort')) ?? 'article') as Sort;
  const order = params.get('order') === 'desc' ? 'desc' : 'asc';
  const filters = {
    q: q || undefined,
    orgId: params.get('orgId') ?? undefined,
    stockLocationId: params.get('stockLocationId') ?? undefined,
    toReorder: params.get('toReorder') === 'true' ? 'true' : undefined,
    sort,
    order: order as 'asc' | 'desc',
  };
  const query = usePagedQuery(['stock', 'levels', filters], (cursor) => listLevels({ ...filters, cursor }));
  const [moving, setMoving] = useState<MovementPreset | null>(null);
  const [minimum, setMinimumOf] = useState<StockLevel | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['stock'] });

  const columns: Column<StockLevel>[] = [
    {
      key: 'article',
      header: t('stock.article'),
      render: (l) => (
        <Stack gap={0}>
          <Text size="sm" fw={500}>
            {l.articleName}
          </Text>
          {l.reference && (
            <Text size="xs" c="dimmed">
              {l.reference}
            </Text>
          )}
        </Stack>
      ),
    },
    { key: 'location', header: t('stock.location'), render: (l) => l.stockLocationName },
    { key: 'quantity', header: t('stock.onHand'), render: (l) => `${l.quantity} ${l.unit}` },
    { key: 'reserved', header: t('stock.reserved'), render: (l) => l.reserved },
    {
      key: 'available',
      header: t('stock.available'),
      render: (l) => (
        <Group gap="xs" wrap="nowrap">
          <Text size="sm" fw={600}>
            {l.available}
          </Text>
          {l.toReorder && (
            <Badge color="red" variant="light">
              {t('stock.toReorder')}
            </Badge>
          )}
        </Group>
      ),
    },
    { key: 'minimum', header: t('stock.minimum'), render: (l) => (l.minQuantity > 0 ? l.minQuantity : '—') },
    { key: 'lead', header: t('stock.leadTime'), render: (l) => t('stock.days', { count: l.leadTimeDays }) },
    {
      key: 'actions',
      header: t('common.actions'),
      render: (l) =>
        can('stock.manage', { orgId: l.orgId }) && (
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <Button
                size="compact-sm"
                variant="subtle"
                aria-label={`${t('common.actions')} ${l.articleName}`}
              >
                {t('common.actions')}
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              {(['in', 'out', 'transfer', 'adjustment'] as const).map((kind) => (
                <Menu.Item
                  key={kind}
                  onClick={() =>
                    setMoving({
                      kind,
                      orgId: l.orgId,
                      articleId: l.articleId,
                      stockLocationId: l.stockLocationId,
                    })
                  }
                >
                  {t(`stock.kinds.${kind}`)}
                </Menu.Item>
              ))}
              <Menu.Item onClick={() => setMinimumOf(l)}>{t('stock.setMinimum')}</Menu.Item>
            </Menu.Dropdown>
          </Menu>
        ),
    },
  ];

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} style={{ flex: 1 }}>
          <TextInput
            label={t('common.search')}
            placeholder={t('stock.searchArticles')}
            value={search}
            onChange={(e) => {
              setSearch(e.currentTarget.value);
              set('q', e.currentTarget.value.trim() || null);
            }}
            type="search"
          />
          <OrgSelect
            label={t('stock.org')}
            value={params.get('orgId')}
            onChange={(v) => set('orgId', v)}
            clearable
            placeholder={t('common.all')}
          />
          <StockLocationSelect
            label={t('stock.location')}
            value={params.get('stockLocationId')}
            onChange={(v) => set('stockLocationId', v)}
            orgId={params.get('orgId')}
            placeholder={t('common.all')}
          />
          <Select
            label={t('stock.sortBy')}
            data={LEVEL_SORTS.flatMap((s) =>
              (['asc', 'desc'] as const).map((o) => ({
                value: `${s}:${o}`,
                label: t(`stock.sorts.${s}_${o}`),
              })),
            )}
            value={`${sort}:${order}`}
            onChange={(v) => {
              const [s, o] = (v ?? 'article:asc').split(':');
              set('sort', s === 'article' ? null : (s ?? null));
              set('order', o === 'desc' ? 'desc' : null);
            }}
            allowDeselect={false}
          />
        </SimpleGrid>
        {can('stock.manage') && (
          <Button onClick={() => setMoving({ kind: 'in' })}>{t('stock.newMovement')}</Button>
        )}
      </Group>
      <Switch
        label={t('stock.onlyToReorder')}
        checked={filters.toReorder === 'true'}
        onChange={(e) => set('toReorder', e.currentTarget.checked ? 'true' : null)}
      />
      <PagedTable
        query={query}
        columns={columns}
        rowKey={(l) => `${l.articleId}:${l.stockLocationId}`}
        caption={t('stock.tabs.levels')}
        emptyText={filters.toReorder ? t('stock.emptyToReorder') : t('stock.emptyLevels')}
      />
      <MovementDialog
        preset={moving}
        onClose={() => setMoving(null)}
        onDone={() => {
          setMoving(null);
          notifications.show({ color: 'teal', message: t('stock.movementBooked') });
          refresh();
        }}
      />
      <AppModal
        opened={minimum !== null}
        onClose={() => setMinimumOf(null)}
        centered
        title={t('stock.setMinimum')}
      >
        {minimum && (
          <MinimumForm
            level={minimum}
            onDone={() => {
              setMinimumOf(null);
              refresh();
            }}
          />
        )}
      </AppModal>
    </Stack>
  );
}

/** The reorder point of one level, saved with the version read (If-Match). */
function MinimumForm({ level, onDone }: { level: StockLevel; onDone: () => void }) {
  const { t } = useTranslation();
  const [value, setValue] = useState<number>(level.minQuantity);
  const edit = useVersionedEdit({
    queryKey: ['stock', 'level', level.articleId, level.stockLocationId],
    load: () => getLevel(level.articleId, level.stockLocationId),
    save: (etag) => setMinimum(level.articleId, level.stockLocationId, value, etag),
    reset: (l) => setValue(l.minQuantity),
    onSaved: onDone,
  });
  if (edit.record.isPending) return <FormSkeleton fields={1} />;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    edit.mutation.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        <ConflictAlert show={edit.conflict} />
        <Text size="sm">
          {level.articleName} — {level.stockLocationName}
        </Text>
        <NumberInput
          label={t('stock.minimum')}
          description={t('stock.minimumHelp')}
          min={0}
          value={value}
          onChange={(v) => setValue(typeof v === 'number' ? v : 0)}
          error={fieldError(edit.error, 'minQuantity')}
          data-autofocus
        />
        <ErrorAlert error={edit.error} fields={['minQuantity']} />
        <Group justify="flex-end">
          <Button type="submit" loading={edit.mutation.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
