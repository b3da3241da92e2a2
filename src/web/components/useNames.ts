import { useQueries } from '@tanstack/react-query';
import { getAsset, getLocation, getModel, getParty } from '../api/assets.js';
import { getOrg, getUser } from '../api/orgs.js';
import { locationLabel } from './AssetPickers.js';

/**
 * Names for ids shown in lists and the timeline, each read once and cached: a page shows few distinct
 * places and people, so this stays cheap without a server-side join.
 */
function useNames(
  ids: readonly (string | null | undefined)[],
  key: string,
  read: (id: string) => Promise<string>,
): Map<string, string> {
  const unique = [...new Set(ids.filter((v): v is string => typeof v === 'string' && v.length > 0))];
  const results = useQueries({
    queries: unique.map((id) => ({
      queryKey: ['name', key, id],
      queryFn: () => read(id),
      staleTime: 5 * 60_000,
      retry: false,
    })),
  });
  const names = new Map<string, string>();
  unique.forEach((id, i) => {
    const name = results[i]?.data;
    if (name) names.set(id, name);
  });
  return names;
}

export const useLocationNames = (ids: readonly (string | null | undefined)[]) =>
  useNames(ids, 'location', async (id) => locationLabel((await getLocation(id)).data));

export const useUserNames = (ids: readonly (string | null | undefined)[]) =>
  useNames(ids, 'user', async (id) => (await getUser(id)).data.displayName);

export const useAssetNames = (ids: readonly (string | null | undefined)[]) =>
  useNames(ids, 'asset', async (id) => (await getAsset(id)).data.name);

export const useModelNames = (ids: readonly (string | null | undefined)[]) =>
  useNames(ids, 'model', async (id) => {
    const model = (await getModel(id)).data;
    return `${model.manufacturerName} ${model.name}`;
  });

export const useSupplierNames = (ids: readonly (string | null | undefined)[]) =>
  useNames(ids, 'supplier', async (id) => (await getParty('suppliers', id)).data.name);

export const useOrgNames = (ids: readonly (string | null | undefined)[]) =>
  useNames(ids, 'org', async (id) => (await getOrg(id)).data.name);
