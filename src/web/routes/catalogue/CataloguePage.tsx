import { Stack, Tabs, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { AssetTypesTab } from './AssetTypesTab.js';
import { ModelsTab } from './ModelsTab.js';
import { PartiesTab } from './PartiesTab.js';

const TABS = ['manufacturers', 'suppliers', 'models', 'types'] as const;
type Tab = (typeof TABS)[number];

/** Manufacturers, suppliers, models and asset types; the open tab is in the address. */
export function CataloguePage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const asked = params.get('tab');
  const tab: Tab = TABS.find((x) => x === asked) ?? 'manufacturers';
  return (
    <Stack gap="md">
      <Title order={2}>{t('catalogue.title')}</Title>
      <Tabs
        value={tab}
        onChange={(v) => setParams(v && v !== 'manufacturers' ? { tab: v } : {}, { replace: true })}
        keepMounted={false}
      >
        <Tabs.List>
          {TABS.map((x) => (
            <Tabs.Tab key={x} value={x}>
              {t(`catalogue.${x}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="manufacturers" pt="md">
          <PartiesTab kind="manufacturers" />
        </Tabs.Panel>
        <Tabs.Panel value="suppliers" pt="md">
          <PartiesTab kind="suppliers" />
        </Tabs.Panel>
        <Tabs.Panel value="models" pt="md">
          <ModelsTab />
        </Tabs.Panel>
        <Tabs.Panel value="types" pt="md">
          <AssetTypesTab />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
