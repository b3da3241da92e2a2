import {
  Alert,
  Anchor,
  Button,
  Card,
  Grid,
  Group,
  Menu,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { type AssetStatus, STATUS_TRANSITIONS } from '../../../shared/schemas/assets.js';
import { type Asset, changeAssetStatus, deleteAsset, getAsset } from '../../api/assets.js';
import { ApiError, isApiError } from '../../api/client.js';
import { AppModal } from '../../components/AppModal.js';
import { StatusBadge, typeLabel, useAssetTypes } from '../../components/AssetPickers.js';
import { ConfirmModal } from '../../components/ConfirmModal.js';
import { ConflictAlert } from '../../components/ConflictAlert.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { formatDate } from '../../components/format.js';
import {
  useLocationNames,
  useModelNames,
  useSupplierNames,
  useUserNames,
} from '../../components/useNames.js';
import { useCan } from '../../session/session.js';
import { AssetTickets } from '../helpdesk/AssetTickets.js';
import { EditAssetForm } from './AssetForms.js';
import { AssetInventory } from './AssetInventory.js';
import { AssetImpact, AssetRelations } from './AssetRelations.js';
import { AssetTimeline } from './AssetTimeline.js';

const isConflict = (err: unknown) =>
  err instanceof ApiError && (err.code === 'precondition.failed' || err.status === 412);

export function AssetPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const can = useCan();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: ['asset', id], queryFn: () => getAsset(id) });
  const asset = query.data?.data;
  const etag = query.data?.etag ?? null;
  const types = useAssetTypes(asset?.orgId);
  const [dialog, setDialog] = useState<'edit' | 'delete' | AssetStatus | null>(null);
  const [conflict, setConflict] = useState(false);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['asset', id] });

  const remove = useMutation({
    mutationFn: () => deleteAsset(id, etag),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('assets.deleted') });
      void queryClient.invalidateQueries({ queryKey: ['assets'] });
      void queryClient.invalidateQueries({ queryKey: ['location'] });
      void navigate('/assets');
    },
    onError: (err) => {
      if (isConflict(err)) void query.refetch();
    },
  });

  if (query.isPending) {
    return (
      <Stack aria-busy="true" aria-label={t('app.loading')}>
        <Skeleton height={32} width={280} />
        <Skeleton height={180} />
        <Skeleton height={240} />
      </Stack>
    );
  }
  if (query.isError || !asset) {
    return (
      <Stack>
        <ErrorAlert
          error={query.error}
          title={isApiError(query.error, 'asset.not_found') ? t('assets.notFound') : undefined}
          onRetry={() => void query.refetch()}
        />
        <Anchor component={Link} to="/assets">
          {t('assets.back')}
        </Anchor>
      </Stack>
    );
  }

  const manage = can('asset.manage', { orgId: asset.orgId });
  const moves = STATUS_TRANSITIONS[asset.status];
  const type = types.data?.find((x) => x.id === asset.typeId);

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/assets" size="sm">
        ← {t('assets.back')}
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <Group gap="sm">
          <Title order={2}>{asset.name}</Title>
          <StatusBadge status={asset.status} />
        </Group>
        {manage && (
          <Group gap="xs">
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <Button variant="light" disabled={moves.length === 0}>
                  {t('assets.changeStatus')}
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                {moves.map((s) => (
                  <Menu.Item key={s} onClick={() => setDialog(s)}>
                    {t(`assets.status.${s}`)}
                  </Menu.Item>
                ))}
              </Menu.Dropdown>
            </Menu>
            <Button variant="default" onClick={() => setDialog('edit')}>
              {t('common.edit')}
            </Button>
            <Button variant="subtle" color="red" onClick={() => setDialog('delete')}>
              {t('common.delete')}
            </Button>
          </Group>
        )}
      </Group>
      <ConflictAlert show={conflict} />
      <AssetDetails asset={asset} typeName={typeLabel(type)} customFields={type?.customFields ?? []} />
      <AssetInventory assetId={asset.id} />
      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <AssetTimeline assetId={asset.id} type={type} types={types.data ?? []} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack>
            <AssetRelations assetId={asset.id} orgId={asset.orgId} canManage={manage} />
            <AssetImpact assetId={asset.id} />
            {can('ticket.read', { orgId: asset.orgId }) && <AssetTickets assetId={asset.id} />}
          </Stack>
        </Grid.Col>
      </Grid>

      <AppModal
        opened={dialog === 'edit'}
        onClose={() => setDialog(null)}
        title={t('assets.editTitle')}
        centered
        size="xl"
      >
        {dialog === 'edit' && (
          <EditAssetForm
            assetId={asset.id}
            onDone={() => {
              setDialog(null);
              setConflict(false);
              refresh();
              void queryClient.invalidateQueries({ queryKey: ['assets'] });
              void queryClient.invalidateQueries({ queryKey: ['location'] });
            }}
          />
        )}
      </AppModal>
      <StatusDialog
        asset={asset}
        etag={etag}
        target={dialog && dialog !== 'edit' && dialog !== 'delete' ? dialog : null}
        onClose={() => setDialog(null)}
        onConflict={() => {
          setDialog(null);
          setConflict(true);
          refresh();
        }}
        onDone={(updated) => {
          setConflict(false);
          queryClient.setQueryData(['asset', id], updated);
          refresh();
          void queryClient.invalidateQueries({ queryKey: ['assets'] });
        }}
      />
      <ConfirmModal
        opened={dialog === 'delete'}
        title={t('common.delete')}
        message={t('assets.deleteConfirm', { name: asset.name })}
        confirmLabel={t('common.delete')}
        danger
        loading={remove.isPending}
        error={isConflict(remove.error) ? null : remove.error}
        onConfirm={() => remove.mutate()}
        onClose={() => {
          setDialog(null);
          if (isConflict(remove.error)) setConflict(true);
          remove.reset();
        }}
      />
    </Stack>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

