import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Grid,
  Group,
  Menu,
  Progress,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { OPEN_STATUSES, TICKET_TRANSITIONS } from '../../../shared/schemas/helpdesk.js';
import { isApiError } from '../../api/client.js';
import {
  assignTicket,
  getTicket,
  getTicketKbDraft,
  getTicketSla,
  relatedTickets,
  type Ticket,
} from '../../api/helpdesk.js';
import { AppModal } from '../../components/AppModal.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { formatDate, formatDateTime, formatRelative } from '../../components/format.js';
import { useAssetNames, useLocationNames, useUserNames } from '../../components/useNames.js';
import { useCan, useSession } from '../../session/session.js';
import { InterventionNoteCard } from './InterventionNote.js';
import {
  categoryName,
  isConflict,
  PriorityBadge,
  RecurringBadge,
  TicketStatusBadge,
  useCategories,
  useGroupNames,
} from './shared.js';
import {
  type ActionDialog,
  AssignDialog,
  EscalateDialog,
  MergeDialog,
  PlanDialog,
  ReopenDialog,
  SolveDialog,
  StatusDialog,
} from './TicketActions.js';
import { TicketAttachments } from './TicketAttachments.js';
import { EditTicketForm } from './TicketForm.js';
import { FollowupComposer, TicketStory } from './TicketStory.js';
import { TicketTasks } from './TicketTasks.js';

const isOpen = (ticket: Ticket) => OPEN_STATUSES.includes(ticket.status);

