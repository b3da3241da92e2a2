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

/**
 * The frame of every action dialog: its title and help, the problem of the last attempt (a 412 is the
 * page's to explain), the fields, and the buttons; submitting runs the action.
 */
function ActionForm({
  title,
  help,
  action,
  fields,
  submitLabel,
  disabled,
  onClose,
  children,
}: {
  title: string;
  help?: string;
  action: ReturnType<typeof useTicketAction>;
  fields: readonly string[];
  submitLabel: string;
  disabled?: boolean;
  onClose: () => void;
  children: (err: unknown) => ReactNode;
}) {
  const { t } = useTranslation();
  const err = isConflict(action.error) ? null : action.error;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    action.mutate();
  };
  return (
    <AppModal opened onClose={onClose} title={title} centered size="lg">
      <form onSubmit={onSubmit}>
        <Stack>
          {help && <Text size="sm">{help}</Text>}
          <ErrorAlert error={err} fields={fields} />
          {children(err)}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={action.isPending} disabled={disabled}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </AppModal>
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
  return (
    <ActionForm
      title={t('helpdesk.actions.assignTitle')}
      action={assign}
      fields={['assigneeId', 'groupId']}
      submitLabel={t('helpdesk.actions.assign')}
      onClose={props.onClose}
    >
      {(err) => (
        <>
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
        </>
      )}
    </ActionForm>
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
  return (
    <ActionForm
      title={t('helpdesk.actions.statusTitle', { status: t(`helpdesk.status.${status}`) })}
      action={change}
      fields={['status', 'waitingFor', 'waitingUntil', 'note']}
      submitLabel={t('common.confirm')}
      disabled={waiting && !waitingFor}
      onClose={props.onClose}
    >
      {(err) => (
        <>
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
        </>
      )}
    </ActionForm>
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
  return (
    <ActionForm
      title={t('helpdesk.actions.escalateTitle')}
      help={t('helpdesk.actions.escalateHelp')}
      action={escalate}
      fields={['groupId', 'reason']}
      submitLabel={t('helpdesk.actions.escalate')}
      disabled={!groupId || !reason.trim()}
      onClose={props.onClose}
    >
      {(err) => (
        <>
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
        </>
      )}
    </ActionForm>
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
  return (
    <ActionForm
      title={t('helpdesk.actions.planTitle')}
      help={t('helpdesk.actions.planHelp')}
      action={plan}
      fields={['at', 'note']}
      submitLabel={at ? t('helpdesk.actions.plan') : t('helpdesk.actions.unplan')}
      disabled={!at && !ticket.plannedAt}
      onClose={props.onClose}
    >
      {(err) => (
        <>
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
        </>
      )}
    </ActionForm>
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
  return (
    <ActionForm
      title={t('helpdesk.actions.solveTitle')}
      action={solve}
      fields={['solution', 'status', 'note', ...NOTE_FIELDS.map((f) => `note.${f}`)]}
      submitLabel={t('helpdesk.actions.solve')}
      disabled={!solution.trim() || (noteBegun && (!note.cause.trim() || !note.action.trim()))}
      onClose={props.onClose}
    >
      {(err) => (
        <>
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
        </>
      )}
    </ActionForm>
  );
}

export function ReopenDialog(props: Props) {
  const { t } = useTranslation();
  const { ticket } = props;
  const [reason, setReason] = useState('');
  const reopen = useTicketAction(props, () => reopenTicket(ticket, reason.trim()), t('helpdesk.reopened'));
  return (
    <ActionForm
      title={t('helpdesk.actions.reopenTitle')}
      action={reopen}
      fields={['reason']}
      submitLabel={t('helpdesk.actions.reopen')}
      disabled={!reason.trim()}
      onClose={props.onClose}
    >
      {(err) => (
        <>
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
        </>
      )}
    </ActionForm>
  );
}

export function MergeDialog(props: Props) {
  const { t } = useTranslation();
  const { ticket } = props;
  const [intoId, setIntoId] = useState<string | null>(null);
  const merge = useTicketAction(props, () => mergeTicket(ticket, intoId ?? ''), t('helpdesk.merged'));
  return (
    <ActionForm
      title={t('helpdesk.actions.mergeTitle')}
      help={t('helpdesk.actions.mergeHelp', { reference: ticket.reference })}
      action={merge}
      fields={['intoId']}
      submitLabel={t('helpdesk.actions.merge')}
      disabled={!intoId}
      onClose={props.onClose}
    >
      {(err) => (
        <>
          <TicketSearchSelect
            label={t('helpdesk.actions.mergeInto')}
            orgId={ticket.orgId}
            exclude={ticket.id}
            value={intoId}
            onChange={setIntoId}
            error={fieldError(err, 'intoId')}
          />
        </>
      )}
    </ActionForm>
  );
}
