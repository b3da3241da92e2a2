import { MultiSelect, Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getUser, listOrgs, listUsers } from '../api/orgs.js';

type Option = { value: string; label: string };

/** Options found by the server, plus the labels of values already chosen (which a search may not return). */
function useLabelCache() {
  const cache = useRef(new Map<string, string>());
  const remember = (options: Option[]) => {
    for (const o of options) cache.current.set(o.value, o.label);
    return options;
  };
  const withChosen = (options: Option[], chosen: readonly string[]) => {
    const missing = chosen
      .filter((v) => !options.some((o) => o.value === v))
      .map((v) => ({ value: v, label: cache.current.get(v) ?? v }));
    return [...options, ...missing];
  };
  return { remember, withChosen, cache: cache.current };
}

type OrgSelectProps = {
  value: string | null;
  onChange: (value: string | null) => void;
  label: string;
  placeholder?: string;
  required?: boolean;
  clearable?: boolean;
  error?: string;
  /** Restrict the choice to these organisations (for instance those where the person holds a role). */
  only?: readonly { orgId: string; orgName: string }[];
};

/** An organisation, searched on the server. */
export function OrgSelect({
  value,
  onChange,
  label,
  placeholder,
  required,
  clearable,
  error,
  only,
}: OrgSelectProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 250);
  const labels = useLabelCache();
  const query = useQuery({
    queryKey: ['orgs', 'options', q],
    queryFn: () => listOrgs({ q: q || undefined, limit: 50 }),
    placeholderData: keepPreviousData,
    enabled: !only,
  });
  const found: Option[] = only
    ? only.map((m) => ({ value: m.orgId, label: m.orgName }))
    : (query.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }));
  const data = labels.withChosen(labels.remember(found), value ? [value] : []);
  return (
    <Select
      label={label}
      placeholder={placeholder ?? t('orgs.selectPlaceholder')}
      data={data}
      value={value}
      onChange={onChange}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={only ? undefined : ({ options }) => options}
      nothingFoundMessage={query.isFetching ? t('app.loading') : t('common.none')}
      required={required}
      clearable={clearable}
      error={error}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

type UserPickerProps = {
  label: string;
  orgId?: string | null;
  placeholder?: string;
  error?: string;
};

function useUserOptions(orgId: string | null | undefined, search: string) {
  const [q] = useDebouncedValue(search, 250);
  const query = useQuery({
    queryKey: ['users', 'options', orgId ?? null, q],
    queryFn: () => listUsers({ q: q || undefined, orgId: orgId ?? undefined, limit: 50 }),
    placeholderData: keepPreviousData,
  });
  const options: Option[] = (query.data?.items ?? []).map((u) => ({
    value: u.id,
    label: `${u.displayName} <${u.email}>`,
  }));
  return { options, loading: query.isFetching };
}

/** One person, searched on the server. */
export function UserSelect({
  value,
  onChange,
  ...props
}: UserPickerProps & { value: string | null; onChange: (v: string | null) => void }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const labels = useLabelCache();
  const { options, loading } = useUserOptions(props.orgId, search);
  const data = labels.withChosen(labels.remember(options), value ? [value] : []);
  return (
    <Select
      label={props.label}
      placeholder={props.placeholder}
      data={data}
      value={value}
      onChange={onChange}
      searchable
      clearable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: o }) => o}
      nothingFoundMessage={loading ? t('app.loading') : t('common.none')}
      error={props.error}
    />
  );
}

/** Several people of one organisation, searched on the server; chosen ones keep their names. */
export function UserMultiSelect({
  value,
  onChange,
  ...props
}: UserPickerProps & { value: string[]; onChange: (v: string[]) => void }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const labels = useLabelCache();
  const { options, loading } = useUserOptions(props.orgId, search);
  labels.remember(options);
  const unknown = value.filter((id) => !labels.cache.has(id));
  const resolved = useQueries({
    queries: unknown.map((id) => ({ queryKey: ['user', id], queryFn: () => getUser(id), staleTime: 60_000 })),
  });
  for (const r of resolved) {
    if (r.data) labels.cache.set(r.data.data.id, `${r.data.data.displayName} <${r.data.data.email}>`);
  }
  const data = labels.withChosen(options, value);
  return (
    <MultiSelect
      label={props.label}
      placeholder={props.placeholder}
      data={data}
      value={value}
      onChange={onChange}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: o }) => o}
      nothingFoundMessage={loading ? t('app.loading') : t('common.none')}
      error={props.error}
      hidePickedOptions
    />
  );
}
