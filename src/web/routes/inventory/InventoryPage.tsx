import { Button, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { OrgSelect } from '../../components/Pickers.js';
import { useCan, useSession } from '../../session/session.js';
import { DevicesTab, SILENT_CHOICES } from './DevicesTab.js';
import { EnrolmentTab } from './EnrolmentTab.js';
import { ErrorsTab } from './ErrorsTab.js';
import { InventoryStats, useFleetStats } from './InventoryStats.js';
import { PendingTab } from './PendingTab.js';

const TABS = ['devices', 'pending', 'errors', 'enrolment'] as const;
export type InventoryTab = (typeof TABS)[number];
/** The filters of the page, kept in the address so a view can be linked. */
export const FILTERS = ['orgId', 'q', 'silent', 'agent'] as const;
export type InventoryFilter = (typeof FILTERS)[number];
const DEFAULT_SILENT_DAYS = 30;

/**
 * What the agents report: the devices, those waiting for an organisation (global administrators),
 * refused inventories, and enrolment (tokens and rules) for those who manage it.
 */
export function InventoryPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { me } = useSession();
  const [params, setParams] = useSearchParams();
  // Devices nobody claimed have no organisation yet: only an administrator of every organisation may
  // read them, so only they get the tab.
  const tabs = TABS.filter(
    (x) => (x !== 'pending' || me.globalAdmin) && (x !== 'enrolment' || can('inventory.manage')),
  );
  const asked = params.get('tab');
  const tab: InventoryTab = tabs.find((x) => x === asked) ?? 'devices';
  const get = (name: InventoryFilter) => params.get(name) || null;
  const setFilters = (changes: Partial<Record<InventoryFilter | 'tab', string | null>>) =>
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
  const silent = get('silent');
  const silentDays = SILENT_CHOICES.find((x) => x === silent) ? Number(silent) : null;
  const orgId = get('orgId');
  const stats = useFleetStats(orgId, silentDays ?? DEFAULT_SILENT_DAYS);

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Stack gap={2}>
          <Title order={2}>{t('inventory.title')}</Title>
          <Text size="sm" c="dimmed">
            {t('inventory.intro')}
          </Text>
        </Stack>
        <Group align="flex-end">
          <OrgSelect
            label={t('inventory.org')}
            value={orgId}
            onChange={(v) => setFilters({ orgId: v })}
            clearable
            placeholder={t('common.all')}
          />
          <Button component={Link} to="/software" variant="default">
            {t('software.title')}
          </Button>
        </Group>
      </Group>
      <InventoryStats
        query={stats}
        showPending={me.globalAdmin}
        onShow={(target) =>
          target === 'silent'
            ? setFilters({ tab: null, silent: String(silentDays ?? DEFAULT_SILENT_DAYS) })
            : setFilters({ tab: target })
        }
      />
      <Tabs
        value={tab}
        onChange={(v) => setFilters({ tab: v && v !== 'devices' ? v : null })}
        keepMounted={false}
      >
        <Tabs.List>
          {tabs.map((x) => (
            <Tabs.Tab key={x} value={x}>
              {t(`inventory.tabs.${x}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="devices" pt="md">
          <DevicesTab
            filters={{ orgId, q: get('q'), silentDays, agent: get('agent') }}
            agents={stats.data?.agents ?? []}
            silentThreshold={silentDays ?? DEFAULT_SILENT_DAYS}
            onFilter={(name, value) => setFilters({ [name]: value })}
            onEnrol={can('inventory.manage') ? () => setFilters({ tab: 'enrolment' }) : undefined}
          />
        </Tabs.Panel>
        {me.globalAdmin && (
          <Tabs.Panel value="pending" pt="md">
            <PendingTab />
          </Tabs.Panel>
        )}
        <Tabs.Panel value="errors" pt="md">
          <ErrorsTab orgId={orgId} />
        </Tabs.Panel>
        {can('inventory.manage') && (
          <Tabs.Panel value="enrolment" pt="md">
            <EnrolmentTab orgId={orgId} />
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  );
}
