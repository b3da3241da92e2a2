import {
  Anchor,
  Badge,
  Box,
  Button,
  Card,
  Center,
  Group,
  Paper,
  Rating,
  Skeleton,
  Stack,
  Switch,
  Text,
  Textarea,
  Timeline,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  addFollowup,
  listTicketEvents,
  type Ticket,
  type TicketEvent,
  ticketAttachmentUrl,
} from '../../api/helpdesk.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { formatDate, formatDateTime } from '../../components/format.js';
import { usePagedQuery } from '../../components/PagedTable.js';
import { useGroupNames } from './shared.js';

type Data = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

const BULLET_COLORS: Record<string, string> = {
  created: 'blue',
  status: 'indigo',
  assignment: 'cyan',
  escalation: 'orange',
  solution: 'teal',
  followup: 'gray',
  reopened: 'yellow',
  merged: 'grape',
  merged_from: 'grape',
  priority: 'pink',
  sla: 'red',
  satisfaction: 'yellow',
  attachment: 'gray',
};

/** One line saying what happened, in words; the event's text (follow-up, reason, solution) comes below. */
function eventTitle(
  t: TFunction,
  e: TicketEvent,
  ctx: { requester: boolean; groups: Map<string, string> },
): string {
  const data: Data = e.data ?? {};
  const author = e.authorName || t('helpdesk.story.system');
  // A requester reads the statuses of the portal, in plain words.
  const status = (s: unknown) =>
    ctx.requester
      ? t(`helpdesk.portal.status.${String(s)}`, { defaultValue: String(s) })
      : t(`helpdesk.status.${String(s)}`, { defaultValue: String(s) });
  switch (e.kind) {
    case 'created':
      return t('helpdesk.story.created', { author });
    case 'status':
      return t('helpdesk.story.status', { author, from: status(data.from), to: status(data.to) });
    case 'assignment': {
      const name = str(data.assigneeName);
      const group = str(data.groupId);
      if (name) return t('helpdesk.story.assignedTo', { author, name });
      if (group) {
        return ctx.requester
          ? t('helpdesk.story.assignedToTeam', { author })
          : t('helpdesk.story.assignedToGroup', { author, group: ctx.groups.get(group) ?? '…' });
      }
      return t('helpdesk.story.unassigned', { author });
    }
    case 'escalation':
      return t('helpdesk.story.escalated', { author, group: str(data.groupName) ?? '…' });
    case 'planned': {
      const at = str(data.at);
      return at
        ? t('helpdesk.story.planned', {
            author,
            at: formatDateTime(at),
          })
        : t('helpdesk.story.unplanned', { author });
    }
    case 'solution':
      return t('helpdesk.story.solved', { author });
    case 'followup':
      return t('helpdesk.story.followup', { author });
    case 'reopened':
      return t('helpdesk.story.reopened', { author });
    case 'merged':
      return t('helpdesk.story.merged', { author, reference: str(data.intoReference) ?? '…' });
    case 'merged_from':
      return t('helpdesk.story.mergedFrom', { author, reference: str(data.fromReference) ?? '…' });
    case 'priority':
      return t('helpdesk.story.priority', { author, from: String(data.from), to: String(data.to) });
    case 'sla':
      return data.state === 'breached' ? t('helpdesk.story.slaBreached') : t('helpdesk.story.slaWarned');
    case 'satisfaction':
      return t('helpdesk.story.rated', { author, rating: String(data.rating ?? '') });
    case 'attachment':
      return t('helpdesk.story.attached', { author, filename: str(data.filename) ?? e.body });
    default:
      return t('helpdesk.story.other', { author, kind: e.kind });
  }
}

function EventDetails({
  e,
  ticketId,
  ticketLink,
  groups,
}: {
  e: TicketEvent;
  ticketId: string;
  ticketLink: (id: string) => string;
  groups: Map<string, string>;
}) {
  const { t } = useTranslation();
  const data: Data = e.data ?? {};
  const waitingFor = str(data.waitingFor);
  const waitingUntil = str(data.waitingUntil);
  const linked = e.kind === 'merged' ? str(data.intoId) : e.kind === 'merged_from' ? str(data.fromId) : null;
  const escalatedTo = e.kind === 'sla' ? str(data.escalatedTo) : null;
  const attachmentId = e.kind === 'attachment' ? str(data.attachmentId) : null;
  const filename = str(data.filename) ?? e.body;
  return (
    <Stack gap={4} mt={4}>
      {e.kind === 'status' && waitingFor && (
        <Text size="sm">
          {t(`helpdesk.waitingFor.${waitingFor}`, { defaultValue: waitingFor })}
          {waitingUntil && ` · ${t('helpdesk.story.expected', { date: formatDate(waitingUntil) })}`}
        </Text>
      )}
      {e.kind === 'satisfaction' && typeof data.rating === 'number' && (
        <Rating
          value={data.rating}
          readOnly
          size="sm"
          aria-label={t('helpdesk.rating.value', { rating: data.rating })}
        />
      )}
      {linked && (
        <Anchor component={Link} to={ticketLink(linked)} size="sm">
          {t('helpdesk.story.openLinked')}
        </Anchor>
      )}
      {escalatedTo && (
        <Text size="sm">{t('helpdesk.story.slaEscalated', { group: groups.get(escalatedTo) ?? '…' })}</Text>
      )}
      {attachmentId && (
        <Anchor
          href={ticketAttachmentUrl(ticketId, attachmentId)}
          download={filename}
          size="sm"
          style={{ overflowWrap: 'anywhere' }}
          aria-label={t('helpdesk.attachments.download', { filename })}
        >
          {t('helpdesk.story.download')}
        </Anchor>
      )}
      {e.body && e.kind !== 'attachment' && (
        <Paper
          withBorder={e.kind === 'solution'}
          p={e.kind === 'solution' ? 'sm' : 0}
          bg={e.kind === 'solution' ? 'var(--mantine-color-teal-light)' : 'transparent'}
        >
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {e.body}
          </Text>
        </Paper>
      )}
    </Stack>
  );
}

