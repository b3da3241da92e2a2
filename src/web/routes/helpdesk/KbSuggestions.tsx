import { Alert, Anchor, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { suggestKbArticles } from '../../api/kb.js';

/**
 * Procedures that may already answer the ticket being typed: up to five, each opening in a new tab so
 * the form keeps what was typed. The server gives requesters published public procedures only.
 */
export function KbSuggestions({ title, orgId }: { title: string; orgId: string | null }) {
  const { t } = useTranslation();
  const [q] = useDebouncedValue(title.trim(), 250);
  const enabled = q.length >= 3;
  const query = useQuery({
    queryKey: ['kb', 'suggest', orgId, q],
    queryFn: () => suggestKbArticles(q, orgId ?? undefined, 5),
    enabled,
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });
  const items = enabled ? (query.data ?? []).slice(0, 5) : [];
  if (items.length === 0) return null;
  return (
    <Alert color="blue" variant="light" p="sm" role="region" aria-label={t('helpdesk.kbSuggest.title')}>
      <Stack gap={4}>
        <Text size="sm" fw={600}>
          {t('helpdesk.kbSuggest.title')}
        </Text>
        {items.map((article) => (
          <Anchor
            key={article.id}
            href={`/kb/${encodeURIComponent(article.id)}`}
            target="_blank"
            rel="noopener noreferrer"
            size="sm"
          >
            {article.title}
            <Text span size="xs" c="dimmed">
              {' '}
              {t('helpdesk.kbSuggest.newTab')}
            </Text>
          </Anchor>
        ))}
      </Stack>
    </Alert>
  );
}
