import { Anchor, Badge, Button, Card, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError, isApiError } from '../../api/client.js';
import { archiveKbArticle, getKbArticle, type KbArticle, updateKbArticle } from '../../api/kb.js';
import { ConfirmModal } from '../../components/ConfirmModal.js';
import { ConflictAlert } from '../../components/ConflictAlert.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { useCan } from '../../session/session.js';
import { KbBadges } from './KbBadges.js';
import { ArticleContent } from './KbContent.js';
import { KbHistory } from './KbHistory.js';

const isConflict = (err: unknown) =>
  err instanceof ApiError && (err.code === 'precondition.failed' || err.status === 412);

export function KbArticlePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const can = useCan();
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: ['kb', 'article', id], queryFn: () => getKbArticle(id) });
  const article = query.data?.data;
  const etag = query.data?.etag ?? null;
  const [archiving, setArchiving] = useState(false);
  const [conflict, setConflict] = useState(false);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['kb'] });

  const setStatus = useMutation({
    mutationFn: (status: 'draft' | 'published') => updateKbArticle(id, { status }, etag),
    onSuccess: (result) => {
      setConflict(false);
      notifications.show({
        color: 'teal',
        message: result.data.status === 'published' ? t('kb.published') : t('kb.saved'),
      });
      refresh();
    },
    onError: (err) => {
      if (isConflict(err)) {
        setConflict(true);
        setStatus.reset();
        refresh();
      }
    },
  });
  const archive = useMutation({
    mutationFn: () => archiveKbArticle(id, etag),
    onSuccess: () => {
      setArchiving(false);
      setConflict(false);
      notifications.show({ color: 'teal', message: t('kb.archived') });
      refresh();
    },
    onError: (err) => {
      if (isConflict(err)) {
        setArchiving(false);
        setConflict(true);
        archive.reset();
        refresh();
      }
    },
  });

  const back = (
    <Anchor component={Link} to="/kb" size="sm">
      ← {t('kb.back')}
    </Anchor>
  );
  if (query.isPending) {
    return (
      <Stack aria-busy="true" aria-label={t('app.loading')}>
        <Skeleton height={32} width={320} />
        <Skeleton height={120} />
        <Skeleton height={200} />
      </Stack>
    );
  }
  if (query.isError || !article) {
    return (
      <Stack>
        {back}
        <ErrorAlert
          error={query.error}
          title={isApiError(query.error, 'kb_article.not_found') ? t('kb.notFound') : undefined}
          onRetry={() => void query.refetch()}
        />
      </Stack>
    );
  }

  const manage = can('kb.manage', { orgId: article.orgId });
  const staff = can('kb.read_internal', { orgId: article.orgId });
  return (
    <Stack gap="md">
      {back}
      <Group justify="space-between" align="flex-start">
        <Stack gap={6}>
          <Title order={2}>{article.title}</Title>
          <Group gap="xs">
            <KbBadges
              status={article.status}
              visibility={article.visibility}
              language={article.language}
              always={staff}
            />
            <Text size="xs" c="dimmed">
              {t('kb.updated')}
            </Text>
            <RelativeTime iso={article.updatedAt} size="xs" c="dimmed" />
            {staff && (
              <Text size="xs" c="dimmed">
                · {t('kb.versionN', { n: article.version })}
              </Text>
            )}
          </Group>
        </Stack>
        {manage && (
          <Group gap="xs">
            {article.status === 'draft' && (
              <Button
                onClick={() => setStatus.mutate('published')}
                loading={setStatus.isPending}
                disabled={!article.resolution.trim()}
              >
                {t('kb.publish')}
              </Button>
            )}
            {article.status === 'archived' && (
              <Button variant="light" onClick={() => setStatus.mutate('draft')} loading={setStatus.isPending}>
                {t('kb.unarchive')}
              </Button>
            )}
            <Button variant="default" component={Link} to={`/kb/${article.id}/edit`}>
              {t('common.edit')}
            </Button>
            {article.status !== 'archived' && (
              <Button variant="subtle" color="red" onClick={() => setArchiving(true)}>
                {t('kb.archive')}
              </Button>
            )}
          </Group>
        )}
      </Group>
      <ConflictAlert show={conflict} />
      <ErrorAlert error={isConflict(setStatus.error) ? null : setStatus.error} />
      <ArticleContent content={article} />
      <ArticleFacts article={article} />
      {staff && (
        <KbHistory
          article={article}
          etag={etag}
          canRestore={manage}
          onRestored={() => {
            setConflict(false);
            refresh();
          }}
          onConflict={() => {
            setConflict(true);
            refresh();
          }}
        />
      )}
      <ConfirmModal
        opened={archiving}
        title={t('kb.archive')}
        message={t('kb.archiveConfirm', { title: article.title })}
        confirmLabel={t('kb.archive')}
        danger
        loading={archive.isPending}
        error={isConflict(archive.error) ? null : archive.error}
        onConfirm={() => archive.mutate()}
        onClose={() => {
          setArchiving(false);
          archive.reset();
        }}
      />
    </Stack>
  );
}

function ArticleFacts({ article }: { article: KbArticle }) {
  const { t } = useTranslation();
  if (article.tags.length === 0 && article.appliesToSoftware.length === 0 && !article.sourceTicketId)
    return null;
  return (
    <Card withBorder padding="md">
      <Stack gap="sm">
        {article.appliesToSoftware.length > 0 && (
          <Group gap="xs">
            <Text size="sm" fw={600}>
              {t('kb.software')}
            </Text>
            {article.appliesToSoftware.map((s) => (
              <Badge key={s} variant="light" color="indigo" tt="none">
                {s}
              </Badge>
            ))}
          </Group>
        )}
        {article.tags.length > 0 && (
          <Group gap="xs">
            <Text size="sm" fw={600}>
              {t('kb.tags')}
            </Text>
            {article.tags.map((tag) => (
              <Badge
                key={tag}
                variant="outline"
                color="gray"
                tt="none"
                component={Link}
                to={`/kb?q=${encodeURIComponent(tag)}`}
                style={{ cursor: 'pointer' }}
              >
                {tag}
              </Badge>
            ))}
          </Group>
        )}
        {article.sourceTicketId && (
          <Text size="sm" c="dimmed">
            {t('kb.sourceTicket', { id: article.sourceTicketId })}
          </Text>
        )}
      </Stack>
    </Card>
  );
}
