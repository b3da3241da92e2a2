import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Radio,
  Rating,
  Skeleton,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { orgsWhere } from '../../../shared/policy.js';
import { IMPACTS, type Impact, URGENCIES, type Urgency } from '../../../shared/schemas/helpdesk.js';
import { isApiError } from '../../api/client.js';
import {
  createTicket,
  getTicket,
  listTickets,
  rateTicket,
  reopenTicket,
  type Ticket,
} from '../../api/helpdesk.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { type Column, PagedTable, usePagedQuery } from '../../components/PagedTable.js';
import { OrgSelect } from '../../components/Pickers.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { useSession } from '../../session/session.js';
import { InterventionNoteCard } from './InterventionNote.js';
import { KbSuggestions } from './KbSuggestions.js';
import { CategorySelect, isConflict, STATUS_COLORS } from './shared.js';
import { TicketAttachments } from './TicketAttachments.js';
import { FollowupComposer, TicketStory } from './TicketStory.js';

/** The status as a requester reads it: what happens to their request, in plain words. */
export function plainStatus(t: TFunction, ticket: Pick<Ticket, 'status' | 'waitingFor'>): string {
  if (ticket.status === 'waiting') {
    return t(`helpdesk.portal.status.waiting_${ticket.waitingFor ?? 'user'}`, {
      defaultValue: t('helpdesk.portal.status.waiting'),
    });
  }
  return t(`helpdesk.portal.status.${ticket.status}`, { defaultValue: ticket.status });
}

