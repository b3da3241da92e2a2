import { Anchor, Button, Card, FileButton, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import {
  listTicketAttachments,
  type Ticket,
  ticketAttachmentUrl,
  uploadTicketAttachment,
} from '../../api/helpdesk.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { formatDateTime, formatMegabytes } from '../../components/format.js';
import { currentLanguage } from '../../i18n/index.js';

const LOCALES = { fr: 'fr-FR', en: 'en-GB' } as const;

/** A file's size in kilobytes ("12,5 Ko", "12.5 KB"), or in megabytes past a thousand of them. */
export function formatFileSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return formatMegabytes(bytes / (1024 * 1024), 1024);
  const kb = Math.max(0.1, bytes / 1024);
  const number = new Intl.NumberFormat(LOCALES[currentLanguage()], {
    maximumFractionDigits: kb < 10 ? 1 : 0,
  }).format(kb);
  return `${number} ${currentLanguage() === 'en' ? 'KB' : 'Ko'}`;
}

/**
 * The files of a ticket (sent by e-mail or added here), each downloaded as a file, and a way to add
 * one: the list and the story are read again once it is in.
 */
export function TicketAttachments({ ticket, canAdd }: { ticket: Ticket; canAdd: boolean }) {
  const { t } = useTranslation();
  const titleId = useId();
  const queryClient = useQueryClient();
  const resetRef = useRef<() => void>(null);
  const query = useQuery({
    queryKey: ['ticket', ticket.id, 'attachments'],
    queryFn: () => listTicketAttachments(ticket.id),
  });
  const upload = useMutation({
    mutationFn: (file: File) => uploadTicketAttachment(ticket.id, file),
    onSuccess: (attachment) => {
      void queryClient.invalidateQueries({ queryKey: ['ticket', ticket.id] });
      notifications.show({
        color: 'teal',
        message: t('helpdesk.attachments.added', { filename: attachment.filename }),
      });
    },
    onSettled: () => resetRef.current?.(),
  });
  const items = query.data ?? [];

  return (
    <Card withBorder component="section" aria-labelledby={titleId}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4" id={titleId}>
            {t('helpdesk.attachments.title')}
          </Title>
          {canAdd && (
            <FileButton
              resetRef={resetRef}
              onChange={(file) => {
                if (file) upload.mutate(file);
              }}
            >
              {(props) => (
                <Button {...props} size="compact-sm" variant="light" loading={upload.isPending}>
                  {t('helpdesk.attachments.add')}
                </Button>
              )}
            </FileButton>
          )}
        </Group>
        <ErrorAlert error={upload.error} />
        {query.isPending && <Skeleton height={40} aria-label={t('app.loading')} />}
        {query.isError && <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />}
        {query.isSuccess && items.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('helpdesk.attachments.empty')}
          </Text>
        )}
        {items.length > 0 && (
          <Stack gap={6} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
            {items.map((a) => (
              <Group key={a.id} component="li" gap="xs" justify="space-between" wrap="nowrap">
                <Anchor
                  href={ticketAttachmentUrl(ticket.id, a.id)}
                  download={a.filename}
                  size="sm"
                  style={{ overflowWrap: 'anywhere' }}
                  aria-label={t('helpdesk.attachments.download', { filename: a.filename })}
                >
                  {a.filename}
                </Anchor>
                <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  {formatFileSize(a.size)} · <time dateTime={a.createdAt}>{formatDateTime(a.createdAt)}</time>
                </Text>
              </Group>
            ))}
          </Stack>
        )}
      </Stack>
    </Card>
  );
}
