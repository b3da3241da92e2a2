import {
  Button,
  Checkbox,
  Fieldset,
  Group as Row,
  SimpleGrid,
  Stack,
  Textarea,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createGroup, type Group, getGroup, updateGroup } from '../../api/orgs.js';
import { ConflictAlert } from '../../components/ConflictAlert.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { FormSkeleton } from '../../components/FormSkeleton.js';
import { UserMultiSelect } from '../../components/Pickers.js';
import { useVersionedEdit } from '../../components/useVersionedEdit.js';

const FIELDS = ['name', 'description', 'memberIds', 'orgId', 'supportContact'] as const;
type Contact = NonNullable<Group['supportContact']>;
type Values = { name: string; description: string; memberIds: string[]; supportContact: Contact | null };

const EMPTY_CONTACT: Contact = { company: '', email: null, phone: null, url: null, hours: null };
const CONTACT_FIELDS = ['company', 'email', 'phone', 'url', 'hours'] as const;

/** An external supplier's support desk: the contact technicians call when they escalate to it. */
function SupportContactFields({
  value,
  onChange,
  error,
}: {
  value: Contact | null;
  onChange: (v: Contact | null) => void;
  error: unknown;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      <Checkbox
        label={t('groups.external')}
        description={t('groups.externalHelp')}
        checked={value !== null}
        onChange={(e) => onChange(e.currentTarget.checked ? EMPTY_CONTACT : null)}
      />
      {value && (
        <Fieldset legend={t('groups.supportContact')}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {CONTACT_FIELDS.map((field) => (
              <TextInput
                key={field}
                label={t(`groups.contact.${field}`)}
                required={field === 'company'}
                value={value[field] ?? ''}
                onChange={(e) => {
                  const text = e.currentTarget.value;
                  onChange({ ...value, [field]: field === 'company' ? text : text.trim() ? text : null });
                }}
                error={fieldError(error, `supportContact.${field}`)}
              />
            ))}
          </SimpleGrid>
        </Fieldset>
      )}
    </Stack>
  );
}

function GroupFields({
  orgId,
  values,
  set,
  error,
}: {
  orgId: string;
  values: Values;
  set: (v: Partial<Values>) => void;
  error: unknown;
}) {
  const { t } = useTranslation();
  return (
    <>
      <TextInput
        label={t('groups.name')}
        value={values.name}
        onChange={(e) => set({ name: e.currentTarget.value })}
        required
        data-autofocus
        error={fieldError(error, 'name')}
      />
      <Textarea
        label={t('groups.description')}
        value={values.description}
        onChange={(e) => set({ description: e.currentTarget.value })}
        autosize
        minRows={2}
        maxRows={6}
        error={fieldError(error, 'description')}
      />
      <UserMultiSelect
        label={t('groups.members')}
        placeholder={t('groups.membersPlaceholder')}
        orgId={orgId}
        value={values.memberIds}
        onChange={(memberIds) => set({ memberIds })}
        error={fieldError(error, 'memberIds')}
      />
      <SupportContactFields
        value={values.supportContact}
        onChange={(supportContact) => set({ supportContact })}
        error={error}
      />
    </>
  );
}

export function CreateGroupForm({ orgId, onDone }: { orgId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [values, setValues] = useState<Values>({
    name: '',
    description: '',
    memberIds: [],
    supportContact: null,
  });
  const create = useMutation({
    mutationFn: () => createGroup({ orgId, ...values }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('groups.created') });
      onDone();
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={onSubmit}>
      <Stack>
        <ErrorAlert error={create.error} fields={FIELDS} />
        <GroupFields
          orgId={orgId}
          values={values}
          set={(v) => setValues((o) => ({ ...o, ...v }))}
          error={create.error}
        />
        <Row justify="flex-end">
          <Button type="submit" loading={create.isPending} disabled={!values.name.trim()}>
            {t('common.create')}
          </Button>
        </Row>
      </Stack>
    </form>
  );
}

export function EditGroupForm({ group, onDone }: { group: Group; onDone: () => void }) {
  const { t } = useTranslation();
  const [values, setValues] = useState<Values>({
    name: group.name,
    description: group.description,
    memberIds: group.memberIds,
    supportContact: group.supportContact,
  });
  const edit = useVersionedEdit({
    queryKey: ['group', group.id],
    load: () => getGroup(group.id),
    save: (etag) => updateGroup(group.id, values, etag),
    reset: (g: Group) =>
      setValues({
        name: g.name,
        description: g.description,
        memberIds: g.memberIds,
        supportContact: g.supportContact,
      }),
    onSaved: () => {
      notifications.show({ color: 'teal', message: t('common.saved') });
      onDone();
    },
  });
  if (edit.record.isError)
    return <ErrorAlert error={edit.record.error} onRetry={() => void edit.record.refetch()} />;
  if (edit.record.isPending) return <FormSkeleton fields={3} />;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    edit.mutation.mutate();
  };
  return (
    <form onSubmit={onSubmit}>
      <Stack>
        <ConflictAlert show={edit.conflict} />
        <ErrorAlert error={edit.error} fields={FIELDS} />
        <GroupFields
          orgId={group.orgId}
          values={values}
          set={(v) => setValues((o) => ({ ...o, ...v }))}
          error={edit.error}
        />
        <Row justify="flex-end">
          <Button type="submit" loading={edit.mutation.isPending} disabled={edit.record.isPending}>
            {t('common.save')}
          </Button>
        </Row>
      </Stack>
    </form>
  );
}
