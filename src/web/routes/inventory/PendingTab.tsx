import { Button, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Device, listDevices, rejectDevice, validateDevice } from '../../api/inventory.js';
import { AppModal } from '../../components/AppModal.js';
import { ConfirmItemModal } from '../../components/ConfirmModal.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { type Column, PagedTable, usePagedQuery } from '../../components/PagedTable.js';
import { OrgSelect } from '../../components/Pickers.js';
import { RelativeTime } from '../../components/RelativeTime.js';

const nameOf = (d: Device) => d.hostname ?? d.deviceId;

/** "Intel Core i5 · 16 GB memory · 512 GB disk": what the agent reported, in a line. */
function hardwareSummary(d: Device, t: TFunction, language: string): string | null {
  const size = (value: number) => value.toLocaleString(language, { maximumFractionDigits: 0 });
  const parts = [
    d.cpu,
    d.memoryMb ? t('inventory.pending.memory', { size: size(d.memoryMb / 1024) }) : null,
    // Disks in decimal gigabytes, as their makers count them.
    d.diskMb ? t('inventory.pending.disk', { size: size(d.diskMb / 1000) }) : null,
  ].filter((p): p is string => !!p);
  return parts.length > 0 ? parts.join(' · ') : null;
}

/** Devices that reported without a token or a rule: a global administrator files or rejects them. */
export function PendingTab() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const query = usePagedQuery(['inventory', 'devices', 'pending'], (cursor) =>
    listDevices({ pending: true, cursor }),
  );
  const [filing, setFiling] = useState<Device | null>(null);
  const [rejecting, setRejecting] = useState<Device | null>(null);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['inventory'] });
    void queryClient.invalidateQueries({ queryKey: ['assets'] });
  };
  const reject = useMutation({
    mutationFn: (d: Device) => rejectDevice(d.id),
    onSuccess: () => {
      setRejecting(null);
      notifications.show({ color: 'teal', message: t('inventory.pending.rejected') });
      refresh();
    },
  });

  const columns: Column<Device>[] = [
    {
      key: 'hostname',
      header: t('inventory.devices.hostname'),
      render: (d) => (
        <Stack gap={0}>
          <Text fw={500}>{nameOf(d)}</Text>
          <Text size="xs" c="dimmed" ff="monospace">
            {d.deviceId}
          </Text>
        </Stack>
      ),
    },
    {
      key: 'hardware',
      header: t('inventory.pending.hardware'),
      render: (d) => {
        const model = [d.manufacturer, d.model].filter(Boolean).join(' ');
        const summary = hardwareSummary(d, t, i18n.language);
        return (
          <Stack gap={0}>
            {model && <Text size="sm">{model}</Text>}
            {summary && (
              <Text size="sm" c={model ? 'dimmed' : undefined}>
                {summary}
              </Text>
            )}
            {!model && !summary && <Text size="sm">—</Text>}
            {d.serial && (
              <Text size="xs" c="dimmed">
                {t('inventory.pending.serial', { serial: d.serial })}
              </Text>
            )}
          </Stack>
        );
      },
    },
    {
      key: 'os',
      header: t('inventory.pending.os'),
      render: (d) => <Text size="sm">{d.os ?? '—'}</Text>,
    },
    {
      key: 'agent',
      header: t('inventory.devices.agent'),
      render: (d) => (
        <Stack gap={0}>
          <Text size="sm" ff="monospace">
            {d.agentVersion ?? '—'}
          </Text>
          {d.tag && (
            <Text size="xs" c="dimmed">
              {t('inventory.pending.tag', { tag: d.tag })}
            </Text>
          )}
        </Stack>
      ),
    },
    {
      key: 'lastIp',
      header: t('inventory.devices.lastIp'),
      render: (d) => (
        <Text size="sm" ff="monospace">
          {d.lastIp ?? '—'}
        </Text>
      ),
    },
    {
      key: 'firstSeen',
      header: t('inventory.pending.firstSeen'),
      render: (d) => <RelativeTime iso={d.firstSeenAt} />,
    },
    {
      key: 'lastContact',
      header: t('inventory.devices.lastContact'),
      render: (d) => <RelativeTime iso={d.lastContactAt} />,
    },
    {
      key: 'actions',
      header: t('common.actions'),
      render: (d) => (
        <Group gap={4} wrap="nowrap">
          <Button
            size="compact-sm"
            variant="light"
            onClick={() => setFiling(d)}
            aria-label={t('inventory.pending.fileNamed', { name: nameOf(d) })}
          >
            {t('inventory.pending.file')}
          </Button>
          <Button
            size="compact-sm"
            variant="subtle"
            color="red"
            onClick={() => setRejecting(d)}
            aria-label={t('inventory.pending.rejectNamed', { name: nameOf(d) })}
          >
            {t('inventory.pending.reject')}
          </Button>
        </Group>
      ),
    },
  ];

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {t('inventory.pending.intro')}
      </Text>
      <PagedTable
        query={query}
        columns={columns}
        rowKey={(d) => d.id}
        caption={t('inventory.pending.caption')}
        emptyText={t('inventory.pending.empty')}
      />
      <AppModal
        opened={filing !== null}
        onClose={() => setFiling(null)}
        title={t('inventory.pending.fileTitle', { name: filing ? nameOf(filing) : '' })}
        centered
      >
        {filing && (
          <FileForm
            device={filing}
            onCancel={() => setFiling(null)}
            onDone={() => {
              setFiling(null);
              notifications.show({ color: 'teal', message: t('inventory.pending.filed') });
              refresh();
            }}
          />
        )}
      </AppModal>
      <ConfirmItemModal
        item={rejecting}
        onClose={() => setRejecting(null)}
        mutation={reject}
        run={(item) => reject.mutate(item)}
        title={t('inventory.pending.rejectTitle')}
        message={t('inventory.pending.rejectConfirm', { name: rejecting ? nameOf(rejecting) : '' })}
        confirmLabel={t('inventory.pending.reject')}
        danger
      />
    </Stack>
  );
}

function FileForm({
  device,
  onCancel,
  onDone,
}: {
  device: Device;
  onCancel: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [orgId, setOrgId] = useState<string | null>(null);
  const file = useMutation({
    mutationFn: (org: string) => validateDevice(device.id, org),
    onSuccess: onDone,
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (orgId) file.mutate(orgId);
  };
  return (
    <form onSubmit={onSubmit}>
      <Stack>
        <Text size="sm">{t('inventory.pending.fileHelp')}</Text>
        <ErrorAlert error={file.error} fields={['orgId']} />
        <OrgSelect
          label={t('inventory.org')}
          value={orgId}
          onChange={setOrgId}
          required
          error={fieldError(file.error, 'orgId')}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={file.isPending} disabled={!orgId}>
            {t('inventory.pending.fileConfirm')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
