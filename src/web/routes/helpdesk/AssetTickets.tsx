import { Anchor, Card, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ticketsOfAsset } from '../../api/helpdesk.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { formatDate } from '../../components/format.js';
import { TicketStatusBadge } from './shared.js';

/** The tickets that named an asset, newest first: its incidents at a glance on the asset's page. */
export function AssetTickets({ assetId }: { assetId: string }) {
  const { t } = useTranslation();
  const tickets = useQuery({
    queryKey: ['asset', assetId, 'tickets'],
    queryFn: () => ticketsOfAsset(assetId),
  });
  return (
    <Card withBorder component="section" aria-labelledby="asset-tickets">
      <Stack gap="sm">
        <Title order={3} size="h4" id="asset-tickets">
          {t('helpdesk.assetTickets.title')}
        </Title>
        {tickets.isPending && <Skeleton height={60} aria-label={t('app.loading')} />}
        {tickets.isError && <ErrorAlert error={tickets.error} onRetry={() => void tickets.refetch()} />}
        {tickets.data?.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('helpdesk.assetTickets.empty')}
          </Text>
        )}
        {tickets.data && tickets.data.length > 0 && (
          <Table verticalSpacing={4} aria-label={t('helpdesk.assetTickets.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('helpdesk.reference')}</Table.Th>
                <Table.Th scope="col">{t('helpdesk.titleLabel')}</Table.Th>
                <Table.Th scope="col">{t('helpdesk.statusLabel')}</Table.Th>
                <Table.Th scope="col">{t('helpdesk.assetTickets.date')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tickets.data.map((ticket) => (
                <Table.Tr key={ticket.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/tickets/${ticket.id}`} size="sm" ff="monospace">
                      {ticket.reference}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={2}>
                      {ticket.title}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <TicketStatusBadge ticket={ticket} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                      {formatDate(ticket.createdAt)}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Card>
  );
}
