import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { RELATION_KINDS } from '../../../shared/schemas/assets.js';
import { addRelation, getImpact, listRelations, type Relation, removeRelation } from '../../api/assets.js';
import { AppModal } from '../../components/AppModal.js';
import { AssetSelect, StatusBadge } from '../../components/AssetPickers.js';
import { ConfirmItemModal } from '../../components/ConfirmModal.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { useAssetNames } from '../../components/useNames.js';

type Kind = (typeof RELATION_KINDS)[number];

/** Links with other assets, read from this asset's side: "Installed in X" or "Contains Y". */
export function AssetRelations({
  assetId,
  orgId,
  canManage,
}: {
  assetId: string;
  orgId: string;
  canManage: boolean;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: ['asset', assetId, 'relations'],
    queryFn: () => listRelations(assetId),
  });
  const items = query.data ?? [];
  const others = items.map((r) => (r.fromAssetId === assetId ? r.toAssetId : r.fromAssetId));
  const names = useAssetNames(others);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Relation | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['asset', assetId] });
  const remove = useMutation({
    mutationFn: (r: Relation) => removeRelation(assetId, r.id),
    onSuccess: () => {
      setRemoving(null);
      refresh();
    },
  });

  return (
    <Card withBorder component="section" aria-labelledby="asset-relations">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4" id="asset-relations">
            {t('assets.relations.title')}
          </Title>
          {canManage && (
            <Button size="xs" variant="light" onClick={() => setAdding(true)}>
              {t('assets.relations.add')}
            </Button>
          )}
        </Group>
        {query.isPending && <Skeleton height={60} aria-label={t('app.loading')} />}
        {query.isError && <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />}
        {query.isSuccess && items.length === 0 && <Text c="dimmed">{t('assets.relations.empty')}</Text>}
        {items.map((r) => {
          const outgoing = r.fromAssetId === assetId;
          const other = outgoing ? r.toAssetId : r.fromAssetId;
          const ports = [r.fromPort, r.toPort].some(Boolean)
            ? ` (${r.fromPort ?? '—'} ↔ ${r.toPort ?? '—'})`
            : '';
          return (
            <Group key={r.id} justify="space-between" wrap="nowrap">
              <Text size="sm">
                {t(`assets.relations.${outgoing ? 'kinds' : 'inverse'}.${r.kind}`)}{' '}
                <Anchor component={Link} to={`/assets/${other}`}>
                  {names.get(other) ?? '…'}
                </Anchor>
                {ports}
              </Text>
              {canManage && (
                <Button size="compact-xs" variant="subtle" color="red" onClick={() => setRemoving(r)}>
                  {t('assets.relations.remove')}
                </Button>
              )}
            </Group>
          );
        })}
      </Stack>
      <AppModal opened={adding} onClose={() => setAdding(false)} title={t('assets.relations.add')} centered>
        <AddRelationForm
          assetId={assetId}
          orgId={orgId}
          onDone={() => {
            setAdding(false);
            refresh();
          }}
        />
      </AppModal>
      <ConfirmItemModal
        item={removing}
        onClose={() => setRemoving(null)}
        mutation={remove}
        run={(item) => remove.mutate(item)}
        title={t('assets.relations.remove')}
        message={t('assets.relations.removeConfirm')}
        confirmLabel={t('assets.relations.remove')}
        danger
      />
    </Card>
  );
}

function AddRelationForm({ assetId, orgId, onDone }: { assetId: string; orgId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<Kind>('connected_to');
  const [toAssetId, setToAssetId] = useState<string | null>(null);
  const [fromPort, setFromPort] = useState('');
  const [toPort, setToPort] = useState('');
  const add = useMutation({
    mutationFn: () =>
      addRelation(assetId, {
        kind,
        toAssetId: toAssetId ?? '',
        fromPort: fromPort.trim() || null,
        toPort: toPort.trim() || null,
      }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('assets.relations.added') });
      onDone();
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  const err = add.error;
  return (
    <form onSubmit={onSubmit}>
      <Stack>
        <ErrorAlert error={err} fields={['kind', 'toAssetId', 'fromPort', 'toPort']} />
        <Select
          label={t('assets.relations.kind')}
          data={RELATION_KINDS.map((k) => ({ value: k, label: t(`assets.relations.kinds.${k}`) }))}
          value={kind}
          onChange={(v) => setKind((v as Kind | null) ?? 'connected_to')}
          allowDeselect={false}
          error={fieldError(err, 'kind')}
          comboboxProps={{ withinPortal: true }}
        />
        <AssetSelect
          label={t('assets.relations.target')}
          orgId={orgId}
          exclude={assetId}
          value={toAssetId}
          onChange={setToAssetId}
          required
          error={fieldError(err, 'toAssetId')}
        />
        {(kind === 'port_link' || kind === 'connected_to') && (
          <SimpleGrid cols={2}>
            <TextInput
              label={t('assets.relations.fromPort')}
              value={fromPort}
              onChange={(e) => setFromPort(e.currentTarget.value)}
              error={fieldError(err, 'fromPort')}
            />
            <TextInput
              label={t('assets.relations.toPort')}
              value={toPort}
              onChange={(e) => setToPort(e.currentTarget.value)}
              error={fieldError(err, 'toPort')}
            />
          </SimpleGrid>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={add.isPending} disabled={!toAssetId}>
            {t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Everything that stops working if this asset fails, nearest first. */
export function AssetImpact({ assetId }: { assetId: string }) {
  const { t } = useTranslation();
  const query = useQuery({ queryKey: ['asset', assetId, 'impact'], queryFn: () => getImpact(assetId) });
  const items = [...(query.data ?? [])].sort((a, b) => a.depth - b.depth || a.name.localeCompare(b.name));
  return (
    <Card withBorder component="section" aria-labelledby="asset-impact">
      <Stack gap="sm">
        <div>
          <Title order={3} size="h4" id="asset-impact">
            {t('assets.impact.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('assets.impact.help')}
          </Text>
        </div>
        {query.isPending && <Skeleton height={60} aria-label={t('app.loading')} />}
        {query.isError && <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />}
        {query.isSuccess && items.length === 0 && <Text c="dimmed">{t('assets.impact.empty')}</Text>}
        {items.map((item) => (
          <Group key={item.id} gap="xs" wrap="nowrap" pl={(item.depth - 1) * 16}>
            <Badge size="sm" variant="outline">
              {t('assets.impact.depth', { depth: item.depth })}
            </Badge>
            <Anchor component={Link} to={`/assets/${item.id}`} size="sm">
              {item.name}
            </Anchor>
            <StatusBadge status={item.status} />
            <Text size="xs" c="dimmed">
              {t('assets.impact.via', {
                via: t(`assets.relations.kinds.${item.via}`, { defaultValue: item.via }),
              })}
            </Text>
          </Group>
        ))}
      </Stack>
    </Card>
  );
}
