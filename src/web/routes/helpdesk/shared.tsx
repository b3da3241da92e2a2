import { Badge, MultiSelect, Select, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  IMPACTS,
  type Impact,
  TYPOLOGIES,
  URGENCIES,
  type Urgency,
} from '../../../shared/schemas/helpdesk.js';
import { getAsset, listAssets } from '../../api/assets.js';
import { ApiError } from '../../api/client.js';
import {
  getHelpdeskSettings,
  getTicket,
  type HelpdeskSettings,
  listCategories,
  listTickets,
  type Ticket,
  type TicketCategory,
} from '../../api/helpdesk.js';
import { getGroup, listGroups } from '../../api/orgs.js';
import { formatDateTime, formatRelative } from '../../components/format.js';
import { currentLanguage } from '../../i18n/index.js';

/** P1 is the most urgent: red, down to P5 in grey. */
export const PRIORITY_COLORS: Record<number, string> = {
  1: 'red',
  2: 'orange',
  3: 'yellow',
  4: 'blue',
  5: 'gray',
};

export const STATUS_COLORS: Record<string, string> = {
  new: 'blue',
  assigned: 'cyan',
  in_progress: 'indigo',
  waiting: 'yellow',
  resolved: 'teal',
  closed: 'gray',
};

export const isConflict = (err: unknown): boolean =>
  err instanceof ApiError && (err.code === 'precondition.failed' || err.status === 412);

export function PriorityBadge({ priority }: { priority: number }) {
  const { t } = useTranslation();
  return (
    <Tooltip label={t(`helpdesk.priorities.${priority}`, { defaultValue: '' })} withArrow openDelay={150}>
      <Badge
        color={PRIORITY_COLORS[priority] ?? 'gray'}
        variant={priority <= 2 ? 'filled' : 'light'}
        aria-label={t('helpdesk.priorityAria', {
          priority,
          name: t(`helpdesk.priorities.${priority}`, { defaultValue: '' }),
        })}
      >
        {t('helpdesk.priorityShort', { priority })}
      </Badge>
    </Tooltip>
  );
}

/** The status in a technician's words; a waiting ticket says what it waits for. */
export function statusLabel(t: TFunction, ticket: Pick<Ticket, 'status' | 'waitingFor'>): string {
  if (ticket.status === 'waiting' && ticket.waitingFor) return t(`helpdesk.waitingFor.${ticket.waitingFor}`);
  return t(`helpdesk.status.${ticket.status}`, { defaultValue: ticket.status });
}

export function TicketStatusBadge({ ticket }: { ticket: Pick<Ticket, 'status' | 'waitingFor'> }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={STATUS_COLORS[ticket.status] ?? 'gray'}>
      {statusLabel(t, ticket)}
    </Badge>
  );
}

export function RecurringBadge() {
  const { t } = useTranslation();
  return (
    <Tooltip label={t('helpdesk.recurringHelp')} withArrow openDelay={150}>
      <Badge variant="outline" color="grape" size="sm">
        {t('helpdesk.recurring')}
      </Badge>
    </Tooltip>
  );
}

