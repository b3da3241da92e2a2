import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  NumberInput,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { WORK_ORDER_OPEN, WORK_ORDER_TRANSITIONS } from '../../../shared/schemas/workorders.js';
import { ApiError } from '../../api/client.js';
import { AppModal } from '../../components/AppModal.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { FormSkeleton } from '../../components/FormSkeleton.js';
import { formatDate, formatDateTime } from '../../components/format.js';
import { useCan } from '../../session/session.js';
import {
  completeWorkOrder,
  failWorkOrder,
  getWorkOrder,
  noticeUrl,
  reportMissing,
  reportUrl,
  tickCheck,
  transitionWorkOrder,
  type WorkOrderDetail,
} from './api.js';
import { TestsSection } from './TestsSection.js';
import { WorkOrderEdit } from './WorkOrderEdit.js';
import { StatusBadge } from './WorkOrdersPage.js';

/** One work order: its items, checklist, tests, completion, report and missing-item alert. */
export function WorkOrderPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const can = useCan();
  const queryClient = useQueryClient();
  const wo = useQuery({ queryKey: ['workorders', 'one', id], queryFn: () => getWorkOrder(id) });
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['workorders'] });
    void queryClient.invalidateQueries({ queryKey: ['stock'] });
  };
  const [dialog, setDialog] = useState<'edit' | 'complete' | 'fail' | 'missing' | 'cancel' | null>(null);
  // Every dialog closes the same way: the work order is read again.
  const done = () => {
    setDialog(null);
    refresh();
  };
  const move = useMutation({
    mutationFn: (to: 'draft' | 'planned' | 'in_progress') =>
      transitionWorkOrder(id, to, wo.data?.etag ?? null),
    onSuccess: refresh,
  });
  if (wo.isPending) return <FormSkeleton fields={5} />;
  if (wo.isError) return <ErrorAlert error={wo.error} onRetry={() => void wo.refetch()} />;
  const w = wo.data.data;
  const etag = wo.data.etag;
  const manage = can('workorder.manage', { orgId: w.orgId });
  const open = WORK_ORDER_OPEN.includes(w.status);
  const next = WORK_ORDER_TRANSITIONS[w.status];
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/work-orders" size="sm">
        ← {t('workorders.heading')}
      </Anchor>
      <Group justify="space-between">
        <Group gap="sm">
          <Title order={2}>{w.reference}</Title>
          <StatusBadge status={w.status} />
          <Text c="dimmed">{w.title}</Text>
        </Group>
        <Group gap="xs">
          {manage && open && (
            <Button variant="default" onClick={() => setDialog('edit')}>
              {t('workorders.edit')}
            </Button>
          )}
          {manage &&
            (['draft', 'planned', 'in_progress'] as const)
              .filter((s) => next.includes(s))
              .map((s) => (
                <Button key={s} variant="light" loading={move.isPending} onClick={() => move.mutate(s)}>
                  {t(`workorders.to.${s}`)}
                </Button>
              ))}
          {manage && next.includes('done') && (
            <Button onClick={() => setDialog('complete')}>{t('workorders.complete')}</Button>
          )}
          {manage && next.includes('failed') && (
            <Button variant="default" color="red" onClick={() => setDialog('fail')}>
              {t('workorders.fail')}
            </Button>
          )}
          {manage && open && (
            <Button variant="default" onClick={() => setDialog('missing')}>
              {t('workorders.missing')}
            </Button>
          )}
          {manage && next.includes('cancelled') && (
            <Button variant="subtle" color="red" onClick={() => setDialog('cancel')}>
              {t('workorders.cancel')}
            </Button>
          )}
          {w.status === 'done' && (
            <Button component="a" href={reportUrl(w.id)} target="_blank" rel="noopener" variant="light">
              {t('workorders.reportPdf')}
            </Button>
          )}
        </Group>
      </Group>
      <ErrorAlert error={move.error} fields={[]} />
      {w.expectedDate && (
        <Alert color="orange" title={t('workorders.postponed')}>
          {t('workorders.postponedTo', { date: formatDate(w.expectedDate) })}
        </Alert>
      )}
      <Card withBorder>
        <SimpleGrid cols={{ base: 2, md: 4 }}>
          <Info label={t('workorders.kind')} value={t(`workorders.kinds.${w.kind}`)} />
          <Info label={t('workorders.location')} value={w.locationName} />
          <Info label={t('workorders.technician')} value={w.technicianName ?? '—'} />
          <Info
            label={t('workorders.window')}
            value={
              w.earliestDate || w.latestDate
                ? `${formatDate(w.earliestDate)} → ${formatDate(w.latestDate)}`
                : '—'
            }
          />
          <Info
            label={t('workorders.schedule')}
            value={
              w.scheduledStart
                ? `${formatDateTime(w.scheduledStart)} → ${formatDateTime(w.scheduledEnd)}`
                : '—'
            }
          />
          {w.completedAt && (
            <Info label={t('workorders.completedAt')} value={formatDateTime(w.completedAt)} />
          )}
        </SimpleGrid>
        {w.description && (
          <Text size="sm" mt="sm">
            {w.description}
          </Text>
        )}
        {w.outcomeNote && (
          <Text size="sm" mt="sm" c="dimmed">
            {w.outcomeNote}
          </Text>
        )}
        {w.configuration && <Configuration config={w.configuration} />}
      </Card>
      <Items wo={w} />
      <Checklist wo={w} editable={manage && open} onChange={refresh} />
      <TestsSection wo={w} editable={manage && open} onChange={refresh} />
      <AppModal
        opened={dialog !== null}
        onClose={() => setDialog(null)}
        title={dialog ? t(`workorders.${dialog}`) : ''}
        centered
        size={dialog === 'edit' ? 'xl' : dialog === 'complete' || dialog === 'missing' ? 'lg' : undefined}
      >
        {dialog === 'edit' && <WorkOrderEdit wo={w} onDone={done} />}
        {dialog === 'complete' && <CompleteForm wo={w} etag={etag} onDone={done} />}
        {(dialog === 'fail' || dialog === 'cancel') && (
          <ReasonForm wo={w} etag={etag} cancel={dialog === 'cancel'} onDone={done} />
        )}
        {dialog === 'missing' && <MissingForm wo={w} etag={etag} onDone={done} />}
      </AppModal>
    </Stack>
  );
}

