export { auditRoutes } from './audit.routes.js';
export {
  type AuditInput,
  listAuditEntries,
  recordAudit,
  type VerifyResult,
  verifyAuditChain,
} from './audit.service.js';
