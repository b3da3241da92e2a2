import { Badge, Card, Code, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDateTime } from '../../components/format.js';
import { type Column, PagedTable, usePagedQuery } from '../../components/PagedTable.js';
import { type EventFilters, eventHistogram, listEvents, type SecurityEvent } from './api.js';

const PERIODS = { '1h': 3600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
type Period = keyof typeof PERIODS;

/** The events explorer: filters, a histogram over the period, and the events newest first. */
export function EventsTab() {
  const { t } = useTranslation();
  const [period, setPeriod] = useState<Period>('24h');
  const [host, setHost] = useState('');
  const [user, setUser] = useState('');
  const [srcIp, setSrcIp] = useState('');
  const [text, setText] = useState('');
  const [outcome, setOutcome] = useState<string | null>(null);
  const [debounced] = useDebouncedValue({ host, user, srcIp, text }, 300);
  // The period's end is fixed when the period changes, so pages and histogram read the same window.
  const range = useMemo(() => {
    const to = new Date();
    return { from: new Date(to.getTime() - PERIODS[period]).toISOString(), to: to.toISOString() };
  }, [period]);
  const filters: EventFilters = {
    ...range,
    host: debounced.host || undefined,
    user: debounced.user || undefined,
    srcIp: debounced.srcIp || undefined,
    q: debounced.text || undefined,
    outcome: (outcome as EventFilters['outcome']) ?? undefined,
  };
  const query = usePagedQuery(['security', 'events', filters], (cursor) =>
    listEvents({ ...filters, cursor }),
  );
  const histogram = useQuery({
    queryKey: ['security', 'histogram', filters],
    queryFn: () => eventHistogram({ ...filters, from: range.from, to: range.to, buckets: 48 }),
    placeholderData: keepPreviousData,
  });
  const columns: Column<SecurityEvent>[] = [
    { key: 'time', header: t('security.time'), render: (e) => formatDateTime(e.time) },
    { key: 'host', header: t('security.hosts'), render: (e) => e.host ?? '—' },
    { key: 'program', header: t('security.program'), render: (e) => e.program ?? '—' },
    { key: 'user', header: t('security.users'), render: (e) => e.user ?? '—' },
    {
      key: 'src',
      header: t('security.srcIp'),
      render: (e) => (e.srcIp ? `${e.srcIp}${e.srcPort ? `:${e.srcPort}` : ''}` : '—'),
    },
    {
      key: 'action',
      header: t('security.action'),
      render: (e) => (
        <Badge
          color={e.outcome === 'failure' ? 'red' : e.outcome === 'success' ? 'teal' : 'gray'}
          variant="light"
        >
          {e.action}
        </Badge>
      ),
    },
  ];
  const chart = (histogram.data?.buckets ?? []).map((b) => ({
    start: formatDateTime(b.start),
    count: b.count,
  }));
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, sm: 3, lg: 6 }}>
        <Select
          label={t('security.period')}
          data={(Object.keys(PERIODS) as Period[]).map((p) => ({
            value: p,
            label: t(`security.periods.${p}`),
          }))}
          value={period}
          onChange={(v) => setPeriod((v as Period) ?? '24h')}
          allowDeselect={false}
        />
        <TextInput
          label={t('security.hosts')}
          value={host}
          onChange={(e) => setHost(e.currentTarget.value)}
        />
        <TextInput
          label={t('security.users')}
          value={user}
          onChange={(e) => setUser(e.currentTarget.value)}
        />
        <TextInput
          label={t('security.srcIp')}
          value={srcIp}
          onChange={(e) => setSrcIp(e.currentTarget.value)}
        />
        <Select
          label={t('security.outcome')}
          data={['success', 'failure', 'unknown'].map((o) => ({
            value: o,
            label: t(`security.outcomes.${o}`),
          }))}
          value={outcome}
          onChange={setOutcome}
          clearable
          placeholder={t('common.all')}
        />
        <TextInput label={t('security.text')} value={text} onChange={(e) => setText(e.currentTarget.value)} />
      </SimpleGrid>
      <Card withBorder>
        <Text size="sm" fw={500} mb="xs">
          {t('security.histogram')}
        </Text>
        <div style={{ width: '100%', height: 160 }} role="img" aria-label={t('security.histogram')}>
          <ResponsiveContainer>
            <BarChart data={chart}>
              <XAxis dataKey="start" hide />
              <YAxis allowDecimals={false} width={40} />
              <Tooltip />
              <Bar dataKey="count" name={t('security.eventCount')} fill="#1c7ed6" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      </Card>
      <PagedTable
        query={query}
        columns={columns}
        rowKey={(e) => String(e.id)}
        caption={t('security.tabs.events')}
        emptyText={t('security.emptyEvents')}
        expanded={(e) => <Code block>{e.raw}</Code>}
      />
    </Stack>
  );
}
