import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import {
  DISPOSAL_BATCH_STATUSES,
  DISPOSAL_CHANNELS,
  type DisposalChannel,
} from '../../../shared/schemas/disposal.js';
import { AppModal } from '../../components/AppModal.js';
import { typeLabel, useAssetTypes } from '../../components/AssetPickers.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { formatDate, formatDateTime } from '../../components/format.js';
import { type Column, PagedTable, usePagedQuery } from '../../components/PagedTable.js';
import { OrgSelect } from '../../components/Pickers.js';
import { TabbedPage } from '../../components/TabbedPage.js';
import { useAssetNames } from '../../components/useNames.js';
import { currentLanguage } from '../../i18n/index.js';
import { useCan, useSession } from '../../session/session.js';
import {
  createBatch,
  type DisposalBatch,
  getReport,
  listBatches,
  listWipes,
  reportCsvUrl,
  type Wipe,
} from './api.js';
import { WipeForm } from './WipeForm.js';

export const BATCH_COLORS: Record<DisposalBatch['status'], string> = {
  open: 'blue',
  closed: 'teal',
  cancelled: 'gray',
};

/** End of life: disposal batches, the data-wiping records, and the environmental report. */
export function DisposalPage() {
  const { t } = useTranslation();
  return (
    <TabbedPage
      title={t('disposal.title')}
      intro={t('disposal.intro')}
      tabs={[
        { key: 'batches', label: t('disposal.tabs.batches'), panel: <BatchesTab /> },
        { key: 'wipes', label: t('disposal.tabs.wipes'), panel: <WipesTab /> },
        { key: 'report', label: t('disposal.tabs.report'), panel: <ReportTab /> },
      ]}
    />
  );
}

function BatchesTab() {
  const { t } = useTranslation();
  const can = useCan();
  const [orgId, setOrgId] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [channel, setChannel] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [creating, setCreating] = useState(false);
  const filters = {
    orgId: orgId ?? undefined,
    status: (status as DisposalBatch['status'] | null) ?? undefined,
    channel: (channel as DisposalChannel | null) ?? undefined,
    q: q || undefined,
  };
  const query = usePagedQuery(['disposal', 'batches', filters], (cursor) =>
    listBatches({ ...filters, cursor }),
  );
  const columns: Column<DisposalBatch>[] = [
    {
      key: 'reference',
      header: t('disposal.reference'),
      render: (b) => (
        <Anchor component={Link} to={`/disposal/batches/${b.id}`}>
          {b.reference}
        </Anchor>
      ),
    },
    { key: 'channel', header: t('disposal.channel'), render: (b) => t(`disposal.channels.${b.channel}`) },
    {
      key: 'status',
      header: t('disposal.status'),
      render: (b) => (
        <Badge color={BATCH_COLORS[b.status]} variant="light">
          {t(`disposal.statuses.${b.status}`)}
        </Badge>
      ),
    },
    { key: 'recipient', header: t('disposal.recipient'), render: (b) => b.recipient || '—' },
    { key: 'items', header: t('disposal.items'), render: (b) => b.itemCount },
    {
      key: 'weight',
      header: t('disposal.weightKg'),
      render: (b) => b.weightKg.toLocaleString(currentLanguage()),
    },
    {
      key: 'handedOver',
      header: t('disposal.handedOverOn'),
      render: (b) => (b.handedOverOn ? formatDate(b.handedOverOn) : '—'),
    },
  ];
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <SimpleGrid cols={{ base: 1, sm: 4 }} style={{ flex: 1 }}>
          <TextInput
            label={t('common.search')}
            placeholder={t('disposal.searchHint')}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
          />
          <OrgSelect
            label={t('disposal.org')}
            value={orgId}
            onChange={setOrgId}
            clearable
            placeholder={t('common.all')}
          />
          <Select
            label={t('disposal.channel')}
            data={DISPOSAL_CHANNELS.map((c) => ({ value: c, label: t(`disposal.channels.${c}`) }))}
            value={channel}
            onChange={setChannel}
            clearable
            placeholder={t('common.all')}
          />
          <Select
            label={t('disposal.status')}
            data={DISPOSAL_BATCH_STATUSES.map((s) => ({ value: s, label: t(`disposal.statuses.${s}`) }))}
            value={status}
            onChange={setStatus}
            clearable
            placeholder={t('common.all')}
          />
        </SimpleGrid>
        {can('disposal.manage') && (
          <Button onClick={() => setCreating(true)}>{t('disposal.newBatch')}</Button>
        )}
      </Group>
      <PagedTable
        query={query}
        columns={columns}
        rowKey={(b) => b.id}
        caption={t('disposal.tabs.batches')}
        emptyText={t('disposal.emptyBatches')}
      />
      <AppModal opened={creating} onClose={() => setCreating(false)} centered title={t('disposal.newBatch')}>
        {creating && <NewBatchForm defaultOrgId={orgId} />}
      </AppModal>
    </Stack>
  );
}

