import {
  Anchor,
  Badge,
  Button,
  Card,
  Code,
  Group,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { INCIDENT_TRANSITIONS } from '../../../shared/schemas/security.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { formatDateTime } from '../../components/format.js';
import { useCan } from '../../session/session.js';
import { getIncident, transitionIncident } from './api.js';
import { SeverityBadge, STATUS_COLORS } from './IncidentsTab.js';

/** One security incident: what, who, from where, its evidence lines, and the moves its status allows. */
export function IncidentPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const can = useCan();
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: ['security', 'incident', id], queryFn: () => getIncident(id) });
  const move = useMutation({
    mutationFn: (status: (typeof INCIDENT_TRANSITIONS)['new'][number]) =>
      transitionIncident(id, query.data?.etag ?? '', status),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['security'] }),
  });
  if (query.isPending) return <Skeleton height={240} />;
  if (query.isError) return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  const i = query.data.data;
  const fact = (label: string, value: string) => (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm">{value || '—'}</Text>
    </Stack>
  );
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/security" size="sm">
        {t('security.back')}
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={2}>{i.title}</Title>
          <Text size="sm" c="dimmed">
            {i.reference}
          </Text>
          <Group gap="xs">
            <SeverityBadge severity={i.severity} />
            <Badge color={STATUS_COLORS[i.status]} variant="light">
              {t(`security.statuses.${i.status}`)}
            </Badge>
            <Text size="sm" c="dimmed">
              {t('security.ruleLabel', {
                rule: i.ruleId,
                severity: t(`security.severity.${i.ruleSeverity}`),
              })}
            </Text>
          </Group>
        </Stack>
        {can('security.manage', { orgId: i.orgId }) && (
          <Group gap="xs">
            {INCIDENT_TRANSITIONS[i.status].map((s) => (
              <Button
                key={s}
                variant="light"
                loading={move.isPending && move.variables === s}
                onClick={() => move.mutate(s)}
              >
                {t(`security.moveTo.${s}`)}
              </Button>
            ))}
          </Group>
        )}
      </Group>
      <ErrorAlert error={move.error} />
      <Card withBorder>
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          {fact(t('security.sourcesLabel'), i.sources.join(', '))}
          {fact(t('security.users'), i.users.join(', '))}
          {fact(t('security.hosts'), i.hosts.join(', '))}
          {fact(t('security.eventCount'), String(i.eventCount))}
          {fact(t('security.firstSeen'), formatDateTime(i.firstSeen))}
          {fact(t('security.lastSeen'), formatDateTime(i.lastSeen))}
          {fact(t('security.detectedAt'), formatDateTime(i.detectedAt))}
          {fact(t('security.alertedAt'), formatDateTime(i.alertedAt))}
        </SimpleGrid>
      </Card>
      <Title order={3} size="h4">
        {t('security.evidence')}
      </Title>
      <Table.ScrollContainer minWidth={640}>
        <Table striped verticalSpacing="xs" aria-label={t('security.evidence')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('security.time')}</Table.Th>
              <Table.Th scope="col">{t('security.hosts')}</Table.Th>
              <Table.Th scope="col">{t('security.action')}</Table.Th>
              <Table.Th scope="col">{t('security.rawLine')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {i.evidence.map((e) => (
              <Table.Tr key={e.eventId}>
                <Table.Td>{formatDateTime(e.time)}</Table.Td>
                <Table.Td>{e.host ?? '—'}</Table.Td>
                <Table.Td>
                  {e.action} / {e.outcome}
                </Table.Td>
                <Table.Td>
                  <Code>{e.raw}</Code>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
