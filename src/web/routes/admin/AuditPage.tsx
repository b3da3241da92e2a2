import { Button, Code, Group, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type AuditEntry, listAudit } from '../../api/audit.js';
import { formatDateTime, localInputToIso } from '../../components/format.js';
import { type Column, PagedTable, usePagedQuery } from '../../components/PagedTable.js';
import { OrgSelect, UserSelect } from '../../components/Pickers.js';

type Filters = {
  orgId: string | null;
  actorId: string | null;
  entityType: string;
  action: string;
  from: string;
  to: string;
};
const NONE: Filters = { orgId: null, actorId: null, entityType: '', action: '', from: '', to: '' };

function Json({ label, value }: { label: string; value: unknown }) {
  return (
    <div style={{ minWidth: 0 }}>
      <Text size="xs" fw={700} c="dimmed" tt="uppercase" mb={4}>
        {label}
      </Text>
      <Code block style={{ maxHeight: 320, overflow: 'auto' }}>
        {value === undefined || value === null ? '—' : JSON.stringify(value, null, 2)}
      </Code>
    </div>
  );
}

export function AuditPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<Filters>(NONE);
  const set = (v: Partial<Filters>) => setFilters((old) => ({ ...old, ...v }));
  const [debounced] = useDebouncedValue(filters, 300);
  const query = {
    orgId: debounced.orgId ?? undefined,
    actorId: debounced.actorId ?? undefined,
    entityType: debounced.entityType.trim() || undefined,
    action: debounced.action.trim() || undefined,
    from: localInputToIso(debounced.from),
    to: localInputToIso(debounced.to),
  };
  const list = usePagedQuery(['audit', query], (cursor) => listAudit({ ...query, cursor }));
  const [open, setOpen] = useState<Set<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((old) => {
      const next = new Set(old);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const columns: Column<AuditEntry>[] = [
    {
      key: 'at',
      header: t('audit.at'),
      render: (e) => (
        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
          {formatDateTime(e.at)}
        </Text>
      ),
    },
    { key: 'actor', header: t('audit.actor'), render: (e) => e.actorLabel || t('audit.system') },
    { key: 'action', header: t('audit.action'), render: (e) => <Code>{e.action}</Code> },
    {
      key: 'entity',
      header: t('audit.entity'),
      render: (e) => (
        <Text size="sm">
          {e.entityType}
          {e.entityId && (
            // UUIDv7 share their leading (time) digits: the tail tells records apart.
            <Text
              span
              c="dimmed"
              ff="monospace"
              size="xs"
              title={e.entityId}
            >{` …${e.entityId.slice(-8)}`}</Text>
          )}
        </Text>
      ),
    },
    {
      key: 'details',
      header: t('common.actions'),
      render: (e) => (
        <Button
          size="compact-sm"
          variant="subtle"
          aria-expanded={open.has(e.id)}
          aria-controls={`audit-${e.id}`}
          onClick={() => toggle(e.id)}
        >
          {open.has(e.id) ? t('common.hideDetails') : t('common.showDetails')}
        </Button>
      ),
    },
  ];

  return (
    <Stack gap="md">
      <Title order={2}>{t('audit.title')}</Title>
      <SimpleGrid
        cols={{ base: 1, sm: 2, lg: 3 }}
        component="fieldset"
        style={{ border: 0, padding: 0, margin: 0 }}
      >
        <OrgSelect
          label={t('audit.org')}
          value={filters.orgId}
          onChange={(orgId) => set({ orgId })}
          clearable
          placeholder={t('common.all')}
        />
        <UserSelect
          label={t('audit.actor')}
          value={filters.actorId}
          onChange={(actorId) => set({ actorId })}
          placeholder={t('common.all')}
        />
        <TextInput
          label={t('audit.entityType')}
          value={filters.entityType}
          onChange={(e) => set({ entityType: e.currentTarget.value })}
          placeholder={t('audit.entityTypeExample')}
        />
        <TextInput
          label={t('audit.action')}
          value={filters.action}
          onChange={(e) => set({ action: e.currentTarget.value })}
          placeholder={t('audit.actionExample')}
        />
        <TextInput
          label={t('audit.from')}
          type="datetime-local"
          value={filters.from}
          onChange={(e) => set({ from: e.currentTarget.value })}
        />
        <TextInput
          label={t('audit.to')}
          type="datetime-local"
          value={filters.to}
          onChange={(e) => set({ to: e.currentTarget.value })}
        />
      </SimpleGrid>
      <Group>
        <Button variant="default" size="xs" onClick={() => setFilters(NONE)}>
          {t('audit.reset')}
        </Button>
      </Group>
      <PagedTable
        query={list}
        columns={columns}
        rowKey={(e) => e.id}
        caption={t('audit.title')}
        emptyText={t('audit.empty')}
        expanded={(e) =>
          open.has(e.id) ? (
            <Stack gap="xs" id={`audit-${e.id}`}>
              <SimpleGrid cols={{ base: 1, md: 2 }}>
                <Json label={t('audit.before')} value={e.before} />
                <Json label={t('audit.after')} value={e.after} />
              </SimpleGrid>
              <Text size="xs" c="dimmed">
                {`#${e.seq} · ${t('audit.ip')}: ${e.ip ?? '—'} · ${t('audit.requestId')}: ${e.requestId ?? '—'}`}
              </Text>
            </Stack>
          ) : null
        }
      />
    </Stack>
  );
}
