import { Anchor, Badge, Select, SimpleGrid, Stack } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { INCIDENT_STATUSES, SECURITY_SEVERITIES } from '../../../shared/schemas/security.js';
import { formatDateTime } from '../../components/format.js';
import { type Column, PagedTable, usePagedQuery } from '../../components/PagedTable.js';
import { type Incident, listIncidents } from './api.js';

export const SEVERITY_COLORS: Record<Incident['severity'], string> = {
  low: 'gray',
  medium: 'yellow',
  high: 'orange',
  critical: 'red',
};
export const STATUS_COLORS: Record<Incident['status'], string> = {
  new: 'red',
  investigating: 'blue',
  contained: 'violet',
  resolved: 'teal',
  false_positive: 'gray',
};

export function SeverityBadge({ severity }: { severity: Incident['severity'] }) {
  const { t } = useTranslation();
  return (
    <Badge color={SEVERITY_COLORS[severity]} variant="filled" style={{ minWidth: 'max-content' }}>
      {t(`security.severity.${severity}`)}
    </Badge>
  );
}

/** The value of an address parameter when it is one of `allowed` (a dashboard tile links with them). */
function allowedParam(params: URLSearchParams, name: string, allowed: readonly string[]): string | null {
  const value = params.get(name);
  return value && allowed.includes(value) ? value : null;
}

/** Security incidents, newest first, by status and severity (filters may come from the address). */
export function IncidentsTab() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const [status, setStatus] = useState<string | null>(() =>
    allowedParam(params, 'status', INCIDENT_STATUSES),
  );
  const [severity, setSeverity] = useState<string | null>(() =>
    allowedParam(params, 'severity', SECURITY_SEVERITIES),
  );
  const filters = { status: status ?? undefined, severity: severity ?? undefined };
  const query = usePagedQuery(['security', 'incidents', filters], (cursor) =>
    listIncidents({ ...filters, cursor }),
  );
  const columns: Column<Incident>[] = [
    {
      key: 'title',
      header: t('security.incident'),
      render: (i) => (
        <Anchor component={Link} to={`/security/incidents/${i.id}`}>
          {i.reference} {i.title}
        </Anchor>
      ),
    },
    {
      key: 'severity',
      header: t('security.severityLabel'),
      render: (i) => <SeverityBadge severity={i.severity} />,
    },
    {
      key: 'status',
      header: t('security.status'),
      render: (i) => (
        <Badge color={STATUS_COLORS[i.status]} variant="light">
          {t(`security.statuses.${i.status}`)}
        </Badge>
      ),
    },
    { key: 'sources', header: t('security.sourcesLabel'), render: (i) => i.sources.join(', ') || '—' },
    { key: 'users', header: t('security.users'), render: (i) => i.users.join(', ') || '—' },
    { key: 'events', header: t('security.eventCount'), render: (i) => i.eventCount },
    { key: 'detected', header: t('security.detectedAt'), render: (i) => formatDateTime(i.detectedAt) },
  ];
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select
          label={t('security.status')}
          data={INCIDENT_STATUSES.map((s) => ({ value: s, label: t(`security.statuses.${s}`) }))}
          value={status}
          onChange={setStatus}
          clearable
          placeholder={t('common.all')}
        />
        <Select
          label={t('security.severityLabel')}
          data={SECURITY_SEVERITIES.map((s) => ({ value: s, label: t(`security.severity.${s}`) }))}
          value={severity}
          onChange={setSeverity}
          clearable
          placeholder={t('common.all')}
        />
      </SimpleGrid>
      <PagedTable
        query={query}
        columns={columns}
        rowKey={(i) => i.id}
        caption={t('security.tabs.incidents')}
        emptyText={t('security.emptyIncidents')}
      />
    </Stack>
  );
}
