import { Button, Group, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { WIPE_METHODS, WIPE_RESULTS, type WipeMethod } from '../../../shared/schemas/disposal.js';
import { AssetSelect } from '../../components/AssetPickers.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { useSession } from '../../session/session.js';
import { recordWipe } from './api.js';

const FIELDS = ['assetId', 'method', 'performedAt', 'operator', 'tool', 'mediaSerial', 'certificateRef'];

/** A datetime-local value (the browser's time) for now. */
function localNow(): string {
  const d = new Date();
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 16);
}

/** Records a data wipe: the GDPR evidence that a storage medium left without its data. */
export function WipeForm({
  orgId,
  assetId: fixedAssetId,
  onDone,
}: {
  orgId?: string | null;
  assetId?: string;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { me } = useSession();
  const queryClient = useQueryClient();
  const [assetId, setAssetId] = useState<string | null>(fixedAssetId ?? null);
  const [method, setMethod] = useState<string | null>('overwrite_single_pass');
  const [result, setResult] = useState<string | null>('success');
  const [performedAt, setPerformedAt] = useState(localNow());
  const [operator, setOperator] = useState(me.displayName);
  const [tool, setTool] = useState('');
  const [mediaSerial, setMediaSerial] = useState('');
  const [certificateRef, setCertificateRef] = useState('');
  const [notes, setNotes] = useState('');
  const save = useMutation({
    mutationFn: () =>
      recordWipe({
        assetId: assetId ?? '',
        method: (method ?? '') as WipeMethod,
        result: (result ?? 'success') as 'success' | 'failed',
        performedAt: performedAt ? new Date(performedAt).toISOString() : '',
        operator,
        tool,
        mediaSerial,
        certificateRef,
        notes,
      }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['disposal'] });
      notifications.show({ color: 'teal', message: t('disposal.wipeRecorded') });
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        {!fixedAssetId && (
          <AssetSelect
            label={t('disposal.asset')}
            orgId={orgId}
            value={assetId}
            onChange={setAssetId}
            required
            error={fieldError(save.error, 'assetId')}
          />
        )}
        <Select
          label={t('disposal.method')}
          data={WIPE_METHODS.map((m) => ({ value: m, label: t(`disposal.methods.${m}`) }))}
          value={method}
          onChange={setMethod}
          required
          error={fieldError(save.error, 'method')}
        />
        <Select
          label={t('disposal.result')}
          data={WIPE_RESULTS.map((r) => ({ value: r, label: t(`disposal.results.${r}`) }))}
          value={result}
          onChange={setResult}
          required
        />
        <TextInput
          type="datetime-local"
          label={t('disposal.performedAt')}
          value={performedAt}
          onChange={(e) => setPerformedAt(e.currentTarget.value)}
          required
          error={fieldError(save.error, 'performedAt')}
        />
        <TextInput
          label={t('disposal.operator')}
          value={operator}
          onChange={(e) => setOperator(e.currentTarget.value)}
          required
          error={fieldError(save.error, 'operator')}
        />
        <TextInput
          label={t('disposal.tool')}
          placeholder="nwipe, Blancco, hdparm…"
          value={tool}
          onChange={(e) => setTool(e.currentTarget.value)}
        />
        <TextInput
          label={t('disposal.mediaSerial')}
          description={t('disposal.mediaSerialHelp')}
          value={mediaSerial}
          onChange={(e) => setMediaSerial(e.currentTarget.value)}
        />
        <TextInput
          label={t('disposal.certificateRef')}
          value={certificateRef}
          onChange={(e) => setCertificateRef(e.currentTarget.value)}
        />
        <Textarea
          label={t('disposal.notes')}
          value={notes}
          onChange={(e) => setNotes(e.currentTarget.value)}
          autosize
        />
        <ErrorAlert error={save.error} fields={FIELDS} />
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending}>
            {t('disposal.recordWipe')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