function Info({ label, value }: { label: string; value: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm">{value}</Text>
    </Stack>
  );
}

function Configuration({ config }: { config: NonNullable<WorkOrderDetail['configuration']> }) {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 2, md: 5 }} mt="md">
      {(['hostname', 'ipAddress', 'vlan', 'switchPort', 'wifiSsid'] as const).map((k) => (
        <Info
          key={k}
          label={t(`workorders.config.${k}`)}
          value={config[k] === null ? '—' : String(config[k])}
        />
      ))}
    </SimpleGrid>
  );
}

function Items({ wo }: { wo: WorkOrderDetail }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      <Title order={3}>{t('workorders.items')}</Title>
      {wo.items.length === 0 ? (
        <Text c="dimmed" size="sm">
          {t('workorders.noItems')}
        </Text>
      ) : (
        <Table aria-label={t('workorders.items')} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('workorders.article')}</Table.Th>
              <Table.Th scope="col">{t('workorders.quantity')}</Table.Th>
              <Table.Th scope="col">{t('workorders.reservation')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {wo.items.map((i) => (
              <Table.Tr key={i.id}>
                <Table.Td>
                  {i.label}{' '}
                  {i.missingSince && (
                    <Badge color="orange" variant="light">
                      {t('workorders.itemMissing')}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{i.quantity}</Table.Td>
                <Table.Td>
                  {i.reservationStatus ? t(`workorders.reservationStatus.${i.reservationStatus}`) : '—'}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {wo.notices.map((n) => (
        <Anchor key={n.modelId} href={noticeUrl(n.modelId)} target="_blank" rel="noopener" size="sm">
          {t('workorders.notice', { model: n.modelName, name: n.name })}
        </Anchor>
      ))}
    </Stack>
  );
}

function Checklist({
  wo,
  editable,
  onChange,
}: {
  wo: WorkOrderDetail;
  editable: boolean;
  onChange: () => void;
}) {
  const { t } = useTranslation();
  const tick = useMutation({
    mutationFn: (v: { id: string; done: boolean }) => tickCheck(wo.id, v.id, v.done),
    onSuccess: onChange,
  });
  const label = (c: WorkOrderDetail['checklist'][number]) =>
    c.kind === 'box'
      ? t('workorders.boxComplete', { item: c.label, model: c.modelName })
      : c.kind === 'step'
        ? t('workorders.step', { step: c.label, model: c.modelName })
        : c.kind === 'test'
          ? t('workorders.testPassed', { test: c.label })
          : c.label;
  return (
    <Stack gap="xs">
      <Title order={3}>{t('workorders.checklist')}</Title>
      {wo.checklist.length === 0 && (
        <Text c="dimmed" size="sm">
          {t('workorders.noChecks')}
        </Text>
      )}
      {wo.checklist.map((c) => (
        <Checkbox
          key={c.id}
          checked={c.done}
          disabled={!editable || tick.isPending}
          onChange={(e) => tick.mutate({ id: c.id, done: e.currentTarget.checked })}
          label={
            <Group gap={6}>
              <span>{label(c)}</span>
              {c.mandatory && (
                <Badge size="xs" variant="outline">
                  {t('workorders.mandatory')}
                </Badge>
              )}
              {c.done && c.doneBy && (
                <Text span size="xs" c="dimmed">
                  {t('workorders.checkedBy', { who: c.doneBy, when: formatDateTime(c.doneAt) })}
                </Text>
              )}
            </Group>
          }
        />
      ))}
      <ErrorAlert error={tick.error} fields={[]} />
    </Stack>
  );
}

function CompleteForm({
  wo,
  etag,
  onDone,
}: {
  wo: WorkOrderDetail;
  etag: string | null;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [hostname, setHostname] = useState('');
  const [ipAddress, setIp] = useState('');
  const [vlan, setVlan] = useState<number | string>('');
  const [switchPort, setSwitchPort] = useState('');
  const [wifiSsid, setSsid] = useState('');
  const [note, setNote] = useState('');
  const complete = useMutation({
    mutationFn: () =>
      completeWorkOrder(
        wo.id,
        {
          configuration: {
            hostname: hostname.trim() || null,
            ipAddress: ipAddress.trim() || null,
            vlan: typeof vlan === 'number' ? vlan : null,
            switchPort: switchPort.trim() || null,
            wifiSsid: wifiSsid.trim() || null,
          },
          note,
        },
        etag,
      ),
    onSuccess: onDone,
  });
  const err = complete.error;
  const unchecked =
    err instanceof ApiError && err.code === 'work_order.checklist_incomplete'
      ? ((err.problem.unchecked as Array<{ id: string; label: string }>) ?? [])
      : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    complete.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        <SimpleGrid cols={2}>
          <TextInput
            label={t('workorders.config.hostname')}
            value={hostname}
            onChange={(e) => setHostname(e.currentTarget.value)}
            error={fieldError(err, 'configuration.hostname')}
          />
          <TextInput
            label={t('workorders.config.ipAddress')}
            value={ipAddress}
            onChange={(e) => setIp(e.currentTarget.value)}
            error={fieldError(err, 'configuration.ipAddress')}
          />
          <NumberInput
            label={t('workorders.config.vlan')}
            value={vlan}
            onChange={setVlan}
            allowDecimal={false}
            error={fieldError(err, 'configuration.vlan')}
          />
          <TextInput
            label={t('workorders.config.switchPort')}
            value={switchPort}
            onChange={(e) => setSwitchPort(e.currentTarget.value)}
            error={fieldError(err, 'configuration.switchPort')}
          />
          <TextInput
            label={t('workorders.config.wifiSsid')}
            value={wifiSsid}
            onChange={(e) => setSsid(e.currentTarget.value)}
            error={fieldError(err, 'configuration.wifiSsid')}
          />
        </SimpleGrid>
        <Textarea
          label={t('workorders.note')}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          autosize
          minRows={2}
        />
        {unchecked ? (
          <Alert color="red" title={t('workorders.uncheckedTitle')} role="alert">
            <ul style={{ margin: 0 }}>
              {unchecked.map((u) => (
                <li key={u.id}>{u.label}</li>
              ))}
            </ul>
          </Alert>
        ) : (
          <ErrorAlert error={err} fields={['configuration']} />
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={complete.isPending}>
            {t('workorders.completeSubmit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ReasonForm({
  wo,
  etag,
  cancel,
  onDone,
}: {
  wo: WorkOrderDetail;
  etag: string | null;
  cancel: boolean;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const act = useMutation({
    mutationFn: () =>
      cancel ? transitionWorkOrder(wo.id, 'cancelled', etag, reason) : failWorkOrder(wo.id, reason, etag),
    onSuccess: onDone,
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        act.mutate();
      }}
    >
      <Stack>
        <Text size="sm">{t(cancel ? 'workorders.cancelHelp' : 'workorders.failHelp')}</Text>
        <Textarea
          label={t('workorders.reason')}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          required={!cancel}
          autosize
          minRows={2}
          error={fieldError(act.error, 'reason')}
        />
        <ErrorAlert error={act.error} fields={['reason']} />
        <Group justify="flex-end">
          <Button type="submit" color="red" loading={act.isPending}>
            {t(cancel ? 'workorders.cancel' : 'workorders.fail')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function MissingForm({ wo, etag, onDone }: { wo: WorkOrderDetail; etag: string | null; onDone: () => void }) {
  const { t } = useTranslation();
  const [itemIds, setItemIds] = useState<string[]>([]);
  const [checkIds, setCheckIds] = useState<string[]>([]);
  const [expectedDate, setExpectedDate] = useState('');
  const [note, setNote] = useState('');
  const save = useMutation({
    mutationFn: () => reportMissing(wo.id, { itemIds, checkIds, expectedDate, note }, etag),
    onSuccess: onDone,
  });
  const toggle = (list: string[], set: (v: string[]) => void, idv: string, on: boolean) =>
    set(on ? [...list, idv] : list.filter((x) => x !== idv));
  const boxes = wo.checklist.filter((c) => c.kind === 'box');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Stack>
        <Text size="sm">{t('workorders.missingHelp')}</Text>
        {wo.items.map((i) => (
          <Checkbox
            key={i.id}
            label={`${i.label} × ${i.quantity}`}
            checked={itemIds.includes(i.id)}
            onChange={(e) => toggle(itemIds, setItemIds, i.id, e.currentTarget.checked)}
          />
        ))}
        {boxes.map((c) => (
          <Checkbox
            key={c.id}
            label={t('workorders.boxMissing', { item: c.label, model: c.modelName })}
            checked={checkIds.includes(c.id)}
            onChange={(e) => toggle(checkIds, setCheckIds, c.id, e.currentTarget.checked)}
          />
        ))}
        <TextInput
          type="date"
          label={t('workorders.newExpectedDate')}
          value={expectedDate}
          onChange={(e) => setExpectedDate(e.currentTarget.value)}
          required
          error={fieldError(save.error, 'expectedDate')}
        />
        <Textarea
          label={t('workorders.note')}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          autosize
          minRows={2}
        />
        <ErrorAlert error={save.error} fields={['expectedDate']} />
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending}>
            {t('workorders.missingSubmit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
