import { type QueryKey, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { ApiResult } from '../api/client.js';
import { ApiError } from '../api/client.js';

type Options<T, R> = {
  queryKey: QueryKey;
  load: () => Promise<ApiResult<T>>;
  /** Send the change with the ETag read with the record. */
  save: (etag: string | null) => Promise<R>;
  /** Fill the form from a (re)loaded record. */
  reset: (record: T) => void;
  onSaved: (result: R) => void;
  enabled?: boolean;
};

/**
 * Edit one versioned record: read it with its ETag, send the change with If-Match, and when someone
 * else changed it meanwhile (412), reload it into the form and say so; never overwrite silently.
 */
export function useVersionedEdit<T, R>({
  queryKey,
  load,
  save,
  reset,
  onSaved,
  enabled = true,
}: Options<T, R>) {
  const queryClient = useQueryClient();
  const [conflict, setConflict] = useState(false);
  const record = useQuery({ queryKey, queryFn: load, enabled, staleTime: 0, gcTime: 0 });
  const etag = record.data?.etag ?? null;

  // biome-ignore lint/correctness/useExhaustiveDependencies: refill the form only when a new version arrives.
  useEffect(() => {
    if (record.data) reset(record.data.data);
  }, [record.data]);

  const mutation = useMutation({
    mutationFn: () => save(etag),
    onSuccess: (result) => {
      setConflict(false);
      void queryClient.invalidateQueries({ queryKey });
      onSaved(result);
    },
    onError: (err) => {
      if (err instanceof ApiError && (err.code === 'precondition.failed' || err.status === 412)) {
        setConflict(true);
        void record.refetch();
      }
    },
  });

  const error = conflict ? null : mutation.error;
  return { record, mutation, conflict, error, dismissConflict: () => setConflict(false) };
}
