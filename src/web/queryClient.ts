import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from './api/client.js';
import { forgetSession, ME_KEY } from './session/session.js';

/**
 * Query defaults: no retry on a 4xx (it will not get better), and two global reactions. A 401 means the
 * session ended: forget the person, which shows the login page. A 403 asking for a password change
 * means the account state changed: read /me again, which shows the password page.
 */
export function createQueryClient(): QueryClient {
  const onError = (err: unknown, key?: readonly unknown[]) => {
    if (!(err instanceof ApiError)) return;
    if (err.status === 401 && err.code === 'auth.unauthenticated' && key?.[0] !== ME_KEY[0]) {
      forgetSession(client, { keepPlace: true });
    }
    if (err.code === 'auth.password_change_required') void client.invalidateQueries({ queryKey: ME_KEY });
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (err, query) => onError(err, query.queryKey) }),
    mutationCache: new MutationCache({ onError: (err) => onError(err) }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (count, err) =>
          !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 2,
      },
      mutations: { retry: false },
    },
  });
  return client;
}
