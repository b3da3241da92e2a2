import {
  Anchor,
  Button,
  Center,
  EmptyState,
  Group,
  Kbd,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { PRIORITIES, TICKET_STATUSES } from '../../../shared/schemas/helpdesk.js';
import { listTickets, type Ticket, type TicketListQuery, type TicketStatus } from '../../api/helpdesk.js';
import { AppModal } from '../../components/AppModal.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { usePagedQuery } from '../../components/PagedTable.js';
import { UserSelect } from '../../components/Pickers.js';
import { useUserNames } from '../../components/useNames.js';
import { useCan, useSession } from '../../session/session.js';
import {
  CategorySelect,
  GroupSelect,
  PriorityBadge,
  RecurringBadge,
  SlaDue,
  TicketStatusBadge,
  useGroupNames,
} from './shared.js';
import { NewTicketForm } from './TicketForm.js';

const TABS = ['queue', 'open', 'all'] as const;
type Tab = (typeof TABS)[number];
const FILTERS = ['status', 'priority', 'categoryId', 'assigneeId', 'groupId'] as const;
type Filter = (typeof FILTERS)[number] | 'q' | 'tab';

/** Typing in a field, a list or a dialog: the page's single-key shortcuts stay out of the way. */
function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return true;
  return !!target.closest('[role="dialog"], [role="listbox"], [role="menu"]');
}

/**
 * The technicians' desk: their queue by SLA due time, every open ticket, or every ticket with filters.
 * Keyboard first: j/k or arrows move, Enter opens, / searches, n files a new ticket, ? lists the keys.
 */
