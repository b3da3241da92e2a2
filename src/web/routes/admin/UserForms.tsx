import { Button, Group, MultiSelect, Select, SimpleGrid, Stack, Switch, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES } from '../../../shared/policy.js';
import { createUser, getUser, type RoleName, type User, updateUser } from '../../api/orgs.js';
import { ConflictAlert } from '../../components/ConflictAlert.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { FormSkeleton } from '../../components/FormSkeleton.js';
import { PasswordField } from '../../components/PasswordField.js';
import { OrgSelect } from '../../components/Pickers.js';
import { useVersionedEdit } from '../../components/useVersionedEdit.js';

type Locale = 'fr' | 'en' | null;

function LocaleSelect({
  value,
  onChange,
  error,
}: {
  value: Locale;
  onChange: (v: Locale) => void;
  error?: string;
}) {
  const { t } = useTranslation();
  return (
    <Select
      label={t('users.locale')}
      data={[
        { value: '', label: t('profile.languageDefault') },
        { value: 'fr', label: t('language.fr') },
        { value: 'en', label: t('language.en') },
      ]}
      value={value ?? ''}
      onChange={(v) => onChange(v === 'fr' || v === 'en' ? v : null)}
      allowDeselect={false}
      error={error}
    />
  );
}

const CREATE_FIELDS = ['email', 'displayName', 'password', 'locale', 'orgId', 'roles'] as const;

export function CreateUserForm({
  defaultOrgId,
  onDone,
}: {
  defaultOrgId: string | null;
  onDone: (user: User, temporaryPassword: string | undefined) => void;
}) {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [locale, setLocale] = useState<Locale>(null);
  const [orgId, setOrgId] = useState<string | null>(defaultOrgId);
  const [roles, setRoles] = useState<RoleName[]>(['requester']);
  const create = useMutation({
    mutationFn: () =>
      createUser({ email, displayName, password: password || undefined, locale, orgId: orgId ?? '', roles }),
    onSuccess: ({ temporaryPassword, ...user }) => {
      notifications.show({ color: 'teal', message: t('users.created') });
      onDone(user, temporaryPassword);
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const err = create.error;
  return (
    <form onSubmit={onSubmit}>
      <Stack>
        <ErrorAlert error={err} fields={CREATE_FIELDS} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('users.email')}
            type="email"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            required
            data-autofocus
            error={fieldError(err, 'email')}
          />
          <TextInput
            label={t('users.displayName')}
            value={displayName}
            onChange={(e) => setDisplayName(e.currentTarget.value)}
            required
            error={fieldError(err, 'displayName')}
          />
        </SimpleGrid>
        <PasswordField
          label={t('users.password')}
          description={t('users.passwordHelp')}
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={fieldError(err, 'password')}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <OrgSelect
            label={t('users.org')}
            value={orgId}
            onChange={setOrgId}
            required
            error={fieldError(err, 'orgId')}
          />
          <LocaleSelect value={locale} onChange={setLocale} error={fieldError(err, 'locale')} />
        </SimpleGrid>
        <MultiSelect
          label={t('users.roles')}
          data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          value={roles}
          onChange={(v) => setRoles(v as RoleName[])}
          required
          error={fieldError(err, 'roles')}
        />
        <Group justify="flex-end">
          <Button
            type="submit"
            loading={create.isPending}
            disabled={!email || !displayName || !orgId || roles.length === 0}
          >
            {t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

const EDIT_FIELDS = ['email', 'displayName', 'locale', 'disabled'] as const;
type EditValues = { email: string; displayName: string; locale: Locale; disabled: boolean };

export function EditUserForm({ userId, onDone }: { userId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [values, setValues] = useState<EditValues>({
    email: '',
    displayName: '',
    locale: null,
    disabled: false,
  });
  const set = (v: Partial<EditValues>) => setValues((old) => ({ ...old, ...v }));
  const edit = useVersionedEdit({
    queryKey: ['user', userId],
    load: () => getUser(userId),
    save: (etag) => updateUser(userId, values, etag),
    reset: (u: User) =>
      setValues({ email: u.email, displayName: u.displayName, locale: u.locale, disabled: u.disabled }),
    onSaved: () => {
      notifications.show({ color: 'teal', message: t('common.saved') });
      onDone();
    },
  });
  if (edit.record.isError)
    return <ErrorAlert error={edit.record.error} onRetry={() => void edit.record.refetch()} />;
  if (edit.record.isPending) return <FormSkeleton fields={4} />;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    edit.mutation.mutate();
  };
  const err = edit.error;
  return (
    <form onSubmit={onSubmit}>
      <Stack>
        <ConflictAlert show={edit.conflict} />
        <ErrorAlert error={err} fields={EDIT_FIELDS} />
        <TextInput
          label={t('users.email')}
          type="email"
          value={values.email}
          onChange={(e) => set({ email: e.currentTarget.value })}
          required
          data-autofocus
          error={fieldError(err, 'email')}
        />
        <TextInput
          label={t('users.displayName')}
          value={values.displayName}
          onChange={(e) => set({ displayName: e.currentTarget.value })}
          required
          error={fieldError(err, 'displayName')}
        />
        <LocaleSelect
          value={values.locale}
          onChange={(locale) => set({ locale })}
          error={fieldError(err, 'locale')}
        />
        <Switch
          label={t('users.disable')}
          checked={values.disabled}
          onChange={(e) => set({ disabled: e.currentTarget.checked })}
          error={fieldError(err, 'disabled')}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={edit.mutation.isPending} disabled={edit.record.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
