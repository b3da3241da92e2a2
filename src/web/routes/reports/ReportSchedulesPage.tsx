import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { SCHEDULE_FREQUENCIES } from '../../../shared/schemas/reports.js';
import {
  createReportSchedule,
  deleteReportSchedule,
  listReportSchedules,
  type ReportSchedule,
  runReportSchedule,
  updateReportSchedule,
} from '../../api/reports.js';
import { AppModal } from '../../components/AppModal.js';
import { ConfirmModal } from '../../components/ConfirmModal.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { formatDateTime } from '../../components/format.js';
import { OrgSelect } from '../../components/Pickers.js';
import { useCan, useSession } from '../../session/session.js';

type Recipient = { email: string; locale: 'fr' | 'en' };
type Draft = { frequency: ReportSchedule['frequency']; recipients: Recipient[]; active: boolean };
const etagOf = (s: ReportSchedule) => `"v${s.version}"`;

function ScheduleForm({
  orgId,
  editing,
  onClose,
}: {
  orgId: string;
  editing: ReportSchedule | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(
    editing
      ? { frequency: editing.frequency, recipients: editing.recipients, active: editing.active }
      : { frequency: 'monthly', recipients: [{ email: '', locale: 'fr' }], active: true },
  );
  const save = useMutation({
    mutationFn: async () =>
      editing
        ? (await updateReportSchedule(editing.id, draft, etagOf(editing))).data
        : createReportSchedule({ orgId, ...draft }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('reportSchedules.saved') });
      void queryClient.invalidateQueries({ queryKey: ['report-schedules'] });
      onClose();
    },
  });
  const setRecipient = (i: number, r: Partial<Recipient>) =>
    setDraft((d) => ({ ...d, recipients: d.recipients.map((x, k) => (k === i ? { ...x, ...r } : x)) }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        <Select
          label={t('reportSchedules.frequency')}
          data={SCHEDULE_FREQUENCIES.map((f) => ({ value: f, label: t(`reportSchedules.frequencies.${f}`) }))}
          value={draft.frequency}
          onChange={(v) => v && setDraft((d) => ({ ...d, frequency: v as Draft['frequency'] }))}
          allowDeselect={false}
        />
        <Text fw={500} size="sm">
          {t('reportSchedules.recipients')}
        </Text>
        {draft.recipients.map((r, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place, in order
          <Group key={i} align="flex-end" wrap="nowrap">
            <TextInput
              type="email"
              required
              label={t('reportSchedules.recipientEmail')}
              value={r.email}
              onChange={(e) => setRecipient(i, { email: e.currentTarget.value })}
              style={{ flex: 1 }}
            />
            <Select
              label={t('reportSchedules.recipientLocale')}
              data={[
                { value: 'fr', label: t('language.fr') },
                { value: 'en', label: t('language.en') },
              ]}
              value={r.locale}
              onChange={(v) => v && setRecipient(i, { locale: v as Recipient['locale'] })}
              allowDeselect={false}
              w={130}
            />
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label={t('reportSchedules.remove')}
              disabled={draft.recipients.length === 1}
              onClick={() => setDraft((d) => ({ ...d, recipients: d.recipients.filter((_, k) => k !== i) }))}
            >
              ×
            </ActionIcon>
          </Group>
        ))}
        <Button
          variant="subtle"
          onClick={() =>
            setDraft((d) => ({ ...d, recipients: [...d.recipients, { email: '', locale: 'fr' }] }))
          }
        >
          {t('reportSchedules.addRecipient')}
        </Button>
        <Switch
          label={t('reportSchedules.active')}
          checked={draft.active}
          onChange={(e) => {
            const active = e.currentTarget.checked;
            setDraft((d) => ({ ...d, active }));
          }}
        />
        <ErrorAlert error={save.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Scheduled mailings of the incident report: who gets it, how often, and how the last run went. */
export function ReportSchedulesPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const can = useCan();
  const queryClient = useQueryClient();
  const members = me.memberships.filter((m) => can('report.schedule', { orgId: m.orgId }));
  const [orgId, setOrgId] = useState<string | null>(members[0]?.orgId ?? null);
  const [editing, setEditing] = useState<ReportSchedule | 'new' | null>(null);
  const [deleting, setDeleting] = useState<ReportSchedule | null>(null);
  const query = useQuery({
    queryKey: ['report-schedules', orgId],
    queryFn: () => listReportSchedules({ orgId: orgId ?? undefined }),
    enabled: !!orgId,
  });
  const remove = useMutation({
    mutationFn: (s: ReportSchedule) => deleteReportSchedule(s.id, etagOf(s)),
    onSuccess: () => {
      setDeleting(null);
      void queryClient.invalidateQueries({ queryKey: ['report-schedules'] });
    },
  });
  const run = useMutation({
    mutationFn: (s: ReportSchedule) => runReportSchedule(s.id),
    onSuccess: () => notifications.show({ color: 'teal', message: t('reportSchedules.sent') }),
  });
  const items = query.data?.items ?? [];

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>{t('reportSchedules.title')}</Title>
          <Text c="dimmed">{t('reportSchedules.intro')}</Text>
        </div>
        <Button component={Link} to="/reports" variant="subtle">
          {t('reports.title')}
        </Button>
      </Group>
      <Group align="flex-end">
        <div style={{ minWidth: 260 }}>
          <OrgSelect
            label={t('reportSchedules.org')}
            value={orgId}
            onChange={setOrgId}
            only={me.globalAdmin ? undefined : members}
          />
        </div>
        <Button disabled={!orgId} onClick={() => setEditing('new')}>
          {t('reportSchedules.add')}
        </Button>
      </Group>
      {query.isError && <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />}
      <ErrorAlert error={run.error} />
      {query.isSuccess && items.length === 0 && <Alert color="gray">{t('reportSchedules.empty')}</Alert>}
      {items.length > 0 && (
        <Table striped withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('reportSchedules.frequency')}</Table.Th>
              <Table.Th>{t('reportSchedules.recipients')}</Table.Th>
              <Table.Th>{t('reportSchedules.nextRun')}</Table.Th>
              <Table.Th>{t('reportSchedules.lastRun')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((s) => (
              <Table.Tr key={s.id}>
                <Table.Td>
                  <Stack gap={2}>
                    <Text size="sm">{t(`reportSchedules.frequencies.${s.frequency}`)}</Text>
                    <Badge color={s.active ? 'teal' : 'gray'} variant="light" w="fit-content">
                      {s.active ? t('reportSchedules.active') : t('reportSchedules.inactive')}
                    </Badge>
                  </Stack>
                </Table.Td>
                <Table.Td>
                  {s.recipients.map((r) => (
                    <Text key={r.email} size="sm">
                      {r.email} ({r.locale})
                    </Text>
                  ))}
                </Table.Td>
                <Table.Td>{s.active ? formatDateTime(s.nextRunAt) : '—'}</Table.Td>
                <Table.Td>
                  <Text size="sm">
                    {s.lastRunAt ? formatDateTime(s.lastRunAt) : t('reportSchedules.never')}
                  </Text>
                  {s.lastError && (
                    <Text size="sm" c="red" title={t('reportSchedules.lastError')}>
                      {s.lastError}
                    </Text>
                  )}
                  {s.lastMailIds.length > 0 && (
                    <Anchor component={Link} to="/admin/helpdesk" size="xs">
                      {t('reportSchedules.mails')}
                    </Anchor>
                  )}
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Button size="xs" variant="light" onClick={() => setEditing(s)}>
                      {t('reportSchedules.edit')}
                    </Button>
                    <Button size="xs" variant="light" loading={run.isPending} onClick={() => run.mutate(s)}>
                      {t('reportSchedules.sendNow')}
                    </Button>
                    <Button size="xs" variant="subtle" color="red" onClick={() => setDeleting(s)}>
                      {t('reportSchedules.delete')}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <AppModal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t('reportSchedules.add') : t('reportSchedules.edit')}
      >
        {editing !== null && orgId && (
          <ScheduleForm
            orgId={orgId}
            editing={editing === 'new' ? null : editing}
            onClose={() => setEditing(null)}
          />
        )}
      </AppModal>
      <ConfirmModal
        opened={deleting !== null}
        title={t('reportSchedules.delete')}
        message={t('reportSchedules.deleteConfirm')}
        confirmLabel={t('reportSchedules.delete')}
        danger
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onClose={() => {
          setDeleting(null);
          remove.reset();
        }}
      />
    </Stack>
  );
}
