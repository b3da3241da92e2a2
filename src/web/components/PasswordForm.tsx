import { Button, Group, Stack } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PASSWORD_MIN } from '../../shared/schemas/common.js';
import { changePassword } from '../api/auth.js';
import { ApiError } from '../api/client.js';
import { ErrorAlert } from './ErrorAlert.js';
import { fieldError } from './errors.js';
import { PasswordField } from './PasswordField.js';

const FIELDS = ['currentPassword', 'newPassword'] as const;

/** Current password, new password twice. Used by the profile and by the forced change. */
export function PasswordForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [checked, setChecked] = useState(false);
  const mutation = useMutation({
    mutationFn: () => changePassword({ currentPassword: current, newPassword: next }),
    onSuccess: () => {
      setCurrent('');
      setNext('');
      setConfirm('');
      setChecked(false);
      onDone();
    },
  });

  const tooShort = next.length < PASSWORD_MIN;
  const mismatch = next !== confirm;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (tooShort || mismatch || !current) return;
    mutation.mutate();
  };
  const wrongCurrent =
    mutation.error instanceof ApiError && mutation.error.code === 'auth.wrong_password'
      ? t('errors.auth.wrong_password')
      : undefined;

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack maw={420}>
        <ErrorAlert error={wrongCurrent ? null : mutation.error} fields={FIELDS} />
        <PasswordField
          label={t('password.current')}
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.currentTarget.value)}
          required
          error={wrongCurrent ?? fieldError(mutation.error, 'currentPassword')}
        />
        <PasswordField
          label={t('password.new')}
          autoComplete="new-password"
          value={next}
          onChange={(e) => setNext(e.currentTarget.value)}
          required
          description={t('password.tooShort', { count: PASSWORD_MIN })}
          error={
            (checked && tooShort ? t('password.tooShort', { count: PASSWORD_MIN }) : undefined) ??
            fieldError(mutation.error, 'newPassword')
          }
        />
        <PasswordField
          label={t('password.confirm')}
          autoComplete="new-password"
          value={confirm}
          onChange={(e) => setConfirm(e.currentTarget.value)}
          required
          error={checked && mismatch ? t('password.mismatch') : undefined}
        />
        <Group>
          <Button type="submit" loading={mutation.isPending}>
            {t('password.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
