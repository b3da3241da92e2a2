import { Badge, Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AssetStatus } from '../../shared/schemas/assets.js';
import {
  type AssetType,
  getAsset,
  getLocation,
  getModel,
  getParty,
  type Location,
  listAssets,
  listAssetTypes,
  listLocations,
  listModels,
  listParties,
  type PartyKind,
} from '../api/assets.js';
import { currentLanguage } from '../i18n/index.js';

type Option = { value: string; label: string };

export const STATUS_COLORS: Record<AssetStatus, string> = {
  ordered: 'gray',
  in_stock: 'blue',
  deployed: 'teal',
  in_repair: 'orange',
  loaned: 'grape',
  retired: 'dark',
  awaiting_disposal: 'yellow',
  disposed: 'red',
};

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={STATUS_COLORS[status as AssetStatus] ?? 'gray'}>
      {t(`assets.status.${status}`, { defaultValue: status })}
    </Badge>
  );
}

export const typeLabel = (type: AssetType | undefined): string => (type ? type.name[currentLanguage()] : '—');

export const locationLabel = (l: Pick<Location, 'breadcrumb' | 'name'>): string =>
  l.breadcrumb.length > 0 ? l.breadcrumb.map((b) => b.name).join(' › ') : l.name;

/** The asset types one organisation sees (built-ins and its own): few, so one list, cached a while. */
export function useAssetTypes(orgId?: string | null) {
  return useQuery({
    queryKey: ['assetTypes', orgId ?? null],
    queryFn: () => listAssetTypes(orgId ?? undefined),
    staleTime: 5 * 60_000,
  });
}

type SearchSelectProps = {
  label: string;
  value: string | null;
  onChange: (value: string | null) => void;
  placeholder?: string;
  required?: boolean;
  error?: string;
  disabled?: boolean;
  description?: string;
};

/**
 * One record searched on the server; the chosen one keeps its name even when the search does not
 * return it (it is then read on its own).
 */
function SearchSelect({
  queryKey,
  search,
  resolve,
  ...props
}: SearchSelectProps & {
  queryKey: readonly unknown[];
  search: (q: string) => Promise<Option[]>;
  resolve: (id: string) => Promise<string>;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [q] = useDebouncedValue(text, 250);
  const found = useQuery({
    queryKey: [...queryKey, 'options', q],
    queryFn: () => search(q),
    placeholderData: keepPreviousData,
    enabled: !props.disabled,
  });
  const options = found.data ?? [];
  const chosenMissing = props.value !== null && !options.some((o) => o.value === props.value);
  const chosen = useQuery({
    queryKey: [...queryKey, 'label', props.value],
    queryFn: () => resolve(props.value ?? ''),
    enabled: chosenMissing,
    staleTime: 60_000,
  });
  const data =
    chosenMissing && props.value ? [...options, { value: props.value, label: chosen.data ?? '…' }] : options;
  return (
    <Select
      label={props.label}
      description={props.description}
      placeholder={props.placeholder}
      data={data}
      value={props.value}
      onChange={props.onChange}
      searchable
      clearable={!props.required}
      searchValue={text}
      onSearchChange={setText}
      filter={({ options: o }) => o}
      nothingFoundMessage={found.isFetching ? t('app.loading') : t('common.none')}
      required={props.required}
      error={props.error}
      disabled={props.disabled}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

export function LocationSelect({ orgId, ...props }: SearchSelectProps & { orgId?: string | null }) {
  return (
    <SearchSelect
      {...props}
      queryKey={['locations', orgId ?? null]}
      search={async (q) =>
        (await listLocations({ q: q || undefined, orgId: orgId ?? undefined, limit: 30 })).items.map((l) => ({
          value: l.id,
          label: locationLabel(l),
        }))
      }
      resolve={async (locationId) => locationLabel((await getLocation(locationId)).data)}
    />
  );
}

export function ModelSelect({
  orgId,
  typeId,
  ...props
}: SearchSelectProps & { orgId?: string | null; typeId?: string | null }) {
  return (
    <SearchSelect
      {...props}
      queryKey={['models', orgId ?? null, typeId ?? null]}
      search={async (q) =>
        (
          await listModels({
            q: q || undefined,
            orgId: orgId ?? undefined,
            typeId: typeId ?? undefined,
            limit: 30,
          })
        ).items.map((m) => ({ value: m.id, label: `${m.manufacturerName} ${m.name}` }))
      }
      resolve={async (modelId) => {
        const m = (await getModel(modelId)).data;
        return `${m.manufacturerName} ${m.name}`;
      }}
    />
  );
}

export function PartySelect({
  kind,
  orgId,
  ...props
}: SearchSelectProps & { kind: PartyKind; orgId?: string | null }) {
  return (
    <SearchSelect
      {...props}
      queryKey={[kind, orgId ?? null]}
      search={async (q) =>
        (await listParties(kind, { q: q || undefined, orgId: orgId ?? undefined, limit: 30 })).items.map(
          (p) => ({ value: p.id, label: p.name }),
        )
      }
      resolve={async (partyId) => (await getParty(kind, partyId)).data.name}
    />
  );
}

export function AssetSelect({
  orgId,
  exclude,
  ...props
}: SearchSelectProps & { orgId?: string | null; exclude?: string }) {
  return (
    <SearchSelect
      {...props}
      queryKey={['assets', orgId ?? null, exclude ?? null]}
      search={async (q) =>
        (await listAssets({ q: q || undefined, orgId: orgId ?? undefined, limit: 30 })).items
          .filter((a) => a.id !== exclude)
          .map((a) => ({ value: a.id, label: a.assetTag ? `${a.name} (${a.assetTag})` : a.name }))
      }
      resolve={async (assetId) => (await getAsset(assetId)).data.name}
    />
  );
}

export function AssetTypeSelect({ orgId, ...props }: SearchSelectProps & { orgId?: string | null }) {
  const { t } = useTranslation();
  const types = useAssetTypes(orgId);
  return (
    <Select
      label={props.label}
      placeholder={props.placeholder}
      data={(types.data ?? []).map((type) => ({ value: type.id, label: typeLabel(type) }))}
      value={props.value}
      onChange={props.onChange}
      searchable
      clearable={!props.required}
      required={props.required}
      error={props.error}
      disabled={props.disabled}
      nothingFoundMessage={types.isFetching ? t('app.loading') : t('common.none')}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