/** A ticket, for the technicians: what it is about, its deadlines, its story, and every action on it. */
export function TicketPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const can = useCan();
  const { me } = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const query = useQuery({ queryKey: ['ticket', id], queryFn: () => getTicket(id), staleTime: 0 });
  const ticket = query.data;
  const [dialog, setDialog] = useState<ActionDialog | null>(null);
  const [conflict, setConflict] = useState(false);

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['ticket', id] });
    void queryClient.invalidateQueries({ queryKey: ['tickets'] });
  };
  const onDone = (updated: Ticket, message: string) => {
    setDialog(null);
    setConflict(false);
    queryClient.setQueryData(['ticket', id], updated);
    refresh();
    notifications.show({ color: 'teal', message });
  };
  const onConflict = () => {
    setDialog(null);
    setConflict(true);
    refresh();
  };
  const takeIt = useMutation({
    mutationFn: (current: Ticket) => assignTicket(current, { assigneeId: me.id, groupId: current.groupId }),
    onSuccess: (updated) => onDone(updated, t('helpdesk.assignedToMe')),
    onError: (err) => {
      if (isConflict(err)) onConflict();
    },
  });

  // A procedure pre-filled from the resolved ticket, opened in the KB editor (not saved yet).
  const writeProcedure = useMutation({
    mutationFn: (ticketId: string) => getTicketKbDraft(ticketId),
    onSuccess: (draft) => void navigate('/kb/new', { state: { draft } }),
    onError: (err) => notifications.show({ color: 'red', message: err.message }),
  });

  if (query.isPending) {
    return (
      <Stack aria-busy="true" aria-label={t('app.loading')}>
        <Skeleton height={32} width={320} />
        <Skeleton height={90} />
        <Skeleton height={260} />
      </Stack>
    );
  }
  if (query.isError || !ticket) {
    return (
      <Stack>
        <ErrorAlert
          error={query.error}
          title={isApiError(query.error, 'ticket.not_found') ? t('helpdesk.notFound') : undefined}
          onRetry={() => void query.refetch()}
        />
        <Anchor component={Link} to="/tickets">
          {t('helpdesk.back')}
        </Anchor>
      </Stack>
    );
  }

  const manage = can('ticket.manage', { orgId: ticket.orgId });
  const open = isOpen(ticket);
  const moves = TICKET_TRANSITIONS[ticket.status].filter(
    (s) => s !== 'resolved' && (open || s !== 'in_progress'),
  );
  const resolved = ticket.status === 'resolved' || ticket.status === 'closed';
  const canWrite = manage && resolved && !ticket.mergedIntoId && can('kb.manage', { orgId: ticket.orgId });
  const dialogProps = { ticket, onClose: () => setDialog(null), onDone, onConflict };

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/tickets" size="sm">
        ← {t('helpdesk.back')}
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Text ff="monospace" c="dimmed" size="sm">
            {ticket.reference} · {t(`helpdesk.kind.${ticket.kind}`)}
          </Text>
          <Title order={2}>{ticket.title}</Title>
          <Group gap="xs">
            <PriorityBadge priority={ticket.priority} />
            <TicketStatusBadge ticket={ticket} />
            {ticket.recurring && <RecurringBadge />}
            {ticket.slaState !== 'ok' && open && (
              <Badge color={ticket.slaState === 'breached' ? 'red' : 'orange'} variant="filled">
                {t(`helpdesk.sla.${ticket.slaState}`)}
              </Badge>
            )}
          </Group>
        </Stack>
        {manage && (
          <Group gap="xs">
            {canWrite && (
              <Button
                variant="light"
                color="grape"
                loading={writeProcedure.isPending}
                onClick={() => writeProcedure.mutate(ticket.id)}
              >
                {t('helpdesk.actions.writeProcedure')}
              </Button>
            )}
            {open && ticket.assigneeId !== me.id && (
              <Button variant="light" loading={takeIt.isPending} onClick={() => takeIt.mutate(ticket)}>
                {t('helpdesk.actions.assignToMe')}
              </Button>
            )}
            {open && (
              <Button variant="default" onClick={() => setDialog({ kind: 'assign' })}>
                {t('helpdesk.actions.assign')}
              </Button>
            )}
            {moves.length > 0 && (
              <Menu position="bottom-end" withinPortal>
                <Menu.Target>
                  <Button variant="default">{t('helpdesk.actions.changeStatus')}</Button>
                </Menu.Target>
                <Menu.Dropdown>
                  {moves.map((s) => (
                    <Menu.Item key={s} onClick={() => setDialog({ kind: 'status', status: s })}>
                      {t(`helpdesk.status.${s}`)}
                    </Menu.Item>
                  ))}
                </Menu.Dropdown>
              </Menu>
            )}
            {open && (
              <Button variant="default" onClick={() => setDialog({ kind: 'plan' })}>
                {t('helpdesk.actions.plan')}
              </Button>
            )}
            {open && (
              <Button variant="default" onClick={() => setDialog({ kind: 'escalate' })}>
                {t('helpdesk.actions.escalate')}
              </Button>
            )}
            {open && (
              <Button color="teal" onClick={() => setDialog({ kind: 'solve' })}>
                {t('helpdesk.actions.solve')}
              </Button>
            )}
            {!open && !ticket.mergedIntoId && (
              <Button variant="light" onClick={() => setDialog({ kind: 'reopen' })}>
                {t('helpdesk.actions.reopen')}
              </Button>
            )}
            {open && (
              <Button variant="subtle" onClick={() => setDialog({ kind: 'merge' })}>
                {t('helpdesk.actions.merge')}
              </Button>
            )}
          </Group>
        )}
      </Group>
      {conflict && (
        <Alert color="orange" variant="light" title={t('helpdesk.conflictTitle')} role="alert">
          {t('helpdesk.conflictText')}
        </Alert>
      )}
      {ticket.mergedIntoId && (
        <Alert color="grape" variant="light">
          {t('helpdesk.mergedInto')}{' '}
          <Anchor component={Link} to={`/tickets/${ticket.mergedIntoId}`}>
            {t('helpdesk.openMain')}
          </Anchor>
        </Alert>
      )}
      <SlaBars ticket={ticket} />
      <Grid>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack>
            <Card withBorder component="section" aria-label={t('helpdesk.description')}>
              <Stack gap="xs">
                <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                  {t('helpdesk.description')}
                </Text>
                {ticket.description ? (
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                    {ticket.description}
                  </Text>
                ) : (
                  <Text size="sm" c="dimmed">
                    {t('helpdesk.noDescription')}
                  </Text>
                )}
                {ticket.diagnosticPath && ticket.diagnosticPath.length > 0 && (
                  <Stack gap={2} mt="xs">
                    <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                      {t('helpdesk.diagnostic')}
                    </Text>
                    {ticket.diagnosticPath.map((step) => (
                      <Text size="sm" key={`${step.question}|${step.answer}`}>
                        {step.question} → <strong>{step.answer}</strong>
                      </Text>
                    ))}
                  </Stack>
                )}
              </Stack>
            </Card>
            {ticket.solution && !open && (
              <Alert color="teal" variant="light" title={t('helpdesk.solution')}>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {ticket.solution}
                </Text>
              </Alert>
            )}
            {!open && <InterventionNoteCard ticket={ticket} />}
            <TicketAttachments
              ticket={ticket}
              canAdd={(manage || ticket.requesterId === me.id) && ticket.status !== 'closed'}
            />
            <TicketStory ticket={ticket} ticketLink={(x) => `/tickets/${x}`} />
            {(manage || ticket.requesterId === me.id) && (
              <FollowupComposer
                key={ticket.id}
                ticket={ticket}
                allowPrivate={manage}
                label={t('helpdesk.composer.label')}
                onSent={({ reopened }) =>
                  notifications.show({
                    color: 'teal',
                    message: reopened ? t('helpdesk.composer.sentReopened') : t('helpdesk.composer.sent'),
                  })
                }
              />
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack>
            <TicketFields ticket={ticket} canEdit={manage} onEdit={() => setDialog({ kind: 'edit' })} />
            {ticket.recurring && <RelatedTickets ticketId={ticket.id} />}
            {manage && <TicketTasks ticketId={ticket.id} />}
          </Stack>
        </Grid.Col>
      </Grid>

      {dialog?.kind === 'assign' && <AssignDialog {...dialogProps} />}
      {dialog?.kind === 'status' && <StatusDialog {...dialogProps} status={dialog.status} />}
      {dialog?.kind === 'escalate' && <EscalateDialog {...dialogProps} />}
      {dialog?.kind === 'plan' && <PlanDialog {...dialogProps} />}
      {dialog?.kind === 'solve' && <SolveDialog {...dialogProps} />}
      {dialog?.kind === 'reopen' && <ReopenDialog {...dialogProps} />}
      {dialog?.kind === 'merge' && <MergeDialog {...dialogProps} />}
      <AppModal
        opened={dialog?.kind === 'edit'}
        onClose={() => setDialog(null)}
        title={t('helpdesk.editTitle')}
        centered
        size="xl"
      >
        {dialog?.kind === 'edit' && (
          <EditTicketForm
            ticket={ticket}
            onDone={(updated) => onDone(updated, t('common.saved'))}
            onConflict={onConflict}
          />
        )}
      </AppModal>
    </Stack>
  );
}

