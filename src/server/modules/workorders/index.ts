export { type WorkOrderAlertDeps, workOrderHandlers } from './alerts.service.js';
export { ITEMS_MISSING_EVENT } from './completion.service.js';
export { planningRoutes } from './planning.routes.js';
export { REMINDERS_JOB, sendDueReminders } from './reminders.service.js';
export { interventionFigures, lateSummary, todaysWorkOrders } from './tiles.service.js';
export { workOrdersRoutes } from './workorders.routes.js';
