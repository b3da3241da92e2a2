import {
  AppShell,
  Burger,
  Group,
  Menu,
  NavLink,
  ScrollArea,
  Skeleton,
  Stack,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import type { Action } from '../../shared/policy.js';
import { logout, updateMe } from '../api/auth.js';
import type { Language } from '../i18n/index.js';
import { forgetSession, ME_KEY, useCan, useSession } from '../session/session.js';
import { errorMessage } from './errors.js';
import { LanguageSwitch } from './LanguageSwitch.js';
import { SecurityBell } from './SecurityBell.js';

type Entry = { to: string; label: string; action?: Action; anyOf?: Action[] };

/** The frame of every signed-in page: header, navigation by role, and the page itself. */
export function AppLayout() {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const can = useCan();

  useEffect(() => {
    if (location.pathname) close();
  }, [location.pathname, close]);

  const main: Entry[] = [
    { to: '/', label: t('nav.home') },
    { to: '/portal', label: t('nav.myRequests'), action: 'ticket.create' },
    { to: '/tickets', label: t('nav.tickets'), action: 'ticket.read' },
    { to: '/profile', label: t('nav.profile') },
    { to: '/kb', label: t('nav.kb'), action: 'kb.read' },
    { to: '/diagnostics', label: t('nav.diagnostics'), action: 'ticket.create' },
    { to: '/reports', label: t('nav.reports'), action: 'report.read' },
    { to: '/security', label: t('nav.security'), action: 'security.read' },
  ];
  const adminEntries: Entry[] = [
    { to: '/admin/orgs', label: t('nav.orgs'), anyOf: ['org.manage', 'org.create'] },
    { to: '/admin/users', label: t('nav.users'), action: 'user.read' },
    { to: '/admin/groups', label: t('nav.groups'), action: 'group.read' },
    { to: '/admin/roles', label: t('nav.roles'), action: 'user.read' },
    { to: '/admin/audit', label: t('nav.audit'), action: 'audit.read' },
    { to: '/admin/helpdesk', label: t('nav.helpdeskSettings'), action: 'helpdesk.configure' },
  ];
  const fleetEntries: Entry[] = [
    { to: '/assets', label: t('nav.assets'), action: 'asset.read' },
    { to: '/locations', label: t('nav.locations'), action: 'asset.read' },
    { to: '/catalogue', label: t('nav.catalogue'), action: 'asset.read' },
    { to: '/inventory', label: t('nav.inventory'), action: 'asset.read' },
    { to: '/software', label: t('nav.software'), action: 'asset.read' },
    { to: '/stock', label: t('nav.stock'), action: 'stock.read' },
    { to: '/work-orders', label: t('nav.workOrders'), action: 'workorder.read' },
    { to: '/planning', label: t('nav.planning'), action: 'workorder.read' },
    { to: '/disposal', label: t('nav.disposal'), action: 'disposal.read' },
  ];
  const fleet = fleetEntries.filter((e) => !e.action || can(e.action));
  const admin = adminEntries.filter((e) => (e.action ? can(e.action) : (e.anyOf ?? []).some((a) => can(a))));

  const isActive = (to: string) =>
    to === '/' ? location.pathname === '/' : location.pathname.startsWith(to);
  const link = (e: Entry) => (
    <NavLink
      key={e.to}
      component={Link}
      to={e.to}
      label={e.label}
      active={isActive(e.to)}
      aria-current={isActive(e.to) ? 'page' : undefined}
    />
  );

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="lg"
    >
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t('app.openNavigation')}
            />
            <Title order={1} size="h3" c="blue.7">
              {t('app.name')}
            </Title>
            <Text size="sm" c="dimmed" visibleFrom="sm">
              {t('app.tagline')}
            </Text>
          </Group>
          <Group gap="md" wrap="nowrap">
            {can('security.read') && <SecurityBell />}
            <SavedLanguageSwitch />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" component="nav" aria-label={t('nav.main')}>
        <ScrollArea>
          {main.filter((e) => !e.action || can(e.action)).map(link)}
          {fleet.length > 0 && (
            <>
              <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="lg" mb={4} px="sm">
                {t('nav.fleet')}
              </Text>
              {fleet.map(link)}
            </>
          )}
          {admin.length > 0 && (
            <>
              <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="lg" mb={4} px="sm">
                {t('nav.admin')}
              </Text>
              {admin.map(link)}
            </>
          )}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <Suspense fallback={<PageSkeleton />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}

function PageSkeleton() {
  const { t } = useTranslation();
  return (
    <Stack gap="md" aria-busy="true" aria-label={t('app.loading')}>
      <Skeleton height={32} width={240} />
      <Skeleton height={36} />
      <Skeleton height={200} />
    </Stack>
  );
}

/** The language switch of a signed-in person also saves the choice on the account. */
export function SavedLanguageSwitch() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (locale: Language) => updateMe({ locale }),
    onSuccess: (me) => queryClient.setQueryData(ME_KEY, me),
    onError: (err) => notifications.show({ color: 'red', message: errorMessage(t, err) }),
  });
  return <LanguageSwitch onChanged={(language) => save.mutate(language)} />;
}

export function useLogout() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: logout,
    onSuccess: () => {
      forgetSession(queryClient, { keepPlace: false });
      void navigate('/login');
    },
    onError: (err) => notifications.show({ color: 'red', message: errorMessage(t, err) }),
  });
}

function UserMenu() {
  const { t } = useTranslation();
  const { me } = useSession();
  const out = useLogout();
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={t('nav.userMenu', { name: me.displayName })}>
          <Text size="sm" fw={500} truncate maw={200}>
            {me.displayName}
          </Text>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{me.email}</Menu.Label>
        <Menu.Item component={Link} to="/profile">
          {t('nav.profile')}
        </Menu.Item>
        <Menu.Item color="red" onClick={() => out.mutate()}>
          {t('nav.logout')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
