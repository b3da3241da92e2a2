import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getArticle, getStockLocation, listArticles, listStockLocations } from './api.js';

type Props = {
  label: string;
  value: string | null;
  onChange: (value: string | null) => void;
  orgId?: string | null;
  placeholder?: string;
  required?: boolean;
  clearable?: boolean;
  error?: string;
  disabled?: boolean;
};
type Option = { value: string; label: string };

/** One record searched on the server; the chosen one keeps its name even when a search leaves it out. */
function StockSelect({
  kind,
  search,
  resolve,
  ...props
}: Props & {
  kind: string;
  search: (q: string) => Promise<Option[]>;
  resolve: (id: string) => Promise<string>;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [q] = useDebouncedValue(text, 250);
  const found = useQuery({
    queryKey: ['stock', kind, 'options', props.orgId ?? null, q],
    queryFn: () => search(q),
    placeholderData: keepPreviousData,
  });
  const options = found.data ?? [];
  const missing = props.value !== null && !options.some((o) => o.value === props.value);
  const chosen = useQuery({
    queryKey: ['stock', kind, 'label', props.value],
    queryFn: () => resolve(props.value ?? ''),
    enabled: missing,
    staleTime: 60_000,
  });
  const data =
    missing && props.value ? [...options, { value: props.value, label: chosen.data ?? '…' }] : options;
  return (
    <Select
      label={props.label}
      placeholder={props.placeholder}
      data={data}
      value={props.value}
      onChange={props.onChange}
      searchable
      clearable={props.clearable ?? !props.required}
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

export function StockLocationSelect(props: Props) {
  return (
    <StockSelect
      {...props}
      kind="locations"
      search={async (q) =>
        (
          await listStockLocations({ q: q || undefined, orgId: props.orgId ?? undefined, limit: 30 })
        ).items.map((l) => ({ value: l.id, label: l.name }))
      }
      resolve={async (id) => (await getStockLocation(id)).data.name}
    />
  );
}

export function ArticleSelect(props: Props) {
  return (
    <StockSelect
      {...props}
      kind="articles"
      search={async (q) =>
        (await listArticles({ q: q || undefined, orgId: props.orgId ?? undefined, limit: 30 })).items.map(
          (a) => ({
            value: a.id,
            label: a.reference ? `${a.name} (${a.reference})` : a.name,
          }),
        )
      }
      resolve={async (id) => (await getArticle(id)).data.name}
    />
  );
}