function AssetDetails({
  asset,
  typeName,
  customFields,
}: {
  asset: Asset;
  typeName: string;
  customFields: { key: string; label: string; type: string }[];
}) {
  const { t } = useTranslation();
  const location = useLocationNames([asset.locationId]);
  const user = useUserNames([asset.assignedUserId]);
  const model = useModelNames([asset.modelId]);
  const supplier = useSupplierNames([asset.supplierId]);
  const name = (names: Map<string, string>, value: string | null) =>
    value ? (names.get(value) ?? '…') : '—';
  const custom = (key: string, type: string) => {
    const value = asset.custom[key];
    if (value === undefined || value === null || value === '') return '—';
    if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
    return type === 'date' ? formatDate(String(value)) : String(value);
  };
  return (
    <Card withBorder component="section" aria-label={t('assets.details')}>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md">
        <Field label={t('assets.type')}>{typeName}</Field>
        <Field label={t('assets.model')}>{name(model, asset.modelId)}</Field>
        <Field label={t('assets.assetTag')}>{asset.assetTag ?? '—'}</Field>
        <Field label={t('assets.serial')}>{asset.serial ?? '—'}</Field>
        <Field label={t('assets.location')}>
          {asset.locationId ? (
            <Anchor component={Link} to={`/locations/${asset.locationId}`} size="sm">
              {name(location, asset.locationId)}
            </Anchor>
          ) : (
            '—'
          )}
          {asset.rackPosition !== null && (
            <Text size="xs" c="dimmed">
              {t('assets.rackPlace', {
                from: asset.rackPosition,
                to: asset.rackPosition + (asset.rackHeight ?? 1) - 1,
              })}
            </Text>
          )}
        </Field>
        <Field label={t('assets.assignee')}>{name(user, asset.assignedUserId)}</Field>
        <Field label={t('assets.supplier')}>{name(supplier, asset.supplierId)}</Field>
        <Field label={t('assets.purchaseDate')}>{formatDate(asset.purchaseDate)}</Field>
        <Field label={t('assets.warrantyEnd')}>{formatDate(asset.warrantyEnd)}</Field>
        <Field label={t('assets.contractEnd')}>{formatDate(asset.contractEnd)}</Field>
        {customFields.map((f) => (
          <Field key={f.key} label={f.label}>
            {custom(f.key, f.type)}
          </Field>
        ))}
      </SimpleGrid>
      {asset.notes && (
        <Stack gap={2} mt="md">
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {t('assets.notes')}
          </Text>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {asset.notes}
          </Text>
        </Stack>
      )}
    </Card>
  );
}

/** Confirm a status move with an optional note; a refused move lists what the server allows. */
function StatusDialog({
  asset,
  etag,
  target,
  onClose,
  onConflict,
  onDone,
}: {
  asset: Asset;
  etag: string | null;
  target: AssetStatus | null;
  onClose: () => void;
  onConflict: () => void;
  onDone: (result: Awaited<ReturnType<typeof changeAssetStatus>>) => void;
}) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const change = useMutation({
    mutationFn: (status: AssetStatus) =>
      changeAssetStatus(asset.id, { status, note: note.trim() || undefined }, etag),
    onSuccess: (result) => {
      notifications.show({ color: 'teal', message: t('assets.statusChanged') });
      setNote('');
      onClose();
      onDone(result);
    },
    onError: (err) => {
      if (isConflict(err)) {
        change.reset();
        onConflict();
      }
    },
  });
  const allowed =
    isApiError(change.error, 'asset.bad_transition') && Array.isArray(change.error.problem.allowed)
      ? (change.error.problem.allowed as string[])
      : null;
  const close = () => {
    change.reset();
    onClose();
  };
  return (
    <AppModal
      opened={target !== null}
      onClose={close}
      title={target ? t('assets.statusTitle', { status: t(`assets.status.${target}`) }) : ''}
      centered
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (target) change.mutate(target);
        }}
      >
        <Stack>
          <ErrorAlert error={change.error} fields={['status', 'note']} />
          {allowed && (
            <Alert color="yellow" variant="light">
              {allowed.length > 0
                ? t('assets.allowedMoves', {
                    list: allowed.map((s) => t(`assets.status.${s}`, { defaultValue: s })).join(', '),
                  })
                : t('assets.noTransition')}
            </Alert>
          )}
          <Textarea
            label={t('assets.statusNote')}
            description={t('assets.statusNoteHelp')}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            autosize
            minRows={2}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={change.isPending}>
              {t('common.confirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </AppModal>
  );
}
