import { Alert, Button, Fieldset, Group, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { WAITING_FOR } from '../../../shared/schemas/helpdesk.js';
import {
  assignTicket,
  changeTicketStatus,
  escalateTicket,
  mergeTicket,
  planTicket,
  reopenTicket,
  solveTicket,
  type Ticket,
  type TicketStatus,
  type WaitingFor,
} from '../../api/helpdesk.js';
import { AppModal } from '../../components/AppModal.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { UserSelect } from '../../components/Pickers.js';
import { GroupSelect, isConflict, TicketSearchSelect } from './shared.js';

export type ActionDialog =
  | { kind: 'assign' }
  | { kind: 'status'; status: TicketStatus }
  | { kind: 'escalate' }
  | { kind: 'plan' }
  | { kind: 'solve' }
  | { kind: 'reopen' }
  | { kind: 'merge' }
  | { kind: 'edit' };

type Props = {
  ticket: Ticket;
  onClose: () => void;
  /** The ticket as the server answered: the page shows it at once. */
  onDone: (ticket: Ticket, message: string) => void;
  /** Someone else changed the ticket (412): the page reloads it and says so. */
  onConflict: () => void;
};

/** One action on a ticket, sent over the version read; a 412 hands over to the page, which reloads. */
function useTicketAction(props: Props, run: () => Promise<Ticket>, message: string) {
  return useMutation({
    mutationFn: () => run(),
    onSuccess: (ticket) => props.onDone(ticket, message),
    onError: (err) => {
      if (isConflict(err)) props.onConflict();
    },
  });
}

function ActionModal({
  title,
  opened,
  onClose,
  children,
}: {
  title: string;
  opened: boolean;
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <AppModal opened={opened} onClose={onClose} title={title} centered size="lg">
      {children}
    </AppModal>
  );
}

function Buttons({
  onCancel,
  label,
  loading,
  disabled,
}: {
  onCancel: () => void;
  label: string;
  loading: boolean;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onCancel}>
        {t('common.cancel')}
      </Button>
      <Button type="submit" loading={loading} disabled={disabled}>
        {label}
      </Button>
    </Group>
  );
}

export function AssignDialog(props: Props) {
  const { t } = useTranslation();
  const { ticket } = props;
  const [assigneeId, setAssigneeId] = useState<string | null>(ticket.assigneeId);
  const [groupId, setGroupId] = useState<string | null>(ticket.groupId);
  const assign = useTicketAction(
    props,
    () => assignTicket(ticket, { assigneeId, groupId }),
    t('helpdesk.assigned'),
  );
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    assign.mutate();
  };
  const err = isConflict(assign.error) ? null : assign.error;
  return (
    <ActionModal opened title={t('helpdesk.actions.assignTitle')} onClose={props.onClose}>
      <form onSubmit={onSubmit}>
        <Stack>
          <ErrorAlert error={err} fields={['assigneeId', 'groupId']} />
          <UserSelect
            label={t('helpdesk.assignee')}
            orgId={ticket.orgId}
            value={assigneeId}
            onChange={setAssigneeId}
            error={fieldError(err, 'assigneeId')}
          />
          <GroupSelect
            label={t('helpdesk.group')}
            orgId={ticket.orgId}
            value={groupId}
            onChange={setGroupId}
            error={fieldError(err, 'groupId')}
          />
          <Buttons onCancel={props.onClose} label={t('helpdesk.actions.assign')} loading={assign.isPending} />
        </Stack>
      </form>
    </ActionModal>
  );
}

/** Today's date as the value of a date input, in local time. */
const todayInput = (): string => {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};

export function StatusDialog(props: Props & { status: TicketStatus }) {
  const { t } = useTranslation();
  const { ticket, status } = props;
  const waiting = status === 'waiting';
  const [waitingFor, setWaitingFor] = useState<WaitingFor | null>(waiting ? 'user' : null);
  const [until, setUntil] = useState('');
  const [note, setNote] = useState('');
  const change = useTicketAction(
    props,
    () =>
      changeTicketStatus(ticket, {
        status,
        ...(waiting && waitingFor && { waitingFor }),
        // The expected day, at noon local time: the same day whatever the time zone of the reader.
        ...(waiting && until && { waitingUntil: new Date(`${until}T12:00:00`).toISOString() }),
        ...(note.trim() && { note: note.trim() }),
      }),
    t('helpdesk.statusChanged'),
  );
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    change.mutate();
  };
  const err = isConflict(change.error) ? null : change.error;
  return (
    <ActionModal
      opened
      title={t('helpdesk.actions.statusTitle', { status: t(`helpdesk.status.${status}`) })}
      onClose={props.onClose}
    >
      <form onSubmit={onSubmit}>
        <Stack>
          <ErrorAlert error={err} fields={['status', 'waitingFor', 'waitingUntil', 'note']} />
          {fieldError(err, 'status') && (
            <Alert color="yellow" variant="light">
              {fieldError(err, 'status')}
            </Alert>
          )}
          {waiting && (
            <>
              <Select
                label={t('helpdesk.actions.waitingFor')}
                data={WAITING_FOR.map((w) => ({ value: w, label: t(`helpdesk.waitingFor.${w}`) }))}
                value={waitingFor}
                onChange={(v) => setWaitingFor(v as WaitingFor | null)}
                required
                allowDeselect={false}
                error={fieldError(err, 'waitingFor')}
                comboboxProps={{ withinPortal: true }}
              />
              {waitingFor === 'user' && (
                <Text size="xs" c="dimmed">
                  {t('helpdesk.actions.waitingUserHelp')}
                </Text>
              )}
              <TextInput
                type="date"
                label={t('helpdesk.actions.waitingUntil')}
                description={t('helpdesk.actions.waitingUntilHelp')}
                min={todayInput()}
                value={until}
                onChange={(e) => setUntil(e.currentTarget.value)}
                error={fieldError(err, 'waitingUntil')}
              />
            </>
          )}
          <Textarea
            label={t('helpdesk.actions.note')}
            description={t('helpdesk.actions.noteHelp')}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            autosize
            minRows={2}
            error={fieldError(err, 'note')}
            data-autofocus={waiting ? undefined : true}
          />
          <Buttons
            onCancel={props.onClose}
            label={t('common.confirm')}
            loading={change.isPending}
            disabled={waiting && !waitingFor}
          />
        </Stack>
      </form>
    </ActionModal>
  );
}

