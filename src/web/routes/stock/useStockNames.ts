import { useQueries } from '@tanstack/react-query';
import { getStockLocation } from './api.js';

/** Names of the stock locations a page shows, each read once and cached. */
export function useStockLocationNames(ids: readonly (string | null | undefined)[]): Map<string, string> {
  const unique = [...new Set(ids.filter((v): v is string => typeof v === 'string' && v.length > 0))];
  const results = useQueries({
    queries: unique.map((id) => ({
      queryKey: ['stock', 'name', id],
      queryFn: async () => (await getStockLocation(id)).data.name,
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
