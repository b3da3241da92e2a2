import { Alert, Button, Center, Group, Paper, Stack, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { SavedLanguageSwitch, useLogout } from '../components/AppLayout.js';
import { PasswordForm } from '../components/PasswordForm.js';
import { ME_KEY } from '../session/session.js';

/** A temporary password: nothing else is reachable until it is replaced. */
export function ForcePasswordPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const out = useLogout();
  return (
    <Center mih="100vh" p="md" bg="gray.0">
      <Stack w="100%" maw={480}>
        <Group justify="space-between">
          <Title order={1} size="h2" c="blue.7">
            {t('app.name')}
          </Title>
          <Group gap="sm">
            <SavedLanguageSwitch />
            <Button variant="subtle" size="compact-sm" onClick={() => out.mutate()}>
              {t('nav.logout')}
            </Button>
          </Group>
        </Group>
        <Paper withBorder shadow="sm" p="xl" component="main">
          <Stack>
            <Title order={2} size="h3">
              {t('forcePassword.title')}
            </Title>
            <Alert color="yellow" variant="light">
              {t('forcePassword.text')}
            </Alert>
            <PasswordForm
              onDone={() => {
                notifications.show({ color: 'teal', message: t('password.changed') });
                void queryClient.invalidateQueries({ queryKey: ME_KEY });
              }}
            />
          </Stack>
        </Paper>
      </Stack>
    </Center>
  );
}
