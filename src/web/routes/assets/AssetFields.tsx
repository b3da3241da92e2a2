import {
  Alert,
  Anchor,
  Checkbox,
  Fieldset,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { TCustomField } from '../../../shared/schemas/assets.js';
import { type Asset, getLocation } from '../../api/assets.js';
import { isApiError } from '../../api/client.js';
import {
  AssetTypeSelect,
  LocationSelect,
  ModelSelect,
  PartySelect,
  useAssetTypes,
} from '../../components/AssetPickers.js';
import { fieldError } from '../../components/errors.js';
import { UserSelect } from '../../components/Pickers.js';

type CustomValue = string | number | boolean | null;

/** The editable part of an asset, as the form holds it (empty text is null for the API). */
export type AssetValues = {
  typeId: string | null;
  modelId: string | null;
  name: string;
  assetTag: string;
  serial: string;
  locationId: string | null;
  /** Only when the location is a rack; changing the location clears them. */
  rackPosition: number | null;
  rackHeight: number | null;
  assignedUserId: string | null;
  supplierId: string | null;
  purchaseDate: string;
  warrantyEnd: string;
  contractEnd: string;
  custom: Record<string, CustomValue>;
  notes: string;
};

export const ASSET_FIELDS = [
  'typeId',
  'modelId',
  'name',
  'assetTag',
  'serial',
  'locationId',
  'rackPosition',
  'rackHeight',
  'assignedUserId',
  'supplierId',
  'purchaseDate',
  'warrantyEnd',
  'contractEnd',
  'custom',
  'notes',
  'orgId',
  'status',
] as const;

export const emptyAssetValues = (): AssetValues => ({
  typeId: null,
  modelId: null,
  name: '',
  assetTag: '',
  serial: '',
  locationId: null,
  rackPosition: null,
  rackHeight: null,
  assignedUserId: null,
  supplierId: null,
  purchaseDate: '',
  warrantyEnd: '',
  contractEnd: '',
  custom: {},
  notes: '',
});

export const assetValuesOf = (a: Asset): AssetValues => ({
  typeId: a.typeId,
  modelId: a.modelId,
  name: a.name,
  assetTag: a.assetTag ?? '',
  serial: a.serial ?? '',
  locationId: a.locationId,
  rackPosition: a.rackPosition,
  rackHeight: a.rackHeight,
  assignedUserId: a.assignedUserId,
  supplierId: a.supplierId,
  purchaseDate: a.purchaseDate ?? '',
  warrantyEnd: a.warrantyEnd ?? '',
  contractEnd: a.contractEnd ?? '',
  custom: a.custom,
  notes: a.notes,
});

const orNull = (value: string) => (value.trim() === '' ? null : value.trim());

/** The request body: the same for create (with orgId and status added) and for PATCH. */
export const assetBody = (v: AssetValues) => ({
  typeId: v.typeId ?? '',
  modelId: v.modelId,
  name: v.name,
  assetTag: orNull(v.assetTag),
  serial: orNull(v.serial),
  locationId: v.locationId,
  rackPosition: v.rackPosition,
  rackHeight: v.rackHeight,
  assignedUserId: v.assignedUserId,
  supplierId: v.supplierId,
  purchaseDate: orNull(v.purchaseDate),
  warrantyEnd: orNull(v.warrantyEnd),
  contractEnd: orNull(v.contractEnd),
  custom: Object.fromEntries(Object.entries(v.custom).filter(([, value]) => value !== '' && value !== null)),
  notes: v.notes,
});

/**
 * A 409 asset.duplicate names the asset that already holds the tag or serial, a 409
 * asset.rack_slot_taken the one already in that space of the rack: offer to open it.
 */
export function DuplicateAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const slot = isApiError(error, 'asset.rack_slot_taken');
  if (!isApiError(error, 'asset.duplicate') && !slot) return null;
  const existing = error.problem.existing as { id: string; name: string } | undefined;
  if (!existing) return null;
  return (
    <Alert color="orange" variant="light" role="alert">
      {t(slot ? 'assets.rackSlotTaken' : 'assets.duplicate')}{' '}
      <Anchor component={Link} to={`/assets/${existing.id}`}>
        {t('assets.openExisting', { name: existing.name })}
      </Anchor>
    </Alert>
  );
}

type Props = {
  orgId: string | null;
  values: AssetValues;
  set: (v: Partial<AssetValues>) => void;
  error: unknown;
};

