export { kbRoutes } from './kb.routes.js';
export { draftFromTicket, getArticle, suggestArticles, type TicketDraftInput } from './kb.service.js';
