import { Stack, Tabs, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useSearchParams } from 'react-router';

/**
 * A page of tabs whose open tab is in the address (`?tab=`, absent for the first), so a tab can be
 * linked to and survives a reload; only the open tab's panel is mounted.
 */
export function TabbedPage<T extends string>({
  title,
  intro,
  tabs,
}: {
  title: string;
  intro?: string;
  tabs: ReadonlyArray<{ key: T; label: string; panel: ReactNode }>;
}) {
  const [params, setParams] = useSearchParams();
  const first = tabs[0]?.key;
  const asked = params.get('tab');
  const tab = tabs.find((x) => x.key === asked)?.key ?? first;
  return (
    <Stack gap="md">
      <Stack gap={2}>
        <Title order={2}>{title}</Title>
        {intro && (
          <Text c="dimmed" size="sm">
            {intro}
          </Text>
        )}
      </Stack>
      <Tabs
        value={tab}
        onChange={(v) => setParams(v && v !== first ? { tab: v } : {}, { replace: true })}
        keepMounted={false}
      >
        <Tabs.List>
          {tabs.map((x) => (
            <Tabs.Tab key={x.key} value={x.key}>
              {x.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {tabs.map((x) => (
          <Tabs.Panel key={x.key} value={x.key} pt="md">
            {x.panel}
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
