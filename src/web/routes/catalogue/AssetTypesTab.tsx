import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Checkbox,
  Fieldset,
  Group,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ASSET_CATEGORIES, CUSTOM_FIELD_TYPES, type TCustomField } from '../../../shared/schemas/assets.js';
import { type AssetType, createAssetType, getAssetType, updateAssetType } from '../../api/assets.js';
import { AppModal } from '../../components/AppModal.js';
import { typeLabel, useAssetTypes } from '../../components/AssetPickers.js';
import { ConflictAlert } from '../../components/ConflictAlert.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { FormSkeleton } from '../../components/FormSkeleton.js';
import { OrgSelect } from '../../components/Pickers.js';
import { useVersionedEdit } from '../../components/useVersionedEdit.js';
import { useCan, useSession } from '../../session/session.js';

type Category = (typeof ASSET_CATEGORIES)[number];
type FieldType = (typeof CUSTOM_FIELD_TYPES)[number];
type Dialog = { kind: 'create' } | { kind: 'edit'; type: AssetType } | null;

/** Built-in types and the organisation's own; administrators define their own types' fields. */
export function AssetTypesTab() {
  const { t } = useTranslation();
  const can = useCan();
  const { me } = useSession();
  const queryClient = useQueryClient();
  const [orgId, setOrgId] = useState<string | null>(null);
  const types = useAssetTypes(orgId);
  const [dialog, setDialog] = useState<Dialog>(null);
  const close = () => setDialog(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['assetTypes'] });

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <OrgSelect
          label={t('catalogue.org')}
          value={orgId}
          onChange={setOrgId}
          clearable
          placeholder={t('common.all')}
        />
        {can('asset_type.manage') && (
          <Button onClick={() => setDialog({ kind: 'create' })}>{t('catalogue.createType')}</Button>
        )}
      </Group>
      {types.isPending && <Skeleton height={200} aria-label={t('app.loading')} />}
      {types.isError && <ErrorAlert error={types.error} onRetry={() => void types.refetch()} />}
      {types.data && (
        <Table.ScrollContainer minWidth={640}>
          <Table striped verticalSpacing="xs" aria-label={t('catalogue.types')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('catalogue.name')}</Table.Th>
                <Table.Th scope="col">{t('catalogue.category')}</Table.Th>
                <Table.Th scope="col">{t('catalogue.fields')}</Table.Th>
                <Table.Th scope="col">{t('common.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {types.data.map((type) => (
                <Table.Tr key={type.id}>
                  <Table.Td>
                    <Group gap="xs">
                      <Text fw={500}>{typeLabel(type)}</Text>
                      <Badge size="xs" variant="light" color={type.builtIn ? 'gray' : 'blue'}>
                        {type.builtIn ? t('catalogue.builtIn') : t('catalogue.own')}
                      </Badge>
                    </Group>
                    <Text size="xs" c="dimmed">
                      {type.code}
                    </Text>
                  </Table.Td>
                  <Table.Td>{t(`catalogue.categories.${type.category}`)}</Table.Td>
                  <Table.Td>
                    {type.customFields.length === 0 ? (
                      <Text size="sm" c="dimmed">
                        {t('catalogue.noFields')}
                      </Text>
                    ) : (
                      <Group gap={4}>
                        {type.customFields.map((f) => (
                          <Badge key={f.key} size="sm" variant="outline">
                            {`${f.label} · ${t(`catalogue.fieldTypes.${f.type}`)}${f.required ? ' *' : ''}`}
                          </Badge>
                        ))}
                      </Group>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {!type.builtIn && type.orgId && can('asset_type.manage', { orgId: type.orgId }) && (
                      <Button
                        size="compact-sm"
                        variant="subtle"
                        onClick={() => setDialog({ kind: 'edit', type })}
                      >
                        {t('common.edit')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <AppModal
        opened={dialog !== null}
        onClose={close}
        title={dialog?.kind === 'edit' ? t('catalogue.editType') : t('catalogue.createType')}
        centered
        size="xl"
      >
        {dialog && (
          <AssetTypeForm
            type={dialog.kind === 'edit' ? dialog.type : null}
            defaultOrgId={orgId ?? me.memberships[0]?.orgId ?? null}
            onDone={() => {
              close();
              refresh();
            }}
          />
        )}
      </AppModal>
    </Stack>
  );
}

type Values = { code: string; category: Category; nameFr: string; nameEn: string; fields: EditableField[] };
type EditableField = Omit<TCustomField, 'options'> & { options: string; rowId: number };
let nextRow = 1;
const toEditable = (f: TCustomField): EditableField => ({
  ...f,
  options: (f.options ?? []).join(', '),
  rowId: nextRow++,
});
const toField = ({ rowId: _row, options, ...f }: EditableField): TCustomField => ({
  ...f,
  ...(f.type === 'list'
    ? {
        options: options
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      }
    : {}),
});

const FIELDS = ['orgId', 'code', 'category', 'name', 'customFields'] as const;

function AssetTypeForm({
  type,
  defaultOrgId,
  onDone,
}: {
  type: AssetType | null;
  defaultOrgId: string | null;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [orgId, setOrgId] = useState<string | null>(defaultOrgId);
  const [values, setValues] = useState<Values>({
    code: '',
    category: 'computer',
    nameFr: '',
    nameEn: '',
    fields: [],
  });
  const set = (v: Partial<Values>) => setValues((old) => ({ ...old, ...v }));
  const body = () => ({
    category: values.category,
    name: { fr: values.nameFr, en: values.nameEn },
    customFields: values.fields.map(toField),
  });
  const create = useMutation({
    mutationFn: () => createAssetType({ orgId: orgId ?? '', code: values.code, ...body() }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('catalogue.created') });
      onDone();
    },
  });
  const edit = useVersionedEdit({
    queryKey: ['assetType', type?.id, 'edit'],
    load: () => getAssetType(type?.id ?? ''),
    save: (etag) => updateAssetType(type?.id ?? '', body(), etag),
    reset: (a: AssetType) =>
      setValues({
        code: a.code,
        category: a.category,
        nameFr: a.name.fr,
        nameEn: a.name.en,
        fields: a.customFields.map(toEditable),
      }),
    onSaved: () => {
      notifications.show({ color: 'teal', message: t('common.saved') });
      onDone();
    },
    enabled: type !== null,
  });
  if (type && edit.record.isError)
    return <ErrorAlert error={edit.record.error} onRetry={() => void edit.record.refetch()} />;
  if (type && edit.record.isPending) return <FormSkeleton fields={4} />;
  const err = type ? edit.error : create.error;
  const setField = (rowId: number, v: Partial<EditableField>) =>
    set({ fields: values.fields.map((f) => (f.rowId === rowId ? { ...f, ...v } : f)) });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (type) edit.mutation.mutate();
    else create.mutate();
  };
  return (
    <form onSubmit={onSubmit}>
      <Stack>
        <ConflictAlert show={edit.conflict} />
        <ErrorAlert error={err} fields={FIELDS} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {!type && (
            <OrgSelect
              label={t('catalogue.org')}
              value={orgId}
              onChange={setOrgId}
              required
              error={fieldError(err, 'orgId')}
            />
          )}
          <TextInput
            label={t('catalogue.code')}
            value={values.code}
            onChange={(e) => set({ code: e.currentTarget.value })}
            required
            disabled={type !== null}
            error={fieldError(err, 'code')}
          />
          <TextInput
            label={t('catalogue.nameFr')}
            value={values.nameFr}
            onChange={(e) => set({ nameFr: e.currentTarget.value })}
            required
            error={fieldError(err, 'name.fr')}
          />
          <TextInput
            label={t('catalogue.nameEn')}
            value={values.nameEn}
            onChange={(e) => set({ nameEn: e.currentTarget.value })}
            required
            error={fieldError(err, 'name.en')}
          />
          <Select
            label={t('catalogue.category')}
            data={ASSET_CATEGORIES.map((c) => ({ value: c, label: t(`catalogue.categories.${c}`) }))}
            value={values.category}
            onChange={(v) => set({ category: (v as Category | null) ?? values.category })}
            allowDeselect={false}
            error={fieldError(err, 'category')}
            comboboxProps={{ withinPortal: true }}
          />
        </SimpleGrid>
        <Fieldset legend={t('catalogue.fields')}>
          <Stack gap="sm">
            {values.fields.length === 0 && (
              <Text size="sm" c="dimmed">
                {t('catalogue.noFields')}
              </Text>
            )}
            {values.fields.map((f, i) => (
              <Card key={f.rowId} withBorder p="xs">
                <Group align="flex-end" gap="xs" wrap="wrap">
                  <TextInput
                    label={t('catalogue.fieldKey')}
                    value={f.key}
                    onChange={(e) => setField(f.rowId, { key: e.currentTarget.value })}
                    required
                    w={140}
                    error={fieldError(err, `customFields.${i}.key`)}
                  />
                  <TextInput
                    label={t('catalogue.fieldLabel')}
                    value={f.label}
                    onChange={(e) => setField(f.rowId, { label: e.currentTarget.value })}
                    required
                    w={180}
                    error={fieldError(err, `customFields.${i}.label`)}
                  />
                  <Select
                    label={t('catalogue.fieldType')}
                    data={CUSTOM_FIELD_TYPES.map((ft) => ({
                      value: ft,
                      label: t(`catalogue.fieldTypes.${ft}`),
                    }))}
                    value={f.type}
                    onChange={(v) => setField(f.rowId, { type: (v as FieldType | null) ?? f.type })}
                    allowDeselect={false}
                    w={130}
                    comboboxProps={{ withinPortal: true }}
                  />
                  <Checkbox
                    label={t('catalogue.fieldRequired')}
                    checked={f.required}
                    onChange={(e) => setField(f.rowId, { required: e.currentTarget.checked })}
                    mb={8}
                  />
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    mb={4}
                    aria-label={`${t('catalogue.removeField')} ${f.label || f.key}`}
                    onClick={() => set({ fields: values.fields.filter((x) => x.rowId !== f.rowId) })}
                  >
                    ×
                  </ActionIcon>
                </Group>
                {f.type === 'list' && (
                  <TextInput
                    mt="xs"
                    label={t('catalogue.fieldOptions')}
                    value={f.options}
                    onChange={(e) => setField(f.rowId, { options: e.currentTarget.value })}
                    error={fieldError(err, `customFields.${i}.options`)}
                  />
                )}
              </Card>
            ))}
            <div>
              <Button
                size="xs"
                variant="light"
                onClick={() =>
                  set({
                    fields: [
                      ...values.fields,
                      { key: '', label: '', type: 'text', required: false, options: '', rowId: nextRow++ },
                    ],
                  })
                }
              >
                {t('catalogue.addField')}
              </Button>
            </div>
          </Stack>
        </Fieldset>
        <Group justify="flex-end">
          <Button
            type="submit"
            loading={type ? edit.mutation.isPending : create.isPending}
            disabled={!values.nameFr.trim() || !values.nameEn.trim() || !values.code || (!type && !orgId)}
          >
            {type ? t('common.save') : t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
