import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Card,
  Group,
  NumberInput,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { orgsWhere } from '../../../shared/policy.js';
import { IMPACTS, PRIORITIES, TYPOLOGIES, URGENCIES } from '../../../shared/schemas/helpdesk.js';
import { ApiError } from '../../api/client.js';
import {
  createCategory,
  getHelpdeskSettings,
  type HelpdeskSettings,
  saveHelpdeskSettings,
  type TicketCategory,
  updateCategory,
} from '../../api/helpdesk.js';
import { AppModal } from '../../components/AppModal.js';
import { ConflictAlert } from '../../components/ConflictAlert.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { FormSkeleton } from '../../components/FormSkeleton.js';
import { OrgSelect } from '../../components/Pickers.js';
import { useVersionedEdit } from '../../components/useVersionedEdit.js';
import { useSession } from '../../session/session.js';
import { AlertsTab, MailboxTab, OutgoingTab, TemplatesTab } from './ChannelSettings.js';
import { GroupSelect, isConflict, useCategories } from './shared.js';

type Day = '0' | '1' | '2' | '3' | '4' | '5' | '6';
/** Monday first, as a French week. */
const WEEK: Day[] = ['1', '2', '3', '4', '5', '6', '0'];
type Priority = '1' | '2' | '3' | '4' | '5';

/** The first message of the failure about a field or anything under it (`calendar.hours.1` covers `.0.1`). */
function errorUnder(err: unknown, prefix: string): string | undefined {
  if (!(err instanceof ApiError)) return undefined;
  const found = (err.problem.errors ?? []).find((e) => {
    const path = String(e.path ?? '').replace(/^body[./]/, '');
    return path === prefix || path.startsWith(`${prefix}.`);
  });
  return found?.message;
}

const timeZones = (): string[] => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['Europe/Paris'];
  }
};

const SETTINGS_TABS = ['general', 'mailbox', 'alerts', 'templates', 'outgoing'] as const;