/** Time gone towards a deadline, from the creation: red once past, orange once warned. */
function SlaBar({
  label,
  ticket,
  due,
  doneAt,
  warned,
  spent,
}: {
  label: string;
  ticket: Ticket;
  due: string | null;
  doneAt: string | null;
  warned: boolean;
  /** Business minutes used of the target, from the server; wall-clock time until it answers. */
  spent: { elapsed: number; target: number } | undefined;
}) {
  const { t } = useTranslation();
  if (!due) return null;
  const start = new Date(ticket.createdAt).getTime();
  const end = new Date(due).getTime();
  const paused = ticket.status === 'waiting' && ticket.waitingFor === 'user';
  let value: number;
  let color: string;
  let state: string;
  if (doneAt) {
    const met = new Date(doneAt).getTime() <= end;
    value = 100;
    color = met ? 'teal' : 'red';
    state = t(met ? 'helpdesk.sla.metOn' : 'helpdesk.sla.missedOn', { date: formatDateTime(doneAt) });
  } else if (!isOpen(ticket)) {
    value = 0;
    color = 'gray';
    state = '—';
  } else {
    const now = Date.now();
    const ratio = spent
      ? spent.elapsed / Math.max(1, spent.target)
      : (now - start) / Math.max(1, end - start);
    value = Math.min(100, Math.max(2, ratio * 100));
    const late = now > end;
    color = late ? 'red' : warned ? 'orange' : 'blue';
    state = late
      ? t('helpdesk.sla.lateBy', { when: formatRelative(due) })
      : t('helpdesk.sla.dueIn', { when: formatRelative(due) });
    if (paused) state = `${state} · ${t('helpdesk.sla.paused')}`;
  }
  return (
    <Stack gap={4}>
      <Group justify="space-between" gap="xs">
        <Text size="sm" fw={600}>
          {label}
        </Text>
        <Text size="xs" c="dimmed">
          {t('helpdesk.sla.due', { date: formatDateTime(due) })}
        </Text>
      </Group>
      <Progress
        value={value}
        color={color}
        size="lg"
        aria-label={`${label} : ${state}`}
        striped={paused && !doneAt && isOpen(ticket)}
      />
      <Text size="xs" c={color === 'red' ? 'red.7' : color === 'orange' ? 'orange.7' : 'dimmed'}>
        {state}
      </Text>
    </Stack>
  );
}

