import { Button, Group, NumberInput, SegmentedControl, Stack, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MANUAL_MOVEMENT_KINDS } from '../../../shared/schemas/stock.js';
import { AppModal } from '../../components/AppModal.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { OrgSelect } from '../../components/Pickers.js';
import { useSession } from '../../session/session.js';
import { createMovement, type MovementInput } from './api.js';
import { ArticleSelect, StockLocationSelect } from './StockPickers.js';

type Kind = (typeof MANUAL_MOVEMENT_KINDS)[number];
export type MovementPreset = { kind: Kind; orgId?: string; articleId?: string; stockLocationId?: string };

const FIELDS = [
  'articleId',
  'fromLocationId',
  'toLocationId',
  'stockLocationId',
  'quantity',
  'delta',
  'reason',
];

/**
 * Books an in, out, transfer or adjustment. Taking more than is available is refused by the server with
 * the quantity available and the lead time, shown as is.
 */
export function MovementDialog({
  preset,
  onClose,
  onDone,
}: {
  preset: MovementPreset | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  return (
    <AppModal opened={preset !== null} onClose={onClose} centered title={t('stock.newMovement')} size="lg">
      {preset && <MovementForm preset={preset} onDone={onDone} />}
    </AppModal>
  );
}

function MovementForm({ preset, onDone }: { preset: MovementPreset; onDone: () => void }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const [kind, setKind] = useState<Kind>(preset.kind);
  const [orgId, setOrgId] = useState<string | null>(preset.orgId ?? me.memberships[0]?.orgId ?? null);
  const [articleId, setArticleId] = useState<string | null>(preset.articleId ?? null);
  const [from, setFrom] = useState<string | null>(preset.stockLocationId ?? null);
  const [to, setTo] = useState<string | null>(preset.kind === 'in' ? (preset.stockLocationId ?? null) : null);
  const [quantity, setQuantity] = useState<number>(1);
  const [lost, setLost] = useState(true);
  const [reason, setReason] = useState('');
  useEffect(() => {
    // An arrival goes to the location an out or a transfer would leave.
    if (kind === 'in' && !to) setTo(from);
  }, [kind, to, from]);

  const mutation = useMutation({
    mutationFn: () => {
      const base = { articleId: articleId ?? '', reason };
      const body: MovementInput =
        kind === 'in'
          ? { kind, ...base, toLocationId: to ?? '', quantity }
          : kind === 'out'
            ? { kind, ...base, fromLocationId: from ?? '', quantity }
            : kind === 'transfer'
              ? { kind, ...base, fromLocationId: from ?? '', toLocationId: to ?? '', quantity }
              : { kind, ...base, stockLocationId: from ?? '', delta: lost ? -quantity : quantity };
      return createMovement(body);
    },
    onSuccess: onDone,
  });
  const err = mutation.error;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    mutation.mutate();
  };
  const leaves = kind !== 'in';
  const arrives = kind === 'in' || kind === 'transfer';

  return (
    <form onSubmit={submit}>
      <Stack>
        <SegmentedControl
          value={kind}
          onChange={(v) => setKind(v as Kind)}
          data={MANUAL_MOVEMENT_KINDS.map((k) => ({ value: k, label: t(`stock.kinds.${k}`) }))}
          aria-label={t('stock.kind')}
        />
        {!preset.orgId && (
          <OrgSelect
            label={t('stock.org')}
            value={orgId}
            onChange={setOrgId}
            only={me.memberships}
            required
          />
        )}
        <ArticleSelect
          label={t('stock.article')}
          value={articleId}
          onChange={setArticleId}
          orgId={orgId}
          required
          error={fieldError(err, 'articleId')}
        />
        {leaves && (
          <StockLocationSelect
            label={kind === 'adjustment' ? t('stock.location') : t('stock.from')}
            value={from}
            onChange={setFrom}
            orgId={orgId}
            required
            error={fieldError(err, 'fromLocationId') ?? fieldError(err, 'stockLocationId')}
          />
        )}
        {arrives && (
          <StockLocationSelect
            label={kind === 'in' ? t('stock.location') : t('stock.to')}
            value={to}
            onChange={setTo}
            orgId={orgId}
            required
            error={fieldError(err, 'toLocationId')}
          />
        )}
        {kind === 'adjustment' && (
          <SegmentedControl
            value={lost ? 'lost' : 'found'}
            onChange={(v) => setLost(v === 'lost')}
            data={[
              { value: 'lost', label: t('stock.adjustLost') },
              { value: 'found', label: t('stock.adjustFound') },
            ]}
            aria-label={t('stock.adjustDirection')}
          />
        )}
        <NumberInput
          label={t('stock.quantity')}
          min={1}
          value={quantity}
          onChange={(v) => setQuantity(typeof v === 'number' ? v : 1)}
          required
          error={fieldError(err, 'quantity') ?? fieldError(err, 'delta')}
        />
        <Textarea
          label={t('stock.reason')}
          description={kind === 'adjustment' ? t('stock.reasonRequired') : undefined}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          required={kind === 'adjustment'}
          autosize
          minRows={2}
          error={fieldError(err, 'reason')}
        />
        <ErrorAlert error={err} fields={FIELDS} />
        <Group justify="flex-end">
          <Button type="submit" loading={mutation.isPending}>
            {t('stock.book')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
