import {
  Badge,
  Button,
  Card,
  Center,
  Group,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Timeline,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.js';
import {
  getKbVersion,
  type KbArticle,
  type KbVersionSummary,
  listKbVersions,
  restoreKbVersion,
} from '../../api/kb.js';
import { AppModal } from '../../components/AppModal.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { formatDateTime } from '../../components/format.js';
import { usePagedQuery } from '../../components/PagedTable.js';
import { KbBadges } from './KbBadges.js';
import { ArticleContent } from './KbContent.js';

/** Every version of a procedure, newest first: view one, or put its content back as a new version. */
export function KbHistory({
  article,
  etag,
  canRestore,
  onRestored,
  onConflict,
}: {
  article: KbArticle;
  etag: string | null;
  canRestore: boolean;
  onRestored: () => void;
  onConflict: () => void;
}) {
  const { t } = useTranslation();
  // The article's version in the key: a new version (an edit, a restore) reloads the list.
  const query = usePagedQuery(['kb', 'versions', article.id, article.version], (cursor) =>
    listKbVersions(article.id, cursor),
  );
  const versions = query.data?.pages.flatMap((p) => p.items) ?? [];
  const [viewing, setViewing] = useState<number | null>(null);
  const [restoring, setRestoring] = useState<number | null>(null);

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="kb-history">
      <Stack gap="md">
        <Title order={3} size="h4" id="kb-history">
          {t('kb.history')}
        </Title>
        {query.isPending ? (
          <Stack gap="xs" aria-busy="true" aria-label={t('app.loading')}>
            <Skeleton height={40} />
            <Skeleton height={40} />
          </Stack>
        ) : query.isError && versions.length === 0 ? (
          <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />
        ) : versions.length === 0 ? (
          <Text c="dimmed" size="sm">
            {t('kb.noHistory')}
          </Text>
        ) : (
          <Timeline bulletSize={14} lineWidth={2} active={0}>
            {versions.map((v) => (
              <Timeline.Item
                key={v.version}
                title={<VersionTitle v={v} current={v.version === article.version} />}
              >
                <Text size="xs" c="dimmed">
                  {formatDateTime(v.at)} · {t('kb.by', { name: v.authorName ?? v.authorLabel })}
                </Text>
                {v.changeNote && (
                  <Text size="sm" mt={2}>
                    {v.changeNote}
                  </Text>
                )}
                <Group gap="xs" mt={4}>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    onClick={() => setViewing(v.version)}
                    aria-label={t('kb.viewVersion', { n: v.version })}
                  >
                    {t('kb.view')}
                  </Button>
                  {canRestore && v.version !== article.version && (
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      onClick={() => setRestoring(v.version)}
                      aria-label={t('kb.restoreVersion', { n: v.version })}
                    >
                      {t('kb.restore')}
                    </Button>
                  )}
                </Group>
              </Timeline.Item>
            ))}
          </Timeline>
        )}
        {query.hasNextPage && (
          <Center>
            <Button
              variant="default"
              onClick={() => void query.fetchNextPage()}
              loading={query.isFetchingNextPage}
            >
              {t('common.loadMore')}
            </Button>
          </Center>
        )}
      </Stack>
      <VersionModal
        articleId={article.id}
        version={viewing}
        canRestore={canRestore && viewing !== article.version}
        onClose={() => setViewing(null)}
        onRestore={(n) => {
          setViewing(null);
          setRestoring(n);
        }}
      />
      <RestoreModal
        articleId={article.id}
        etag={etag}
        version={restoring}
        onClose={() => setRestoring(null)}
        onRestored={() => {
          setRestoring(null);
          onRestored();
        }}
        onConflict={() => {
          setRestoring(null);
          onConflict();
        }}
      />
    </Card>
  );
}

function VersionTitle({ v, current }: { v: KbVersionSummary; current: boolean }) {
  const { t } = useTranslation();
  return (
    <Group gap="xs">
      <Text size="sm" fw={600}>
        {t('kb.versionN', { n: v.version })}
      </Text>
      {current && (
        <Badge size="xs" variant="light">
          {t('kb.current')}
        </Badge>
      )}
      <Text size="sm" c="dimmed" lineClamp={1}>
        {v.title}
      </Text>
    </Group>
  );
}

function VersionModal({
  articleId,
  version,
  canRestore,
  onClose,
  onRestore,
}: {
  articleId: string;
  version: number | null;
  canRestore: boolean;
  onClose: () => void;
  onRestore: (n: number) => void;
}) {
  const { t } = useTranslation();
  const query = useQuery({
    queryKey: ['kb', 'version', articleId, version],
    queryFn: () => getKbVersion(articleId, version!),
    enabled: version !== null,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const v = query.data;
  return (
    <AppModal
      opened={version !== null}
      onClose={onClose}
      title={version !== null ? t('kb.versionN', { n: version }) : ''}
      size="xl"
      centered
    >
      {query.isPending ? (
        <Skeleton height={200} aria-label={t('app.loading')} />
      ) : query.isError || !v ? (
        <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <Stack gap="md">
          <Stack gap={4}>
            <Title order={3} size="h4">
              {v.content.title}
            </Title>
            <Group gap="xs">
              <KbBadges
                status={v.content.status}
                visibility={v.content.visibility}
                language={v.content.language}
                always
              />
              <Text size="xs" c="dimmed">
                {formatDateTime(v.at)} · {t('kb.by', { name: v.authorName ?? v.authorLabel })}
              </Text>
            </Group>
            {v.changeNote && <Text size="sm">{v.changeNote}</Text>}
          </Stack>
          <ArticleContent content={v.content} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.close')}
            </Button>
            {canRestore && <Button onClick={() => onRestore(v.version)}>{t('kb.restore')}</Button>}
          </Group>
        </Stack>
      )}
    </AppModal>
  );
}

function RestoreModal({
  articleId,
  etag,
  version,
  onClose,
  onRestored,
  onConflict,
}: {
  articleId: string;
  etag: string | null;
  version: number | null;
  onClose: () => void;
  onRestored: () => void;
  onConflict: () => void;
}) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const restore = useMutation({
    mutationFn: (n: number) =>
      restoreKbVersion(articleId, n, etag, note.trim() || t('kb.restoredNote', { n })),
    onSuccess: (_result, n) => {
      notifications.show({ color: 'teal', message: t('kb.restored', { n }) });
      setNote('');
      onRestored();
    },
    onError: (err) => {
      if (err instanceof ApiError && (err.code === 'precondition.failed' || err.status === 412)) {
        restore.reset();
        onConflict();
      }
    },
  });
  const close = () => {
    restore.reset();
    onClose();
  };
  return (
    <AppModal
      opened={version !== null}
      onClose={close}
      title={version !== null ? t('kb.restoreTitle', { n: version }) : ''}
      centered
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (version !== null) restore.mutate(version);
        }}
      >
        <Stack>
          <Text size="sm">{t('kb.restoreConfirm', { n: version ?? '' })}</Text>
          <ErrorAlert error={restore.error} fields={['changeNote']} />
          <TextInput
            label={t('kb.changeNote')}
            placeholder={t('kb.restoredNote', { n: version ?? '' })}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={restore.isPending}>
              {t('kb.restore')}
            </Button>
          </Group>
        </Stack>
      </form>
    </AppModal>
  );
}
