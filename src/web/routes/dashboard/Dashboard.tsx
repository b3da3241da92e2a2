import { Alert, Anchor, Card, Group, Loader, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { type DashboardTile, getDashboard } from '../../api/reports.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { formatDate, formatDateTime } from '../../components/format.js';
import { OrgSelect } from '../../components/Pickers.js';
import { useCan, useSession } from '../../session/session.js';

type Board = 'technician' | 'supervisor' | 'security';

const DATE_TILES = new Set(['planned']);
/** Tiles whose lines each open one record (no figure beside them). */
const LINE_TILES = new Set(['workOrdersLate', 'workOrdersToday', 'securityToAcknowledge']);

function TileRows({ tile }: { tile: DashboardTile }) {
  if (tile.rows.length === 0) return null;
  return (
    <Table withRowBorders={false} verticalSpacing={2}>
      <Table.Tbody>
        {tile.rows.map((r) => (
          <Table.Tr key={r.id}>
            <Table.Td>
              <Anchor component={Link} to={`/tickets/${r.id}`} size="sm">
                {r.reference}
              </Anchor>
            </Table.Td>
            <Table.Td>
              <Text size="sm" lineClamp={1}>
                {r.title}
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="xs" c="dimmed">
                {DATE_TILES.has(tile.key) ? formatDateTime(r.at) : formatDate(r.at)}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function TileSeries({ tile }: { tile: DashboardTile }) {
  const { t } = useTranslation();
  if (tile.key === 'backlogTrend') {
    const data = tile.series.map((s) => ({ label: formatDate(`${s.label}T12:00:00Z`), value: s.value }));
    return (
      <ResponsiveContainer width="100%" height={120}>
        <LineChart data={data} margin={{ left: -20, right: 8, top: 4 }}>
          <XAxis dataKey="label" hide />
          <YAxis allowDecimals={false} tick={{ fontSize: 10 }} />
          <Tooltip />
          <Line
            type="linear"
            dataKey="value"
            name={t('dashboard.tiles.backlog')}
            stroke="#1c7ed6"
            dot={false}
          />
        </LineChart>
      </ResponsiveContainer>
    );
  }
  if (tile.key === 'slaMonth') {
    const get = (k: string) => tile.series.find((s) => s.key === k)?.value ?? 0;
    const line = (label: string, k: 'own' | 'resolve') => (
      <Group justify="space-between">
        <Text size="sm">{label}</Text>
        <Text size="sm" fw={600}>
          {get(`${k}_due`) === 0
            ? '—'
            : t('dashboard.percentOf', { percent: get(k), met: get(`${k}_met`), due: get(`${k}_due`) })}
        </Text>
      </Group>
    );
    return (
      <Stack gap={4}>
        {line(t('dashboard.slaOwn'), 'own')}
        {line(t('dashboard.slaResolve'), 'resolve')}
      </Stack>
    );
  }
  if (tile.series.length === 0) return null;
  if (LINE_TILES.has(tile.key)) {
    // Work orders, incidents to acknowledge: each line links to one; no figure beside it.
    return (
      <Stack gap={4}>
        {tile.series.map((s) => (
          <Anchor key={s.key ?? '∅'} component={Link} to={s.link ?? '/work-orders'} size="sm" lineClamp={1}>
            {s.label}
          </Anchor>
        ))}
      </Stack>
    );
  }
  if (tile.key === 'stockAlerts') {
    // An article in a store at or below its minimum, with what is left: no bar, the figures are not comparable.
    return (
      <Stack gap={4}>
        {tile.series.map((s) => (
          <Group key={s.key ?? '∅'} justify="space-between" gap="xs" wrap="nowrap">
            {s.link ? (
              <Anchor component={Link} to={s.link} size="sm" lineClamp={1}>
                {s.label}
              </Anchor>
            ) : (
              <Text size="sm" lineClamp={1}>
                {s.label}
              </Text>
            )}
            <Text size="sm" fw={600} c="red" style={{ whiteSpace: 'nowrap' }}>
              {t('dashboard.stockAvailable', { count: s.value })}
            </Text>
          </Group>
        ))}
      </Stack>
    );
  }
  const max = Math.max(1, ...tile.series.map((s) => s.value));
  return (
    <Stack gap={4}>
      {tile.series.map((s) => (
        <div key={s.key ?? '∅'}>
          <Group justify="space-between" gap="xs">
            {s.link ? (
              <Anchor component={Link} to={s.link} size="sm">
                {s.label}
              </Anchor>
            ) : (
              <Text size="sm">{s.label}</Text>
            )}
            <Text size="sm" fw={600}>
              {s.value}
            </Text>
          </Group>
          <div
            style={{ background: '#1c7ed6', height: 4, width: `${(100 * s.value) / max}%`, borderRadius: 2 }}
          />
        </div>
      ))}
    </Stack>
  );
}

function Tile({ tile }: { tile: DashboardTile }) {
  const { t } = useTranslation();
  const title = t(`dashboard.tiles.${tile.key}`, { defaultValue: tile.key });
  const value = tile.key === 'slaMonth' ? null : tile.value;
  return (
    <Card withBorder padding="md" aria-label={title}>
      <Group justify="space-between" align="flex-start" mb="xs">
        <Text fw={600}>{title}</Text>
        {value !== null && (
          <Text fw={700} size="xl">
            {value}
          </Text>
        )}
      </Group>
      <Stack gap="xs">
        <TileSeries tile={tile} />
        <TileRows tile={tile} />
        {tile.rows.length === 0 && tile.series.length === 0 && !tile.value && (
          <Text size="sm" c="dimmed">
            {t('dashboard.none')}
          </Text>
        )}
        {tile.link && (
          <Anchor component={Link} to={tile.link} size="sm">
            {t('dashboard.openList')}
          </Anchor>
        )}
      </Stack>
    </Card>
  );
}

function Tiles({ board, orgId }: { board: Board; orgId?: string | null }) {
  const { t } = useTranslation();
  const query = useQuery({
    queryKey: ['dashboard', board, orgId ?? null],
    queryFn: () => getDashboard(board, orgId),
    refetchInterval: 60_000,
  });
  if (query.isPending) return <Loader size="sm" aria-label={t('app.loading')} />;
  if (query.isError) return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  if (query.data.tiles.length === 0) return <Alert color="gray">{t('dashboard.none')}</Alert>;
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
      {query.data.tiles.map((tile) => (
        <Tile key={tile.key} tile={tile} />
      ))}
    </SimpleGrid>
  );
}

export function TechnicianDashboard() {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="dashboard-technician">
      <Title order={3} size="h4" mb="sm" id="dashboard-technician">
        {t('dashboard.technician')}
      </Title>
      <Tiles board="technician" />
    </section>
  );
}

/** A dashboard about one organisation, chosen among those where the caller may see it. */
function OrgDashboard({
  board,
  action,
}: {
  board: 'supervisor' | 'security';
  action: 'report.read' | 'security.read';
}) {
  const { t } = useTranslation();
  const { me } = useSession();
  const can = useCan();
  const members = me.memberships.filter((m) => can(action, { orgId: m.orgId }));
  const [orgId, setOrgId] = useState<string | null>(members[0]?.orgId ?? null);
  return (
    <section aria-labelledby={`dashboard-${board}`}>
      <Group justify="space-between" align="flex-end" mb="sm">
        <Title order={3} size="h4" id={`dashboard-${board}`}>
          {t(`dashboard.${board}`)}
        </Title>
        <div style={{ minWidth: 240 }}>
          <OrgSelect
            label={t('dashboard.org')}
            value={orgId}
            onChange={setOrgId}
            only={me.globalAdmin ? undefined : members}
          />
        </div>
      </Group>
      {orgId && <Tiles board={board} orgId={orgId} />}
    </section>
  );
}

export const SupervisorDashboard = () => <OrgDashboard board="supervisor" action="report.read" />;
export const SecurityDashboard = () => <OrgDashboard board="security" action="security.read" />;

/**
 * The caller's dashboards: the security watch for security officers, then the service's state for
 * supervisors and administrators, or the queue for technicians.
 */
export function RoleDashboard() {
  const { me } = useSession();
  const can = useCan();
  const holds = (role: string) => me.memberships.some((m) => m.roles.some((r) => r === role));
  const supervises = me.globalAdmin || holds('supervisor') || holds('admin');
  const watches = holds('security_officer') && can('security.read');
  const main =
    supervises && can('report.read') ? (
      <SupervisorDashboard />
    ) : can('ticket.manage') ? (
      <TechnicianDashboard />
    ) : null;
  if (!watches) return main;
  return (
    <Stack gap="xl">
      <SecurityDashboard />
      {main}
    </Stack>
  );
}