function SlaBars({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  // Business time: the bars stand still at night, on weekends and holidays, as the deadlines do.
  const sla = useQuery({
    queryKey: ['ticket', ticket.id, 'sla', ticket.version],
    queryFn: () => getTicketSla(ticket.id),
    enabled: isOpen(ticket),
    refetchInterval: 60_000,
  }).data;
  return (
    <Card withBorder component="section" aria-label={t('helpdesk.sla.title')}>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
        <SlaBar
          label={t('helpdesk.sla.own')}
          ticket={ticket}
          due={ticket.ownDueAt}
          doneAt={ticket.ownedAt}
          warned={false}
          spent={sla && { elapsed: sla.elapsedMinutes, target: sla.ownTargetMinutes }}
        />
        <SlaBar
          label={t('helpdesk.sla.resolve')}
          ticket={ticket}
          due={ticket.resolveDueAt}
          doneAt={ticket.resolvedAt}
          warned={ticket.slaState === 'warned'}
          spent={sla && { elapsed: sla.elapsedMinutes, target: sla.resolveTargetMinutes }}
        />
      </SimpleGrid>
    </Card>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

function TicketFields({ ticket, canEdit, onEdit }: { ticket: Ticket; canEdit: boolean; onEdit: () => void }) {
  const { t } = useTranslation();
  const categories = useCategories();
  const people = useUserNames([ticket.requesterId, ticket.assigneeId]);
  const groups = useGroupNames([ticket.groupId]);
  const locations = useLocationNames([ticket.locationId]);
  const assets = useAssetNames(ticket.assetIds);
  const category = categories.data?.find((c) => c.id === ticket.categoryId);
  const name = (names: Map<string, string>, value: string | null) =>
    value ? (names.get(value) ?? '…') : '—';
  return (
    <Card withBorder component="section" aria-labelledby="ticket-fields">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4" id="ticket-fields">
            {t('helpdesk.fields')}
          </Title>
          {canEdit && (
            <Button size="compact-sm" variant="subtle" onClick={onEdit}>
              {t('common.edit')}
            </Button>
          )}
        </Group>
        <Field label={t('helpdesk.category')}>
          {ticket.categoryId ? (
            <>
              {categoryName(category)}
              {ticket.typology && t(`helpdesk.typology.${ticket.typology}`) !== categoryName(category) && (
                <Text span size="xs" c="dimmed">
                  {' '}
                  · {t(`helpdesk.typology.${ticket.typology}`)}
                </Text>
              )}
            </>
          ) : (
            '—'
          )}
        </Field>
        <SimpleGrid cols={2} spacing="sm">
          <Field label={t('helpdesk.impactLabel')}>{t(`helpdesk.impact.${ticket.impact}`)}</Field>
          <Field label={t('helpdesk.urgencyLabel')}>{t(`helpdesk.urgency.${ticket.urgency}`)}</Field>
        </SimpleGrid>
        <Field label={t('helpdesk.priorityLabel')}>
          <Group gap={6}>
            <PriorityBadge priority={ticket.priority} />
            <Text size="xs" c="dimmed">
              {t('helpdesk.priorityFromMatrix')}
            </Text>
          </Group>
        </Field>
        <Field label={t('helpdesk.requester')}>{name(people, ticket.requesterId)}</Field>
        <Field label={t('helpdesk.location')}>
          {ticket.locationId ? (
            <Anchor component={Link} to={`/locations/${ticket.locationId}`} size="sm">
              {name(locations, ticket.locationId)}
            </Anchor>
          ) : (
            '—'
          )}
        </Field>
        <Field label={t('helpdesk.assets')}>
          {ticket.assetIds.length === 0 ? (
            '—'
          ) : (
            <Stack gap={2}>
              {ticket.assetIds.map((assetId) => (
                <Anchor key={assetId} component={Link} to={`/assets/${assetId}`} size="sm">
                  {assets.get(assetId) ?? '…'}
                </Anchor>
              ))}
            </Stack>
          )}
        </Field>
        <SimpleGrid cols={2} spacing="sm">
          <Field label={t('helpdesk.assignee')}>{name(people, ticket.assigneeId)}</Field>
          <Field label={t('helpdesk.group')}>{name(groups, ticket.groupId)}</Field>
        </SimpleGrid>
        {ticket.status === 'waiting' && ticket.waitingFor && (
          <Field label={t('helpdesk.statusLabel')}>
            {t(`helpdesk.waitingFor.${ticket.waitingFor}`)}
            {ticket.waitingUntil &&
              ` · ${t('helpdesk.story.expected', { date: formatDate(ticket.waitingUntil) })}`}
          </Field>
        )}
        <SimpleGrid cols={2} spacing="sm">
          <Field label={t('helpdesk.sourceLabel')}>{t(`helpdesk.source.${ticket.source}`)}</Field>
          <Field label={t('helpdesk.createdAt')}>{formatDateTime(ticket.createdAt)}</Field>
        </SimpleGrid>
        {ticket.satisfaction !== null && (
          <Field label={t('helpdesk.rating.title')}>
            {t('helpdesk.rating.value', { rating: ticket.satisfaction })}
            {ticket.satisfactionComment && (
              <Text size="sm" fs="italic">
                {t('helpdesk.quoted', { text: ticket.satisfactionComment })}
              </Text>
            )}
          </Field>
        )}
      </Stack>
    </Card>
  );
}

/** Why a ticket is recurring: the tickets of the same asset or category in the window. */
function RelatedTickets({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const related = useQuery({
    queryKey: ['ticket', ticketId, 'related'],
    queryFn: () => relatedTickets(ticketId),
  });
  return (
    <Card withBorder component="section" aria-labelledby="ticket-related">
      <Stack gap="xs">
        <Title order={3} size="h4" id="ticket-related">
          {t('helpdesk.related.title')}
        </Title>
        <Text size="xs" c="dimmed">
          {t('helpdesk.related.help')}
        </Text>
        {related.isPending && <Skeleton height={40} />}
        {related.isError && <ErrorAlert error={related.error} onRetry={() => void related.refetch()} />}
        {related.data?.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('helpdesk.related.empty')}
          </Text>
        )}
        {related.data?.map((r) => (
          <Group key={r.id} gap="xs" justify="space-between" wrap="nowrap">
            <Stack gap={0}>
              <Anchor component={Link} to={`/tickets/${r.id}`} size="sm" fw={600}>
                {r.reference}
              </Anchor>
              <Text size="xs" lineClamp={1}>
                {r.title}
              </Text>
            </Stack>
            <Stack gap={0} align="flex-end">
              <TicketStatusBadge ticket={{ status: r.status as Ticket['status'], waitingFor: null }} />
              <Text size="xs" c="dimmed">
                {formatDate(r.createdAt)}
              </Text>
            </Stack>
          </Group>
        ))}
      </Stack>
    </Card>
  );
}
