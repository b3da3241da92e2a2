import { Anchor, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { interventionNotePdfUrl, type Ticket } from '../../api/helpdesk.js';

/** What the requester was told on resolution, in plain words, with its PDF. */
export function InterventionNoteCard({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const id = useId();
  const note = ticket.interventionNote;
  if (!note) return null;
  const parts = [
    { key: 'cause', label: t('helpdesk.actions.noteCause'), text: note.cause },
    { key: 'action', label: t('helpdesk.actions.noteAction'), text: note.action },
    { key: 'impact', label: t('helpdesk.actions.noteImpact'), text: note.impact },
    { key: 'advice', label: t('helpdesk.actions.noteAdvice'), text: note.advice },
  ].filter((p) => p.text.trim());
  return (
    <Card withBorder component="section" aria-labelledby={id}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={3} size="h4" id={id}>
            {t('helpdesk.note.title')}
          </Title>
          <Anchor
            href={interventionNotePdfUrl(ticket.id)}
            target="_blank"
            rel="noopener noreferrer"
            size="sm"
            aria-label={t('helpdesk.note.pdfLabel')}
          >
            {t('helpdesk.note.pdf')}
          </Anchor>
        </Group>
        {parts.map((p) => (
          <div key={p.key}>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              {p.label}
            </Text>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {p.text}
            </Text>
          </div>
        ))}
      </Stack>
    </Card>
  );
}
