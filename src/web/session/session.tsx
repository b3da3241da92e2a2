import type { QueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useMemo } from 'react';
import { type Action, type Actor, can, type Resource } from '../../shared/policy.js';
import type { Me } from '../api/auth.js';

type Session = { me: Me; actor: Actor };

const SessionContext = createContext<Session | null>(null);

export const ME_KEY = ['me'] as const;

// After an expired session the same person logs in again and returns to the page they were on; after
// a logout the next person starts at home, not on the previous person's page.
let placeMemory = true;
export const rememberPlace = (): boolean => placeMemory;
export const resetPlaceMemory = (): void => {
  placeMemory = true;
};

/**
 * Forget the person on this page: the /me query becomes null (which shows the login page) and every
 * other cached answer is dropped. clear() would detach the /me observer, so it is not used.
 */
export function forgetSession(queryClient: QueryClient, { keepPlace }: { keepPlace: boolean }): void {
  placeMemory = keepPlace;
  queryClient.setQueryData(ME_KEY, null);
  queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
}

export function actorOf(me: Me): Actor {
  return {
    userId: me.id,
    globalAdmin: me.globalAdmin,
    roles: Object.fromEntries(me.memberships.map((m) => [m.orgId, m.roles])),
  };
}

export function SessionProvider({ me, children }: { me: Me; children: ReactNode }) {
  const value = useMemo(() => ({ me, actor: actorOf(me) }), [me]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside of a signed-in page');
  return session;
}

/** The policy of src/shared, bound to the signed-in person: what the interface offers. */
export function useCan(): (action: Action, resource?: Resource) => boolean {
  const { actor } = useSession();
  return useMemo(() => (action: Action, resource?: Resource) => can(actor, action, resource), [actor]);
}
