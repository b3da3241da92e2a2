export { helpdeskRoutes } from './helpdesk.routes.js';
export { createTicket, ticketsOfAsset, watchSla } from './tickets.service.js';
