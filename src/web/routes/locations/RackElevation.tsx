import { Anchor, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { getRackContents, type RackContents } from '../../api/assets.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';

type Slot = RackContents['slots'][number];
/** One row of the elevation: a U, and what starts there (spanning its height) or covers it from below. */
type Row = { unit: number; slot: Slot | null; covered: boolean };

/** U rows from the top of the rack down to U1; a slot sits on the row of its highest U. */
export function elevationRows(contents: RackContents): Row[] {
  const top = (s: Slot) => s.position + s.height - 1;
  const units = Math.max(contents.rackUnits ?? 0, ...contents.slots.map(top));
  const byUnit = new Map<number, { slot: Slot; start: boolean }>();
  for (const slot of contents.slots) {
    for (let u = top(slot); u >= slot.position; u--) {
      // Slots never overlap; if stored data ever did, the first one keeps the U.
      if (!byUnit.has(u)) byUnit.set(u, { slot, start: u === top(slot) });
    }
  }
  const rows: Row[] = [];
  for (let unit = units; unit >= 1; unit--) {
    const at = byUnit.get(unit);
    rows.push({ unit, slot: at?.start ? at.slot : null, covered: !!at && !at.start });
  }
  return rows;
}

/** The rack's front view: one row per U, highest first, each asset spanning the U it occupies. */
export function RackElevation({ locationId }: { locationId: string }) {
  const { t } = useTranslation();
  const contents = useQuery({
    queryKey: ['location', locationId, 'rack'],
    queryFn: () => getRackContents(locationId),
  });
  if (contents.isPending) return <Skeleton height={120} aria-label={t('app.loading')} />;
  if (contents.isError) return <ErrorAlert error={contents.error} onRetry={() => void contents.refetch()} />;
  const rows = elevationRows(contents.data);
  const used = contents.data.slots.reduce((n, s) => n + s.height, 0);
  return (
    <Stack gap="xs">
      <Title order={4} size="h5">
        {t('locations.rack.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {contents.data.rackUnits === null
          ? t('locations.rack.noUnits')
          : t('locations.rack.summary', { used, total: contents.data.rackUnits })}
      </Text>
      <Table withTableBorder withColumnBorders verticalSpacing={2} fz="sm" maw={420}>
        <Table.Caption>{t('locations.rack.caption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={64}>{t('locations.rack.unit')}</Table.Th>
            <Table.Th>{t('locations.rack.content')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.unit}>
              <Table.Th scope="row" fw={400} c="dimmed">
                {t('locations.rack.unitLabel', { unit: row.unit })}
              </Table.Th>
              {row.slot && (
                <Table.Td rowSpan={row.slot.height} bg="blue.0">
                  <Anchor component={Link} to={`/assets/${row.slot.assetId}`} size="sm">
                    {row.slot.name}
                  </Anchor>
                  {row.slot.assetTag && (
                    <Text span size="xs" c="dimmed" ml={6}>
                      {row.slot.assetTag}
                    </Text>
                  )}
                </Table.Td>
              )}
              {!row.slot && !row.covered && (
                <Table.Td>
                  <Text span size="xs" c="dimmed">
                    {t('locations.rack.free')}
                  </Text>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
