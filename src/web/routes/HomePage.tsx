import { Alert, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { RoleBadges } from '../components/RoleBadges.js';
import { useCan, useSession } from '../session/session.js';

// The dashboard brings the charts library: loaded after the first screen.
const RoleDashboard = lazy(() =>
  import('./dashboard/Dashboard.js').then((m) => ({ default: m.RoleDashboard })),
);

/** A greeting, and what the person may do where: their organisations and roles, from /me. */
export function HomePage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const can = useCan();
  const shortcuts = [
    { to: '/admin/users', label: t('nav.users'), show: can('user.read') },
    { to: '/admin/groups', label: t('nav.groups'), show: can('group.read') },
    { to: '/admin/audit', label: t('nav.audit'), show: can('audit.read') },
    { to: '/profile', label: t('nav.profile'), show: true },
  ].filter((s) => s.show);

  return (
    <Stack gap="lg" maw={960}>
      <div>
        <Title order={2}>{t('home.greeting', { name: me.displayName })}</Title>
        <Text c="dimmed">{t('home.intro')}</Text>
      </div>
      <Suspense fallback={null}>
        <RoleDashboard />
      </Suspense>
      {me.globalAdmin && (
        <Alert color="blue" variant="light" title={t('home.globalAdmin')}>
          {t('home.globalAdminText')}
        </Alert>
      )}
      <section aria-labelledby="home-memberships">
        <Title order={3} size="h4" mb="sm" id="home-memberships">
          {t('home.memberships')}
        </Title>
        {me.memberships.length === 0 ? (
          <Text c="dimmed">{t('home.noMemberships')}</Text>
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
            {me.memberships.map((m) => (
              <Card key={m.orgId} withBorder padding="md">
                <Stack gap="xs">
                  <Text fw={600}>{m.orgName}</Text>
                  <RoleBadges roles={m.roles} />
                </Stack>
              </Card>
            ))}
          </SimpleGrid>
        )}
      </section>
      <section aria-labelledby="home-shortcuts">
        <Title order={3} size="h4" mb="sm" id="home-shortcuts">
          {t('home.shortcuts')}
        </Title>
        <Group>
          {shortcuts.map((s) => (
            <Button key={s.to} component={Link} to={s.to} variant="light">
              {s.label}
            </Button>
          ))}
        </Group>
      </section>
    </Stack>
  );
}
