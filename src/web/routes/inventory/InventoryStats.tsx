import { Badge, Grid, Group, Paper, SimpleGrid, Skeleton, Stack, Text, UnstyledButton } from '@mantine/core';
import { type UseQueryResult, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { type FleetStats, getFleetStats } from '../../api/inventory.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';

export function useFleetStats(orgId: string | null, silentDays: number): UseQueryResult<FleetStats> {
  return useQuery({
    queryKey: ['inventory', 'stats', { orgId, silentDays }],
    queryFn: () => getFleetStats({ orgId: orgId ?? undefined, silentDays }),
  });
}

type Target = 'silent' | 'pending' | 'errors';
const AGENTS_SHOWN = 4;

function Figure({
  label,
  value,
  help,
  onClick,
  color,
}: {
  label: string;
  value: ReactNode;
  help?: ReactNode;
  onClick?: (() => void) | undefined;
  color?: string | undefined;
}) {
  const body = (
    <Paper withBorder p="sm" radius="md" h="100%">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={28} fw={700} lh={1.2} c={color}>
        {value}
      </Text>
      {help && (
        <Text size="xs" c="dimmed" component="div">
          {help}
        </Text>
      )}
    </Paper>
  );
  return onClick ? (
    <UnstyledButton onClick={onClick} h="100%" w="100%" aria-label={`${label} : ${String(value)}`}>
      {body}
    </UnstyledButton>
  ) : (
    body
  );
}

/** The strip on top of the inventory: how many devices, how many silent or waiting, this week's errors. */
export function InventoryStats({
  query,
  showPending,
  onShow,
}: {
  query: UseQueryResult<FleetStats>;
  showPending: boolean;
  onShow: (target: Target) => void;
}) {
  const { t } = useTranslation();
  if (query.isPending) {
    return (
      <SimpleGrid cols={{ base: 2, md: showPending ? 5 : 4 }} aria-busy="true" aria-label={t('app.loading')}>
        {[0, 1, 2, 3].map((i) => (
          <Skeleton key={i} height={86} radius="md" />
        ))}
      </SimpleGrid>
    );
  }
  if (query.isError) return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  const stats = query.data;
  const errors = stats.errors.reduce((n, e) => n + e.count, 0);
  const topError = stats.errors[0];
  const figures = showPending ? 4 : 3;
  return (
    <section aria-label={t('inventory.stats.label')}>
      <Grid>
        <Grid.Col span={{ base: 6, md: 2 }}>
          <Figure label={t('inventory.stats.devices')} value={stats.devices} />
        </Grid.Col>
        <Grid.Col span={{ base: 6, md: 2 }}>
          <Figure
            label={t('inventory.stats.silent')}
            value={stats.silent}
            color={stats.silent > 0 ? 'orange.8' : undefined}
            help={t('inventory.stats.silentHelp', { count: stats.silentDays })}
            onClick={stats.silent > 0 ? () => onShow('silent') : undefined}
          />
        </Grid.Col>
        {showPending && (
          <Grid.Col span={{ base: 6, md: 2 }}>
            <Figure
              label={t('inventory.stats.pending')}
              value={stats.pending}
              color={stats.pending > 0 ? 'blue.7' : undefined}
              help={t('inventory.stats.pendingHelp')}
              onClick={() => onShow('pending')}
            />
          </Grid.Col>
        )}
        <Grid.Col span={{ base: 6, md: 2 }}>
          <Figure
            label={t('inventory.stats.errors')}
            value={errors}
            color={errors > 0 ? 'red.7' : undefined}
            help={topError ? `${topError.message} (${topError.count})` : t('inventory.stats.errorsNone')}
            onClick={errors > 0 ? () => onShow('errors') : undefined}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 12 - 2 * figures }}>
          <Paper withBorder p="sm" radius="md" h="100%">
            <Stack gap={4}>
              <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                {t('inventory.stats.agents')}
              </Text>
              {stats.agents.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t('inventory.stats.agentsNone')}
                </Text>
              ) : (
                <Stack gap={2}>
                  {stats.agents.slice(0, AGENTS_SHOWN).map((a) => (
                    <Group key={a.agentVersion ?? ''} gap="xs" wrap="nowrap" justify="space-between">
                      <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
                        {a.agentVersion ?? t('inventory.stats.unknownAgent')}
                      </Text>
                      <Badge size="sm" variant="light" color="gray" style={{ flexShrink: 0 }}>
                        {a.count}
                      </Badge>
                    </Group>
                  ))}
                  {stats.agents.length > AGENTS_SHOWN && (
                    <Text size="xs" c="dimmed">
                      {t('inventory.stats.moreAgents', { count: stats.agents.length - AGENTS_SHOWN })}
                    </Text>
                  )}
                </Stack>
              )}
            </Stack>
          </Paper>
        </Grid.Col>
      </Grid>
    </section>
  );
}