export function TicketsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { me } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const manage = can('ticket.manage');
  const tabs = TABS.filter((x) => x !== 'queue' || manage);
  const asked = params.get('tab');
  const tab: Tab = tabs.find((x) => x === asked) ?? tabs[0] ?? 'all';
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [creating, setCreating] = useState(false);
  const [help, setHelp] = useState(false);
  const [selected, setSelected] = useState(-1);
  const searchRef = useRef<HTMLInputElement>(null);
  const rowRefs = useRef<(HTMLTableRowElement | null)[]>([]);

  const get = (name: Filter) => params.get(name) || null;
  const setFilters = (changes: Partial<Record<Filter, string | null>>) =>
    setParams(
      (old) => {
        const next = new URLSearchParams(old);
        for (const [name, value] of Object.entries(changes)) {
          if (value) next.set(name, value);
          else next.delete(name);
        }
        return next;
      },
      { replace: true },
    );
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the debounced text goes to the address.
  useEffect(() => {
    if ((params.get('q') ?? '') !== q) setFilters({ q: q || null });
  }, [q]);

  const filters: TicketListQuery =
    tab === 'queue'
      ? { view: 'queue' }
      : tab === 'open'
        ? { view: 'all', open: true, q: q || undefined }
        : {
            view: 'all',
            q: q || undefined,
            status: (get('status') as TicketStatus | null) ?? undefined,
            priority: get('priority') ? Number(get('priority')) : undefined,
            categoryId: get('categoryId') ?? undefined,
            assigneeId: get('assigneeId') ?? undefined,
            groupId: get('groupId') ?? undefined,
          };
  const query = usePagedQuery(['tickets', 'list', filters], (cursor) => listTickets({ ...filters, cursor }));
  const loaded = query.data?.pages.flatMap((p) => p.items) ?? [];
  // The queue is one short list read in due order: the search box narrows it here.
  const needle = q.toLowerCase();
  const rows =
    tab === 'queue' && needle
      ? loaded.filter(
          (x) => x.reference.toLowerCase().includes(needle) || x.title.toLowerCase().includes(needle),
        )
      : loaded;
  const people = useUserNames(rows.flatMap((x) => [x.requesterId, x.assigneeId]));
  const groups = useGroupNames(rows.map((x) => x.groupId));

  const filterKey = JSON.stringify(filters);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new list starts without a selection.
  useEffect(() => setSelected(-1), [filterKey]);
  useEffect(() => {
    if (selected >= 0) rowRefs.current[selected]?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || typingIn(event.target)) return;
      if (document.querySelector('[role="dialog"]')) return;
      const count = rowsRef.current.length;
      const current = selectedRef.current;
      switch (event.key) {
        case 'j':
        case 'ArrowDown':
          if (count === 0) return;
          event.preventDefault();
          setSelected(Math.min(current + 1, count - 1));
          return;
        case 'k':
        case 'ArrowUp':
          if (count === 0) return;
          event.preventDefault();
          setSelected(Math.max(current - 1, 0));
          return;
        case 'Enter': {
          const ticket = rowsRef.current[current];
          // Enter on a link or a button is theirs (a tab just clicked is not).
          if (
            !ticket ||
            (event.target instanceof HTMLElement && event.target.closest('a, button:not([role="tab"])'))
          )
            return;
          event.preventDefault();
          void navigate(`/tickets/${ticket.id}`);
          return;
        }
        case '/':
          event.preventDefault();
          searchRef.current?.focus();
          return;
        case 'n':
          if (!manage) return;
          event.preventDefault();
          setCreating(true);
          return;
        case '?':
          event.preventDefault();
          setHelp(true);
          return;
        default:
          return;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [manage, navigate]);

  const empty =
    tab === 'queue' && !needle
      ? t('helpdesk.queue.emptyQueue')
      : tab === 'open' && !needle
        ? t('helpdesk.queue.emptyOpen')
        : t('helpdesk.queue.emptyAll');

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Stack gap={2}>
          <Title order={2}>{t('helpdesk.queue.title')}</Title>
          <Text size="sm" c="dimmed">
            {t('helpdesk.queue.keysHint')}{' '}
            <Anchor component="button" type="button" size="sm" onClick={() => setHelp(true)}>
              {t('helpdesk.keys.show')}
            </Anchor>
          </Text>
        </Stack>
        {manage && <Button onClick={() => setCreating(true)}>{t('helpdesk.newTicket')}</Button>}
      </Group>
      <Tabs
        value={tab}
        onChange={(v) => setFilters({ tab: v && v !== tabs[0] ? v : null })}
        keepMounted={false}
      >
        <Tabs.List>
          {tabs.map((x) => (
            <Tabs.Tab key={x} value={x}>
              {t(`helpdesk.queue.tabs.${x}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: tab === 'all' ? 3 : 2 }}>
        <TextInput
          ref={searchRef}
          label={t('common.search')}
          placeholder={t('helpdesk.queue.searchPlaceholder')}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') e.currentTarget.blur();
          }}
          type="search"
          rightSection={<Kbd size="xs">/</Kbd>}
        />
        {tab === 'all' && (
          <>
            <Select
              label={t('helpdesk.statusLabel')}
              placeholder={t('common.all')}
              data={TICKET_STATUSES.map((s) => ({ value: s, label: t(`helpdesk.status.${s}`) }))}
              value={get('status')}
              onChange={(v) => setFilters({ status: v })}
              clearable
            />
            <Select
              label={t('helpdesk.priorityLabel')}
              placeholder={t('common.all')}
              data={PRIORITIES.map((p) => ({
                value: String(p),
                label: `${t('helpdesk.priorityShort', { priority: p })} · ${t(`helpdesk.priorities.${p}`)}`,
              }))}
              value={get('priority')}
              onChange={(v) => setFilters({ priority: v })}
              clearable
            />
            <CategorySelect
              label={t('helpdesk.category')}
              placeholder={t('common.all')}
              orgId={me.memberships[0]?.orgId ?? null}
              value={get('categoryId')}
              onChange={(v) => setFilters({ categoryId: v })}
            />
            <UserSelect
              label={t('helpdesk.assignee')}
              placeholder={t('common.all')}
              value={get('assigneeId')}
              onChange={(v) => setFilters({ assigneeId: v })}
            />
            <GroupSelect
              label={t('helpdesk.group')}
              placeholder={t('common.all')}
              orgId={me.memberships[0]?.orgId ?? null}
              value={get('groupId')}
              onChange={(v) => setFilters({ groupId: v })}
            />
          </>
        )}
      </SimpleGrid>

      {query.isPending ? (
        <Stack gap="xs" aria-busy="true" aria-label={t('app.loading')}>
          {[0, 1, 2, 3, 4].map((i) => (
            <Skeleton key={i} height={36} radius="sm" />
          ))}
        </Stack>
      ) : query.isError && loaded.length === 0 ? (
        <ErrorAlert error={query.error} title={t('common.loadError')} onRetry={() => void query.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title={t('common.emptyTitle')} description={empty} py="xl">
          {manage && (
            <Button variant="light" onClick={() => setCreating(true)}>
              {t('helpdesk.newTicket')}
            </Button>
          )}
        </EmptyState>
      ) : (
        <Stack gap="sm">
          <Table.ScrollContainer minWidth={900}>
            <Table highlightOnHover verticalSpacing="xs" aria-label={t(`helpdesk.queue.tabs.${tab}`)}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('helpdesk.reference')}</Table.Th>
                  <Table.Th scope="col">{t('helpdesk.titleLabel')}</Table.Th>
                  <Table.Th scope="col">{t('helpdesk.priorityLabel')}</Table.Th>
                  <Table.Th scope="col">{t('helpdesk.statusLabel')}</Table.Th>
                  <Table.Th scope="col">{t('helpdesk.requester')}</Table.Th>
                  <Table.Th scope="col">{t('helpdesk.assignedTo')}</Table.Th>
                  <Table.Th scope="col">{t('helpdesk.slaDue')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((ticket, i) => (
                  <TicketRow
                    key={ticket.id}
                    ticket={ticket}
                    selected={i === selected}
                    rowRef={(el) => {
                      rowRefs.current[i] = el;
                    }}
                    onSelect={() => setSelected(i)}
                    requester={ticket.requesterId ? (people.get(ticket.requesterId) ?? '…') : '—'}
                    assignee={ticket.assigneeId ? (people.get(ticket.assigneeId) ?? '…') : null}
                    group={ticket.groupId ? (groups.get(ticket.groupId) ?? '…') : null}
                  />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
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

      <AppModal
        opened={creating}
        onClose={() => setCreating(false)}
        title={t('helpdesk.newTicket')}
        centered
        size="xl"
      >
        {creating && (
          <NewTicketForm
            onDone={(ticket) => {
              setCreating(false);
              void queryClient.invalidateQueries({ queryKey: ['tickets'] });
              void navigate(`/tickets/${ticket.id}`);
            }}
          />
        )}
      </AppModal>
      <ShortcutsHelp opened={help} onClose={() => setHelp(false)} />
    </Stack>
  );
}

function TicketRow({
  ticket,
  selected,
  rowRef,
  onSelect,
  requester,
  assignee,
  group,
}: {
  ticket: Ticket;
  selected: boolean;
  rowRef: (el: HTMLTableRowElement | null) => void;
  onSelect: () => void;
  requester: string;
  assignee: string | null;
  group: string | null;
}) {
  return (
    <Table.Tr
      ref={rowRef}
      onClick={onSelect}
      aria-current={selected ? 'true' : undefined}
      data-selected={selected || undefined}
      style={
        selected
          ? {
              background: 'var(--mantine-color-blue-light)',
              boxShadow: 'inset 3px 0 0 var(--mantine-color-blue-filled)',
            }
          : undefined
      }
    >
      <Table.Td>
        <Anchor component={Link} to={`/tickets/${ticket.id}`} fw={600} ff="monospace" size="sm">
          {ticket.reference}
        </Anchor>
      </Table.Td>
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          <Text size="sm" lineClamp={2}>
            {ticket.title}
          </Text>
          {ticket.recurring && <RecurringBadge />}
        </Group>
      </Table.Td>
      <Table.Td>
        <PriorityBadge priority={ticket.priority} />
      </Table.Td>
      <Table.Td>
        <TicketStatusBadge ticket={ticket} />
      </Table.Td>
      <Table.Td>
        <Text size="sm">{requester}</Text>
      </Table.Td>
      <Table.Td>
        {assignee || group ? (
          <Stack gap={0}>
            {assignee && <Text size="sm">{assignee}</Text>}
            {group && (
              <Text size="xs" c="dimmed">
                {group}
              </Text>
            )}
          </Stack>
        ) : (
          <Text size="sm" c="dimmed">
            —
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <SlaDue ticket={ticket} />
      </Table.Td>
    </Table.Tr>
  );
}

function ShortcutsHelp({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const keys: [string[], string][] = [
    [['j', '↓'], t('helpdesk.keys.down')],
    [['k', '↑'], t('helpdesk.keys.up')],
    [['Entrée'], t('helpdesk.keys.open')],
    [['/'], t('helpdesk.keys.search')],
    [['n'], t('helpdesk.keys.new')],
    [['?'], t('helpdesk.keys.help')],
  ];
  return (
    <AppModal opened={opened} onClose={onClose} title={t('helpdesk.keys.title')} centered>
      <Table aria-label={t('helpdesk.keys.title')}>
        <Table.Tbody>
          {keys.map(([combo, what]) => (
            <Table.Tr key={what}>
              <Table.Td>
                <Group gap={4}>
                  {combo.map((k) => (
                    <Kbd key={k}>{k === 'Entrée' ? t('helpdesk.keys.enter') : k}</Kbd>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>{what}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </AppModal>
  );
}
