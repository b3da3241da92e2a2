import { Button, Card, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { logoutAll, updateMe } from '../../api/auth.js';
import { ConfirmModal } from '../../components/ConfirmModal.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { PasswordForm } from '../../components/PasswordForm.js';
import { changeLanguage } from '../../i18n/index.js';
import { forgetSession, ME_KEY, useSession } from '../../session/session.js';
import { TokensCard } from './TokensCard.js';
import { TotpCard } from './TotpCard.js';

export function ProfilePage() {
  const { t } = useTranslation();
  return (
    <Stack gap="lg" maw={960}>
      <Title order={2}>{t('profile.title')}</Title>
      <IdentityCard />
      <Card withBorder padding="lg">
        <Title order={3} size="h4" mb="md">
          {t('password.title')}
        </Title>
        <PasswordForm onDone={() => notifications.show({ color: 'teal', message: t('password.changed') })} />
      </Card>
      <TotpCard />
      <TokensCard />
      <SessionsCard />
    </Stack>
  );
}

function IdentityCard() {
  const { t } = useTranslation();
  const { me } = useSession();
  const queryClient = useQueryClient();
  const [displayName, setDisplayName] = useState(me.displayName);
  const [locale, setLocale] = useState<string>(me.locale ?? '');
  const save = useMutation({
    mutationFn: () => updateMe({ displayName, locale: locale === 'fr' || locale === 'en' ? locale : null }),
    onSuccess: async (updated) => {
      queryClient.setQueryData(ME_KEY, updated);
      if (updated.locale) await changeLanguage(updated.locale);
      notifications.show({ color: 'teal', message: t('common.saved') });
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <Card withBorder padding="lg">
      <Title order={3} size="h4" mb="md">
        {t('profile.identity')}
      </Title>
      <form onSubmit={onSubmit}>
        <Stack maw={420}>
          <ErrorAlert error={save.error} fields={['displayName', 'locale']} />
          <TextInput label={t('profile.email')} value={me.email} readOnly variant="filled" />
          <TextInput
            label={t('profile.displayName')}
            value={displayName}
            onChange={(e) => setDisplayName(e.currentTarget.value)}
            required
            error={fieldError(save.error, 'displayName')}
          />
          <Select
            label={t('profile.language')}
            data={[
              { value: '', label: t('profile.languageDefault') },
              { value: 'fr', label: t('language.fr') },
              { value: 'en', label: t('language.en') },
            ]}
            value={locale}
            onChange={(v) => setLocale(v ?? '')}
            allowDeselect={false}
            error={fieldError(save.error, 'locale')}
          />
          <Group>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function SessionsCard() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const all = useMutation({
    mutationFn: logoutAll,
    onSuccess: () => {
      forgetSession(queryClient, { keepPlace: false });
    },
  });
  return (
    <Card withBorder padding="lg">
      <Title order={3} size="h4" mb="xs">
        {t('profile.sessions')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('profile.sessionsText')}
      </Text>
      <Group>
        <Button color="red" variant="light" onClick={() => setConfirming(true)}>
          {t('profile.logoutAll')}
        </Button>
      </Group>
      <ConfirmModal
        opened={confirming}
        title={t('profile.logoutAll')}
        message={t('profile.logoutAllConfirm')}
        confirmLabel={t('profile.logoutAll')}
        danger
        loading={all.isPending}
        error={all.error}
        onConfirm={() => all.mutate()}
        onClose={() => setConfirming(false)}
      />
    </Card>
  );
}
