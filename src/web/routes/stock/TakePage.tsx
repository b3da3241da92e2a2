import { Anchor, Badge, Button, Group, NumberInput, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client.js';
import { ConfirmModal } from '../../components/ConfirmModal.js';
import { ConflictAlert } from '../../components/ConflictAlert.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { FormSkeleton } from '../../components/FormSkeleton.js';
import { useCan } from '../../session/session.js';
import { bookTake, cancelTake, getTake, type StockTakeDetail, setCounts } from './api.js';
import { ArticleSelect } from './StockPickers.js';
import { TAKE_COLORS } from './TakesTab.js';

type Counts = Record<string, number | null>;

/** Entering counts (saved with the version read), the discrepancies as they come, and the booking. */
export function TakePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const can = useCan();
  const queryClient = useQueryClient();
  const take = useQuery({ queryKey: ['stock', 'take', id], queryFn: () => getTake(id), staleTime: 0 });
  const [counts, setCountsState] = useState<Counts>({});
  const [confirm, setConfirm] = useState<'book' | 'cancel' | null>(null);
  const [conflict, setConflict] = useState(false);
  useEffect(() => {
    if (take.data)
      setCountsState(Object.fromEntries(take.data.data.lines.map((l) => [l.articleId, l.counted])));
  }, [take.data]);
  const etag = take.data?.etag ?? null;
  const after = (result: { data: StockTakeDetail }) => {
    setConflict(false);
    queryClient.setQueryData(['stock', 'take', id], result);
    void queryClient.invalidateQueries({ queryKey: ['stock'] });
  };
  const onError = (err: unknown) => {
    if (err instanceof ApiError && err.status === 412) {
      setConflict(true);
      void take.refetch();
    }
  };
  const save = useMutation({
    mutationFn: () =>
      setCounts(
        id,
        Object.entries(counts).map(([articleId, counted]) => ({ articleId, counted })),
        etag,
      ),
    onSuccess: (r) => {
      after(r);
      notifications.show({ color: 'teal', message: t('stock.countsSaved') });
    },
    onError,
  });
  // An article found on the shelf but not listed: added with what is on hand as expected, then counted.
  const addLine = useMutation({
    mutationFn: (articleId: string) => setCounts(id, [{ articleId, counted: null }], etag),
    onSuccess: after,
    onError,
  });
  const close = useMutation({
    mutationFn: (what: 'book' | 'cancel') => (what === 'book' ? bookTake(id, etag) : cancelTake(id, etag)),
    onSuccess: (r) => {
      setConfirm(null);
      after(r);
    },
    onError,
  });

  if (take.isPending) return <FormSkeleton fields={4} />;
  if (take.isError) return <ErrorAlert error={take.error} onRetry={() => void take.refetch()} />;
  const s = take.data.data;
  const editable = s.status === 'open' && can('stock.manage', { orgId: s.orgId });
  const dirty = s.lines.some((l) => (counts[l.articleId] ?? null) !== l.counted);
  const uncounted = s.lines.filter((l) => l.counted === null).length;

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/stock?tab=takes" size="sm">
        ← {t('stock.tabs.takes')}
      </Anchor>
      <Group gap="sm">
        <Title order={2}>{t('stock.takeOf', { name: s.stockLocationName })}</Title>
        <Badge color={TAKE_COLORS[s.status]} variant="light">
          {t(`stock.takeStatus.${s.status}`)}
        </Badge>
      </Group>
      <ConflictAlert show={conflict} />
      {s.lines.length === 0 && !editable ? (
        <Text c="dimmed">{t('stock.emptyTake')}</Text>
      ) : (
        <Table aria-label={t('stock.counts')} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('stock.article')}</Table.Th>
              <Table.Th scope="col">{t('stock.expected')}</Table.Th>
              <Table.Th scope="col">{t('stock.counted')}</Table.Th>
              <Table.Th scope="col">{t('stock.discrepancy')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {s.lines.map((l) => {
              const value = counts[l.articleId] ?? null;
              const diff = value === null ? null : value - l.expected;
              return (
                <Table.Tr key={l.articleId}>
                  <Table.Td>
                    {l.articleName}
                    {l.reference && (
                      <Text size="xs" c="dimmed">
                        {l.reference}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {l.expected} {l.unit}
                  </Table.Td>
                  <Table.Td>
                    {editable ? (
                      <NumberInput
                        aria-label={t('stock.countedOf', { name: l.articleName })}
                        min={0}
                        w={120}
                        value={value ?? ''}
                        onChange={(v) =>
                          setCountsState((old) => ({
                            ...old,
                            [l.articleId]: typeof v === 'number' ? v : null,
                          }))
                        }
                      />
                    ) : (
                      (l.counted ?? '—')
                    )}
                  </Table.Td>
                  <Table.Td>
                    {diff === null ? (
                      '—'
                    ) : (
                      <Text
                        size="sm"
                        fw={diff !== 0 ? 700 : undefined}
                        c={diff < 0 ? 'red' : diff > 0 ? 'teal' : undefined}
                      >
                        {diff > 0 ? `+${diff}` : diff}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      {editable && (
        <>
          <Group align="flex-end">
            <div style={{ flex: 1, maxWidth: 420 }}>
              <ArticleSelect
                label={t('stock.addFoundArticle')}
                placeholder={dirty ? t('stock.saveFirst') : undefined}
                value={null}
                disabled={dirty || addLine.isPending}
                onChange={(v) => v && addLine.mutate(v)}
                orgId={s.orgId}
              />
            </div>
          </Group>
          <ErrorAlert error={save.error ?? addLine.error} />
          <Group justify="space-between">
            <Text size="sm" c="dimmed">
              {t('stock.uncounted', { count: uncounted })}
            </Text>
            <Group>
              <Button variant="default" color="red" onClick={() => setConfirm('cancel')}>
                {t('stock.cancelTake')}
              </Button>
              <Button
                variant="default"
                onClick={() => save.mutate()}
                loading={save.isPending}
                disabled={!dirty}
              >
                {t('stock.saveCounts')}
              </Button>
              <Button onClick={() => setConfirm('book')} disabled={dirty}>
                {t('stock.bookTake')}
              </Button>
            </Group>
          </Group>
        </>
      )}
      <ConfirmModal
        opened={confirm !== null}
        title={confirm === 'book' ? t('stock.bookTake') : t('stock.cancelTake')}
        message={confirm === 'book' ? t('stock.bookTakeConfirm') : t('stock.cancelTakeConfirm')}
        confirmLabel={confirm === 'book' ? t('stock.bookTake') : t('stock.cancelTake')}
        danger={confirm === 'cancel'}
        loading={close.isPending}
        error={close.error}
        onConfirm={() => confirm && close.mutate(confirm)}
        onClose={() => {
          setConfirm(null);
          close.reset();
        }}
      />
    </Stack>
  );
}
