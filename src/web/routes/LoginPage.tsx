import { Alert, Anchor, Button, Center, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type LoginInput, login, updateMe } from '../api/auth.js';
import { ApiError } from '../api/client.js';
import { errorMessage } from '../components/errors.js';
import { LanguageSwitch } from '../components/LanguageSwitch.js';
import { PasswordField } from '../components/PasswordField.js';
import { changeLanguage, currentLanguage, hasStoredLanguage } from '../i18n/index.js';
import { ME_KEY, resetPlaceMemory } from '../session/session.js';

/** Seconds left before the server accepts another attempt (429 with retryAfter). */
function useCountdown(): [number, (seconds: number) => void] {
  const [until, setUntil] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until <= now) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [until, now]);
  const left = Math.max(0, Math.ceil((until - now) / 1000));
  return [
    left,
    (seconds) => {
      setNow(Date.now());
      setUntil(Date.now() + seconds * 1000);
    },
  ];
}

export function LoginPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [otp, setOtp] = useState('');
  const [step, setStep] = useState<'credentials' | 'otp'>('credentials');
  const [retryLeft, startRetry] = useCountdown();

  const submit = useMutation({
    mutationFn: (input: LoginInput) => login(input),
    onSuccess: async (me) => {
      // The language picked on this device wins and is saved; otherwise take the account's.
      if (hasStoredLanguage() && me.locale !== currentLanguage()) {
        me = await updateMe({ locale: currentLanguage() }).catch(() => me);
      } else if (me.locale && me.locale !== currentLanguage()) {
        await changeLanguage(me.locale);
      }
      resetPlaceMemory();
      queryClient.setQueryData(ME_KEY, me);
    },
    onError: (err) => {
      if (!(err instanceof ApiError)) return;
      if (err.code === 'auth.otp_required') setStep('otp');
      const retryAfter = Number(err.problem.retryAfter);
      if (err.status === 429 && retryAfter > 0) startRetry(retryAfter);
    },
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit.mutate(step === 'otp' ? { email, password, otp: otp.trim() } : { email, password });
  };

  const error = submit.error;
  const showError = error && !(error instanceof ApiError && error.code === 'auth.otp_required');

  return (
    <Center mih="100vh" p="md" bg="gray.0">
      <Stack w="100%" maw={420} gap="md">
        <Group justify="space-between">
          <Title order={1} size="h2" c="blue.7">
            {t('app.name')}
          </Title>
          <LanguageSwitch />
        </Group>
        <Paper withBorder shadow="sm" p="xl" radius="md">
          <form onSubmit={onSubmit} noValidate>
            <Stack>
              <div>
                <Title order={2} size="h3">
                  {step === 'otp' ? t('login.otpTitle') : t('login.title')}
                </Title>
                <Text size="sm" c="dimmed">
                  {step === 'otp' ? t('login.otpHelp') : t('login.subtitle')}
                </Text>
              </div>
              {showError && (
                <Alert color="red" variant="light" role="alert">
                  {errorMessage(t, error, retryLeft > 0 ? { retryAfter: retryLeft } : {})}
                </Alert>
              )}
              {step === 'credentials' ? (
                <>
                  <TextInput
                    label={t('login.email')}
                    type="email"
                    autoComplete="username"
                    value={email}
                    onChange={(e) => setEmail(e.currentTarget.value)}
                    required
                    data-autofocus
                    autoFocus
                  />
                  <PasswordField
                    label={t('login.password')}
                    autoComplete="current-password"
                    value={password}
                    onChange={(e) => setPassword(e.currentTarget.value)}
                    required
                  />
                </>
              ) : (
                <TextInput
                  label={t('login.otp')}
                  autoComplete="one-time-code"
                  inputMode="text"
                  value={otp}
                  onChange={(e) => setOtp(e.currentTarget.value)}
                  required
                  autoFocus
                  maxLength={32}
                />
              )}
              <Button
                type="submit"
                loading={submit.isPending}
                disabled={retryLeft > 0 || !email || !password || (step === 'otp' && otp.trim().length < 6)}
                fullWidth
              >
                {step === 'otp' ? t('login.otpSubmit') : t('login.submit')}
              </Button>
              {step === 'otp' && (
                <Anchor
                  component="button"
                  type="button"
                  size="sm"
                  onClick={() => {
                    setStep('credentials');
                    setOtp('');
                    submit.reset();
                  }}
                >
                  {t('login.back')}
                </Anchor>
              )}
            </Stack>
          </form>
        </Paper>
      </Stack>
    </Center>
  );
}