/** The time left to resolve, red once breached, orange once warned; nothing when no longer open. */
export function SlaDue({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const open = ['new', 'assigned', 'in_progress', 'waiting'].includes(ticket.status);
  if (!open || !ticket.resolveDueAt) {
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  }
  const overdue = ticket.slaState === 'breached' || new Date(ticket.resolveDueAt).getTime() < Date.now();
  const color = overdue ? 'red.7' : ticket.slaState === 'warned' ? 'orange.7' : undefined;
  const state = overdue
    ? t('helpdesk.sla.breached')
    : ticket.slaState === 'warned'
      ? t('helpdesk.sla.warned')
      : '';
  return (
    <Tooltip label={formatDateTime(ticket.resolveDueAt)} withArrow openDelay={150}>
      <Text
        component="time"
        dateTime={ticket.resolveDueAt}
        size="sm"
        c={color}
        fw={overdue || ticket.slaState === 'warned' ? 600 : undefined}
        style={{ whiteSpace: 'nowrap' }}
      >
        {formatRelative(ticket.resolveDueAt)}
        {state && <VisuallyHidden>{` (${state})`}</VisuallyHidden>}
      </Text>
    </Tooltip>
  );
}

// --- categories --------------------------------------------------------------------------------------

export function useCategories() {
  return useQuery({ queryKey: ['helpdesk', 'categories'], queryFn: listCategories, staleTime: 5 * 60_000 });
}

export const categoryName = (category: TicketCategory | undefined): string =>
  category ? category.name[currentLanguage()] : '—';

/** Categories of one organisation (its own and the built-in ones), grouped by typology for a Select. */
export function categoryOptions(
  t: TFunction,
  categories: TicketCategory[],
  orgId: string | null,
  keep: string | null = null,
) {
  return TYPOLOGIES.map((typology) => ({
    group: t(`helpdesk.typology.${typology}`),
    items: categories
      .filter(
        (c) =>
          c.typology === typology && (c.orgId === null || c.orgId === orgId) && (c.active || c.id === keep),
      )
      .map((c) => ({ value: c.id, label: categoryName(c) })),
  })).filter((g) => g.items.length > 0);
}

export function CategorySelect({
  orgId,
  value,
  onChange,
  label,
  description,
  error,
  placeholder,
  clearable = true,
}: {
  orgId: string | null;
  value: string | null;
  onChange: (value: string | null) => void;
  label: string;
  description?: string;
  error?: string;
  placeholder?: string;
  clearable?: boolean;
}) {
  const { t } = useTranslation();
  const categories = useCategories();
  return (
    <Select
      label={label}
      description={description}
      placeholder={placeholder}
      data={categoryOptions(t, categories.data ?? [], orgId, value)}
      value={value}
      onChange={onChange}
      searchable
      clearable={clearable}
      error={error}
      nothingFoundMessage={categories.isFetching ? t('app.loading') : t('common.none')}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

// --- impact, urgency, priority -----------------------------------------------------------------------

export function ImpactSelect({
  value,
  onChange,
  error,
}: {
  value: Impact;
  onChange: (v: Impact) => void;
  error?: string;
}) {
  const { t } = useTranslation();
  return (
    <Select
      label={t('helpdesk.impactLabel')}
      description={t('helpdesk.impactHelp')}
      data={IMPACTS.map((v) => ({ value: v, label: t(`helpdesk.impact.${v}`) }))}
      value={value}
      onChange={(v) => v && onChange(v as Impact)}
      allowDeselect={false}
      error={error}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

export function UrgencySelect({
  value,
  onChange,
  error,
}: {
  value: Urgency;
  onChange: (v: Urgency) => void;
  error?: string;
}) {
  const { t } = useTranslation();
  return (
    <Select
      label={t('helpdesk.urgencyLabel')}
      data={URGENCIES.map((v) => ({ value: v, label: t(`helpdesk.urgency.${v}`) }))}
      value={value}
      onChange={(v) => v && onChange(v as Urgency)}
      allowDeselect={false}
      error={error}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

/** An organisation's settings (readable by its staff): the matrix for a live priority, the delays. */
export function useHelpdeskSettings(orgId: string | null | undefined, enabled = true) {
  return useQuery({
    queryKey: ['helpdesk', 'settings', orgId ?? null],
    queryFn: () => getHelpdeskSettings(orgId ?? ''),
    enabled: enabled && !!orgId,
    staleTime: 60_000,
  });
}

export const priorityFrom = (
  settings: Pick<HelpdeskSettings, 'matrix'> | undefined,
  impact: Impact,
  urgency: Urgency,
): number | null => settings?.matrix[impact]?.[urgency] ?? null;

/** "Priorité calculée : P2 (haute)", from the organisation's matrix, as impact and urgency change. */
export function ComputedPriority({ priority }: { priority: number | null }) {
  const { t } = useTranslation();
  return (
    <Text size="sm" aria-live="polite">
      {t('helpdesk.computedPriority')} {priority === null ? '…' : <PriorityBadge priority={priority} />}{' '}
      {priority !== null && (
        <Text span size="sm" c="dimmed">
          {t(`helpdesk.priorities.${priority}`)}
        </Text>
      )}
    </Text>
  );
}

// --- groups ----------------------------------------------------------------------------------------

export function GroupSelect({
  orgId,
  value,
  onChange,
  label,
  error,
  required,
  placeholder,
  description,
}: {
  orgId: string | null;
  value: string | null;
  onChange: (value: string | null) => void;
  label: string;
  error?: string;
  required?: boolean;
  placeholder?: string;
  description?: string;
}) {
  const { t } = useTranslation();
  const groups = useQuery({
    queryKey: ['groups', 'options', orgId],
    queryFn: () => listGroups({ orgId: orgId ?? undefined }),
    enabled: !!orgId,
    staleTime: 60_000,
  });
  const data = (groups.data?.items ?? []).map((g) => ({ value: g.id, label: g.name }));
  const names = useGroupNames(value && !data.some((d) => d.value === value) ? [value] : []);
  if (value && !data.some((d) => d.value === value)) data.push({ value, label: names.get(value) ?? '…' });
  return (
    <Select
      label={label}
      description={description}
      placeholder={placeholder}
      data={data}
      value={value}
      onChange={onChange}
      searchable
      clearable={!required}
      required={required}
      error={error}
      nothingFoundMessage={groups.isFetching ? t('app.loading') : t('helpdesk.noGroups')}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

export function useGroupNames(ids: readonly (string | null | undefined)[]): Map<string, string> {
  const unique = [...new Set(ids.filter((v): v is string => typeof v === 'string' && v.length > 0))];
  const results = useQueries({
    queries: unique.map((id) => ({
      queryKey: ['name', 'group', id],
      queryFn: async () => (await getGroup(id)).data.name,
      staleTime: 5 * 60_000,
      retry: false,
    })),
  });
  const names = new Map<string, string>();
  unique.forEach((id, i) => {
    const name = results[i]?.data;
    if (name) names.set(id, name);
  });
  return names;
}

// --- pickers of records ------------------------------------------------------------------------------

/** Several assets of one organisation, searched on the server; chosen ones keep their names. */
export function AssetMultiSelect({
  orgId,
  value,
  onChange,
  label,
  error,
}: {
  orgId: string | null;
  value: string[];
  onChange: (value: string[]) => void;
  label: string;
  error?: string;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 250);
  const found = useQuery({
    queryKey: ['assets', 'options', orgId, q],
    queryFn: () => listAssets({ q: q || undefined, orgId: orgId ?? undefined, limit: 30 }),
    placeholderData: keepPreviousData,
    enabled: !!orgId,
  });
  const options = (found.data?.items ?? []).map((a) => ({
    value: a.id,
    label: a.assetTag ? `${a.name} (${a.assetTag})` : a.name,
  }));
  const missing = value.filter((id) => !options.some((o) => o.value === id));
  const chosen = useQueries({
    queries: missing.map((id) => ({
      queryKey: ['name', 'asset', id],
      queryFn: async () => (await getAsset(id)).data.name,
      staleTime: 5 * 60_000,
    })),
  });
  const data = [...options, ...missing.map((id, i) => ({ value: id, label: chosen[i]?.data ?? '…' }))];
  return (
    <MultiSelect
      label={label}
      data={data}
      value={value}
      onChange={onChange}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: o }) => o}
      nothingFoundMessage={found.isFetching ? t('app.loading') : t('common.none')}
      error={error}
      hidePickedOptions
      comboboxProps={{ withinPortal: true }}
    />
  );
}

/** Another ticket of the organisation, found by its reference or words of its title. */
export function TicketSearchSelect({
  orgId,
  exclude,
  value,
  onChange,
  label,
  error,
}: {
  orgId: string;
  exclude: string;
  value: string | null;
  onChange: (value: string | null) => void;
  label: string;
  error?: string;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const found = useQuery({
    queryKey: ['tickets', 'options', orgId, q],
    queryFn: () => listTickets({ view: 'all', orgId, q: q || undefined, limit: 20 }),
    placeholderData: keepPreviousData,
  });
  const options = (found.data?.items ?? [])
    .filter((x) => x.id !== exclude && !x.mergedIntoId)
    .map((x) => ({ value: x.id, label: `${x.reference} · ${x.title}` }));
  const chosen = useQuery({
    queryKey: ['ticket', value, 'label'],
    queryFn: async () => {
      const x = await getTicket(value ?? '');
      return `${x.reference} · ${x.title}`;
    },
    enabled: !!value && !options.some((o) => o.value === value),
  });
  const data =
    value && !options.some((o) => o.value === value)
      ? [...options, { value, label: chosen.data ?? '…' }]
      : options;
  return (
    <Select
      label={label}
      placeholder={t('helpdesk.merge.searchPlaceholder')}
      data={data}
      value={value}
      onChange={onChange}
      searchable
      clearable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: o }) => o}
      nothingFoundMessage={found.isFetching ? t('app.loading') : t('common.none')}
      error={error}
      required
      comboboxProps={{ withinPortal: true }}
    />
  );
}

/** Minutes as "1 h 30" (or "45 min"). */
export function formatMinutes(t: TFunction, minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return t('helpdesk.duration.minutes', { m });
  if (m === 0) return t('helpdesk.duration.hours', { h });
  return t('helpdesk.duration.hoursMinutes', { h, m: String(m).padStart(2, '0') });
}
