import { Card, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TKbContent } from '../../../shared/schemas/kb.js';
import { Markdown } from './Markdown.js';

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap={6} component="section" aria-label={title}>
      <Title order={3} size="h4">
        {title}
      </Title>
      {children}
    </Stack>
  );
}

/** Symptoms, cause and resolution steps: the procedure itself (also shown for an old version). */
export function ArticleContent({ content }: { content: TKbContent }) {
  const { t } = useTranslation();
  const plain = (text: string) =>
    text.trim() ? (
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
        {text}
      </Text>
    ) : (
      <Text size="sm" c="dimmed">
        {t('kb.none')}
      </Text>
    );
  return (
    <Card withBorder padding="lg">
      <Stack gap="lg">
        <Section title={t('kb.symptoms')}>{plain(content.symptoms)}</Section>
        <Section title={t('kb.cause')}>{plain(content.cause)}</Section>
        <Section title={t('kb.resolution')}>
          {content.resolution.trim() ? <Markdown text={content.resolution} /> : plain('')}
        </Section>
      </Stack>
    </Card>
  );
}
