import {
  Alert,
  Button,
  Card,
  Group,
  Loader,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { REPORT_PERIODS, type ReportPeriod } from '../../../shared/schemas/reports.js';
import {
  chartCsvUrl,
  getIncidentReport,
  type IncidentReport,
  type ReportQuery,
  reportExportUrl,
} from '../../api/reports.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { formatDate } from '../../components/format.js';
import { OrgSelect } from '../../components/Pickers.js';
import { useCan, useSession } from '../../session/session.js';
import { BarsCard, TrendCard } from './ReportCharts.js';

function Figure({
  label,
  value,
  previous,
  detail,
}: {
  label: string;
  value: string;
  previous: string;
  detail?: string | undefined;
}) {
  const { t } = useTranslation();
  return (
    <Card withBorder padding="sm">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl">
        {value}
      </Text>
      {detail && <Text size="xs">{detail}</Text>}
      <Text size="xs" c="dimmed">
        {t('reports.vsPrevious', { value: previous })}
      </Text>
    </Card>
  );
}

const num = (v: number | null, unit = '') => (v === null ? '—' : `${v.toLocaleString()}${unit}`);

function Figures({ r }: { r: IncidentReport }) {
  const { t } = useTranslation();
  const c = r.current;
  const p = r.previous;
  const min = (v: number | null) => (v === null ? '—' : t('reports.minutes', { value: v.toLocaleString() }));
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: 4 }}>
      <Figure label={t('reports.figures.created')} value={num(c.created)} previous={num(p.created)} />
      <Figure label={t('reports.figures.resolved')} value={num(c.resolved)} previous={num(p.resolved)} />
      <Figure
        label={t('reports.figures.backlogStart')}
        value={num(c.backlogStart)}
        previous={num(p.backlogStart)}
      />
      <Figure
        label={t('reports.figures.backlogEnd')}
        value={num(c.backlogEnd)}
        previous={num(p.backlogEnd)}
      />
      <Figure
        label={t('reports.figures.slaOwn')}
        value={num(c.slaOwn.percent, ' %')}
        previous={num(p.slaOwn.percent, ' %')}
        detail={t('reports.figures.slaDetail', c.slaOwn)}
      />
      <Figure
        label={t('reports.figures.slaResolve')}
        value={num(c.slaResolve.percent, ' %')}
        previous={num(p.slaResolve.percent, ' %')}
        detail={t('reports.figures.slaDetail', c.slaResolve)}
      />
      <Figure
        label={t('reports.figures.ownMean')}
        value={min(c.timeToOwn.mean)}
        previous={min(p.timeToOwn.mean)}
      />
      <Figure
        label={t('reports.figures.ownMedian')}
        value={min(c.timeToOwn.median)}
        previous={min(p.timeToOwn.median)}
      />
      <Figure
        label={t('reports.figures.resolveMean')}
        value={min(c.timeToResolve.mean)}
        previous={min(p.timeToResolve.mean)}
      />
      <Figure
        label={t('reports.figures.resolveMedian')}
        value={min(c.timeToResolve.median)}
        previous={min(p.timeToResolve.median)}
      />
      <Figure
        label={t('reports.figures.fcr')}
        value={num(c.firstContact.percent, ' %')}
        previous={num(p.firstContact.percent, ' %')}
        detail={t('reports.figures.fcrDetail', c.firstContact)}
      />
      <Figure label={t('reports.figures.recurring')} value={num(c.recurring)} previous={num(p.recurring)} />
      <Figure
        label={t('reports.figures.satisfaction')}
        value={num(c.satisfaction.mean, ' / 5')}
        previous={num(p.satisfaction.mean, ' / 5')}
        detail={t('reports.figures.satisfactionDetail', { count: c.satisfaction.count })}
      />
      {r.interventions && (
        <>
          <Figure
            label={t('reports.figures.interventionsDone')}
            value={num(r.interventions.current.done)}
            previous={num(r.interventions.previous.done)}
          />
          <Figure
            label={t('reports.figures.interventionsFailed')}
            value={num(r.interventions.current.failed)}
            previous={num(r.interventions.previous.failed)}
          />
        </>
      )}
    </SimpleGrid>
  );
}

