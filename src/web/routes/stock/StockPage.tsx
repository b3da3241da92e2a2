import { Stack, Tabs, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ArticlesTab } from './ArticlesTab.js';
import { LevelsTab } from './LevelsTab.js';
import { LocationsTab } from './LocationsTab.js';
import { MovementsTab } from './MovementsTab.js';
import { OrdersTab } from './OrdersTab.js';
import { TakesTab } from './TakesTab.js';

const TABS = ['levels', 'articles', 'locations', 'movements', 'orders', 'takes'] as const;
type Tab = (typeof TABS)[number];

/** The store rooms: levels, articles, stock locations, the ledger, orders and counts; the tab is in the address. */
export function StockPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const asked = params.get('tab');
  const tab: Tab = TABS.find((x) => x === asked) ?? 'levels';
  return (
    <Stack gap="md">
      <Stack gap={2}>
        <Title order={2}>{t('stock.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('stock.intro')}
        </Text>
      </Stack>
      <Tabs
        value={tab}
        onChange={(v) => setParams(v && v !== 'levels' ? { tab: v } : {}, { replace: true })}
        keepMounted={false}
      >
        <Tabs.List>
          {TABS.map((x) => (
            <Tabs.Tab key={x} value={x}>
              {t(`stock.tabs.${x}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="levels" pt="md">
          <LevelsTab />
        </Tabs.Panel>
        <Tabs.Panel value="articles" pt="md">
          <ArticlesTab />
        </Tabs.Panel>
        <Tabs.Panel value="locations" pt="md">
          <LocationsTab />
        </Tabs.Panel>
        <Tabs.Panel value="movements" pt="md">
          <MovementsTab />
        </Tabs.Panel>
        <Tabs.Panel value="orders" pt="md">
          <OrdersTab />
        </Tabs.Panel>
        <Tabs.Panel value="takes" pt="md">
          <TakesTab />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
