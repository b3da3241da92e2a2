import {
  Button,
  Group,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { orgsWhere } from '../../../shared/policy.js';
import { type Impact, TICKET_KINDS, TICKET_SOURCES, type Urgency } from '../../../shared/schemas/helpdesk.js';
import { createTicket, type Ticket, updateTicket } from '../../api/helpdesk.js';
import { LocationSelect } from '../../components/AssetPickers.js';
import { ConflictAlert } from '../../components/ConflictAlert.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { OrgSelect, UserSelect } from '../../components/Pickers.js';
import { useSession } from '../../session/session.js';
import { KbSuggestions } from './KbSuggestions.js';
import {
  AssetMultiSelect,
  CategorySelect,
  ComputedPriority,
  GroupSelect,
  ImpactSelect,
  isConflict,
  priorityFrom,
  UrgencySelect,
  useHelpdeskSettings,
} from './shared.js';

type Kind = (typeof TICKET_KINDS)[number];
type Source = (typeof TICKET_SOURCES)[number];

/** What a technician describes of a ticket, on creation and when editing it. */
export type TicketValues = {
  kind: Kind;
  title: string;
  description: string;
  categoryId: string | null;
  impact: Impact;
  urgency: Urgency;
  locationId: string | null;
  assetIds: string[];
};

export const emptyTicketValues = (): TicketValues => ({
  kind: 'incident',
  title: '',
  description: '',
  categoryId: null,
  impact: 'user',
  urgency: 'medium',
  locationId: null,
  assetIds: [],
});

const valuesOf = (ticket: Ticket): TicketValues => ({
  kind: ticket.kind,
  title: ticket.title,
  description: ticket.description,
  categoryId: ticket.categoryId,
  impact: ticket.impact,
  urgency: ticket.urgency,
  locationId: ticket.locationId,
  assetIds: ticket.assetIds,
});

const FIELDS = [
  'orgId',
  'kind',
  'title',
  'description',
  'categoryId',
  'impact',
  'urgency',
  'locationId',
  'assetIds',
  'requesterId',
  'assigneeId',
  'groupId',
  'source',
] as const;

function TicketFields({
  orgId,
  values,
  set,
  error,
  suggest = false,
}: {
  orgId: string;
  values: TicketValues;
  set: (v: Partial<TicketValues>) => void;
  error: unknown;
  /** Show procedures matching the title as it is typed (a new ticket). */
  suggest?: boolean;
}) {
  const { t } = useTranslation();
  const settings = useHelpdeskSettings(orgId);
  return (
    <>
      <SegmentedControl
        aria-label={t('helpdesk.kindLabel')}
        data={TICKET_KINDS.map((k) => ({ value: k, label: t(`helpdesk.kind.${k}`) }))}
        value={values.kind}
        onChange={(v) => set({ kind: v as Kind })}
      />
      <TextInput
        label={t('helpdesk.titleLabel')}
        value={values.title}
        onChange={(e) => set({ title: e.currentTarget.value })}
        required
        maxLength={200}
        error={fieldError(error, 'title')}
        data-autofocus
      />
      {suggest && <KbSuggestions title={values.title} orgId={orgId} />}
      <Textarea
        label={t('helpdesk.description')}
        value={values.description}
        onChange={(e) => set({ description: e.currentTarget.value })}
        autosize
        minRows={3}
        maxRows={12}
        error={fieldError(error, 'description')}
      />
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <CategorySelect
          label={t('helpdesk.category')}
          orgId={orgId}
          value={values.categoryId}
          onChange={(v) => set({ categoryId: v })}
          error={fieldError(error, 'categoryId')}
        />
        <ImpactSelect
          value={values.impact}
          onChange={(impact) => set({ impact })}
          error={fieldError(error, 'impact')}
        />
        <UrgencySelect
          value={values.urgency}
          onChange={(urgency) => set({ urgency })}
          error={fieldError(error, 'urgency')}
        />
      </SimpleGrid>
      <ComputedPriority priority={priorityFrom(settings.data, values.impact, values.urgency)} />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <LocationSelect
          label={t('helpdesk.location')}
          orgId={orgId}
          value={values.locationId}
          onChange={(v) => set({ locationId: v })}
          error={fieldError(error, 'locationId')}
        />
        <AssetMultiSelect
          label={t('helpdesk.assets')}
          orgId={orgId}
          value={values.assetIds}
          onChange={(assetIds) => set({ assetIds })}
          error={fieldError(error, 'assetIds')}
        />
      </SimpleGrid>
    </>
  );
}

/** A ticket filed by a technician: for a requester who called, or for themselves. */
export function NewTicketForm({ onDone }: { onDone: (ticket: Ticket) => void }) {
  const { t } = useTranslation();
  const { me, actor } = useSession();
  const scope = orgsWhere(actor, 'ticket.manage');
  const mine = me.memberships.filter((m) => scope === 'all' || scope.includes(m.orgId));
  const [orgId, setOrgId] = useState<string | null>(mine[0]?.orgId ?? me.memberships[0]?.orgId ?? null);
  const [values, setValues] = useState<TicketValues>(emptyTicketValues());
  const [requesterId, setRequesterId] = useState<string | null>(null);
  const [assigneeId, setAssigneeId] = useState<string | null>(null);
  const [groupId, setGroupId] = useState<string | null>(null);
  const [source, setSource] = useState<Source>('phone');
  const set = (v: Partial<TicketValues>) => setValues((old) => ({ ...old, ...v }));
  const create = useMutation({
    mutationFn: () =>
      createTicket({
        orgId: orgId ?? '',
        ...values,
        title: values.title.trim(),
        description: values.description.trim(),
        ...(requesterId && { requesterId }),
        assigneeId,
        groupId,
        source,
      }),
    onSuccess: (ticket) => {
      notifications.show({ color: 'teal', message: t('helpdesk.created', { reference: ticket.reference }) });
      onDone(ticket);
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const err = create.error;
  return (
    <form onSubmit={onSubmit}>
      <Stack>
        <ErrorAlert error={err} fields={FIELDS} />
        {(scope === 'all' || mine.length > 1) && (
          <OrgSelect
            label={t('helpdesk.org')}
            value={orgId}
            onChange={(v) => {
              setOrgId(v);
              // Categories, places, assets and people belong to one organisation.
              setValues((old) => ({ ...old, categoryId: null, locationId: null, assetIds: [] }));
              setRequesterId(null);
              setAssigneeId(null);
              setGroupId(null);
            }}
            only={scope === 'all' ? undefined : mine}
            required
            error={fieldError(err, 'orgId')}
          />
        )}
        {orgId && (
          <>
            <TicketFields orgId={orgId} values={values} set={set} error={err} suggest />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <UserSelect
                label={t('helpdesk.requester')}
                placeholder={t('helpdesk.requesterMe')}
                orgId={orgId}
                value={requesterId}
                onChange={setRequesterId}
                error={fieldError(err, 'requesterId')}
              />
              <Select
                label={t('helpdesk.sourceLabel')}
                data={TICKET_SOURCES.map((s) => ({ value: s, label: t(`helpdesk.source.${s}`) }))}
                value={source}
                onChange={(v) => v && setSource(v as Source)}
                allowDeselect={false}
                error={fieldError(err, 'source')}
                comboboxProps={{ withinPortal: true }}
              />
              <UserSelect
                label={t('helpdesk.assignee')}
                orgId={orgId}
                value={assigneeId}
                onChange={setAssigneeId}
                error={fieldError(err, 'assigneeId')}
              />
              <GroupSelect
                label={t('helpdesk.group')}
                orgId={orgId}
                value={groupId}
                onChange={setGroupId}
                error={fieldError(err, 'groupId')}
              />
            </SimpleGrid>
          </>
        )}
        <Group justify="flex-end">
          <Button
            type="submit"
            loading={create.isPending}
            disabled={!orgId || values.title.trim().length < 3}
          >
            {t('helpdesk.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Edit what a ticket is about; a 412 reloads the ticket and says so. */
export function EditTicketForm({
  ticket,
  onDone,
  onConflict,
}: {
  ticket: Ticket;
  onDone: (ticket: Ticket) => void;
  onConflict: () => void;
}) {
  const { t } = useTranslation();
  const [values, setValues] = useState<TicketValues>(valuesOf(ticket));
  const set = (v: Partial<TicketValues>) => setValues((old) => ({ ...old, ...v }));
  const save = useMutation({
    mutationFn: () =>
      updateTicket(ticket, { ...values, title: values.title.trim(), description: values.description.trim() }),
    onSuccess: (updated) => {
      notifications.show({ color: 'teal', message: t('common.saved') });
      onDone(updated);
    },
    onError: (err) => {
      if (isConflict(err)) onConflict();
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const err = isConflict(save.error) ? null : save.error;
  return (
    <form onSubmit={onSubmit}>
      <Stack>
        <ConflictAlert show={isConflict(save.error)} />
        <ErrorAlert error={err} fields={FIELDS} />
        <TicketFields orgId={ticket.orgId} values={values} set={set} error={err} />
        <Text size="xs" c="dimmed">
          {t('helpdesk.priorityMovesDeadlines')}
        </Text>
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending} disabled={values.title.trim().length < 3}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