function PlainStatusBadge({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const needsMe = ticket.status === 'waiting' && ticket.waitingFor === 'user';
  return (
    <Badge
      variant={needsMe ? 'filled' : 'light'}
      color={needsMe ? 'orange' : (STATUS_COLORS[ticket.status] ?? 'gray')}
    >
      {plainStatus(t, ticket)}
    </Badge>
  );
}

/**
 * The requester's requests and how each is going, and a way to report a new problem. As the home page
 * of people who only file requests, it greets them first.
 */
export function PortalPage({ home = false }: { home?: boolean }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const query = usePagedQuery(['tickets', 'requested'], (cursor) =>
    listTickets({ view: 'requested', cursor }),
  );
  const columns: Column<Ticket>[] = [
    {
      key: 'reference',
      header: t('helpdesk.reference'),
      render: (x) => (
        <Text ff="monospace" size="sm">
          {x.reference}
        </Text>
      ),
    },
    {
      key: 'title',
      header: t('helpdesk.portal.subject'),
      render: (x) => (
        <Anchor component={Link} to={`/portal/${x.id}`} fw={500}>
          {x.title}
        </Anchor>
      ),
    },
    { key: 'status', header: t('helpdesk.portal.where'), render: (x) => <PlainStatusBadge ticket={x} /> },
    {
      key: 'updated',
      header: t('helpdesk.portal.updated'),
      render: (x) => <RelativeTime iso={x.updatedAt} />,
    },
  ];
  return (
    <Stack gap="md" maw={1100}>
      <Group justify="space-between" align="flex-end">
        <Stack gap={2}>
          <Title order={2}>
            {home ? t('home.greeting', { name: me.displayName }) : t('helpdesk.portal.title')}
          </Title>
          <Text c="dimmed" size="sm">
            {t('helpdesk.portal.intro')}
          </Text>
        </Stack>
        <Button component={Link} to="/portal/new">
          {t('helpdesk.portal.report')}
        </Button>
      </Group>
      {home && (
        <Title order={3} size="h4">
          {t('helpdesk.portal.title')}
        </Title>
      )}
      <PagedTable
        query={query}
        columns={columns}
        rowKey={(x) => x.id}
        caption={t('helpdesk.portal.title')}
        emptyText={t('helpdesk.portal.empty')}
        emptyAction={
          <Button component={Link} to="/portal/new" variant="light">
            {t('helpdesk.portal.report')}
          </Button>
        }
      />
    </Stack>
  );
}

const PORTAL_FIELDS = [
  'orgId',
  'title',
  'description',
  'categoryId',
  'impact',
  'urgency',
  'diagnosticPath',
] as const;

type DiagnosticStep = { question: string; answer: string };

/** The answers of a guided diagnostic handed over in the address (`diagnosticPath`, JSON), if well formed. */
function diagnosticPathOf(raw: string | null): DiagnosticStep[] | null {
  if (!raw) return null;
  try {
    const value: unknown = JSON.parse(raw);
    if (!Array.isArray(value) || value.length === 0 || value.length > 50) return null;
    const steps = value.filter(
      (s): s is DiagnosticStep =>
        !!s && typeof s === 'object' && typeof s.question === 'string' && typeof s.answer === 'string',
    );
    return steps.length === value.length ? steps : null;
  } catch {
    return null;
  }
}

const oneOf = <T extends string>(values: readonly T[], raw: string | null, fallback: T): T =>
  values.find((v) => v === raw) ?? fallback;

/** "Report a problem", in the requester's words: what, where it belongs, who it stops, how urgent. */
export function PortalNewPage() {
  const { t } = useTranslation();
  const { me, actor } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  // A guided diagnostic may hand over what it concluded: organisation, category, impact, urgency, answers.
  const [params] = useSearchParams();
  const scope = orgsWhere(actor, 'ticket.create');
  const mine = me.memberships.filter((m) => scope === 'all' || scope.includes(m.orgId));
  const [orgId, setOrgId] = useState<string | null>(
    params.get('orgId') ?? mine[0]?.orgId ?? me.memberships[0]?.orgId ?? null,
  );
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [categoryId, setCategoryId] = useState<string | null>(params.get('categoryId'));
  const [impact, setImpact] = useState<Impact>(oneOf(IMPACTS, params.get('impact'), 'user'));
  const [urgency, setUrgency] = useState<Urgency>(oneOf(URGENCIES, params.get('urgency'), 'medium'));
  const [diagnosticPath] = useState(() => diagnosticPathOf(params.get('diagnosticPath')));
  const create = useMutation({
    mutationFn: () =>
      createTicket({
        orgId: orgId ?? '',
        kind: 'incident',
        title: title.trim(),
        description: description.trim(),
        categoryId,
        impact,
        urgency,
        source: 'portal',
        diagnosticPath,
      }),
    onSuccess: (ticket) => {
      notifications.show({
        color: 'teal',
        message: t('helpdesk.portal.sent', { reference: ticket.reference }),
      });
      void queryClient.invalidateQueries({ queryKey: ['tickets'] });
      void navigate(`/portal/${ticket.id}`);
    },
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const err = create.error;
  return (
    <Stack gap="md" maw={760}>
      <Anchor component={Link} to="/portal" size="sm">
        ← {t('helpdesk.portal.back')}
      </Anchor>
      <Stack gap={2}>
        <Title order={2}>{t('helpdesk.portal.report')}</Title>
        <Text c="dimmed" size="sm">
          {t('helpdesk.portal.reportIntro')}
        </Text>
      </Stack>
      <Card withBorder>
        <form onSubmit={onSubmit}>
          <Stack>
            <ErrorAlert error={err} fields={PORTAL_FIELDS} />
            {(scope === 'all' || mine.length > 1) && (
              <OrgSelect
                label={t('helpdesk.org')}
                value={orgId}
                onChange={(v) => {
                  setOrgId(v);
                  setCategoryId(null);
                }}
                only={scope === 'all' ? undefined : mine}
                required
                error={fieldError(err, 'orgId')}
              />
            )}
            <TextInput
              label={t('helpdesk.portal.what')}
              description={t('helpdesk.portal.whatHelp')}
              value={title}
              onChange={(e) => setTitle(e.currentTarget.value)}
              required
              maxLength={200}
              error={fieldError(err, 'title')}
            />
            <KbSuggestions title={title} orgId={orgId} />
            {diagnosticPath && (
              <Alert color="blue" variant="light" title={t('helpdesk.portal.diagnosticAnswers')}>
                <Stack gap={2}>
                  {diagnosticPath.map((step, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: the steps of a walk, in order.
                    <Text size="sm" key={i}>
                      {step.question} → <strong>{step.answer}</strong>
                    </Text>
                  ))}
                </Stack>
              </Alert>
            )}
            <Textarea
              label={t('helpdesk.portal.details')}
              description={t('helpdesk.portal.detailsHelp')}
              value={description}
              onChange={(e) => setDescription(e.currentTarget.value)}
              autosize
              minRows={4}
              maxRows={14}
              error={fieldError(err, 'description')}
            />
            <CategorySelect
              label={t('helpdesk.portal.category')}
              placeholder={t('helpdesk.portal.categoryPlaceholder')}
              orgId={orgId}
              value={categoryId}
              onChange={setCategoryId}
              error={fieldError(err, 'categoryId')}
            />
            <Radio.Group
              label={t('helpdesk.portal.impactQuestion')}
              value={impact}
              onChange={(v) => setImpact(v as Impact)}
              error={fieldError(err, 'impact')}
            >
              <Stack gap={6} mt={6}>
                {IMPACTS.map((v) => (
                  <Radio key={v} value={v} label={t(`helpdesk.portal.impact.${v}`)} />
                ))}
              </Stack>
            </Radio.Group>
            <Radio.Group
              label={t('helpdesk.portal.urgencyQuestion')}
              value={urgency}
              onChange={(v) => setUrgency(v as Urgency)}
              error={fieldError(err, 'urgency')}
            >
              <Stack gap={6} mt={6}>
                {URGENCIES.map((v) => (
                  <Radio key={v} value={v} label={t(`helpdesk.portal.urgency.${v}`)} />
                ))}
              </Stack>
            </Radio.Group>
            <Group justify="flex-end">
              <Button component={Link} to="/portal" variant="default">
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending} disabled={!orgId || title.trim().length < 3}>
                {t('helpdesk.portal.send')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Card>
    </Stack>
  );
}

/** One request as its requester sees it: the public story, a reply box, the solution, reopen and rate. */
export function PortalTicketPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { me } = useSession();
  const query = useQuery({ queryKey: ['ticket', id], queryFn: () => getTicket(id), staleTime: 0 });
  const ticket = query.data;

  if (query.isPending) {
    return (
      <Stack aria-busy="true" aria-label={t('app.loading')} maw={900}>
        <Skeleton height={32} width={320} />
        <Skeleton height={200} />
      </Stack>
    );
  }
  if (query.isError || !ticket) {
    return (
      <Stack maw={900}>
        <ErrorAlert
          error={query.error}
          title={isApiError(query.error, 'ticket.not_found') ? t('helpdesk.notFound') : undefined}
          onRetry={() => void query.refetch()}
        />
        <Anchor component={Link} to="/portal">
          {t('helpdesk.portal.back')}
        </Anchor>
      </Stack>
    );
  }
  const resolved = ticket.status === 'resolved' || ticket.status === 'closed';
  const mine = ticket.requesterId === me.id;
  return (
    <Stack gap="md" maw={900}>
      <Anchor component={Link} to="/portal" size="sm">
        ← {t('helpdesk.portal.back')}
      </Anchor>
      <Stack gap={4}>
        <Text ff="monospace" c="dimmed" size="sm">
          {ticket.reference}
        </Text>
        <Title order={2}>{ticket.title}</Title>
        <Group gap="xs">
          <PlainStatusBadge ticket={ticket} />
          <Text size="xs" c="dimmed">
            {t('helpdesk.portal.filed')} <RelativeTime iso={ticket.createdAt} size="xs" />
          </Text>
        </Group>
      </Stack>
      {ticket.status === 'waiting' && ticket.waitingFor === 'user' && (
        <Alert color="orange" variant="light" title={t('helpdesk.portal.needsYouTitle')}>
          {t('helpdesk.portal.needsYou')}
        </Alert>
      )}
      {ticket.mergedIntoId && (
        <Alert color="grape" variant="light">
          {t('helpdesk.portal.merged')}{' '}
          <Anchor component={Link} to={`/portal/${ticket.mergedIntoId}`}>
            {t('helpdesk.openMain')}
          </Anchor>
        </Alert>
      )}
      {resolved && ticket.solution && (
        <Card
          withBorder
          component="section"
          aria-labelledby="portal-solution"
          bg="var(--mantine-color-teal-light)"
        >
          <Stack gap="xs">
            <Title order={3} size="h4" id="portal-solution">
              {t('helpdesk.solution')}
            </Title>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {ticket.solution}
            </Text>
          </Stack>
        </Card>
      )}
      {resolved && <InterventionNoteCard ticket={ticket} />}
      {resolved && mine && <RateCard ticket={ticket} />}
      {resolved && mine && !ticket.mergedIntoId && <ReopenCard ticket={ticket} />}
      {ticket.description && (
        <Card withBorder component="section" aria-label={t('helpdesk.description')}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {t('helpdesk.description')}
          </Text>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {ticket.description}
          </Text>
        </Card>
      )}
      <TicketAttachments ticket={ticket} canAdd={mine && ticket.status !== 'closed'} />
      <TicketStory ticket={ticket} requester ticketLink={(x) => `/portal/${x}`} />
      {!ticket.mergedIntoId && (
        <FollowupComposer
          key={ticket.id}
          ticket={ticket}
          allowPrivate={false}
          label={t('helpdesk.portal.reply')}
          hint={resolved ? t('helpdesk.portal.replyReopens') : undefined}
          onSent={({ reopened }) =>
            notifications.show({
              color: 'teal',
              message: reopened ? t('helpdesk.portal.replyReopened') : t('helpdesk.portal.replySent'),
            })
          }
        />
      )}
    </Stack>
  );
}

function RateCard({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [rating, setRating] = useState(0);
  const [comment, setComment] = useState('');
  const rate = useMutation({
    mutationFn: () => rateTicket(ticket.id, { rating, comment: comment.trim() }),
    onSuccess: (updated) => {
      queryClient.setQueryData(['ticket', ticket.id], updated);
      void queryClient.invalidateQueries({ queryKey: ['ticket', ticket.id] });
      notifications.show({ color: 'teal', message: t('helpdesk.rating.thanks') });
    },
  });
  if (ticket.satisfaction !== null) {
    return (
      <Card withBorder component="section" aria-labelledby="portal-rating">
        <Group gap="sm">
          <Title order={3} size="h5" id="portal-rating">
            {t('helpdesk.rating.yours')}
          </Title>
          <Rating value={ticket.satisfaction} readOnly aria-hidden />
          <Text size="sm">{t('helpdesk.rating.value', { rating: ticket.satisfaction })}</Text>
        </Group>
        {ticket.satisfactionComment && (
          <Text size="sm" fs="italic" mt={4}>
            {t('helpdesk.quoted', { text: ticket.satisfactionComment })}
          </Text>
        )}
      </Card>
    );
  }
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (rating > 0) rate.mutate();
  };
  return (
    <Card withBorder component="section" aria-labelledby="portal-rating">
      <form onSubmit={onSubmit}>
        <Stack gap="sm">
          <Title order={3} size="h4" id="portal-rating">
            {t('helpdesk.rating.question')}
          </Title>
          <ErrorAlert error={rate.error} fields={['rating', 'comment']} />
          <Rating
            value={rating}
            onChange={setRating}
            size="lg"
            getSymbolLabel={(value) => t('helpdesk.rating.value', { rating: value })}
          />
          {fieldError(rate.error, 'rating') && (
            <Text size="sm" c="red">
              {fieldError(rate.error, 'rating')}
            </Text>
          )}
          <Textarea
            label={t('helpdesk.rating.comment')}
            value={comment}
            onChange={(e) => setComment(e.currentTarget.value)}
            autosize
            minRows={2}
            error={fieldError(rate.error, 'comment')}
          />
          <Group justify="flex-end">
            <Button type="submit" loading={rate.isPending} disabled={rating === 0}>
              {t('helpdesk.rating.send')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function ReopenCard({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState(false);
  const [reason, setReason] = useState('');
  const reopen = useMutation({
    mutationFn: () => reopenTicket(ticket, reason.trim()),
    onSuccess: (updated) => {
      setOpened(false);
      setReason('');
      queryClient.setQueryData(['ticket', ticket.id], updated);
      void queryClient.invalidateQueries({ queryKey: ['ticket', ticket.id] });
      void queryClient.invalidateQueries({ queryKey: ['tickets'] });
      notifications.show({ color: 'teal', message: t('helpdesk.portal.reopenedNotice') });
    },
    onError: (err) => {
      if (isConflict(err)) void queryClient.invalidateQueries({ queryKey: ['ticket', ticket.id] });
    },
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    reopen.mutate();
  };
  if (!opened) {
    return (
      <Group>
        <Text size="sm">{t('helpdesk.portal.notSolved')}</Text>
        <Button variant="light" onClick={() => setOpened(true)}>
          {t('helpdesk.actions.reopen')}
        </Button>
      </Group>
    );
  }
  return (
    <Card withBorder component="section" aria-label={t('helpdesk.actions.reopenTitle')}>
      <form onSubmit={onSubmit}>
        <Stack gap="sm">
          {isConflict(reopen.error) ? (
            <Alert color="orange" variant="light" title={t('helpdesk.conflictTitle')} role="alert">
              {t('helpdesk.conflictText')}
            </Alert>
          ) : (
            <ErrorAlert error={reopen.error} fields={['reason', 'status']} />
          )}
          <Textarea
            label={t('helpdesk.portal.reopenReason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            autosize
            minRows={2}
            required
            error={fieldError(reopen.error, 'reason')}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpened(false)}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={reopen.isPending} disabled={reason.trim().length < 3}>
              {t('helpdesk.actions.reopen')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
