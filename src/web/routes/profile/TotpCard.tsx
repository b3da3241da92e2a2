import { Badge, Button, Card, Group, Image, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { totpDisable, totpEnable, totpSetup } from '../../api/auth.js';
import { AppModal } from '../../components/AppModal.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { PasswordField } from '../../components/PasswordField.js';
import { SecretBox } from '../../components/SecretBox.js';
import { ME_KEY, useSession } from '../../session/session.js';

/** The server's QR code as an image: an SVG in <img> runs no script, whatever it contains. */
const svgDataUrl = (svg: string) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

export function TotpCard() {
  const { t } = useTranslation();
  const { me } = useSession();
  return (
    <Card withBorder padding="lg">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4">
          {t('totp.title')}
        </Title>
        <Badge color={me.totpEnabled ? 'teal' : 'gray'} variant="light">
          {me.totpEnabled ? t('totp.enabled') : t('totp.disabled')}
        </Badge>
      </Group>
      {me.totpEnabled ? <DisableTotp /> : <SetupTotp />}
    </Card>
  );
}

function SetupTotp() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [code, setCode] = useState('');
  const [recovery, setRecovery] = useState<string[] | null>(null);
  const setup = useMutation({ mutationFn: totpSetup });
  const enable = useMutation({
    mutationFn: () => totpEnable(code.trim()),
    onSuccess: (codes) => {
      setRecovery(codes);
      setCode('');
      notifications.show({ color: 'teal', message: t('totp.enabledNotice') });
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    enable.mutate();
  };
  const finish = () => {
    setRecovery(null);
    setup.reset();
    void queryClient.invalidateQueries({ queryKey: ME_KEY });
  };

  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t('totp.intro')}
      </Text>
      <ErrorAlert error={setup.error} />
      {!setup.data ? (
        <Group>
          <Button onClick={() => setup.mutate()} loading={setup.isPending}>
            {t('totp.start')}
          </Button>
        </Group>
      ) : (
        <form onSubmit={onSubmit}>
          <Stack maw={480}>
            <Text size="sm">{t('totp.scan')}</Text>
            <Image
              src={svgDataUrl(setup.data.qrSvg)}
              alt={t('totp.qrAlt')}
              className="qr-code"
              w={200}
              h={200}
            />
            <div>
              <Text size="sm" fw={500} mb={4}>
                {t('totp.secret')}
              </Text>
              <SecretBox value={setup.data.secret} label={t('totp.secret')} />
            </div>
            <ErrorAlert error={enable.error} fields={['code']} />
            <TextInput
              label={t('totp.code')}
              value={code}
              onChange={(e) => setCode(e.currentTarget.value)}
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              required
              error={fieldError(enable.error, 'code')}
            />
            <Group>
              <Button type="submit" loading={enable.isPending} disabled={!/^\d{6}$/.test(code.trim())}>
                {t('totp.enable')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      <AppModal
        opened={recovery !== null}
        onClose={finish}
        title={t('totp.recoveryTitle')}
        centered
        closeOnClickOutside={false}
      >
        <Stack>
          <Text size="sm">{t('totp.recoveryText')}</Text>
          <SecretBox value={(recovery ?? []).join('\n')} label={t('totp.recoveryTitle')} />
          <Group justify="flex-end">
            <Button onClick={finish}>{t('totp.recoveryDone')}</Button>
          </Group>
        </Stack>
      </AppModal>
    </Stack>
  );
}

function DisableTotp() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [password, setPassword] = useState('');
  const disable = useMutation({
    mutationFn: () => totpDisable(password),
    onSuccess: () => {
      setPassword('');
      notifications.show({ color: 'teal', message: t('totp.disabledNotice') });
      void queryClient.invalidateQueries({ queryKey: ME_KEY });
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    disable.mutate();
  };
  return (
    <form onSubmit={onSubmit}>
      <Stack maw={420}>
        <Text size="sm" c="dimmed">
          {t('totp.disableText')}
        </Text>
        <ErrorAlert error={disable.error} fields={['password']} />
        <PasswordField
          label={t('password.current')}
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          required
          error={fieldError(disable.error, 'password')}
        />
        <Group>
          <Button type="submit" color="red" variant="light" loading={disable.isPending} disabled={!password}>
            {t('totp.disable')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