/**
 * A ticket's story, oldest first: who did what and when, follow-ups and their text. Private events
 * (technicians only) are marked; the requester's portal gets the public ones only from the server.
 */
export function TicketStory({
  ticket,
  requester = false,
  ticketLink,
}: {
  ticket: Ticket;
  requester?: boolean;
  ticketLink: (id: string) => string;
}) {
  const { t } = useTranslation();
  const query = usePagedQuery(['ticket', ticket.id, 'events'], (cursor) =>
    listTicketEvents(ticket.id, cursor),
  );
  const events = query.data?.pages.flatMap((p) => p.items) ?? [];
  const groups = useGroupNames(
    requester
      ? []
      : events.flatMap((e) => [
          e.kind === 'assignment' ? str(e.data?.groupId) : null,
          e.kind === 'sla' ? str(e.data?.escalatedTo) : null,
        ]),
  );

  return (
    <Card withBorder component="section" aria-labelledby="ticket-story">
      <Stack gap="sm">
        <Title order={3} size="h4" id="ticket-story">
          {t('helpdesk.story.title')}
        </Title>
        {query.isPending && <Skeleton height={120} aria-label={t('app.loading')} />}
        {query.isError && events.length === 0 && (
          <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />
        )}
        {events.length > 0 && (
          <Timeline bulletSize={14} lineWidth={2} active={events.length}>
            {events.map((e) => (
              <Timeline.Item
                key={e.id}
                color={e.public ? (BULLET_COLORS[e.kind] ?? 'gray') : 'yellow'}
                title={
                  <Group gap="xs" wrap="wrap">
                    <Text fw={600} size="sm">
                      {eventTitle(t, e, { requester, groups })}
                    </Text>
                    {!e.public && (
                      <Badge size="xs" color="yellow" variant="filled">
                        {t('helpdesk.story.private')}
                      </Badge>
                    )}
                  </Group>
                }
                data-private={e.public ? undefined : 'true'}
              >
                <Box
                  bg={e.public ? undefined : 'var(--mantine-color-yellow-light)'}
                  px={e.public ? 0 : 'xs'}
                  py={e.public ? 0 : 4}
                  style={{ borderRadius: 'var(--mantine-radius-sm)' }}
                >
                  <Text size="xs" c="dimmed">
                    <time dateTime={e.at}>{formatDateTime(e.at)}</time>
                  </Text>
                  <EventDetails e={e} ticketId={ticket.id} ticketLink={ticketLink} groups={groups} />
                </Box>
              </Timeline.Item>
            ))}
          </Timeline>
        )}
        {query.isFetchNextPageError && (
          <ErrorAlert error={query.error} onRetry={() => void query.fetchNextPage()} />
        )}
        {query.hasNextPage && (
          <Center>
            <Button
              variant="default"
              size="xs"
              onClick={() => void query.fetchNextPage()}
              loading={query.isFetchingNextPage}
            >
              {t('common.loadMore')}
            </Button>
          </Center>
        )}
      </Stack>
    </Card>
  );
}

/**
 * Write a follow-up: public (the requester reads it) or private (technicians only); Ctrl+Enter sends.
 * A requester's reply is always public.
 */
export function FollowupComposer({
  ticket,
  allowPrivate,
  label,
  hint,
  onSent,
}: {
  ticket: Ticket;
  allowPrivate: boolean;
  label: string;
  hint?: string;
  onSent?: (result: { ticket: Ticket; reopened: boolean }) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [body, setBody] = useState('');
  const [isPrivate, setPrivate] = useState(false);
  const send = useMutation({
    mutationFn: () => addFollowup(ticket.id, { body: body.trim(), public: !(allowPrivate && isPrivate) }),
    onSuccess: (result) => {
      setBody('');
      queryClient.setQueryData(['ticket', ticket.id], result.ticket);
      void queryClient.invalidateQueries({ queryKey: ['ticket', ticket.id] });
      void queryClient.invalidateQueries({ queryKey: ['tickets'] });
      onSent?.(result);
    },
  });
  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (body.trim() && !send.isPending) send.mutate();
  };
  return (
    <Card withBorder>
      <form onSubmit={submit}>
        <Stack gap="sm">
          <ErrorAlert error={send.error} fields={['body', 'public']} />
          <Textarea
            label={label}
            description={hint}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                submit();
              }
            }}
            autosize
            minRows={3}
            maxRows={14}
            error={fieldError(send.error, 'body')}
            styles={
              allowPrivate && isPrivate
                ? { input: { background: 'var(--mantine-color-yellow-light)' } }
                : undefined
            }
          />
          <Group justify="space-between">
            {allowPrivate ? (
              <Switch
                label={t('helpdesk.composer.private')}
                description={t('helpdesk.composer.privateHelp')}
                checked={isPrivate}
                onChange={(e) => setPrivate(e.currentTarget.checked)}
                color="yellow"
              />
            ) : (
              <span />
            )}
            <Group gap="xs">
              <Text size="xs" c="dimmed">
                {t('helpdesk.composer.shortcut')}
              </Text>
              <Button type="submit" loading={send.isPending} disabled={!body.trim()}>
                {allowPrivate && isPrivate ? t('helpdesk.composer.sendPrivate') : t('helpdesk.composer.send')}
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
