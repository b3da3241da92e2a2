import {
  Alert,
  Button,
  Group,
  List,
  Paper,
  ScrollArea,
  SegmentedControl,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type DragEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../api/client.js';
import { AppModal } from '../../components/AppModal.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { OrgSelect } from '../../components/Pickers.js';
import { useCan, useSession } from '../../session/session.js';
import {
  getPlanning,
  type PlannedWorkOrder,
  type Planning,
  type PlanningConflict,
  scheduleWorkOrder,
} from './api.js';
import { CalendarFeedButton, UnavailabilityButton } from './PlanningTools.js';
import { WO_COLORS } from './WorkOrdersPage.js';

type View = 'week' | 'day';
const SLOT_MIN = 30;
/** The day view shows 07:00–19:00 in half hours. */
const DAY_FIRST_HOUR = 7;
const DAY_SLOTS = 24;
const SLOTS = Array.from({ length: DAY_SLOTS }, (_, i) => i);
const DEFAULT_DURATION_MS = 2 * 3600_000;

const startOfDay = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate());
const addDays = (d: Date, n: number) => new Date(d.getFullYear(), d.getMonth(), d.getDate() + n);
const mondayOf = (d: Date) => addDays(startOfDay(d), -((d.getDay() + 6) % 7));
const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) =>
  a.start < b.end && b.start < a.end;

type Drop = { wo: PlannedWorkOrder; technicianId: string; start: Date; end: Date };

/** Conflicts the loaded planning already shows (the server has the last word on confirming). */
function localConflicts(p: Planning, d: Drop): PlanningConflict[] {
  const slot = { start: d.start.getTime(), end: d.end.getTime() };
  const out: PlanningConflict[] = [];
  for (const o of p.technicians.find((x) => x.id === d.technicianId)?.workOrders ?? []) {
    if (o.id === d.wo.id || !o.scheduledStart || !o.scheduledEnd) continue;
    if (!overlaps(slot, { start: Date.parse(o.scheduledStart), end: Date.parse(o.scheduledEnd) })) continue;
    out.push({
      kind: 'double_booking',
      userId: d.technicianId,
      start: o.scheduledStart,
      end: o.scheduledEnd,
      workOrderId: o.id,
      reference: o.reference,
      unavailabilityId: null,
      reason: null,
    });
  }
  const people = new Set([d.technicianId, ...d.wo.affectedUserIds]);
  for (const u of p.unavailability)
    if (people.has(u.userId) && overlaps(slot, { start: Date.parse(u.start), end: Date.parse(u.end) }))
      out.push({
        kind: 'unavailable',
        userId: u.userId,
        start: u.start,
        end: u.end,
        workOrderId: null,
        reference: null,
        unavailabilityId: u.id,
        reason: u.reason,
      });
  return out;
}