/** Helpdesk settings of one organisation: priority matrix, SLA, business calendar, rules; categories. */
export function HelpdeskSettingsPage() {
  const { t } = useTranslation();
  const { me, actor } = useSession();
  const scope = orgsWhere(actor, 'helpdesk.configure');
  const mine = me.memberships.filter((m) => scope === 'all' || scope.includes(m.orgId));
  const [orgId, setOrgId] = useState<string | null>(mine[0]?.orgId ?? me.memberships[0]?.orgId ?? null);
  return (
    <Stack gap="md" maw={1100}>
      <Group justify="space-between" align="flex-end">
        <Stack gap={2}>
          <Title order={2}>{t('helpdesk.settings.title')}</Title>
          <Text size="sm" c="dimmed">
            {t('helpdesk.settings.intro')}
          </Text>
        </Stack>
        {(scope === 'all' || mine.length > 1) && (
          <OrgSelect
            label={t('helpdesk.org')}
            value={orgId}
            onChange={setOrgId}
            only={scope === 'all' ? undefined : mine}
          />
        )}
      </Group>
      {orgId && (
        <Tabs key={orgId} defaultValue="general" keepMounted={false}>
          <Tabs.List mb="md">
            {SETTINGS_TABS.map((tab) => (
              <Tabs.Tab key={tab} value={tab}>
                {t(`helpdesk.channels.tabs.${tab}`)}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          <Tabs.Panel value="general">
            <Stack gap="md">
              <SettingsForm orgId={orgId} />
              <CategoriesCard orgId={orgId} />
            </Stack>
          </Tabs.Panel>
          <Tabs.Panel value="mailbox">
            <MailboxTab orgId={orgId} />
          </Tabs.Panel>
          <Tabs.Panel value="alerts">
            <AlertsTab orgId={orgId} />
          </Tabs.Panel>
          <Tabs.Panel value="templates">
            <TemplatesTab orgId={orgId} />
          </Tabs.Panel>
          <Tabs.Panel value="outgoing">
            <OutgoingTab orgId={orgId} />
          </Tabs.Panel>
        </Tabs>
      )}
    </Stack>
  );
}

function Section({ title, help, children }: { title: string; help?: string; children: ReactNode }) {
  const id = useId();
  return (
    <Card withBorder component="section" aria-labelledby={id}>
      <Stack gap="sm">
        <div>
          <Title order={3} size="h4" id={id}>
            {title}
          </Title>
          {help && (
            <Text size="sm" c="dimmed">
              {help}
            </Text>
          )}
        </div>
        {children}
      </Stack>
    </Card>
  );
}

/** Minutes shown and typed as hours and minutes. */
function Duration({
  label,
  minutes,
  onChange,
  error,
}: {
  label: string;
  minutes: number;
  onChange: (minutes: number) => void;
  error?: string;
}) {
  const { t } = useTranslation();
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return (
    <Stack gap={2}>
      <Group gap={4} wrap="nowrap">
        <NumberInput
          aria-label={t('helpdesk.settings.hoursOf', { what: label })}
          value={h}
          onChange={(v) => onChange((Number(v) || 0) * 60 + m)}
          min={0}
          max={8760}
          w={80}
          size="xs"
          suffix=" h"
          error={!!error}
        />
        <NumberInput
          aria-label={t('helpdesk.settings.minutesOf', { what: label })}
          value={m}
          onChange={(v) => onChange(h * 60 + Math.min(59, Number(v) || 0))}
          min={0}
          max={59}
          step={5}
          w={80}
          size="xs"
          suffix=" min"
          error={!!error}
        />
      </Group>
      {error && (
        <Text size="xs" c="red">
          {error}
        </Text>
      )}
    </Stack>
  );
}

function SettingsForm({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<HelpdeskSettings | null>(null);
  const [version, setVersion] = useState(0);
  const [closedDay, setClosedDay] = useState('');
  const edit = useVersionedEdit({
    queryKey: ['helpdesk', 'settings', orgId, 'edit'],
    load: async () => ({ data: await getHelpdeskSettings(orgId), etag: null }),
    save: () => saveHelpdeskSettings(orgId, version, form as HelpdeskSettings),
    reset: (s) => {
      const { orgId: _org, version: v, ...settings } = s;
      setVersion(v);
      setForm(settings);
    },
    onSaved: (saved) => {
      setVersion(saved.version);
      void queryClient.invalidateQueries({ queryKey: ['helpdesk', 'settings', orgId] });
      notifications.show({ color: 'teal', message: t('helpdesk.settings.saved') });
    },
  });
  if (edit.record.isError) {
    return <ErrorAlert error={edit.record.error} onRetry={() => void edit.record.refetch()} />;
  }
  if (!form) return <FormSkeleton fields={6} />;
  const err = edit.error;
  const set = (patch: Partial<HelpdeskSettings>) => setForm((old) => (old ? { ...old, ...patch } : old));
  const setCalendar = (patch: Partial<HelpdeskSettings['calendar']>) =>
    set({ calendar: { ...form.calendar, ...patch } });
  const setRanges = (day: Day, ranges: [string, string][]) =>
    setCalendar({ hours: { ...form.calendar.hours, [day]: ranges } });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    edit.mutation.mutate();
  };

  return (
    <form onSubmit={onSubmit}>
      <Stack gap="md">
        <ConflictAlert show={edit.conflict} />
        <ErrorAlert
          error={err}
          fields={[
            'matrix',
            'sla',
            'warnPercent',
            'calendar',
            'recurring',
            'reopenDays',
            'followupOnClosed',
            'escalationGroupId',
          ]}
        />

        <Section title={t('helpdesk.settings.matrix')} help={t('helpdesk.settings.matrixHelp')}>
          <Table.ScrollContainer minWidth={560}>
            <Table withTableBorder withColumnBorders aria-label={t('helpdesk.settings.matrix')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('helpdesk.settings.impactByUrgency')}</Table.Th>
                  {URGENCIES.map((u) => (
                    <Table.Th key={u} scope="col">
                      {t(`helpdesk.urgency.${u}`)}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {IMPACTS.map((i) => (
                  <Table.Tr key={i}>
                    <Table.Th scope="row">{t(`helpdesk.impact.${i}`)}</Table.Th>
                    {URGENCIES.map((u) => (
                      <Table.Td key={u}>
                        <Select
                          aria-label={t('helpdesk.settings.cell', {
                            impact: t(`helpdesk.impact.${i}`),
                            urgency: t(`helpdesk.urgency.${u}`),
                          })}
                          data={PRIORITIES.map((p) => ({
                            value: String(p),
                            label: t('helpdesk.priorityShort', { priority: p }),
                          }))}
                          value={String(form.matrix[i]?.[u] ?? 3)}
                          onChange={(v) =>
                            v &&
                            set({ matrix: { ...form.matrix, [i]: { ...form.matrix[i], [u]: Number(v) } } })
                          }
                          allowDeselect={false}
                          size="xs"
                          w={80}
                          error={errorUnder(err, `matrix.${i}.${u}`)}
                          comboboxProps={{ withinPortal: true }}
                        />
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Section>

        <Section title={t('helpdesk.settings.sla')} help={t('helpdesk.settings.slaHelp')}>
          <Table.ScrollContainer minWidth={560}>
            <Table aria-label={t('helpdesk.settings.sla')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('helpdesk.priorityLabel')}</Table.Th>
                  <Table.Th scope="col">{t('helpdesk.sla.own')}</Table.Th>
                  <Table.Th scope="col">{t('helpdesk.sla.resolve')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {PRIORITIES.map((p) => {
                  const key = String(p) as Priority;
                  const target = form.sla[key];
                  const setTarget = (patch: Partial<typeof target>) =>
                    set({ sla: { ...form.sla, [key]: { ...target, ...patch } } });
                  const name = `${t('helpdesk.priorityShort', { priority: p })} · ${t(`helpdesk.priorities.${p}`)}`;
                  return (
                    <Table.Tr key={p}>
                      <Table.Th scope="row">{name}</Table.Th>
                      <Table.Td>
                        <Duration
                          label={`${t('helpdesk.sla.own')} ${name}`}
                          minutes={target.ownMinutes}
                          onChange={(ownMinutes) => setTarget({ ownMinutes })}
                          error={errorUnder(err, `sla.${key}.ownMinutes`)}
                        />
                      </Table.Td>
                      <Table.Td>
                        <Duration
                          label={`${t('helpdesk.sla.resolve')} ${name}`}
                          minutes={target.resolveMinutes}
                          onChange={(resolveMinutes) => setTarget({ resolveMinutes })}
                          error={errorUnder(err, `sla.${key}.resolveMinutes`)}
                        />
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <NumberInput
            label={t('helpdesk.settings.warnPercent')}
            description={t('helpdesk.settings.warnPercentHelp')}
            value={form.warnPercent}
            onChange={(v) => set({ warnPercent: Number(v) || 0 })}
            min={10}
            max={99}
            suffix=" %"
            w={220}
            error={fieldError(err, 'warnPercent')}
          />
        </Section>

        <Section title={t('helpdesk.settings.calendar')} help={t('helpdesk.settings.calendarHelp')}>
          <Select
            label={t('helpdesk.settings.timeZone')}
            data={timeZones()}
            value={form.calendar.timeZone}
            onChange={(v) => v && setCalendar({ timeZone: v })}
            searchable
            allowDeselect={false}
            w={320}
            error={errorUnder(err, 'calendar.timeZone')}
            comboboxProps={{ withinPortal: true }}
          />
          <Stack gap="xs">
            {WEEK.map((day) => {
              const ranges = (form.calendar.hours[day] ?? []) as [string, string][];
              const dayName = t(`helpdesk.settings.days.${day}`);
              return (
                <Group key={day} align="flex-start" gap="sm" wrap="nowrap">
                  <Text w={100} size="sm" fw={600} pt={6}>
                    {dayName}
                  </Text>
                  <Stack gap={4} style={{ flex: 1 }}>
                    {ranges.length === 0 && (
                      <Text size="sm" c="dimmed" pt={6}>
                        {t('helpdesk.settings.closed')}
                      </Text>
                    )}
                    {ranges.map(([from, to], index) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: ranges have no identity but their place.
                      <Group key={index} gap="xs" wrap="nowrap">
                        <TextInput
                          type="time"
                          aria-label={t('helpdesk.settings.rangeFrom', { day: dayName, n: index + 1 })}
                          value={from}
                          onChange={(e) => {
                            const next = [...ranges];
                            next[index] = [e.currentTarget.value, to];
                            setRanges(day, next);
                          }}
                          size="xs"
                          w={110}
                        />
                        <Text size="sm">→</Text>
                        <TextInput
                          type="time"
                          aria-label={t('helpdesk.settings.rangeTo', { day: dayName, n: index + 1 })}
                          value={to}
                          onChange={(e) => {
                            const next = [...ranges];
                            next[index] = [from, e.currentTarget.value];
                            setRanges(day, next);
                          }}
                          size="xs"
                          w={110}
                        />
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={t('helpdesk.settings.removeRange', { day: dayName, n: index + 1 })}
                          onClick={() =>
                            setRanges(
                              day,
                              ranges.filter((_, i) => i !== index),
                            )
                          }
                        >
                          ×
                        </ActionIcon>
                      </Group>
                    ))}
                    {errorUnder(err, `calendar.hours.${day}`) && (
                      <Text size="xs" c="red">
                        {errorUnder(err, `calendar.hours.${day}`)}
                      </Text>
                    )}
                  </Stack>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    disabled={ranges.length >= 6}
                    onClick={() => {
                      const last = ranges[ranges.length - 1];
                      setRanges(day, [...ranges, last ? [last[1], '18:00'] : ['08:30', '12:30']]);
                    }}
                    aria-label={t('helpdesk.settings.addRangeTo', { day: dayName })}
                  >
                    {t('helpdesk.settings.addRange')}
                  </Button>
                </Group>
              );
            })}
          </Stack>
          <Switch
            label={t('helpdesk.settings.frenchHolidays')}
            checked={form.calendar.frenchHolidays}
            onChange={(e) => setCalendar({ frenchHolidays: e.currentTarget.checked })}
            error={errorUnder(err, 'calendar.frenchHolidays')}
          />
          <Stack gap={4}>
            <Group gap="xs" align="flex-end">
              <TextInput
                type="date"
                label={t('helpdesk.settings.closedDays')}
                description={t('helpdesk.settings.closedDaysHelp')}
                value={closedDay}
                onChange={(e) => setClosedDay(e.currentTarget.value)}
                w={240}
              />
              <Button
                variant="default"
                disabled={!closedDay || form.calendar.closedDays.includes(closedDay)}
                onClick={() => {
                  setCalendar({ closedDays: [...form.calendar.closedDays, closedDay].sort() });
                  setClosedDay('');
                }}
              >
                {t('helpdesk.settings.addClosedDay')}
              </Button>
            </Group>
            <Group gap={6}>
              {form.calendar.closedDays.map((d) => (
                <Badge
                  key={d}
                  variant="light"
                  color="gray"
                  rightSection={
                    <ActionIcon
                      size="xs"
                      variant="transparent"
                      aria-label={t('helpdesk.settings.removeClosedDay', { day: d })}
                      onClick={() =>
                        setCalendar({ closedDays: form.calendar.closedDays.filter((x) => x !== d) })
                      }
                    >
                      ×
                    </ActionIcon>
                  }
                >
                  {d}
                </Badge>
              ))}
            </Group>
            {(errorUnder(err, 'calendar.closedDays') ?? errorUnder(err, 'calendar.openDays')) && (
              <Text size="xs" c="red">
                {errorUnder(err, 'calendar.closedDays') ?? errorUnder(err, 'calendar.openDays')}
              </Text>
            )}
          </Stack>
        </Section>

        <Section title={t('helpdesk.settings.rules')}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Stack gap={4}>
              <Group gap="xs" align="flex-end" wrap="nowrap">
                <NumberInput
                  label={t('helpdesk.settings.recurringCount')}
                  value={form.recurring.count}
                  onChange={(v) => set({ recurring: { ...form.recurring, count: Number(v) || 0 } })}
                  min={2}
                  max={100}
                  error={fieldError(err, 'recurring.count')}
                />
                <NumberInput
                  label={t('helpdesk.settings.recurringDays')}
                  value={form.recurring.days}
                  onChange={(v) => set({ recurring: { ...form.recurring, days: Number(v) || 0 } })}
                  min={1}
                  max={365}
                  error={fieldError(err, 'recurring.days')}
                />
              </Group>
              <Text size="xs" c="dimmed">
                {t('helpdesk.settings.recurringHelp')}
              </Text>
            </Stack>
            <NumberInput
              label={t('helpdesk.settings.reopenDays')}
              description={t('helpdesk.settings.reopenDaysHelp')}
              value={form.reopenDays}
              onChange={(v) => set({ reopenDays: Number(v) || 0 })}
              min={0}
              max={365}
              error={fieldError(err, 'reopenDays')}
            />
            <Radio.Group
              label={t('helpdesk.settings.followupOnClosed')}
              value={form.followupOnClosed}
              onChange={(v) => set({ followupOnClosed: v as HelpdeskSettings['followupOnClosed'] })}
              error={fieldError(err, 'followupOnClosed')}
            >
              <Stack gap={4} mt={6}>
                <Radio value="reopen" label={t('helpdesk.settings.followupReopen')} />
                <Radio value="refuse" label={t('helpdesk.settings.followupRefuse')} />
              </Stack>
            </Radio.Group>
            <GroupSelect
              label={t('helpdesk.settings.escalationGroup')}
              description={t('helpdesk.settings.escalationGroupHelp')}
              placeholder={t('helpdesk.settings.noEscalation')}
              orgId={orgId}
              value={form.escalationGroupId}
              onChange={(v) => set({ escalationGroupId: v })}
              error={fieldError(err, 'escalationGroupId')}
            />
          </SimpleGrid>
        </Section>
        <Group justify="flex-end">
          {version === 0 && (
            <Text size="sm" c="dimmed">
              {t('helpdesk.settings.defaults')}
            </Text>
          )}
          <Button type="submit" loading={edit.mutation.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

type CategoryDialog = { kind: 'create' } | { kind: 'rename'; category: TicketCategory } | null;

function CategoriesCard({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const queryClient = useQueryClient();
  const categories = useCategories();
  const [dialog, setDialog] = useState<CategoryDialog>(null);
  const [conflict, setConflict] = useState(false);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['helpdesk', 'categories'] });
  const toggle = useMutation({
    mutationFn: (c: TicketCategory) => updateCategory(c, { active: !c.active }),
    onSuccess: () => {
      setConflict(false);
      refresh();
    },
    onError: (err) => {
      if (isConflict(err)) {
        setConflict(true);
        refresh();
      }
    },
  });
  const rows = (categories.data ?? [])
    .filter((c) => c.orgId === null || c.orgId === orgId)
    .sort(
      (a, b) =>
        TYPOLOGIES.indexOf(a.typology) - TYPOLOGIES.indexOf(b.typology) ||
        a.name.fr.localeCompare(b.name.fr, 'fr'),
    );
  const editable = (c: TicketCategory) => c.orgId !== null || me.globalAdmin;
  return (
    <Section title={t('helpdesk.settings.categories')} help={t('helpdesk.settings.categoriesHelp')}>
      <Group justify="flex-end">
        <Button variant="light" onClick={() => setDialog({ kind: 'create' })}>
          {t('helpdesk.settings.newCategory')}
        </Button>
      </Group>
      <ConflictAlert show={conflict} />
      <ErrorAlert error={isConflict(toggle.error) ? null : toggle.error} />
      {categories.isError && (
        <ErrorAlert error={categories.error} onRetry={() => void categories.refetch()} />
      )}
      <Table.ScrollContainer minWidth={640}>
        <Table striped aria-label={t('helpdesk.settings.categories')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('helpdesk.typologyLabel')}</Table.Th>
              <Table.Th scope="col">{t('helpdesk.settings.nameFr')}</Table.Th>
              <Table.Th scope="col">{t('helpdesk.settings.nameEn')}</Table.Th>
              <Table.Th scope="col">{t('helpdesk.settings.scope')}</Table.Th>
              <Table.Th scope="col">{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>{t(`helpdesk.typology.${c.typology}`)}</Table.Td>
                <Table.Td>
                  <Text
                    size="sm"
                    c={c.active ? undefined : 'dimmed'}
                    td={c.active ? undefined : 'line-through'}
                  >
                    {c.name.fr}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c={c.active ? undefined : 'dimmed'}>
                    {c.name.en}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    <Badge variant="light" color={c.orgId ? 'blue' : 'gray'}>
                      {c.orgId ? t('helpdesk.settings.ownCategory') : t('helpdesk.settings.builtIn')}
                    </Badge>
                    {!c.active && (
                      <Badge variant="outline" color="gray">
                        {t('helpdesk.settings.inactive')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  {editable(c) ? (
                    <Group gap={4} wrap="nowrap">
                      <Button
                        size="compact-sm"
                        variant="subtle"
                        onClick={() => setDialog({ kind: 'rename', category: c })}
                        aria-label={t('helpdesk.settings.renameNamed', { name: c.name.fr })}
                      >
                        {t('helpdesk.settings.rename')}
                      </Button>
                      <Button
                        size="compact-sm"
                        variant="subtle"
                        color={c.active ? 'red' : 'teal'}
                        loading={toggle.isPending && toggle.variables?.id === c.id}
                        onClick={() => toggle.mutate(c)}
                      >
                        {c.active ? t('helpdesk.settings.deactivate') : t('helpdesk.settings.activate')}
                      </Button>
                    </Group>
                  ) : (
                    <Text size="xs" c="dimmed">
                      {t('helpdesk.settings.builtInLocked')}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <AppModal
        opened={dialog !== null}
        onClose={() => setDialog(null)}
        title={dialog?.kind === 'rename' ? t('helpdesk.settings.rename') : t('helpdesk.settings.newCategory')}
        centered
      >
        {dialog && (
          <CategoryForm
            orgId={orgId}
            category={dialog.kind === 'rename' ? dialog.category : null}
            onDone={() => {
              setDialog(null);
              refresh();
            }}
          />
        )}
      </AppModal>
    </Section>
  );
}

function CategoryForm({
  orgId,
  category,
  onDone,
}: {
  orgId: string;
  category: TicketCategory | null;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [typology, setTypology] = useState<TicketCategory['typology']>(category?.typology ?? 'hardware');
  const [fr, setFr] = useState(category?.name.fr ?? '');
  const [en, setEn] = useState(category?.name.en ?? '');
  const save = useMutation({
    mutationFn: () =>
      category
        ? updateCategory(category, { name: { fr: fr.trim(), en: en.trim() } })
        : createCategory({ orgId, typology, name: { fr: fr.trim(), en: en.trim() } }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('common.saved') });
      onDone();
    },
    onError: (err) => {
      if (isConflict(err)) void queryClient.invalidateQueries({ queryKey: ['helpdesk', 'categories'] });
    },
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const err = save.error;
  return (
    <form onSubmit={onSubmit}>
      <Stack>
        {isConflict(err) ? (
          <Alert color="orange" variant="light" role="alert">
            {t('helpdesk.settings.categoryConflict')}
          </Alert>
        ) : (
          <ErrorAlert error={err} fields={['typology', 'name']} />
        )}
        <Select
          label={t('helpdesk.typologyLabel')}
          data={TYPOLOGIES.map((x) => ({ value: x, label: t(`helpdesk.typology.${x}`) }))}
          value={typology}
          onChange={(v) => v && setTypology(v as TicketCategory['typology'])}
          allowDeselect={false}
          disabled={category !== null}
          error={fieldError(err, 'typology')}
          comboboxProps={{ withinPortal: true }}
        />
        <TextInput
          label={t('helpdesk.settings.nameFr')}
          value={fr}
          onChange={(e) => setFr(e.currentTarget.value)}
          required
          error={fieldError(err, 'name.fr')}
          data-autofocus
        />
        <TextInput
          label={t('helpdesk.settings.nameEn')}
          value={en}
          onChange={(e) => setEn(e.currentTarget.value)}
          required
          error={fieldError(err, 'name.en')}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending} disabled={!fr.trim() || !en.trim()}>
            {category ? t('common.save') : t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