/** The incident report: period and organisation chosen in the address, charts first with their numbers. */
export function ReportPage() {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const members = me.memberships.filter((m) => can('report.read', { orgId: m.orgId }));
  const orgId = params.get('orgId') ?? members[0]?.orgId ?? null;
  const period = (REPORT_PERIODS.find((p) => p === params.get('period')) ?? 'month') as ReportPeriod;
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const set = (changes: Record<string, string | null>) =>
    setParams(
      (old) => {
        const next = new URLSearchParams(old);
        for (const [k, v] of Object.entries(changes)) {
          if (v) next.set(k, v);
          else next.delete(k);
        }
        return next;
      },
      { replace: true },
    );
  const locale = i18n.language.startsWith('en') ? 'en' : 'fr';
  const ready = !!orgId && (period !== 'custom' || (!!from && !!to));
  const q: ReportQuery = {
    orgId: orgId ?? '',
    period,
    from: from || undefined,
    to: period === 'custom' ? to || undefined : undefined,
    locale,
  };
  const report = useQuery({
    queryKey: ['reports', 'incidents', q],
    queryFn: () => getIncidentReport(q),
    enabled: ready,
    placeholderData: keepPreviousData,
  });
  const r = report.data;
  const categoryLink = (key: string | null) =>
    key ? `/tickets?tab=all&categoryId=${encodeURIComponent(key)}` : null;
  const priorityLink = (key: string | null) =>
    key ? `/tickets?tab=all&priority=${encodeURIComponent(key)}` : null;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>{t('reports.title')}</Title>
          <Text c="dimmed">{t('reports.intro')}</Text>
        </div>
        {can('report.schedule') && (
          <Button component={Link} to="/reports/schedules" variant="subtle">
            {t('reports.schedules')}
          </Button>
        )}
      </Group>
      <Group align="flex-end" wrap="wrap">
        <div style={{ minWidth: 240 }}>
          <OrgSelect
            label={t('reports.org')}
            value={orgId}
            onChange={(v) => set({ orgId: v })}
            only={me.globalAdmin ? undefined : members}
          />
        </div>
        <div>
          <Text size="sm" fw={500} mb={4}>
            {t('reports.period')}
          </Text>
          <SegmentedControl
            value={period}
            onChange={(v) => set({ period: v, to: v === 'custom' ? to : null })}
            data={REPORT_PERIODS.map((p) => ({ value: p, label: t(`reports.periods.${p}`) }))}
          />
        </div>
        <TextInput
          type="date"
          label={period === 'custom' ? t('reports.from') : t('reports.day')}
          value={from}
          onChange={(e) => set({ from: e.currentTarget.value || null })}
        />
        {period === 'custom' && (
          <TextInput
            type="date"
            label={t('reports.to')}
            value={to}
            onChange={(e) => set({ to: e.currentTarget.value || null })}
          />
        )}
        {report.isFetching && <Loader size="sm" aria-label={t('app.loading')} />}
      </Group>
      {report.isError && <ErrorAlert error={report.error} onRetry={() => void report.refetch()} />}
      {r && (
        <>
          <Group justify="space-between">
            <Text fw={600}>
              {r.orgName} —{' '}
              {t('reports.range', {
                from: formatDate(`${r.firstDay}T12:00:00Z`),
                to: formatDate(`${r.lastDay}T12:00:00Z`),
              })}
            </Text>
            <Group gap="xs">
              <Text size="sm">{t('reports.download')}</Text>
              {(['pdf', 'csv', 'xlsx'] as const).map((f) => (
                <Button key={f} component="a" href={reportExportUrl(q, f)} download size="xs" variant="light">
                  {t(`reports.${f}`)}
                </Button>
              ))}
            </Group>
          </Group>
          {r.current.created === 0 && r.current.backlogEnd === 0 && (
            <Alert color="gray" variant="light">
              {t('reports.empty')}
            </Alert>
          )}
          <TrendCard
            buckets={r.current.trend.buckets}
            csvUrl={chartCsvUrl(q, 'trend')}
            timeZone={r.timeZone}
          />
          <Figures r={r} />
          <Text size="xs" c="dimmed">
            {t('reports.fcrHelp')}
          </Text>
          <SimpleGrid cols={{ base: 1, xl: 2 }}>
            <BarsCard
              chartKey="byTypology"
              title={t('reports.charts.byTypology')}
              rows={r.labels.byTypology}
              csvUrl={chartCsvUrl(q, 'byTypology')}
            />
            <BarsCard
              chartKey="byCategory"
              title={t('reports.charts.byCategory')}
              rows={r.labels.byCategory}
              csvUrl={chartCsvUrl(q, 'byCategory')}
              link={(row) => categoryLink(row.key)}
            />
            <BarsCard
              chartKey="byPriority"
              title={t('reports.charts.byPriority')}
              rows={r.labels.byPriority}
              csvUrl={chartCsvUrl(q, 'byPriority')}
              link={(row) => priorityLink(row.key)}
            />
            <BarsCard
              chartKey="bySite"
              title={t('reports.charts.bySite')}
              rows={r.labels.bySite}
              csvUrl={chartCsvUrl(q, 'bySite')}
            />
            <BarsCard
              chartKey="topAssets"
              title={t('reports.charts.topAssets')}
              rows={r.labels.topAssets}
              csvUrl={chartCsvUrl(q, 'topAssets')}
              link={(row) => (row.key ? `/assets/${encodeURIComponent(row.key)}` : null)}
            />
            <BarsCard
              chartKey="topProblems"
              title={t('reports.charts.topProblems')}
              rows={r.labels.topProblems}
              csvUrl={chartCsvUrl(q, 'topProblems')}
              link={(row) => categoryLink(row.key)}
            />
            <BarsCard
              chartKey="satisfaction"
              title={t('reports.charts.satisfaction')}
              rows={[1, 2, 3, 4, 5].map((v, i) => ({
                key: String(v),
                label: `${t('reports.columns.rating')} ${v}`,
                count: r.current.satisfaction.distribution[i] ?? 0,
                previous: r.previous.satisfaction.distribution[i] ?? 0,
              }))}
              csvUrl={chartCsvUrl(q, 'satisfaction')}
            />
            {r.interventions && (
              <BarsCard
                chartKey="interventions"
                title={t('reports.charts.interventions')}
                rows={r.labels.interventions}
                csvUrl={chartCsvUrl(q, 'interventions')}
              />
            )}
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}
