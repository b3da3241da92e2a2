import { Stack, Tabs, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { EventsTab } from './EventsTab.js';
import { IncidentsTab } from './IncidentsTab.js';
import { RulesTab } from './RulesTab.js';
import { SourcesTab } from './SourcesTab.js';

const TABS = ['incidents', 'events', 'rules', 'sources'] as const;
type Tab = (typeof TABS)[number];

/** Security monitoring: incidents, the events explorer, detection rules and log sources; the tab is in the address. */
export function SecurityPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab: Tab = TABS.find((x) => x === params.get('tab')) ?? 'incidents';
  return (
    <Stack gap="md">
      <Stack gap={2}>
        <Title order={2}>{t('security.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('security.intro')}
        </Text>
      </Stack>
      <Tabs
        value={tab}
        onChange={(v) => setParams(v && v !== 'incidents' ? { tab: v } : {}, { replace: true })}
        keepMounted={false}
      >
        <Tabs.List>
          {TABS.map((x) => (
            <Tabs.Tab key={x} value={x}>
              {t(`security.tabs.${x}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="incidents" pt="md">
          <IncidentsTab />
        </Tabs.Panel>
        <Tabs.Panel value="events" pt="md">
          <EventsTab />
        </Tabs.Panel>
        <Tabs.Panel value="rules" pt="md">
          <RulesTab />
        </Tabs.Panel>
        <Tabs.Panel value="sources" pt="md">
          <SourcesTab />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
