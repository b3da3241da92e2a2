import { Alert, Button, Group, List, Paper, Select, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ASSET_STATUSES, type AssetStatus } from '../../../shared/schemas/assets.js';
import { type Asset, assetLabelsPdf, type BulkPatch, bulkUpdateAssets } from '../../api/assets.js';
import { isApiError } from '../../api/client.js';
import { AppModal } from '../../components/AppModal.js';
import { LocationSelect } from '../../components/AssetPickers.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { UserSelect } from '../../components/Pickers.js';

type Props = {
  /** The selected assets, in the order they were sent to the server. */
  selected: Asset[];
  onClear: () => void;
  /** Whether the actor may change assets; labels only need to read them. */
  canEdit: boolean;
};

/** What can be done to a selection: print its labels, or change them all at once. */
export function BulkBar({ selected, onClear, canEdit }: Props) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const labels = useMutation({
    mutationFn: () => assetLabelsPdf(selected.map((a) => a.id)),
    onSuccess: (blob) => {
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = 'asset-labels.pdf';
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    },
  });

  return (
    <Paper withBorder p="sm" role="region" aria-label={t('assets.selected', { count: selected.length })}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={500}>{t('assets.selected', { count: selected.length })}</Text>
          <Group gap="xs">
            <Button variant="light" onClick={() => labels.mutate()} loading={labels.isPending}>
              {t('assets.labels')}
            </Button>
            {canEdit && (
              <Button variant="light" onClick={() => setEditing(true)}>
                {t('assets.bulk.open')}
              </Button>
            )}
            <Button variant="subtle" color="gray" onClick={onClear}>
              {t('assets.clearSelection')}
            </Button>
          </Group>
        </Group>
        {labels.isError && <ErrorAlert error={labels.error} />}
      </Stack>
      <AppModal
        opened={editing}
        onClose={() => setEditing(false)}
        title={t('assets.bulk.title', { count: selected.length })}
        centered
        size="lg"
      >
        <BulkEditForm
          selected={selected}
          onDone={() => {
            setEditing(false);
            onClear();
          }}
        />
      </AppModal>
    </Paper>
  );
}

const KEEP = '__keep';
const CLEAR = '__clear';

function BulkEditForm({ selected, onDone }: { selected: Asset[]; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const orgIds = [...new Set(selected.map((a) => a.orgId))];
  const orgId = orgIds.length === 1 ? orgIds[0] : null;
  const [status, setStatus] = useState<string>(KEEP);
  const [locationMode, setLocationMode] = useState<string>(KEEP);
  const [locationId, setLocationId] = useState<string | null>(null);
  const [assigneeMode, setAssigneeMode] = useState<string>(KEEP);
  const [assigneeId, setAssigneeId] = useState<string | null>(null);

  const patch: BulkPatch = {};
  if (status !== KEEP) patch.status = status as AssetStatus;
  if (locationMode === CLEAR) patch.locationId = null;
  else if (locationMode === 'set' && locationId) patch.locationId = locationId;
  if (assigneeMode === CLEAR) patch.assignedUserId = null;
  else if (assigneeMode === 'set' && assigneeId) patch.assignedUserId = assigneeId;
  const empty = Object.keys(patch).length === 0;

  const ids = selected.map((a) => a.id);
  const save = useMutation({
    mutationFn: () => bulkUpdateAssets(ids, patch),
    onSuccess: (result) => {
      notifications.show({ color: 'teal', message: t('assets.bulk.done', result) });
      void queryClient.invalidateQueries({ queryKey: ['assets'] });
      void queryClient.invalidateQueries({ queryKey: ['location'] });
      onDone();
    },
  });

  const modeData = [
    { value: KEEP, label: t('assets.bulk.keep') },
    { value: 'set', label: t('common.edit') },
    { value: CLEAR, label: t('assets.bulk.clear') },
  ];

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!empty) save.mutate();
      }}
    >
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('assets.bulk.help')}
        </Text>
        <Select
          label={t('assets.bulk.setStatus')}
          data={[
            { value: KEEP, label: t('assets.bulk.keep') },
            ...ASSET_STATUSES.map((s) => ({ value: s, label: t(`assets.status.${s}`) })),
          ]}
          value={status}
          onChange={(v) => setStatus(v ?? KEEP)}
          allowDeselect={false}
        />
        <Select
          label={t('assets.bulk.setLocation')}
          data={modeData}
          value={locationMode}
          onChange={(v) => setLocationMode(v ?? KEEP)}
          allowDeselect={false}
        />
        {locationMode === 'set' && (
          <LocationSelect
            label={t('assets.location')}
            orgId={orgId}
            value={locationId}
            onChange={setLocationId}
            required
          />
        )}
        <Select
          label={t('assets.bulk.setAssignee')}
          data={modeData}
          value={assigneeMode}
          onChange={(v) => setAssigneeMode(v ?? KEEP)}
          allowDeselect={false}
        />
        {assigneeMode === 'set' && (
          <UserSelect
            label={t('assets.assignee')}
            orgId={orgId}
            value={assigneeId}
            onChange={setAssigneeId}
          />
        )}
        {save.isError &&
          (isApiError(save.error, 'asset.bulk_failed') ? (
            <BulkFailures error={save.error.problem.errors ?? []} selected={selected} />
          ) : (
            <ErrorAlert error={save.error} />
          ))}
        {empty && (
          <Text size="sm" c="dimmed">
            {t('assets.bulk.nothing')}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" disabled={empty} loading={save.isPending}>
            {t('assets.bulk.apply')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Which assets refused the change, by name, and why. */
function BulkFailures({
  error,
  selected,
}: {
  error: { path?: unknown; code?: string; message?: string }[];
  selected: Asset[];
}) {
  const { t } = useTranslation();
  return (
    <Alert
      color="red"
      variant="light"
      role="alert"
      title={t('assets.bulk.failedTitle', { count: error.length })}
    >
      <List size="sm">
        {error.map((e) => {
          const index = Number(String(e.path ?? '').split('.')[1]);
          const asset = Number.isInteger(index) ? selected[index] : undefined;
          const code = e.code ?? '';
          const reason = t(`assets.bulk.reasons.${code}`, {
            defaultValue: t(`errors.${code}`, { defaultValue: e.message ?? code }),
          });
          return (
            <List.Item key={String(e.path)}>
              <Text span fw={500}>
                {asset?.name ?? t('assets.bulk.unknownAsset', { index: index + 1 })}
              </Text>
              {' — '}
              {reason}
            </List.Item>
          );
        })}
      </List>
    </Alert>
  );
}
