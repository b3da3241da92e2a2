import {
  Anchor,
  Badge,
  Button,
  Card,
  Center,
  EmptyState,
  Group,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import {
  KB_LANGUAGES,
  KB_STATUSES,
  KB_VISIBILITIES,
  type KbLanguage,
  type KbStatus,
  type KbVisibility,
} from '../../../shared/schemas/kb.js';
import { type KbArticleSummary, listKbArticles } from '../../api/kb.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { usePagedQuery } from '../../components/PagedTable.js';
import { OrgSelect } from '../../components/Pickers.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { useCan } from '../../session/session.js';
import { KbBadges } from './KbBadges.js';

const FILTERS = ['orgId', 'status', 'visibility', 'language'] as const;
type Filter = (typeof FILTERS)[number] | 'q';

/** Search and browse procedures; the search and filters live in the address, so they can be linked. */
export function KbListPage() {
  const { t } = useTranslation();
  const can = useCan();
  const staff = can('kb.read_internal');
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [q] = useDebouncedValue(search.trim(), 250);
  const get = (name: Filter) => params.get(name) ?? null;
  const setFilter = (name: Filter, value: string | null) =>
    setParams(
      (old) => {
        const next = new URLSearchParams(old);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );

  // biome-ignore lint/correctness/useExhaustiveDependencies: only the debounced text goes to the address.
  useEffect(() => {
    if ((params.get('q') ?? '') !== q) setFilter('q', q || null);
  }, [q]);

  const filters = {
    q: q || undefined,
    orgId: get('orgId') ?? undefined,
    status: (get('status') as KbStatus | null) ?? undefined,
    visibility: (get('visibility') as KbVisibility | null) ?? undefined,
    language: (get('language') as KbLanguage | null) ?? undefined,
  };
  const filtered = Object.values(filters).some(Boolean);
  const query = usePagedQuery(['kb', 'list', filters], (cursor) => listKbArticles({ ...filters, cursor }));
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Stack gap={2}>
          <Title order={2}>{t('kb.title')}</Title>
          <Text c="dimmed" size="sm">
            {t('kb.intro')}
          </Text>
        </Stack>
        {can('kb.manage') && (
          <Button component={Link} to="/kb/new">
            {t('kb.create')}
          </Button>
        )}
      </Group>
      <TextInput
        label={t('common.search')}
        placeholder={t('kb.searchPlaceholder')}
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
        type="search"
        size="md"
      />
      <SimpleGrid cols={{ base: 1, sm: 2, lg: staff ? 4 : 2 }}>
        {staff && (
          <>
            <OrgSelect
              label={t('kb.org')}
              value={get('orgId')}
              onChange={(v) => setFilter('orgId', v)}
              clearable
              placeholder={t('common.all')}
            />
            <Select
              label={t('kb.statusLabel')}
              placeholder={t('kb.statusAll')}
              data={KB_STATUSES.map((s) => ({ value: s, label: t(`kb.status.${s}`) }))}
              value={get('status')}
              onChange={(v) => setFilter('status', v)}
              clearable
            />
            <Select
              label={t('kb.visibilityLabel')}
              placeholder={t('common.all')}
              data={KB_VISIBILITIES.map((s) => ({ value: s, label: t(`kb.visibility.${s}`) }))}
              value={get('visibility')}
              onChange={(v) => setFilter('visibility', v)}
              clearable
            />
          </>
        )}
        <Select
          label={t('kb.languageLabel')}
          placeholder={t('common.all')}
          data={KB_LANGUAGES.map((s) => ({ value: s, label: t(`kb.language.${s}`) }))}
          value={get('language')}
          onChange={(v) => setFilter('language', v)}
          clearable
        />
      </SimpleGrid>

      {query.isPending ? (
        <Stack gap="sm" aria-busy="true" aria-label={t('app.loading')}>
          {['a', 'b', 'c'].map((k) => (
            <Skeleton key={k} height={88} radius="md" />
          ))}
        </Stack>
      ) : query.isError && rows.length === 0 ? (
        <ErrorAlert error={query.error} title={t('common.loadError')} onRetry={() => void query.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState
          title={filtered ? t('kb.noMatchTitle') : t('kb.emptyTitle')}
          description={
            q
              ? t('kb.noMatch', { q })
              : filtered
                ? t('kb.noMatchFilters')
                : can('kb.manage')
                  ? t('kb.empty')
                  : t('kb.emptyReader')
          }
          py="xl"
        >
          {!filtered && can('kb.manage') && (
            <Button variant="light" component={Link} to="/kb/new">
              {t('kb.create')}
            </Button>
          )}
        </EmptyState>
      ) : (
        <Stack gap="sm" component="section" aria-label={t('kb.results')}>
          {rows.map((a) => (
            <ArticleCard key={a.id} article={a} />
          ))}
          {query.isFetchNextPageError && (
            <ErrorAlert error={query.error} onRetry={() => void query.fetchNextPage()} />
          )}
          <Center>
            {query.hasNextPage ? (
              <Button
                variant="default"
                onClick={() => void query.fetchNextPage()}
                loading={query.isFetchingNextPage}
              >
                {t('common.loadMore')}
              </Button>
            ) : (
              (query.data?.pages.length ?? 0) > 1 && (
                <Text size="sm" c="dimmed">
                  {t('common.allLoaded')}
                </Text>
              )
            )}
          </Center>
        </Stack>
      )}
    </Stack>
  );
}

function ArticleCard({ article: a }: { article: KbArticleSummary }) {
  const { t } = useTranslation();
  return (
    <Card withBorder padding="md" component="article" aria-labelledby={`kb-${a.id}`}>
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
        <Stack gap={4} style={{ minWidth: 0 }}>
          <Anchor component={Link} to={`/kb/${a.id}`} fw={600} id={`kb-${a.id}`}>
            {a.title}
          </Anchor>
          {a.excerpt && (
            <Text size="sm" c="dimmed" lineClamp={2}>
              {a.excerpt}
            </Text>
          )}
          {a.tags.length > 0 && (
            <Group gap={4}>
              {a.tags.map((tag) => (
                <Badge key={tag} variant="outline" color="gray" size="sm" tt="none">
                  {tag}
                </Badge>
              ))}
            </Group>
          )}
        </Stack>
        <Stack gap={4} align="flex-end" style={{ flexShrink: 0 }}>
          <KbBadges status={a.status} visibility={a.visibility} language={a.language} />
          <Group gap={4} wrap="nowrap">
            <Text size="xs" c="dimmed">
              {t('kb.updated')}
            </Text>
            <RelativeTime iso={a.updatedAt} size="xs" c="dimmed" />
          </Group>
        </Stack>
      </Group>
    </Card>
  );
}
