import {
  Anchor,
  Badge,
  Button,
  Card,
  Center,
  Group,
  SimpleGrid,
  Skeleton,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { foldText } from '../../../shared/text.js';
import { type DeviceDetail, getAssetInventory, listAssetSoftware } from '../../api/inventory.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { formatDateTime, formatMegabytes } from '../../components/format.js';
import { RelativeTime } from '../../components/RelativeTime.js';

/** What the agent reported, as stored by the server (see the server's `Inventory`); read defensively. */
type Reported = {
  hardware?: {
    name?: string;
    memoryMb?: number;
    domain?: string;
    lastLoggedUser?: string;
    vmSystem?: string;
  };
  bios?: { manufacturer?: string; model?: string; version?: string; date?: string; serial?: string };
  os?: {
    name?: string;
    version?: string;
    fullName?: string;
    arch?: string;
    kernelName?: string;
    kernelVersion?: string;
  };
  cpus?: Array<{ name?: string; manufacturer?: string; cores?: number; threads?: number; speedMhz?: number }>;
  storages?: Array<{ name?: string; model?: string; manufacturer?: string; sizeMb?: number; type?: string }>;
  networks?: Array<{
    description?: string;
    mac?: string;
    ipv4?: string;
    ipv6?: string;
    virtual?: boolean;
    status?: string;
  }>;
  antivirus?: Array<{ name: string; enabled?: boolean; upToDate?: boolean; version?: string }>;
  firewalls?: Array<{ name: string; status?: string }>;
  updates?: Array<{ name: string; security?: boolean }>;
};

const list = <T,>(value: T[] | undefined): T[] => (Array.isArray(value) ? value : []);

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

function osText(os: Reported['os']): string | null {
  if (!os) return null;
  return os.fullName ?? ([os.name, os.version].filter(Boolean).join(' ') || null);
}

function cpuText(t: TFunction, cpus: Reported['cpus']): string | null {
  const all = list(cpus);
  const first = all[0];
  if (!first) return null;
  const parts = [
    all.length > 1 ? `${all.length} × ${first.name ?? '?'}` : (first.name ?? '?'),
    first.cores ? t('assets.inventory.cores', { count: first.cores }) : null,
    first.threads && first.threads !== first.cores
      ? t('assets.inventory.threads', { count: first.threads })
      : null,
    first.speedMhz ? `${first.speedMhz} MHz` : null,
  ];
  return parts.filter(Boolean).join(', ');
}

/** One line per interface: agents report a row per address, so rows of one MAC and name merge. */
function interfaces(networks: Reported['networks']) {
  const byKey = new Map<
    string,
    { name: string; mac: string; ipv4: string[]; ipv6: string[]; virtual: boolean; status: string }
  >();
  for (const n of list(networks)) {
    const key = `${n.description ?? ''}|${n.mac ?? ''}`;
    const item = byKey.get(key) ?? {
      name: n.description ?? '—',
      mac: n.mac ?? '',
      ipv4: [],
      ipv6: [],
      virtual: !!n.virtual,
      status: n.status ?? '',
    };
    if (n.ipv4 && !item.ipv4.includes(n.ipv4)) item.ipv4.push(n.ipv4);
    if (n.ipv6 && !item.ipv6.includes(n.ipv6)) item.ipv6.push(n.ipv6);
    byKey.set(key, item);
  }
  return [...byKey.values()];
}

/**
 * The asset as its inventory agent sees it: last contact, system, hardware, network and protection,
 * then the software installed. Nothing is shown for an asset no agent reports.
 */
export function AssetInventory({ assetId }: { assetId: string }) {
  const { t } = useTranslation();
  const query = useQuery({
    queryKey: ['asset', assetId, 'inventory'],
    queryFn: () => getAssetInventory(assetId),
  });
  if (query.isPending) return <Skeleton height={160} aria-label={t('app.loading')} />;
  if (query.isError) return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  const device = query.data;
  if (!device) return null;
  return (
    <Stack gap="md">
      <InventoryCard device={device} />
      <InstalledSoftware assetId={assetId} />
    </Stack>
  );
}

function InventoryCard({ device }: { device: DeviceDetail }) {
  const { t } = useTranslation();
  const [showVirtual, setShowVirtual] = useState(false);
  const inv = (device.inventory ?? {}) as Reported;
  const nics = interfaces(inv.networks);
  const shownNics = nics.filter((n) => showVirtual || !n.virtual);
  const virtualCount = nics.filter((n) => n.virtual).length;
  const disks = list(inv.storages);
  const antivirus = list(inv.antivirus);
  const firewalls = list(inv.firewalls);
  const updates = Array.isArray(inv.updates) ? inv.updates : null;
  const securityUpdates = list(updates ?? []).filter((u) => u.security).length;
  const bios = [inv.bios?.manufacturer, inv.bios?.model, inv.bios?.version].filter(Boolean).join(' ');
  const os = osText(inv.os);
  const kernel = [inv.os?.kernelName, inv.os?.kernelVersion].filter(Boolean).join(' ');

  return (
    <Card withBorder component="section" aria-labelledby="asset-inventory">
      <Stack gap="md">
        <Group justify="space-between">
          <Title order={3} size="h4" id="asset-inventory">
            {t('assets.inventory.title')}
          </Title>
          {device.status === 'pending' && (
            <Badge variant="light" color="blue">
              {t('inventory.devices.states.pending')}
            </Badge>
          )}
        </Group>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md">
          <Field label={t('assets.inventory.lastContact')}>
            <RelativeTime iso={device.lastContactAt} />
          </Field>
          <Field label={t('assets.inventory.lastInventory')}>
            {device.lastInventoryAt ? formatDateTime(device.lastInventoryAt) : '—'}
          </Field>
          <Field label={t('assets.inventory.agent')}>
            <Text size="sm" ff="monospace">
              {device.agentVersion ?? '—'}
            </Text>
          </Field>
          <Field label={t('assets.inventory.hostname')}>{inv.hardware?.name ?? device.hostname ?? '—'}</Field>
          <Field label={t('assets.inventory.os')}>
            {os ?? '—'}
            {(inv.os?.arch || kernel) && (
              <Text size="xs" c="dimmed">
                {[inv.os?.arch, kernel].filter(Boolean).join(' · ')}
              </Text>
            )}
          </Field>
          <Field label={t('assets.inventory.cpu')}>{cpuText(t, inv.cpus) ?? '—'}</Field>
          <Field label={t('assets.inventory.memory')}>{formatMegabytes(inv.hardware?.memoryMb, 1024)}</Field>
          <Field label={t('assets.inventory.bios')}>{bios || '—'}</Field>
          <Field label={t('assets.inventory.lastIp')}>
            <Text size="sm" ff="monospace">
              {device.lastIp ?? '—'}
            </Text>
          </Field>
          <Field label={t('assets.inventory.antivirus')}>
            {antivirus.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('assets.inventory.noneReported')}
              </Text>
            ) : (
              <Stack gap={2}>
                {antivirus.map((a) => (
                  <Group key={a.name} gap={4}>
                    <Text size="sm">{[a.name, a.version].filter(Boolean).join(' ')}</Text>
                    {a.enabled !== undefined && (
                      <Badge size="xs" variant="light" color={a.enabled ? 'teal' : 'red'}>
                        {t(a.enabled ? 'assets.inventory.enabled' : 'assets.inventory.disabled')}
                      </Badge>
                    )}
                    {a.upToDate !== undefined && (
                      <Badge size="xs" variant="light" color={a.upToDate ? 'teal' : 'orange'}>
                        {t(a.upToDate ? 'assets.inventory.upToDate' : 'assets.inventory.outOfDate')}
                      </Badge>
                    )}
                  </Group>
                ))}
              </Stack>
            )}
          </Field>
          <Field label={t('assets.inventory.firewall')}>
            {firewalls.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('assets.inventory.noneReported')}
              </Text>
            ) : (
              <Stack gap={2}>
                {firewalls.map((f) => (
                  <Group key={f.name} gap={4}>
                    <Text size="sm">{f.name}</Text>
                    {f.status && <FirewallBadge status={f.status} />}
                  </Group>
                ))}
              </Stack>
            )}
          </Field>
          <Field label={t('assets.inventory.updates')}>
            {updates === null ? (
              <Text size="sm" c="dimmed">
                {t('assets.inventory.notReported')}
              </Text>
            ) : (
              <Group gap={4}>
                <Text size="sm">{t('assets.inventory.updatesCount', { count: updates.length })}</Text>
                {securityUpdates > 0 && (
                  <Badge size="xs" variant="light" color="red">
                    {t('assets.inventory.securityUpdates', { count: securityUpdates })}
                  </Badge>
                )}
              </Group>
            )}
          </Field>
        </SimpleGrid>

        <Stack gap={4}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {t('assets.inventory.disks')}
          </Text>
          {disks.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('assets.inventory.noneReported')}
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={480}>
              <Table verticalSpacing={4} aria-label={t('assets.inventory.disks')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('assets.inventory.diskName')}</Table.Th>
                    <Table.Th scope="col">{t('assets.inventory.diskModel')}</Table.Th>
                    <Table.Th scope="col">{t('assets.inventory.diskSize')}</Table.Th>
                    <Table.Th scope="col">{t('assets.inventory.diskType')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {disks.map((d, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: disks have no id and may repeat a name.
                    <Table.Tr key={i}>
                      <Table.Td>{d.name ?? '—'}</Table.Td>
                      <Table.Td>{[d.manufacturer, d.model].filter(Boolean).join(' ') || '—'}</Table.Td>
                      <Table.Td>{formatMegabytes(d.sizeMb)}</Table.Td>
                      <Table.Td>{d.type ?? '—'}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Stack>

        <Stack gap={4}>
          <Group justify="space-between">
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              {t('assets.inventory.network')}
            </Text>
            {virtualCount > 0 && (
              <Switch
                size="xs"
                label={t('assets.inventory.showVirtual', { count: virtualCount })}
                checked={showVirtual}
                onChange={(e) => setShowVirtual(e.currentTarget.checked)}
              />
            )}
          </Group>
          {shownNics.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('assets.inventory.noneReported')}
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={560}>
              <Table verticalSpacing={4} aria-label={t('assets.inventory.network')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('assets.inventory.interface')}</Table.Th>
                    <Table.Th scope="col">{t('assets.inventory.mac')}</Table.Th>
                    <Table.Th scope="col">{t('assets.inventory.ipv4')}</Table.Th>
                    <Table.Th scope="col">{t('assets.inventory.ipv6')}</Table.Th>
                    <Table.Th scope="col">{t('assets.inventory.linkState')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {shownNics.map((n) => (
                    <Table.Tr key={`${n.name}|${n.mac}`}>
                      <Table.Td>
                        {n.name}
                        {n.virtual && (
                          <Text span size="xs" c="dimmed">
                            {' '}
                            ({t('assets.inventory.virtual')})
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td ff="monospace">{n.mac || '—'}</Table.Td>
                      <Table.Td ff="monospace">{n.ipv4.join(', ') || '—'}</Table.Td>
                      <Table.Td ff="monospace" fz="xs">
                        {n.ipv6.join(', ') || '—'}
                      </Table.Td>
                      <Table.Td>
                        {n.status ? t(`assets.inventory.link.${n.status}`, { defaultValue: n.status }) : '—'}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Stack>
      </Stack>
    </Card>
  );
}

function FirewallBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  const s = status.toLowerCase();
  const on = ['on', 'enabled', 'active', 'up'].includes(s);
  const off = ['off', 'disabled', 'inactive', 'down'].includes(s);
  return (
    <Badge size="xs" variant="light" color={on ? 'teal' : off ? 'red' : 'gray'}>
      {on ? t('assets.inventory.enabled') : off ? t('assets.inventory.disabled') : status}
    </Badge>
  );
}

const PAGE = 50;

/** The software on the asset, filtered in the page (the whole list comes in one answer). */
function InstalledSoftware({ assetId }: { assetId: string }) {
  const { t } = useTranslation();
  const query = useQuery({
    queryKey: ['asset', assetId, 'software'],
    queryFn: () => listAssetSoftware(assetId),
  });
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(foldText(search.trim()), 150);
  const [shown, setShown] = useState(PAGE);
  const all = query.data ?? [];
  const matching = q ? all.filter((s) => foldText(`${s.name} ${s.publisher} ${s.version}`).includes(q)) : all;
  const visible = matching.slice(0, shown);

  return (
    <Card withBorder component="section" aria-labelledby="asset-software">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end">
          <Group gap="xs" align="baseline">
            <Title order={3} size="h4" id="asset-software">
              {t('assets.inventory.software')}
            </Title>
            {query.isSuccess && (
              <Text size="sm" c="dimmed">
                {t('assets.inventory.softwareCount', { count: all.length })}
              </Text>
            )}
          </Group>
          {all.length > 0 && (
            <TextInput
              aria-label={t('assets.inventory.softwareSearch')}
              placeholder={t('assets.inventory.softwareSearch')}
              value={search}
              onChange={(e) => {
                setSearch(e.currentTarget.value);
                setShown(PAGE);
              }}
              type="search"
              size="xs"
              w={260}
            />
          )}
        </Group>
        {query.isPending && <Skeleton height={120} aria-label={t('app.loading')} />}
        {query.isError && <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />}
        {query.isSuccess && all.length === 0 && <Text c="dimmed">{t('assets.inventory.softwareEmpty')}</Text>}
        {all.length > 0 && matching.length === 0 && (
          <Text c="dimmed">{t('assets.inventory.softwareNoMatch')}</Text>
        )}
        {visible.length > 0 && (
          <Table.ScrollContainer minWidth={480}>
            <Table striped verticalSpacing={4} aria-label={t('assets.inventory.software')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('software.name')}</Table.Th>
                  <Table.Th scope="col">{t('software.version')}</Table.Th>
                  <Table.Th scope="col">{t('software.publisher')}</Table.Th>
                  <Table.Th scope="col">{t('software.arch')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {visible.map((s) => (
                  <Table.Tr key={`${s.versionId}|${s.arch}`}>
                    <Table.Td>
                      <Anchor component={Link} to={`/software/${s.softwareId}`} size="sm">
                        {s.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Anchor
                        component={Link}
                        to={`/software/${s.softwareId}?version=${s.versionId}`}
                        size="sm"
                        ff="monospace"
                      >
                        {s.version || t('software.unknownVersion')}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{s.publisher || '—'}</Table.Td>
                    <Table.Td>{s.arch || '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {matching.length > visible.length && (
          <Center>
            <Button variant="default" size="xs" onClick={() => setShown((n) => n + PAGE * 4)}>
              {t('assets.inventory.showMore', { shown: visible.length, total: matching.length })}
            </Button>
          </Center>
        )}
      </Stack>
    </Card>
  );
}