export function EscalateDialog(props: Props) {
  const { t } = useTranslation();
  const { ticket } = props;
  const [groupId, setGroupId] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const escalate = useTicketAction(
    props,
    () => escalateTicket(ticket, { groupId: groupId ?? '', reason: reason.trim() }),
    t('helpdesk.escalated'),
  );
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    escalate.mutate();
  };
  const err = isConflict(escalate.error) ? null : escalate.error;
  return (
    <ActionModal opened title={t('helpdesk.actions.escalateTitle')} onClose={props.onClose}>
      <form onSubmit={onSubmit}>
        <Stack>
          <Text size="sm">{t('helpdesk.actions.escalateHelp')}</Text>
          <ErrorAlert error={err} fields={['groupId', 'reason']} />
          <GroupSelect
            label={t('helpdesk.actions.escalateGroup')}
            orgId={ticket.orgId}
            value={groupId}
            onChange={setGroupId}
            required
            error={fieldError(err, 'groupId')}
          />
          <Textarea
            label={t('helpdesk.actions.reason')}
            description={t('helpdesk.actions.escalateReasonHelp')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            autosize
            minRows={3}
            required
            error={fieldError(err, 'reason')}
          />
          <Buttons
            onCancel={props.onClose}
            label={t('helpdesk.actions.escalate')}
            loading={escalate.isPending}
            disabled={!groupId || !reason.trim()}
          />
        </Stack>
      </form>
    </ActionModal>
  );
}

/** When a technician will come, told to the requester by mail (in their time zone); empty cancels it. */
export function PlanDialog(props: Props) {
  const { t } = useTranslation();
  const { ticket } = props;
  const toLocal = (iso: string) => {
    const d = new Date(iso);
    return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  };
  const [at, setAt] = useState(ticket.plannedAt ? toLocal(ticket.plannedAt) : '');
  const [note, setNote] = useState('');
  const plan = useTicketAction(
    props,
    () => planTicket(ticket, { at: at ? new Date(at).toISOString() : null, note: note.trim() }),
    t(at ? 'helpdesk.planned' : 'helpdesk.unplanned'),
  );
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    plan.mutate();
  };
  const err = isConflict(plan.error) ? null : plan.error;
  return (
    <ActionModal opened title={t('helpdesk.actions.planTitle')} onClose={props.onClose}>
      <form onSubmit={onSubmit}>
        <Stack>
          <Text size="sm">{t('helpdesk.actions.planHelp')}</Text>
          <ErrorAlert error={err} fields={['at', 'note']} />
          <TextInput
            type="datetime-local"
            label={t('helpdesk.actions.planAt')}
            value={at}
            onChange={(e) => setAt(e.currentTarget.value)}
            error={fieldError(err, 'at')}
            data-autofocus
          />
          <Textarea
            label={t('helpdesk.actions.planNote')}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            autosize
            minRows={2}
            error={fieldError(err, 'note')}
          />
          <Buttons
            onCancel={props.onClose}
            label={at ? t('helpdesk.actions.plan') : t('helpdesk.actions.unplan')}
            loading={plan.isPending}
            disabled={!at && !ticket.plannedAt}
          />
        </Stack>
      </form>
    </ActionModal>
  );
}

const NOTE_FIELDS = ['cause', 'action', 'impact', 'advice'] as const;
type NoteField = (typeof NOTE_FIELDS)[number];
const NOTE_LABELS: Record<NoteField, string> = {
  cause: 'helpdesk.actions.noteCause',
  action: 'helpdesk.actions.noteAction',
  impact: 'helpdesk.actions.noteImpact',
  advice: 'helpdesk.actions.noteAdvice',
};

