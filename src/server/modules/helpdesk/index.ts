import type { TTicketCategory } from '../../../shared/schemas/helpdesk.js';
import type { Ctx } from '../../context.js';
import { toBool } from '../../db/values.js';
import { categoryById, settingsOf } from './settings.service.js';
import { priorityOf } from './tickets.service.js';

export { channelsRoutes } from './channels/channels.routes.js';
export {
  type IntakeOptions,
  MAIL_INTAKE_JOB,
  type PollSummary,
  pollMailbox,
  pollMailboxes,
} from './channels/intake.service.js';
export {
  type NotifyDeps,
  notificationHandlers,
  notifyTicketEvent,
} from './channels/notifications.service.js';
export { helpdeskRoutes } from './helpdesk.routes.js';
export {
  backlogSeries,
  categoryNames,
  type FiguresQuery,
  myQueueFigures,
  openFigures,
  slaFigures,
  type TicketLine,
  ticketFigures,
  volumeFigures,
} from './stats.service.js';
export { createTicket, getTicket, ticketsOfAsset, watchSla } from './tickets.service.js';

/** A category a ticket of `orgId` may take (built-in or the organisation's own, and active), or null. */
export async function findCategoryForOrg(
  ctx: Ctx,
  orgId: string,
  id: string,
): Promise<Pick<TTicketCategory, 'id' | 'orgId' | 'typology' | 'name'> | null> {
  const row = await categoryById(ctx, id);
  if (!row || (row.org_id !== null && row.org_id !== orgId) || !toBool(row.active)) return null;
  return {
    id: row.id,
    orgId: row.org_id,
    typology: row.typology as TTicketCategory['typology'],
    name: { fr: row.name_fr, en: row.name_en },
  };
}

/** The priority (1 to 5) the organisation's impact × urgency matrix gives. */
export async function priorityFor(ctx: Ctx, orgId: string, impact: string, urgency: string): Promise<number> {
  return priorityOf(await settingsOf(ctx, orgId), impact, urgency);
}
