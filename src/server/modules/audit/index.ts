export { auditRoutes } from './audit.routes.js';
export {
  type AuditInput,
  listAuditEntries,
  recordAudit,
  recordAudits,
  type VerifyResult,
  verifyAuditChain,
} from './audit.service.js';
