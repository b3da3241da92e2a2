import {
  Anchor,
  Badge,
  Button,
  Card,
  Grid,
  Group,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { isApiError } from '../../api/client.js';
import {
  getSoftware,
  type Installation,
  listInstallations,
  listSoftware,
  type Software,
  type SoftwareDetail,
} from '../../api/inventory.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { formatDate } from '../../components/format.js';
import { type Column, PagedTable, usePagedQuery } from '../../components/PagedTable.js';
import { OrgSelect } from '../../components/Pickers.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { useOrgNames } from '../../components/useNames.js';

/** The software catalogue the inventories build: search by name or publisher. */
export function SoftwarePage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [q] = useDebouncedValue(search.trim(), 300);
  const orgId = params.get('orgId') || null;
  const set = (name: 'q' | 'orgId', value: string | null) =>
    setParams(
      (old) => {
        const next = new URLSearchParams(old);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the debounced text goes to the address.
  useEffect(() => {
    if ((params.get('q') ?? '') !== q) set('q', q || null);
  }, [q]);

  const filters = { q: params.get('q') || undefined, orgId: orgId ?? undefined };
  const query = usePagedQuery(['software', 'list', filters], (cursor) =>
    listSoftware({ ...filters, cursor }),
  );
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];
  const orgs = useOrgNames(rows.map((s) => s.orgId));
  const columns: Column<Software>[] = [
    {
      key: 'name',
      header: t('software.name'),
      render: (s) => (
        <Anchor component={Link} to={`/software/${s.id}`} fw={500}>
          {s.name}
        </Anchor>
      ),
    },
    {
      key: 'publisher',
      header: t('software.publisher'),
      render: (s) => s.publisher || <Text c="dimmed">{t('software.unknownPublisher')}</Text>,
    },
    { key: 'org', header: t('software.org'), render: (s) => orgs.get(s.orgId) ?? '…' },
  ];

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Stack gap={2}>
          <Title order={2}>{t('software.title')}</Title>
          <Text size="sm" c="dimmed">
            {t('software.intro')}
          </Text>
        </Stack>
        <Button component={Link} to="/inventory" variant="default">
          {t('inventory.title')}
        </Button>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label={t('common.search')}
          placeholder={t('software.searchPlaceholder')}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          type="search"
        />
        <OrgSelect
          label={t('software.org')}
          value={orgId}
          onChange={(v) => set('orgId', v)}
          clearable
          placeholder={t('common.all')}
        />
      </SimpleGrid>
      <PagedTable
        query={query}
        columns={columns}
        rowKey={(s) => s.id}
        caption={t('software.title')}
        emptyText={t('software.empty')}
      />
    </Stack>
  );
}

/** One software: its versions with how many assets have each, and where a chosen version is installed. */
export function SoftwareDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const query = useQuery({ queryKey: ['software', id], queryFn: () => getSoftware(id) });
  const software = query.data;
  const orgs = useOrgNames([software?.orgId]);

  if (query.isPending) {
    return (
      <Stack aria-busy="true" aria-label={t('app.loading')}>
        <Skeleton height={32} width={280} />
        <Skeleton height={200} />
      </Stack>
    );
  }
  if (query.isError || !software) {
    return (
      <Stack>
        <ErrorAlert
          error={query.error}
          title={isApiError(query.error, 'software.not_found') ? t('software.notFound') : undefined}
          onRetry={() => void query.refetch()}
        />
        <Anchor component={Link} to="/software">
          {t('software.back')}
        </Anchor>
      </Stack>
    );
  }

  const versionId = params.get('version');
  const version = software.versions.find((v) => v.id === versionId) ?? null;
  const total = software.versions.reduce((n, v) => n + v.installations, 0);

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/software" size="sm">
        ← {t('software.back')}
      </Anchor>
      <Stack gap={2}>
        <Title order={2}>{software.name}</Title>
        <Text c="dimmed">
          {[software.publisher || t('software.unknownPublisher'), orgs.get(software.orgId)]
            .filter(Boolean)
            .join(' · ')}
        </Text>
        <Text size="sm">{t('software.installationCount', { count: total })}</Text>
      </Stack>
      <Grid>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <VersionsCard
            software={software}
            selected={version?.id ?? null}
            onSelect={(v) => setParams(v ? { version: v } : {}, { replace: true })}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          {version ? (
            <InstallationsCard versionId={version.id} version={version.version} />
          ) : (
            <Card withBorder>
              <Text c="dimmed">{t('software.pickVersion')}</Text>
            </Card>
          )}
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function VersionsCard({
  software,
  selected,
  onSelect,
}: {
  software: SoftwareDetail;
  selected: string | null;
  onSelect: (versionId: string | null) => void;
}) {
  const { t } = useTranslation();
  return (
    <Card withBorder component="section" aria-labelledby="software-versions">
      <Stack gap="sm">
        <Title order={3} size="h4" id="software-versions">
          {t('software.versions')}
        </Title>
        {software.versions.length === 0 ? (
          <Text c="dimmed">{t('software.noVersions')}</Text>
        ) : (
          <Table verticalSpacing="xs" highlightOnHover aria-label={t('software.versions')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('software.version')}</Table.Th>
                <Table.Th scope="col">{t('software.installations')}</Table.Th>
                <Table.Th scope="col">{t('common.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {software.versions.map((v) => (
                <Table.Tr key={v.id} bg={v.id === selected ? 'var(--mantine-color-blue-light)' : undefined}>
                  <Table.Td>
                    <Text ff="monospace" size="sm">
                      {v.version || t('software.unknownVersion')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={v.installations > 0 ? 'blue' : 'gray'}>
                      {v.installations}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Button
                      size="compact-sm"
                      variant={v.id === selected ? 'filled' : 'light'}
                      onClick={() => onSelect(v.id === selected ? null : v.id)}
                      aria-pressed={v.id === selected}
                      aria-label={t('software.showInstallationsOf', {
                        version: v.version || t('software.unknownVersion'),
                      })}
                    >
                      {t('software.showInstallations')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Card>
  );
}

function InstallationsCard({ versionId, version }: { versionId: string; version: string }) {
  const { t } = useTranslation();
  const query = usePagedQuery(['software', 'installations', versionId], (cursor) =>
    listInstallations(versionId, cursor),
  );
  const columns: Column<Installation>[] = [
    {
      key: 'asset',
      header: t('software.asset'),
      render: (i) => (
        <Anchor component={Link} to={`/assets/${i.assetId}`} fw={500}>
          {i.assetName || i.assetId}
        </Anchor>
      ),
    },
    { key: 'arch', header: t('software.arch'), render: (i) => i.arch || '—' },
    { key: 'installedOn', header: t('software.installedOn'), render: (i) => formatDate(i.installedOn) },
    {
      key: 'firstSeen',
      header: t('software.firstSeen'),
      render: (i) => <RelativeTime iso={i.firstSeenAt} />,
    },
  ];
  return (
    <Card withBorder component="section" aria-labelledby="software-installations">
      <Stack gap="sm">
        <Title order={3} size="h4" id="software-installations">
          {t('software.whereInstalled', { version: version || t('software.unknownVersion') })}
        </Title>
        <PagedTable
          query={query}
          columns={columns}
          rowKey={(i) => `${i.assetId}|${i.arch}`}
          caption={t('software.whereInstalled', { version: version || t('software.unknownVersion') })}
          emptyText={t('software.noInstallations')}
        />
      </Stack>
    </Card>
  );
}