/** Week (default) or day planning of an organisation's technicians; work orders dragged onto a slot are scheduled. */
export function PlanningPage() {
  const { t, i18n } = useTranslation();
  const can = useCan();
  const { me } = useSession();
  const qc = useQueryClient();
  const [orgId, setOrgId] = useState<string | null>(
    me.memberships.find((m) => m.roles.some((r) => r !== 'requester'))?.orgId ?? null,
  );
  const [view, setView] = useState<View>('week');
  const [anchor, setAnchor] = useState(() => startOfDay(new Date()));
  const [drop, setDrop] = useState<Drop | null>(null);
  const [serverConflicts, setServerConflicts] = useState<PlanningConflict[] | null>(null);
  const from = view === 'week' ? mondayOf(anchor) : anchor;
  const to = addDays(from, view === 'week' ? 7 : 1);
  const planning = useQuery({
    queryKey: ['workorders', 'planning', orgId, from.toISOString(), to.toISOString()],
    queryFn: () => getPlanning({ orgId: orgId!, from: from.toISOString(), to: to.toISOString() }),
    enabled: !!orgId,
  });
  const manage = can('workorder.manage');
  const schedule = useMutation({
    mutationFn: (override: boolean) =>
      scheduleWorkOrder(
        drop!.wo.id,
        {
          technicianId: drop!.technicianId,
          start: drop!.start.toISOString(),
          end: drop!.end.toISOString(),
          override,
        },
        drop!.wo.version,
      ),
    onSuccess: async () => {
      setDrop(null);
      setServerConflicts(null);
      await qc.invalidateQueries({ queryKey: ['workorders'] });
    },
    onError: (err) => {
      if (err instanceof ApiError && err.code === 'planning.conflict')
        setServerConflicts((err.problem as unknown as { conflicts: PlanningConflict[] }).conflicts ?? []);
    },
  });

  const locale = i18n.language === 'en' ? 'en-GB' : 'fr-FR';
  const dayLabel = (d: Date) =>
    d.toLocaleDateString(locale, { weekday: 'short', day: 'numeric', month: 'short' });
  const time = (iso: string) =>
    new Date(iso).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  const days = view === 'week' ? Array.from({ length: 7 }, (_, i) => addDays(from, i)) : [from];
  const p = planning.data;
  const names = new Map((p?.technicians ?? []).map((x) => [x.id, x.displayName]));
  const byId = new Map<string, PlannedWorkOrder>();
  for (const x of p?.technicians ?? []) for (const wo of x.workOrders) byId.set(wo.id, wo);
  for (const wo of p?.unscheduled ?? []) byId.set(wo.id, wo);

  const onDragStart = (wo: PlannedWorkOrder) => (e: DragEvent) => {
    e.dataTransfer.setData('text/plain', wo.id);
    e.dataTransfer.effectAllowed = 'move';
  };
  const allowDrop = (e: DragEvent) => {
    if (manage) e.preventDefault();
  };
  /** Week: the day, keeping the work order's time of day (09:00 if none); day: the half hour. */
  const onDrop = (technicianId: string, day: Date, slot?: number) => (e: DragEvent) => {
    e.preventDefault();
    const wo = byId.get(e.dataTransfer.getData('text/plain'));
    if (!wo) return;
    const duration =
      wo.scheduledStart && wo.scheduledEnd
        ? Date.parse(wo.scheduledEnd) - Date.parse(wo.scheduledStart)
        : DEFAULT_DURATION_MS;
    const start = new Date(day);
    if (slot !== undefined) start.setHours(DAY_FIRST_HOUR, slot * SLOT_MIN, 0, 0);
    else if (wo.scheduledStart) {
      const was = new Date(wo.scheduledStart);
      start.setHours(was.getHours(), was.getMinutes(), 0, 0);
    } else start.setHours(9, 0, 0, 0);
    setServerConflicts(null);
    schedule.reset();
    setDrop({ wo, technicianId, start, end: new Date(start.getTime() + duration) });
  };

  const block = (wo: PlannedWorkOrder, conflicted: boolean) => (
    <Paper
      key={wo.id}
      withBorder
      p={4}
      draggable={manage}
      onDragStart={onDragStart(wo)}
      data-testid={`wo-${wo.reference}`}
      style={{
        cursor: manage ? 'grab' : undefined,
        borderLeft: `4px solid var(--mantine-color-${WO_COLORS[wo.status]}-6)`,
        outline: conflicted ? '2px solid var(--mantine-color-red-6)' : undefined,
      }}
    >
      <Text size="xs" fw={600} component={Link} to={`/work-orders/${wo.id}`}>
        {wo.reference}
      </Text>
      <Text size="xs" lineClamp={2}>
        {wo.scheduledStart && wo.scheduledEnd ? `${time(wo.scheduledStart)}–${time(wo.scheduledEnd)} ` : ''}
        {wo.title}
      </Text>
    </Paper>
  );
  const conflicted = new Set((p?.conflicts ?? []).map((c) => c.concerns));
  const unavailable = (userId: string, start: number, end: number) =>
    (p?.unavailability ?? []).filter(
      (u) =>
        u.userId === userId &&
        overlaps({ start, end }, { start: Date.parse(u.start), end: Date.parse(u.end) }),
    );
  const shade = 'repeating-linear-gradient(45deg, var(--mantine-color-gray-2) 0 6px, transparent 6px 12px)';
  const columns = view === 'week' ? 7 : DAY_SLOTS;
  const shown = drop && p ? (serverConflicts ?? localConflicts(p, drop)) : [];

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>{t('planning.heading')}</Title>
        <Group>
          <Button variant="default" onClick={() => setAnchor(addDays(anchor, view === 'week' ? -7 : -1))}>
            {t('planning.previous')}
          </Button>
          <Button variant="default" onClick={() => setAnchor(startOfDay(new Date()))}>
            {t('planning.today')}
          </Button>
          <Button variant="default" onClick={() => setAnchor(addDays(anchor, view === 'week' ? 7 : 1))}>
            {t('planning.next')}
          </Button>
          <SegmentedControl
            value={view}
            onChange={(v) => setView(v as View)}
            data={[
              { value: 'week', label: t('planning.week') },
              { value: 'day', label: t('planning.day') },
            ]}
          />
        </Group>
      </Group>
      <Group align="flex-end">
        <OrgSelect label={t('workorders.org')} value={orgId} onChange={setOrgId} />
        <CalendarFeedButton />
        {orgId && (
          <UnavailabilityButton orgId={orgId} me={me.id} people={manage ? (p?.technicians ?? []) : null} />
        )}
        {manage && (
          <Text size="sm" c="dimmed">
            {t('planning.dragHint')}
          </Text>
        )}
        <Text fw={600}>
          {view === 'week' ? `${dayLabel(from)} → ${dayLabel(addDays(to, -1))}` : dayLabel(from)}
        </Text>
      </Group>
      {planning.isError && <ErrorAlert error={planning.error} onRetry={() => void planning.refetch()} />}
      {p && (
        <Group align="flex-start" wrap="nowrap">
          <ScrollArea style={{ flex: 1 }}>
            <div
              data-testid="planning-grid"
              style={{
                display: 'grid',
                gridTemplateColumns: `9rem repeat(${columns}, minmax(${view === 'week' ? '6.5rem' : '2.5rem'}, 1fr))`,
                gap: 2,
              }}
            >
              <div />
              {view === 'week'
                ? days.map((d) => (
                    <Text key={d.toISOString()} size="sm" fw={600} ta="center">
                      {dayLabel(d)}
                    </Text>
                  ))
                : SLOTS.map((i) => (
                    <Text key={i} size="xs" c="dimmed">
                      {i % 2 === 0 ? `${String(DAY_FIRST_HOUR + i / 2).padStart(2, '0')}:00` : ''}
                    </Text>
                  ))}
              {p.technicians.map((tech) => (
                <div key={tech.id} style={{ display: 'contents' }}>
                  <Text size="sm" fw={500}>
                    {tech.displayName}
                  </Text>
                  {view === 'week'
                    ? days.map((d) => {
                        const s = d.getTime();
                        const e = addDays(d, 1).getTime();
                        const off = unavailable(tech.id, s, e);
                        return (
                          <section
                            aria-label={`${tech.displayName} ${dayLabel(d)}`}
                            key={s}
                            data-testid={`cell-${tech.id}-${d.getDate()}`}
                            title={
                              off.map((u) => u.reason || t('planning.unavailable')).join(', ') || undefined
                            }
                            onDragOver={allowDrop}
                            onDrop={onDrop(tech.id, d)}
                            style={{
                              minHeight: 64,
                              padding: 2,
                              background: off.length > 0 ? shade : 'var(--mantine-color-gray-0)',
                            }}
                          >
                            <Stack gap={2}>
                              {tech.workOrders
                                .filter((wo) => {
                                  const ws = Date.parse(wo.scheduledStart ?? '');
                                  return ws >= s && ws < e;
                                })
                                .map((wo) => block(wo, conflicted.has(wo.id)))}
                            </Stack>
                          </section>
                        );
                      })
                    : SLOTS.map((i) => {
                        const s = from.getTime() + (DAY_FIRST_HOUR * 60 + i * SLOT_MIN) * 60_000;
                        const e = s + SLOT_MIN * 60_000;
                        const off = unavailable(tech.id, s, e);
                        return (
                          <section
                            aria-label={`${tech.displayName} ${new Date(s).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' })}`}
                            key={i}
                            onDragOver={allowDrop}
                            onDrop={onDrop(tech.id, from, i)}
                            style={{
                              minHeight: 64,
                              padding: 1,
                              background: off.length > 0 ? shade : 'var(--mantine-color-gray-0)',
                            }}
                          >
                            {tech.workOrders
                              .filter((wo) => {
                                const ws = Math.max(
                                  Date.parse(wo.scheduledStart ?? ''),
                                  from.getTime() + DAY_FIRST_HOUR * 3600_000,
                                );
                                return ws >= s && ws < e;
                              })
                              .map((wo) => block(wo, conflicted.has(wo.id)))}
                          </section>
                        );
                      })}
                </div>
              ))}
            </div>
          </ScrollArea>
          <Paper withBorder p="sm" w={260}>
            <Stack gap="xs">
              <Text fw={600}>{t('planning.unscheduled')}</Text>
              {p.unscheduled.length === 0 && (
                <Text size="sm" c="dimmed">
                  {t('planning.nothingToSchedule')}
                </Text>
              )}
              {p.unscheduled.map((wo) => block(wo, false))}
            </Stack>
          </Paper>
        </Group>
      )}
      <AppModal opened={!!drop} onClose={() => setDrop(null)} title={t('planning.confirmTitle')}>
        {drop && (
          <Stack>
            <Text>
              {t('planning.confirmText', {
                reference: drop.wo.reference,
                title: drop.wo.title,
                technician: names.get(drop.technicianId) ?? '',
                start: drop.start.toLocaleString(locale, { dateStyle: 'full', timeStyle: 'short' }),
                end: time(drop.end.toISOString()),
              })}
            </Text>
            {shown.length > 0 && (
              <Alert color="orange" title={t('planning.conflicts', { count: shown.length })}>
                <List size="sm">
                  {shown.map((c) => (
                    <List.Item key={`${c.kind}-${c.workOrderId ?? c.unavailabilityId}-${c.userId}`}>
                      {c.kind === 'double_booking'
                        ? t('planning.doubleBooking', {
                            reference: c.reference,
                            start: new Date(c.start).toLocaleString(locale, {
                              dateStyle: 'short',
                              timeStyle: 'short',
                            }),
                            end: time(c.end),
                          })
                        : t('planning.unavailableConflict', {
                            name: names.get(c.userId) ?? t('planning.affectedUser'),
                            start: new Date(c.start).toLocaleString(locale, {
                              dateStyle: 'short',
                              timeStyle: 'short',
                            }),
                            end: new Date(c.end).toLocaleString(locale, {
                              dateStyle: 'short',
                              timeStyle: 'short',
                            }),
                            reason: c.reason || '—',
                          })}
                    </List.Item>
                  ))}
                </List>
              </Alert>
            )}
            {schedule.isError &&
              !(schedule.error instanceof ApiError && schedule.error.code === 'planning.conflict') && (
                <ErrorAlert error={schedule.error} />
              )}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setDrop(null)}>
                {t('common.cancel')}
              </Button>
              {shown.length > 0 ? (
                <Button color="orange" loading={schedule.isPending} onClick={() => schedule.mutate(true)}>
                  {t('planning.override')}
                </Button>
              ) : (
                <Button loading={schedule.isPending} onClick={() => schedule.mutate(false)}>
                  {t('planning.confirm')}
                </Button>
              )}
            </Group>
          </Stack>
        )}
      </AppModal>
    </Stack>
  );
}