export function SolveDialog(props: Props) {
  const { t } = useTranslation();
  const { ticket } = props;
  const [solution, setSolution] = useState('');
  const [note, setNote] = useState<Record<NoteField, string>>({
    cause: '',
    action: '',
    impact: '',
    advice: '',
  });
  // The intervention note is optional; once begun, it needs what was wrong and what was done.
  const noteBegun = NOTE_FIELDS.some((f) => note[f].trim());
  const solve = useTicketAction(
    props,
    () =>
      solveTicket(
        ticket,
        solution.trim(),
        noteBegun
          ? {
              cause: note.cause.trim(),
              action: note.action.trim(),
              impact: note.impact.trim(),
              advice: note.advice.trim(),
            }
          : undefined,
      ),
    t('helpdesk.solved'),
  );
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    solve.mutate();
  };
  const err = isConflict(solve.error) ? null : solve.error;
  return (
    <ActionModal opened title={t('helpdesk.actions.solveTitle')} onClose={props.onClose}>
      <form onSubmit={onSubmit}>
        <Stack>
          <ErrorAlert
            error={err}
            fields={['solution', 'status', 'note', ...NOTE_FIELDS.map((f) => `note.${f}`)]}
          />
          {fieldError(err, 'status') && (
            <Alert color="yellow" variant="light">
              {fieldError(err, 'status')}
            </Alert>
          )}
          <Textarea
            label={t('helpdesk.solution')}
            description={t('helpdesk.actions.solutionHelp')}
            value={solution}
            onChange={(e) => setSolution(e.currentTarget.value)}
            autosize
            minRows={4}
            required
            error={fieldError(err, 'solution')}
            data-autofocus
          />
          <Fieldset legend={t('helpdesk.actions.noteTitle')} variant="filled">
            <Stack gap="sm">
              <Text size="xs" c="dimmed">
                {t('helpdesk.actions.noteIntro')}
              </Text>
              {NOTE_FIELDS.map((f) => (
                <Textarea
                  key={f}
                  label={t(NOTE_LABELS[f])}
                  value={note[f]}
                  onChange={(e) => {
                    const value = e.currentTarget.value;
                    setNote((old) => ({ ...old, [f]: value }));
                  }}
                  autosize
                  minRows={2}
                  maxLength={5000}
                  required={noteBegun && (f === 'cause' || f === 'action')}
                  error={fieldError(err, `note.${f}`)}
                />
              ))}
            </Stack>
          </Fieldset>
          <Buttons
            onCancel={props.onClose}
            label={t('helpdesk.actions.solve')}
            loading={solve.isPending}
            disabled={!solution.trim() || (noteBegun && (!note.cause.trim() || !note.action.trim()))}
          />
        </Stack>
      </form>
    </ActionModal>
  );
}

export function ReopenDialog(props: Props) {
  const { t } = useTranslation();
  const { ticket } = props;
  const [reason, setReason] = useState('');
  const reopen = useTicketAction(props, () => reopenTicket(ticket, reason.trim()), t('helpdesk.reopened'));
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    reopen.mutate();
  };
  const err = isConflict(reopen.error) ? null : reopen.error;
  return (
    <ActionModal opened title={t('helpdesk.actions.reopenTitle')} onClose={props.onClose}>
      <form onSubmit={onSubmit}>
        <Stack>
          <ErrorAlert error={err} fields={['reason']} />
          <Textarea
            label={t('helpdesk.actions.reopenReason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            autosize
            minRows={3}
            required
            error={fieldError(err, 'reason')}
            data-autofocus
          />
          <Buttons
            onCancel={props.onClose}
            label={t('helpdesk.actions.reopen')}
            loading={reopen.isPending}
            disabled={!reason.trim()}
          />
        </Stack>
      </form>
    </ActionModal>
  );
}

export function MergeDialog(props: Props) {
  const { t } = useTranslation();
  const { ticket } = props;
  const [intoId, setIntoId] = useState<string | null>(null);
  const merge = useTicketAction(props, () => mergeTicket(ticket, intoId ?? ''), t('helpdesk.merged'));
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    merge.mutate();
  };
  const err = isConflict(merge.error) ? null : merge.error;
  return (
    <ActionModal opened title={t('helpdesk.actions.mergeTitle')} onClose={props.onClose}>
      <form onSubmit={onSubmit}>
        <Stack>
          <Text size="sm">{t('helpdesk.actions.mergeHelp', { reference: ticket.reference })}</Text>
          <ErrorAlert error={err} fields={['intoId']} />
          <TicketSearchSelect
            label={t('helpdesk.actions.mergeInto')}
            orgId={ticket.orgId}
            exclude={ticket.id}
            value={intoId}
            onChange={setIntoId}
            error={fieldError(err, 'intoId')}
          />
          <Buttons
            onCancel={props.onClose}
            label={t('helpdesk.actions.merge')}
            loading={merge.isPending}
            disabled={!intoId}
          />
        </Stack>
      </form>
    </ActionModal>
  );
}
