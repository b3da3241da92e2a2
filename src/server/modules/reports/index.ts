export { reportsRoutes } from './reports.routes.js';
export {
  enqueueDueReports,
  REPORT_SEND_JOB,
  REPORTS_DUE_JOB,
  sendScheduledReport,
} from './schedules.service.js';
