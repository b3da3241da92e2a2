import { lazy, type ReactElement } from 'react';
import { Navigate, useParams } from 'react-router';
import { useCan } from '../../session/session.js';

const PortalHome = lazy(() => import('./Portal.js').then((m) => ({ default: () => <m.PortalPage home /> })));

/**
 * For people who only file requests, home is their requests (the portal, with a greeting); the others
 * get `home`. Kept tiny: it is loaded with the first screen, the portal only when shown.
 */
export function RequesterHome({ home }: { home: ReactElement }) {
  const can = useCan();
  if (can('ticket.create') && !can('ticket.read')) return <PortalHome />;
  return home;
}

/** A requester following a link to a ticket (a notification, a colleague) reads it in the portal. */
export function TicketRoute({ element }: { element: ReactElement }) {
  const can = useCan();
  const { id = '' } = useParams();
  if (can('ticket.create') && !can('ticket.read')) return <Navigate to={`/portal/${id}`} replace />;
  return element;
}
