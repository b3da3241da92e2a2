import { Badge, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ACTIONS } from '../../../shared/policy.js';
import { listRoles } from '../../api/orgs.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';

/** Roles and what each may do, as the server reports them: one column per permission. */
export function RolesPage() {
  const { t } = useTranslation();
  const query = useQuery({ queryKey: ['roles'], queryFn: listRoles, staleTime: 10 * 60_000 });
  const roles = query.data ?? [];
  const known: readonly string[] = ACTIONS;
  const permissions = [
    ...known,
    ...new Set(roles.flatMap((r) => r.permissions).filter((p) => !known.includes(p))),
  ];

  return (
    <Stack gap="md">
      <div>
        <Title order={2}>{t('rolesPage.title')}</Title>
        <Text c="dimmed">{t('rolesPage.intro')}</Text>
      </div>
      {query.isPending && <Skeleton height={240} aria-label={t('app.loading')} />}
      {query.isError && (
        <ErrorAlert error={query.error} title={t('common.loadError')} onRetry={() => void query.refetch()} />
      )}
      {query.isSuccess && (
        <Table.ScrollContainer minWidth={800}>
          <Table withTableBorder withColumnBorders striped aria-label={t('rolesPage.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('rolesPage.role')}</Table.Th>
                {permissions.map((p) => (
                  <Table.Th key={p} scope="col" style={{ textAlign: 'center' }}>
                    <Text size="xs" fw={600}>
                      {t(`permissions.${p}`, { defaultValue: p })}
                    </Text>
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {roles.map((r) => (
                <Table.Tr key={r.role}>
                  <Table.Th scope="row">{t(`roles.${r.role}`, { defaultValue: r.role })}</Table.Th>
                  {permissions.map((p) => (
                    <Table.Td key={p} style={{ textAlign: 'center' }}>
                      {r.permissions.includes(p) ? (
                        <Badge color="teal" variant="light" size="sm">
                          {t('common.yes')}
                        </Badge>
                      ) : (
                        <Text c="dimmed" size="sm" aria-label={t('common.no')}>
                          —
                        </Text>
                      )}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