/** Every editable field of an asset, with the custom fields of its type rendered by value type. */
export function AssetFields({ orgId, values, set, error: err }: Props) {
  const { t } = useTranslation();
  const types = useAssetTypes(orgId);
  const type = types.data?.find((x) => x.id === values.typeId);
  const locationId = values.locationId;
  const chosenLocation = useQuery({
    queryKey: ['location', locationId],
    queryFn: () => getLocation(locationId ?? ''),
    enabled: locationId !== null,
  });
  const rack = chosenLocation.data?.data.kind === 'rack' ? chosenLocation.data.data : undefined;
  const maxUnit = rack?.rackUnits ?? 60;
  return (
    <Stack>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label={t('assets.name')}
          value={values.name}
          onChange={(e) => set({ name: e.currentTarget.value })}
          required
          data-autofocus
          error={fieldError(err, 'name')}
        />
        <AssetTypeSelect
          label={t('assets.type')}
          orgId={orgId}
          value={values.typeId}
          onChange={(typeId) => set({ typeId, modelId: null })}
          required
          error={fieldError(err, 'typeId')}
        />
        <TextInput
          label={t('assets.assetTag')}
          value={values.assetTag}
          onChange={(e) => set({ assetTag: e.currentTarget.value })}
          error={fieldError(err, 'assetTag')}
        />
        <TextInput
          label={t('assets.serial')}
          value={values.serial}
          onChange={(e) => set({ serial: e.currentTarget.value })}
          error={fieldError(err, 'serial')}
        />
        <ModelSelect
          label={t('assets.model')}
          description={values.typeId ? t('assets.modelHelp') : t('assets.pickTypeFirst')}
          orgId={orgId}
          typeId={values.typeId}
          value={values.modelId}
          onChange={(modelId) => set({ modelId })}
          disabled={!values.typeId}
          error={fieldError(err, 'modelId')}
        />
        <LocationSelect
          label={t('assets.location')}
          orgId={orgId}
          value={values.locationId}
          // A position belongs to one rack: another location starts without one.
          onChange={(id) => set({ locationId: id, rackPosition: null, rackHeight: null })}
          error={fieldError(err, 'locationId')}
        />
        {rack && (
          <SimpleGrid cols={2}>
            <NumberInput
              label={t('assets.rackPosition')}
              description={t('assets.rackPositionHelp')}
              min={1}
              max={maxUnit}
              allowDecimal={false}
              allowNegative={false}
              value={values.rackPosition ?? ''}
              onChange={(v) => set({ rackPosition: typeof v === 'number' ? v : null })}
              error={fieldError(err, 'rackPosition')}
            />
            <NumberInput
              label={t('assets.rackHeight')}
              description={t('assets.rackHeightHelp')}
              min={1}
              max={maxUnit}
              allowDecimal={false}
              allowNegative={false}
              value={values.rackHeight ?? ''}
              onChange={(v) => set({ rackHeight: typeof v === 'number' ? v : null })}
              error={fieldError(err, 'rackHeight')}
            />
          </SimpleGrid>
        )}
        <UserSelect
          label={t('assets.assignee')}
          orgId={orgId}
          value={values.assignedUserId}
          onChange={(assignedUserId) => set({ assignedUserId })}
          error={fieldError(err, 'assignedUserId')}
        />
        <PartySelect
          kind="suppliers"
          label={t('assets.supplier')}
          orgId={orgId}
          value={values.supplierId}
          onChange={(supplierId) => set({ supplierId })}
          error={fieldError(err, 'supplierId')}
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {(['purchaseDate', 'warrantyEnd', 'contractEnd'] as const).map((field) => (
          <TextInput
            key={field}
            type="date"
            label={t(`assets.${field}`)}
            value={values[field]}
            onChange={(e) => set({ [field]: e.currentTarget.value })}
            error={fieldError(err, field)}
          />
        ))}
      </SimpleGrid>
      {type && type.customFields.length > 0 && (
        <Fieldset legend={t('assets.custom')}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {type.customFields.map((field) => (
              <CustomFieldInput
                key={field.key}
                field={field}
                value={values.custom[field.key] ?? null}
                onChange={(value) => set({ custom: { ...values.custom, [field.key]: value } })}
                error={fieldError(err, `custom.${field.key}`)}
              />
            ))}
          </SimpleGrid>
        </Fieldset>
      )}
      <Textarea
        label={t('assets.notes')}
        value={values.notes}
        onChange={(e) => set({ notes: e.currentTarget.value })}
        autosize
        minRows={2}
        error={fieldError(err, 'notes')}
      />
    </Stack>
  );
}

function CustomFieldInput({
  field,
  value,
  onChange,
  error,
}: {
  field: TCustomField;
  value: CustomValue;
  onChange: (value: CustomValue) => void;
  error?: string;
}) {
  const common = { label: field.label, required: field.required, error };
  switch (field.type) {
    case 'number':
      return (
        <NumberInput
          {...common}
          value={typeof value === 'number' ? value : ''}
          onChange={(v) => onChange(typeof v === 'number' ? v : null)}
        />
      );
    case 'date':
      return (
        <TextInput
          {...common}
          type="date"
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.currentTarget.value || null)}
        />
      );
    case 'boolean':
      return (
        <Checkbox
          label={field.label}
          error={error}
          mt="lg"
          checked={value === true}
          onChange={(e) => onChange(e.currentTarget.checked)}
        />
      );
    case 'list':
      return (
        <Select
          {...common}
          data={field.options ?? []}
          value={typeof value === 'string' ? value : null}
          onChange={(v) => onChange(v)}
          clearable={!field.required}
          comboboxProps={{ withinPortal: true }}
        />
      );
    default:
      return (
        <TextInput
          {...common}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
  }
}
