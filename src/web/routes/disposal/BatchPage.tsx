import {
  Anchor,
  Badge,
  Button,
  Group,
  NumberInput,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client.js';
import { AppModal } from '../../components/AppModal.js';
import { AssetSelect, typeLabel, useAssetTypes } from '../../components/AssetPickers.js';
import { ConfirmModal } from '../../components/ConfirmModal.js';
import { ConflictAlert } from '../../components/ConflictAlert.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { FormSkeleton } from '../../components/FormSkeleton.js';
import { formatDate, formatDateTime } from '../../components/format.js';
import { currentLanguage } from '../../i18n/index.js';
import { useCan } from '../../session/session.js';
import {
  addItems,
  cancelBatch,
  closeBatch,
  type DisposalBatchDetail,
  getBatch,
  removeItem,
  updateItem,
} from './api.js';
import { BATCH_COLORS } from './DisposalPage.js';
import { WipeForm } from './WipeForm.js';

type Item = DisposalBatchDetail['items'][number];

/** One disposal batch: what is in it, its weights and wipes, and its hand-over. */
export function BatchPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const can = useCan();
  const queryClient = useQueryClient();
  const batch = useQuery({ queryKey: ['disposal', 'batch', id], queryFn: () => getBatch(id), staleTime: 0 });
  const [conflict, setConflict] = useState(false);
  const [adding, setAdding] = useState<string | null>(null);
  const [addWeight, setAddWeight] = useState<number | ''>('');
  const [wiping, setWiping] = useState<Item | null>(null);
  const [closing, setClosing] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const types = useAssetTypes(batch.data?.data.orgId);
  const typeNames = new Map((types.data ?? []).map((x) => [x.id, typeLabel(x)]));
  const etag = batch.data?.etag ?? null;
  const after = (result: { data: DisposalBatchDetail; etag: string | null }) => {
    setConflict(false);
    queryClient.setQueryData(['disposal', 'batch', id], result);
    void queryClient.invalidateQueries({ queryKey: ['disposal', 'batches'] });
  };
  const onError = (err: unknown) => {
    if (err instanceof ApiError && err.status === 412) {
      setConflict(true);
      void batch.refetch();
    }
  };
  const add = useMutation({
    mutationFn: (assetId: string) =>
      addItems(id, [{ assetId, weightKg: addWeight === '' ? null : addWeight }], etag),
    onSuccess: (r) => {
      after(r);
      setAdding(null);
      setAddWeight('');
    },
    onError,
  });
  const change = useMutation({
    mutationFn: (v: { assetId: string; weightKg?: number | null; holdsData?: boolean }) =>
      updateItem(id, v.assetId, { weightKg: v.weightKg, holdsData: v.holdsData }, etag),
    onSuccess: after,
    onError,
  });
  const remove = useMutation({
    mutationFn: (assetId: string) => removeItem(id, assetId, etag),
    onSuccess: after,
    onError,
  });
  const cancel = useMutation({
    mutationFn: () => cancelBatch(id, etag),
    onSuccess: (r) => {
      setCancelling(false);
      after(r);
    },
    onError,
  });

  if (batch.isPending) return <FormSkeleton fields={4} />;
  if (batch.isError) return <ErrorAlert error={batch.error} onRetry={() => void batch.refetch()} />;
  const b = batch.data.data;
  const editable = b.status === 'open' && can('disposal.manage', { orgId: b.orgId });
  const toWipe = b.items.filter((i) => i.holdsData && !i.wipe).length;
  const kg = (n: number) => n.toLocaleString(currentLanguage(), { maximumFractionDigits: 3 });
  const decimalSeparator = currentLanguage() === 'fr' ? ',' : '.';

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/disposal" size="sm">
        ← {t('disposal.tabs.batches')}
      </Anchor>
      <Group gap="sm">
        <Title order={2}>
          {b.reference} · {t(`disposal.channels.${b.channel}`)}
        </Title>
        <Badge color={BATCH_COLORS[b.status]} variant="light">
          {t(`disposal.statuses.${b.status}`)}
        </Badge>
      </Group>
      <Text size="sm" c="dimmed">
        {t('disposal.batchSummary', { items: b.itemCount, weight: kg(b.weightKg) })}
        {b.recipient && ` · ${t('disposal.recipient')} : ${b.recipient}`}
        {b.handedOverOn && ` · ${t('disposal.handedOverOn')} : ${formatDate(b.handedOverOn)}`}
        {b.certificateRef && ` · ${t('disposal.certificateRef')} : ${b.certificateRef}`}
      </Text>
      <ConflictAlert show={conflict} />
      <ErrorAlert error={add.error ?? change.error ?? remove.error} fields={[]} />
      {b.items.length === 0 ? (
        <Text c="dimmed">{t('disposal.emptyBatch')}</Text>
      ) : (
        <Table aria-label={t('disposal.items')} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('disposal.asset')}</Table.Th>
              <Table.Th scope="col">{t('disposal.type')}</Table.Th>
              <Table.Th scope="col">{t('disposal.weightKg')}</Table.Th>
              <Table.Th scope="col">{t('disposal.holdsData')}</Table.Th>
              <Table.Th scope="col">{t('disposal.wipe')}</Table.Th>
              {editable && <Table.Th scope="col">{t('common.actions')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {b.items.map((i) => (
              <Table.Tr key={i.assetId}>
                <Table.Td>
                  <Anchor component={Link} to={`/assets/${i.assetId}`}>
                    {i.assetName || '…'}
                  </Anchor>
                  {(i.assetTag || i.serial) && (
                    <Text size="xs" c="dimmed">
                      {[i.assetTag, i.serial].filter(Boolean).join(' · ')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{typeNames.get(i.typeId) ?? '…'}</Table.Td>
                <Table.Td>
                  {editable ? (
                    <NumberInput
                      aria-label={t('disposal.weightOf', { name: i.assetName })}
                      w={110}
                      min={0}
                      decimalScale={3}
                      decimalSeparator={decimalSeparator}
                      defaultValue={i.weightKg ?? ''}
                      onBlur={(e) => {
                        const text = e.currentTarget.value.replace(',', '.').trim();
                        const value = text === '' ? null : Number(text);
                        if (value !== i.weightKg && (value === null || Number.isFinite(value)))
                          change.mutate({ assetId: i.assetId, weightKg: value });
                      }}
                    />
                  ) : i.weightKg === null ? (
                    '—'
                  ) : (
                    kg(i.weightKg)
                  )}
                </Table.Td>
                <Table.Td>
                  {editable ? (
                    <Switch
                      aria-label={t('disposal.holdsDataOf', { name: i.assetName })}
                      checked={i.holdsData}
                      onChange={(e) =>
                        change.mutate({ assetId: i.assetId, holdsData: e.currentTarget.checked })
                      }
                    />
                  ) : i.holdsData ? (
                    t('common.yes')
                  ) : (
                    t('common.no')
                  )}
                </Table.Td>
                <Table.Td>
                  {i.wipe ? (
                    <Badge color="teal" variant="light" title={formatDateTime(i.wipe.performedAt)}>
                      {t(`disposal.methods.${i.wipe.method}`)}
                    </Badge>
                  ) : i.holdsData ? (
                    <Badge color="red" variant="light">
                      {t('disposal.toWipe')}
                    </Badge>
                  ) : (
                    '—'
                  )}
                </Table.Td>
                {editable && (
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      {i.holdsData && (
                        <Button size="xs" variant="light" onClick={() => setWiping(i)}>
                          {t('disposal.recordWipe')}
                        </Button>
                      )}
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        loading={remove.isPending && remove.variables === i.assetId}
                        onClick={() => remove.mutate(i.assetId)}
                      >
                        {t('disposal.remove')}
                      </Button>
                    </Group>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {editable && (
        <>
          <Group align="flex-end">
            <AssetSelect
              label={t('disposal.addAsset')}
              orgId={b.orgId}
              value={adding}
              onChange={setAdding}
              error={fieldError(add.error, 'items.0.assetId')}
            />
            <NumberInput
              label={t('disposal.weightKg')}
              w={120}
              min={0}
              decimalScale={3}
              decimalSeparator={decimalSeparator}
              value={addWeight}
              onChange={(v) => setAddWeight(typeof v === 'number' ? v : '')}
            />
            <Button disabled={!adding} loading={add.isPending} onClick={() => adding && add.mutate(adding)}>
              {t('disposal.add')}
            </Button>
          </Group>
          <Group justify="space-between">
            <Text size="sm" c={toWipe > 0 ? 'red' : 'dimmed'}>
              {toWipe > 0 ? t('disposal.stillToWipe', { count: toWipe }) : t('disposal.readyToClose')}
            </Text>
            <Group>
              <Button variant="default" color="red" onClick={() => setCancelling(true)}>
                {t('disposal.cancelBatch')}
              </Button>
              <Button onClick={() => setClosing(true)} disabled={b.items.length === 0}>
                {t('disposal.closeBatch')}
              </Button>
            </Group>
          </Group>
        </>
      )}
      <AppModal opened={!!wiping} onClose={() => setWiping(null)} centered title={t('disposal.recordWipe')}>
        {wiping && (
          <WipeForm
            assetId={wiping.assetId}
            onDone={() => {
              setWiping(null);
              void batch.refetch();
            }}
          />
        )}
      </AppModal>
      <AppModal opened={closing} onClose={() => setClosing(false)} centered title={t('disposal.closeBatch')}>
        {closing && (
          <CloseForm
            batch={b}
            etag={etag}
            onDone={(r) => {
              setClosing(false);
              after(r);
            }}
            onError={onError}
          />
        )}
      </AppModal>
      <ConfirmModal
        opened={cancelling}
        title={t('disposal.cancelBatch')}
        message={t('disposal.cancelConfirm')}
        confirmLabel={t('disposal.cancelBatch')}
        danger
        loading={cancel.isPending}
        error={cancel.error}
        onConfirm={() => cancel.mutate()}
        onClose={() => setCancelling(false)}
      />
    </Stack>
  );
}

function CloseForm({
  batch,
  etag,
  onDone,
  onError,
}: {
  batch: DisposalBatchDetail;
  etag: string | null;
  onDone: (r: { data: DisposalBatchDetail; etag: string | null }) => void;
  onError: (err: unknown) => void;
}) {
  const { t } = useTranslation();
  const [handedOverOn, setHandedOverOn] = useState(new Date().toISOString().slice(0, 10));
  const [certificateRef, setCertificateRef] = useState('');
  const [recipient, setRecipient] = useState(batch.recipient);
  const close = useMutation({
    mutationFn: () =>
      closeBatch(batch.id, { handedOverOn, certificateRef, recipient: recipient || undefined }, etag),
    onSuccess: onDone,
    onError,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    close.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        <Text size="sm">{t('disposal.closeHelp')}</Text>
        <TextInput
          type="date"
          label={t('disposal.handedOverOn')}
          value={handedOverOn}
          onChange={(e) => setHandedOverOn(e.currentTarget.value)}
          required
          error={fieldError(close.error, 'handedOverOn')}
        />
        <TextInput
          label={t('disposal.recipient')}
          value={recipient}
          onChange={(e) => setRecipient(e.currentTarget.value)}
          required
          error={fieldError(close.error, 'recipient')}
        />
        <TextInput
          label={t('disposal.certificateRef')}
          description={t('disposal.certificateHelp')}
          value={certificateRef}
          onChange={(e) => setCertificateRef(e.currentTarget.value)}
        />
        <ErrorAlert error={close.error} fields={['handedOverOn', 'recipient', 'certificateRef']} />
        <Group justify="flex-end">
          <Button type="submit" loading={close.isPending}>
            {t('disposal.closeBatch')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
