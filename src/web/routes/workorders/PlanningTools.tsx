import { Button, Code, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AppModal } from '../../components/AppModal.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { localInputToIso } from '../../components/format.js';
import { createCalendarToken, declareUnavailability } from './api.js';

/** "My calendar": a new personal iCalendar address, shown once (the previous one stops working). */
export function CalendarFeedButton() {
  const { t } = useTranslation();
  const [url, setUrl] = useState<string | null>(null);
  const create = useMutation({ mutationFn: createCalendarToken, onSuccess: (r) => setUrl(r.url) });
  return (
    <>
      <Button variant="default" loading={create.isPending} onClick={() => create.mutate()}>
        {t('planning.calendarFeed')}
      </Button>
      <AppModal
        opened={!!url || create.isError}
        onClose={() => setUrl(null)}
        title={t('planning.calendarFeed')}
      >
        <Stack>
          <ErrorAlert error={create.error} />
          {url && (
            <>
              <Text size="sm">{t('planning.calendarFeedHelp')}</Text>
              <Code block>{url}</Code>
            </>
          )}
        </Stack>
      </AppModal>
    </>
  );
}

/** Declaring a slot where someone is unavailable: oneself, or (staff) anyone of the organisation shown. */
export function UnavailabilityButton({
  orgId,
  me,
  people,
}: {
  orgId: string;
  me: string;
  people: Array<{ id: string; displayName: string }> | null;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [userId, setUserId] = useState<string | null>(me);
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [reason, setReason] = useState('');
  const save = useMutation({
    mutationFn: () =>
      declareUnavailability({
        orgId,
        userId: userId ?? me,
        start: localInputToIso(start) ?? '',
        end: localInputToIso(end) ?? '',
        reason,
      }),
    onSuccess: async () => {
      setOpen(false);
      await qc.invalidateQueries({ queryKey: ['workorders', 'planning'] });
    },
  });
  return (
    <>
      <Button variant="default" onClick={() => setOpen(true)}>
        {t('planning.declareUnavailability')}
      </Button>
      <AppModal opened={open} onClose={() => setOpen(false)} title={t('planning.declareUnavailability')}>
        <Stack>
          {people && (
            <Select
              label={t('planning.person')}
              data={[
                ...(people.some((p) => p.id === me) ? [] : [{ value: me, label: t('planning.myself') }]),
                ...people.map((p) => ({ value: p.id, label: p.displayName })),
              ]}
              value={userId}
              onChange={setUserId}
            />
          )}
          <Group grow>
            <TextInput
              type="datetime-local"
              label={t('planning.from')}
              value={start}
              onChange={(e) => setStart(e.currentTarget.value)}
              required
            />
            <TextInput
              type="datetime-local"
              label={t('planning.to')}
              value={end}
              onChange={(e) => setEnd(e.currentTarget.value)}
              required
            />
          </Group>
          <TextInput
            label={t('planning.reason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
          />
          <ErrorAlert error={save.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </Button>
            <Button loading={save.isPending} disabled={!start || !end} onClick={() => save.mutate()}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </AppModal>
    </>
  );
}
