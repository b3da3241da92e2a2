import { Anchor, Card, Group, SimpleGrid, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { ChartKey } from '../../../shared/schemas/reports.js';

export type ChartRow = { key: string | null; label: string; count: number; previous: number };

const BLUE = '#1c7ed6';
const GREY = '#adb5bd';
const GREEN = '#37b24d';

/** A chart card: the chart first, its numbers beside it, and its data as CSV. */
export function ChartCard({
  title,
  csvUrl,
  chart,
  table,
}: {
  title: string;
  csvUrl: string;
  chart: React.ReactNode;
  table: React.ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Card withBorder padding="md">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h5">
          {title}
        </Title>
        <Anchor href={csvUrl} size="sm" download>
          {t('reports.chartCsv')}
        </Anchor>
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <div style={{ minHeight: 220 }}>{chart}</div>
        <div>{table}</div>
      </SimpleGrid>
    </Card>
  );
}

/** Horizontal bars (this period, the previous one) and the same numbers in a table. */
export function BarsCard({
  chartKey,
  title,
  rows,
  csvUrl,
  link,
}: {
  chartKey: ChartKey;
  title: string;
  rows: ChartRow[];
  csvUrl: string;
  link?: (row: ChartRow) => string | null;
}) {
  const { t } = useTranslation();
  const shown = rows.slice(0, 12);
  return (
    <ChartCard
      title={title}
      csvUrl={csvUrl}
      chart={
        shown.length === 0 ? (
          <Text c="dimmed">{t('reports.noData')}</Text>
        ) : (
          <ResponsiveContainer width="100%" height={Math.max(160, shown.length * 34 + 40)}>
            <BarChart data={shown} layout="vertical" margin={{ left: 8, right: 16 }}>
              <CartesianGrid strokeDasharray="3 3" horizontal={false} />
              <XAxis type="number" allowDecimals={false} />
              <YAxis type="category" dataKey="label" width={130} tick={{ fontSize: 12 }} />
              <Tooltip />
              <Legend />
              <Bar dataKey="count" name={t('reports.current')} fill={BLUE} />
              <Bar dataKey="previous" name={t('reports.previous')} fill={GREY} />
            </BarChart>
          </ResponsiveContainer>
        )
      }
      table={
        <Table striped withTableBorder aria-label={title} data-chart={chartKey}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('reports.columns.label')}</Table.Th>
              <Table.Th ta="right">{t('reports.columns.count')}</Table.Th>
              <Table.Th ta="right">{t('reports.columns.previous')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => {
              const to = link?.(r) ?? null;
              return (
                <Table.Tr key={r.key ?? '∅'}>
                  <Table.Td>
                    {to ? (
                      <Anchor component={Link} to={to}>
                        {r.label}
                      </Anchor>
                    ) : (
                      r.label
                    )}
                  </Table.Td>
                  <Table.Td ta="right">{r.count}</Table.Td>
                  <Table.Td ta="right" c="dimmed">
                    {r.previous}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      }
    />
  );
}

/** Created and resolved per day or week: two lines, and the table of the same numbers. */
export function TrendCard({
  buckets,
  csvUrl,
  timeZone,
}: {
  buckets: Array<{ start: string; created: number; resolved: number }>;
  csvUrl: string;
  /** The organisation's: buckets start at its midnights. */
  timeZone: string;
}) {
  const { t, i18n } = useTranslation();
  const day = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeZone });
  const data = buckets.map((b) => ({ ...b, day: day.format(new Date(b.start)) }));
  return (
    <ChartCard
      title={t('reports.charts.trend')}
      csvUrl={csvUrl}
      chart={
        <ResponsiveContainer width="100%" height={240}>
          <LineChart data={data} margin={{ left: 0, right: 16, top: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="day" tick={{ fontSize: 11 }} />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            <Line type="linear" dataKey="created" name={t('reports.created')} stroke={BLUE} dot={false} />
            <Line
              type="monotone"
              dataKey="resolved"
              name={t('reports.resolvedShort')}
              stroke={GREEN}
              dot={false}
            />
          </LineChart>
        </ResponsiveContainer>
      }
      table={
        <div style={{ maxHeight: 240, overflowY: 'auto' }}>
          <Table striped withTableBorder stickyHeader aria-label={t('reports.charts.trend')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('reports.from')}</Table.Th>
                <Table.Th ta="right">{t('reports.created')}</Table.Th>
                <Table.Th ta="right">{t('reports.resolvedShort')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.map((b) => (
                <Table.Tr key={b.start}>
                  <Table.Td>{b.day}</Table.Td>
                  <Table.Td ta="right">{b.created}</Table.Td>
                  <Table.Td ta="right">{b.resolved}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      }
    />
  );
}