function NewBatchForm({ defaultOrgId }: { defaultOrgId: string | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { me } = useSession();
  const [orgId, setOrgId] = useState<string | null>(defaultOrgId ?? me.memberships[0]?.orgId ?? null);
  const [channel, setChannel] = useState<string | null>('recycle');
  const [recipient, setRecipient] = useState('');
  const [notes, setNotes] = useState('');
  const create = useMutation({
    mutationFn: () =>
      createBatch({
        orgId: orgId ?? '',
        channel: (channel ?? 'recycle') as DisposalChannel,
        recipient,
        notes,
      }),
    onSuccess: (batch) => void navigate(`/disposal/batches/${batch.id}`),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        <OrgSelect
          label={t('disposal.org')}
          value={orgId}
          onChange={setOrgId}
          required
          error={fieldError(create.error, 'orgId')}
        />
        <Select
          label={t('disposal.channel')}
          data={DISPOSAL_CHANNELS.map((c) => ({ value: c, label: t(`disposal.channels.${c}`) }))}
          value={channel}
          onChange={setChannel}
          required
          description={channel ? t(`disposal.channelHelp.${channel}`) : undefined}
        />
        <TextInput
          label={t('disposal.recipient')}
          description={t('disposal.recipientHelp')}
          value={recipient}
          onChange={(e) => setRecipient(e.currentTarget.value)}
          error={fieldError(create.error, 'recipient')}
        />
        <Textarea
          label={t('disposal.notes')}
          value={notes}
          onChange={(e) => setNotes(e.currentTarget.value)}
          autosize
        />
        <ErrorAlert error={create.error} fields={['orgId', 'recipient']} />
        <Group justify="flex-end">
          <Button type="submit" loading={create.isPending}>
            {t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function WipesTab() {
  const { t } = useTranslation();
  const can = useCan();
  const [orgId, setOrgId] = useState<string | null>(null);
  const [recording, setRecording] = useState(false);
  const filters = { orgId: orgId ?? undefined };
  const query = usePagedQuery(['disposal', 'wipes', filters], (cursor) => listWipes({ ...filters, cursor }));
  const names = useAssetNames(query.data?.pages.flatMap((p) => p.items.map((w) => w.assetId)) ?? []);
  const columns: Column<Wipe>[] = [
    {
      key: 'asset',
      header: t('disposal.asset'),
      render: (w) => (
        <Anchor component={Link} to={`/assets/${w.assetId}`}>
          {names.get(w.assetId) ?? '…'}
        </Anchor>
      ),
    },
    { key: 'method', header: t('disposal.method'), render: (w) => t(`disposal.methods.${w.method}`) },
    {
      key: 'result',
      header: t('disposal.result'),
      render: (w) => (
        <Badge color={w.result === 'success' ? 'teal' : 'red'} variant="light">
          {t(`disposal.results.${w.result}`)}
        </Badge>
      ),
    },
    { key: 'performedAt', header: t('disposal.performedAt'), render: (w) => formatDateTime(w.performedAt) },
    { key: 'operator', header: t('disposal.operator'), render: (w) => w.operator },
    { key: 'tool', header: t('disposal.tool'), render: (w) => w.tool || '—' },
    { key: 'certificate', header: t('disposal.certificateRef'), render: (w) => w.certificateRef || '—' },
  ];
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {t('disposal.wipesIntro')}
      </Text>
      <Group justify="space-between" align="flex-end">
        <OrgSelect
          label={t('disposal.org')}
          value={orgId}
          onChange={setOrgId}
          clearable
          placeholder={t('common.all')}
        />
        {can('disposal.manage') && (
          <Button onClick={() => setRecording(true)}>{t('disposal.recordWipe')}</Button>
        )}
      </Group>
      <PagedTable
        query={query}
        columns={columns}
        rowKey={(w) => w.id}
        caption={t('disposal.tabs.wipes')}
        emptyText={t('disposal.emptyWipes')}
      />
      <AppModal
        opened={recording}
        onClose={() => setRecording(false)}
        centered
        title={t('disposal.recordWipe')}
      >
        {recording && <WipeForm orgId={orgId} onDone={() => setRecording(false)} />}
      </AppModal>
    </Stack>
  );
}

const firstOfMonth = () => `${new Date().toISOString().slice(0, 7)}-01`;
const today = () => new Date().toISOString().slice(0, 10);

function ReportTab() {
  const { t } = useTranslation();
  const { me } = useSession();
  const [orgId, setOrgId] = useState<string | null>(me.memberships[0]?.orgId ?? null);
  const [from, setFrom] = useState(firstOfMonth());
  const [to, setTo] = useState(today());
  const types = useAssetTypes(orgId);
  const typeNames = new Map((types.data ?? []).map((x) => [x.id, typeLabel(x)]));
  const report = useQuery({
    queryKey: ['disposal', 'report', orgId, from, to],
    queryFn: () => getReport({ orgId: orgId ?? '', from, to }),
    enabled: !!orgId && !!from && !!to,
    placeholderData: keepPreviousData,
  });
  const r = report.data;
  const kg = (n: number) => n.toLocaleString(currentLanguage(), { maximumFractionDigits: 2 });
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <OrgSelect label={t('disposal.org')} value={orgId} onChange={setOrgId} required />
        <TextInput
          type="date"
          label={t('disposal.from')}
          value={from}
          onChange={(e) => setFrom(e.currentTarget.value)}
        />
        <TextInput
          type="date"
          label={t('disposal.to')}
          value={to}
          onChange={(e) => setTo(e.currentTarget.value)}
        />
      </SimpleGrid>
      {report.isError && <ErrorAlert error={report.error} onRetry={() => void report.refetch()} />}
      {r && (
        <>
          <Group justify="space-between">
            <Text>
              {t('disposal.reportSummary', {
                items: r.total.items,
                weight: kg(r.total.weightKg),
                dataBearing: r.dataBearing,
              })}
            </Text>
            <Button
              component="a"
              href={reportCsvUrl({ orgId: r.orgId, from: r.from, to: r.to, locale: currentLanguage() })}
              download
              size="xs"
              variant="light"
            >
              CSV
            </Button>
          </Group>
          {r.total.items === 0 ? (
            <Text c="dimmed">{t('disposal.emptyReport')}</Text>
          ) : (
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <Card withBorder>
                <Title order={3} size="h5" mb="xs">
                  {t('disposal.weightByChannel')}
                </Title>
                <ResponsiveContainer width="100%" height={220}>
                  <BarChart
                    data={r.channels.map((c) => ({
                      name: t(`disposal.channels.${c.channel}`),
                      kg: c.weightKg,
                    }))}
                  >
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="name" />
                    <YAxis />
                    <Tooltip />
                    <Bar dataKey="kg" name={t('disposal.weightKg')} fill="#37b24d" />
                  </BarChart>
                </ResponsiveContainer>
              </Card>
              <Card withBorder>
                <Table aria-label={t('disposal.byChannel')}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t('disposal.channel')}</Table.Th>
                      <Table.Th scope="col">{t('disposal.batches')}</Table.Th>
                      <Table.Th scope="col">{t('disposal.items')}</Table.Th>
                      <Table.Th scope="col">{t('disposal.weightKg')}</Table.Th>
                      <Table.Th scope="col">{t('disposal.unweighed')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {r.channels.map((c) => (
                      <Table.Tr key={c.channel}>
                        <Table.Td>{t(`disposal.channels.${c.channel}`)}</Table.Td>
                        <Table.Td>{c.batches}</Table.Td>
                        <Table.Td>{c.items}</Table.Td>
                        <Table.Td>{kg(c.weightKg)}</Table.Td>
                        <Table.Td>{c.unweighed}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Card>
              <Card withBorder>
                <Table aria-label={t('disposal.byType')}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t('disposal.channel')}</Table.Th>
                      <Table.Th scope="col">{t('disposal.type')}</Table.Th>
                      <Table.Th scope="col">{t('disposal.items')}</Table.Th>
                      <Table.Th scope="col">{t('disposal.weightKg')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {r.byType.map((x) => (
                      <Table.Tr key={`${x.channel}-${x.typeId}`}>
                        <Table.Td>{t(`disposal.channels.${x.channel}`)}</Table.Td>
                        <Table.Td>{typeNames.get(x.typeId) ?? '…'}</Table.Td>
                        <Table.Td>{x.items}</Table.Td>
                        <Table.Td>{kg(x.weightKg)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Card>
              <Card withBorder>
                <Title order={3} size="h5" mb="xs">
                  {t('disposal.wipesByMethod')}
                </Title>
                {r.wipes.length === 0 ? (
                  <Text c="dimmed" size="sm">
                    {t('disposal.noWipes')}
                  </Text>
                ) : (
                  <Stack gap={4}>
                    {r.wipes.map((w) => (
                      <Group key={w.method} justify="space-between">
                        <Text size="sm">{t(`disposal.methods.${w.method}`)}</Text>
                        <Text size="sm" fw={700}>
                          {w.items}
                        </Text>
                      </Group>
                    ))}
                  </Stack>
                )}
              </Card>
            </SimpleGrid>
          )}
        </>
      )}
    </Stack>
  );
}
