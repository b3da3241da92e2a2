export { type StockAlertDeps, stockHandlers } from './alerts.service.js';
export { getArticle } from './articles.service.js';
export { getLevel, reorderSummary } from './levels.service.js';
export { getStockLocation } from './locations.service.js';
export { REORDER_EVENT } from './movements.service.js';
export { purchaseOrdersRoutes } from './purchase-orders.routes.js';
export { closeReservation, getReservation, listReservations, reserveStock } from './reservations.service.js';
export { stockRoutes } from './stock.routes.js';
